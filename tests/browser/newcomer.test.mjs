// Issue 8's newcomer walk, once at 1280 px and once at 390 px: sign-in
// lands on My day; the admin home and its first-run checklist; forms that
// refuse a mistake next to the field, keep what was typed and put the
// cursor there; invitations, enrollment codes, confirmations; the last
// admin; grouped settings whose screenshot fields hide when off; the
// searchable time zone; the sessions page; registration links by mode; the
// phone menu.  Every step is photographed (tests/browser/out/newcomer-*)
// and, at 390 px, must not be wider than the screen.  axe runs on every
// page (lib.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, sql, shot, BASE, STATE } from './lib.mjs';

const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

function initialAdmin() {
  const text = readFileSync(join(STATE, 'initial-admin.txt'), 'utf8');
  return {
    email: text.match(/^email: (.*)$/m)[1],
    password: text.match(/^password: (.*)$/m)[1],
  };
}

async function signIn(page, who) {
  await page.goto(`${BASE}/login`);
  await page.fill('#f-email', who.email);
  await page.fill('#f-password', who.password);
  await page.click('form[action="/login"] button[type=submit]');
  await page.waitForURL(`${BASE}/`);
}

// Nothing sticks out sideways: the page is no wider than the window.
async function fits(page) {
  const { doc, win, wide } = await page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    const out = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > w + 1 &&
        (!e.closest('.table-wrap') || getComputedStyle(e).position === 'absolute'))
      .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${e.className} "${e.textContent.slice(0, 30)}"`);
    return { doc: document.documentElement.scrollWidth, win: w, wide: out };
  });
  assert.ok(doc <= win, `the page is ${doc} px wide in a ${win} px window: ${wide.join(', ')}`);
}

const focused = (page) => page.evaluate(() => document.activeElement && document.activeElement.id);

for (const [width, height] of [[1280, 900], [390, 844]]) {
  const phone = width < 600;
  const tag = `n${width}x${process.pid}`;
  const step = async (page, name) => {
    await shot(page, `newcomer-${width}-${name}`);
    await fits(page);
  };
  // The menu: rows of links, or behind "Menu" on a phone.
  const menu = async (page, text) => {
    if (phone) {
      assert.equal(await page.locator('nav.nav-wide').first().isVisible(), false, 'no wide menu on a phone');
      await page.click('.nav-narrow summary');
      await page.locator('.nav-narrow nav').getByRole('link', { name: text, exact: true }).click();
    } else {
      await page.locator('nav.nav-wide').getByRole('link', { name: text, exact: true }).click();
    }
  };

  test(`the newcomer walk at ${width} px`, async (t) => {
    const { browser } = await launch();
    t.after(() => browser.close());
    const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width, height } });
    const page = await context.newPage();
    const admin = initialAdmin();
    const team = `Support ${tag} é`;
    const modeBefore = sql('SELECT registration_mode FROM settings');
    t.after(() => sql(`UPDATE settings SET registration_mode = '${modeBefore}'`));

    await t.test('signing in lands on My day; no request id on the page', async () => {
      await page.goto(`${BASE}/login`);
      assert.equal(await focused(page), 'f-email', 'the cursor starts in the e-mail field');
      await step(page, '01-sign-in');
      await page.fill('#f-email', admin.email);
      await page.fill('#f-password', admin.password);
      const [resp] = await Promise.all([
        page.waitForResponse((r) => r.url() === `${BASE}/` && r.request().method() === 'GET'),
        page.click('form[action="/login"] button[type=submit]'),
      ]);
      await page.waitForURL(`${BASE}/`);
      assert.match(await page.locator('h1').innerText(), /My day/);
      const rid = resp.headers()['x-request-id'];
      assert.match(rid || '', /^[0-9a-f]{16,}$/, 'the request id is in a header');
      assert.ok(!(await page.content()).includes(rid), 'and nowhere in the page');
      await step(page, '02-my-day');
    });

    await t.test('the menu folds up on a phone; Sign out stays in reach', async () => {
      const signOut = page.locator('.site-user button', { hasText: 'Sign out' });
      assert.ok(await signOut.isVisible(), 'Sign out is visible without opening anything');
      const own = ['My day', 'Week', 'Month', 'Sessions', 'Screenshots', 'Team', 'My data', 'Devices'];
      const adm = ['Overview', 'People', 'Teams', 'Categories', 'Settings', 'Audit log'];
      const names = (nav) => page.locator(nav).locator('a').allInnerTexts()
        .then((a) => a.map((x) => x.trim()));
      if (phone) {
        assert.equal(await page.locator('.nav-narrow nav').isVisible(), false, 'menu closed');
        await page.click('.nav-narrow summary');
        try {
          assert.ok(await page.locator('.nav-narrow nav').isVisible(), 'menu open');
          assert.deepEqual(await names('.nav-narrow nav'), [...own, ...adm, 'Your account']);
          await step(page, '03-menu-open');
        } finally {
          await page.click('.nav-narrow summary');
        }
      } else {
        assert.deepEqual(await names('nav.nav-wide[aria-label="Your pages"]'), own);
        assert.deepEqual(await names('nav.nav-wide[aria-label="Administration"]'), adm);
        assert.equal(await page.locator('.nav-narrow').isVisible(), false);
      }
    });

    await t.test('the admin home, with the first-run checklist while steps are left', async () => {
      await menu(page, 'Overview');
      await page.waitForURL(`${BASE}/admin`);
      const done = [
        sql('SELECT count(*) FROM teams') !== '0',
        sql('SELECT count(*) FROM invites') !== '0' || sql('SELECT count(*) FROM users') !== '1',
        sql('SELECT count(*) FROM devices') !== '0',
      ];
      const n = done.filter(Boolean).length;
      const list = page.locator('.checklist-panel');
      if (n < 3) {
        assert.match(await list.innerText(), new RegExp(`${n} of 3 steps done`));
        assert.deepEqual(await list.locator('li').evaluateAll((ls) => ls.map((l) => l.className)),
          done.map((d) => (d ? 'done' : 'todo')));
        assert.ok(await list.locator('a[href="/admin/devices#install-h"]').count(),
          'a link to how to install the agent');
      } else {
        assert.equal(await list.count(), 0, 'no checklist once all three are done');
      }
      await step(page, '04-admin-home');
    });

    await t.test('a team: empty and taken names are refused next to the field', async () => {
      await menu(page, 'Teams');
      await page.waitForURL(`${BASE}/admin/teams`);
      await page.click('form[action="/admin/teams"] button[type=submit]');
      assert.match(await page.locator('#e-name').innerText(), /.+/);
      assert.equal(await focused(page), 'f-name', 'the cursor is in the refused field');
      await step(page, '05-team-empty');
      await page.fill('#f-name', team);
      await page.click('form[action="/admin/teams"] button[type=submit]');
      await page.waitForURL(/\/admin\/teams\/\d+$/);
      await page.goto(`${BASE}/admin/teams`);
      await page.fill('#f-name', team);
      await page.click('form[action="/admin/teams"] button[type=submit]');
      assert.match(await page.locator('#e-name').innerText(), /exists already/);
      assert.equal(await page.inputValue('#f-name'), team, 'the typed name is kept');
      assert.equal(await focused(page), 'f-name');
      await step(page, '06-team-taken');
    });

    await t.test('adding an unknown e-mail to the team is refused next to the field', async () => {
      await page.goto(`${BASE}/admin/teams`);
      await page.click(`text=${team}`);
      const unknown = `nobody.${tag}@example.com`;
      const form = page.locator('form[action$="/members"]:has(#f-email)');
      await form.locator('#f-email').fill(unknown);
      await form.locator('button[type=submit]').click();
      assert.match(await page.locator('#e-email').innerText(), /.+/);
      assert.equal(await page.inputValue('#f-email'), unknown, 'the typed address is kept');
      assert.equal(await focused(page), 'f-email');
      await step(page, '07-member-unknown');
    });

    await t.test('an invitation: refused next to the field, then sent', async () => {
      await menu(page, 'People');
      await page.click('text=Invite a person');
      await page.fill('#f-email', 'not an address');
      await page.selectOption('#f-role', 'manager');
      await page.click('form[action="/admin/users"] button[type=submit]');
      assert.match(await page.locator('#e-email').innerText(), /.+/);
      assert.equal(await page.inputValue('#f-email'), 'not an address');
      assert.equal(await page.inputValue('#f-role'), 'manager', 'the chosen role is kept');
      assert.equal(await focused(page), 'f-email');
      await step(page, '08-invite-refused');
      const email = `dana.${tag}@example.org`;
      await page.fill('#f-email', email);
      await page.selectOption('#f-team_id', { label: team });
      await page.click('form[action="/admin/users"] button[type=submit]');
      await page.waitForURL(/\/admin\/invitations\?sent=\d+$/);
      assert.equal(await page.locator('.notice').innerText(), `Invitation sent to ${email}.`);
      await step(page, '09-invited');
    });

    await t.test('an enrollment code: empty name refused, then made and revoked with confirmation', async () => {
      await menu(page, 'Devices');
      await page.waitForURL(`${BASE}/admin/devices`);
      await page.click('form[action="/admin/devices/codes"] button[type=submit]');
      assert.match(await page.locator('#e-device_name').innerText(), /.+/);
      assert.equal(await focused(page), 'f-device_name');
      await step(page, '10-code-empty');
      const device = `Laptop ${tag} 漢字`;
      await page.fill('#f-device_name', device);
      await page.click('form[action="/admin/devices/codes"] button[type=submit]');
      assert.match(await page.locator('h1').innerText(), /Enrollment code for/);
      await step(page, '11-code');
      await page.click('text=Back to the devices');
      const row = page.locator('tr', { hasText: device });
      const yes = row.locator('button:has-text("Yes, revoke")');
      assert.equal(await yes.isVisible(), false, 'nothing is revoked by one click');
      await row.locator('summary').click();
      assert.ok(await yes.isVisible(), 'the confirmation says what will happen');
      assert.match(await row.locator('.confirm-box').innerText(), /can no longer be used/);
      await step(page, '12-code-confirm');
      await yes.click();
      await page.waitForURL(/revoked_code=\d+/);
      assert.match(await page.locator('.notice').innerText(), /revoked/);
      assert.equal(await page.locator('tr', { hasText: device }).count(), 0);
      await step(page, '13-code-revoked');
    });

    await t.test('deleting the team asks first', async () => {
      await page.goto(`${BASE}/admin/teams`);
      await page.click(`text=${team}`);
      const yes = page.locator('button:has-text("Yes, delete the team")');
      assert.equal(await yes.isVisible(), false);
      await page.click('summary:has-text("Delete the team")');
      assert.ok(await yes.isVisible());
      assert.ok(await yes.evaluate((b) => b.classList.contains('danger')), 'it looks dangerous');
      await step(page, '14-team-delete-confirm');
      await yes.click();
      await page.waitForURL(/\/admin\/teams(\?.*)?$/);
      assert.match(await page.locator('.notice').innerText(), /deleted/);
      assert.equal(sql(`SELECT count(*) FROM teams WHERE name = '${team}'`), '0');
    });

    await t.test('the only active admin is offered neither Deactivate nor Delete', async () => {
      const me = sql(`SELECT id FROM users WHERE email = '${admin.email}'`);
      // Other tests' admins are set aside for a moment (as
      // tests/inproc/test_admin_people.c does), and put back.
      const others = sql(`WITH o AS (UPDATE users SET status = 'disabled' WHERE role = 'admin'
        AND status = 'active' AND id <> ${me} RETURNING id) SELECT string_agg(id::text, ',') FROM o`);
      try {
        await page.goto(`${BASE}/admin/users/${me}`);
        assert.match(await page.locator('#status-h + p').innerText(), /only active admin/);
        assert.equal(await page.locator('summary:has-text("Deactivate")').count(), 0);
        assert.equal(await page.locator('summary:has-text("Delete")').count(), 0);
        await step(page, '15-last-admin');
      } finally {
        if (others) sql(`UPDATE users SET status = 'active' WHERE id IN (${others})`);
      }
      const other = sql(`SELECT id FROM users WHERE role <> 'admin' AND status = 'active' ORDER BY id LIMIT 1`);
      await page.goto(`${BASE}/admin/users/${other}`);
      const del = page.locator('summary:has-text("Delete")');
      assert.ok(await del.isVisible(), 'someone else can be deleted...');
      await del.click();
      assert.ok(await page.locator('button:has-text("Delete for good")').isVisible(),
        '... after typing their address in the box that opens');
      await step(page, '16-delete-confirm');
    });

    await t.test('the categories page is in the admins\' menu', async () => {
      await menu(page, 'Categories');
      await page.waitForURL(`${BASE}/admin/categories`);
      assert.match(await page.locator('h1').innerText(), /Categories/);
      await step(page, '17-categories');
    });

    await t.test('settings: grouped; screenshot fields only when screenshots are on', async () => {
      await menu(page, 'Settings');
      await page.waitForURL(`${BASE}/admin/settings`);
      const legends = await page.locator('form.settings legend').allInnerTexts();
      for (const g of ['Registration', 'Screenshots', 'Privacy', 'Working day']) {
        assert.ok(legends.includes(g), `a group "${g}" in ${legends}`);
      }
      await page.check('input[name=screenshot_mode][value=off]');
      assert.equal(await page.locator('#f-screenshot_interval_min').isVisible(), false);
      assert.equal(await page.locator('input[name=screenshot_blur]').isVisible(), false);
      await step(page, '18-settings-off');
      await page.check('input[name=screenshot_mode][value=interval]');
      assert.ok(await page.locator('#f-screenshot_interval_min').isVisible());
      assert.equal(await page.locator('#f-screenshot_from_hour').isVisible(), false);
      const box = await page.locator('input[name=screenshot_blur]').boundingBox();
      assert.ok(box.width >= 18 && box.height >= 18, `the checkbox is big enough (${box.width} px)`);
      const radio = await page.locator('input[name=screenshot_mode][value=interval]').boundingBox();
      assert.ok(radio.width >= 18, `the radio buttons too (${radio.width} px)`);
      // A choice is a group of radio buttons, its options whole sentences
      // (a select cut them off at 390 px).
      assert.match(await page.locator('fieldset.choice:has(input[name=registration_mode])').innerText(),
        /Anyone, after confirming their e-mail address/);
      await step(page, '19-settings-interval');
      await page.check('input[name=screenshot_mode][value=twice_daily]');
      assert.ok(await page.locator('#f-screenshot_from_hour').isVisible());
      assert.equal(await page.locator('#f-screenshot_interval_min').isVisible(), false);
    });

    await t.test('the time zone: a list of zone names, matched without regard to case', async () => {
      await page.goto(`${BASE}/account`);
      assert.ok(await page.locator('#zones option').count() > 300, 'PostgreSQL\'s zone names');
      assert.equal(await page.getAttribute('#f-timezone', 'list'), 'zones');
      await page.fill('#f-timezone', 'america/new_york');
      await page.click('form[action="/account"] button[type=submit]');
      await page.waitForURL(`${BASE}/account?saved=1`);
      assert.equal(await page.inputValue('#f-timezone'), 'America/New_York');
      await step(page, '20-account-zone');
      sql(`UPDATE users SET timezone = 'UTC' WHERE email = '${admin.email}'`);
    });

    await t.test('the sessions page names the browser and ends one session', async () => {
      const ff = await browser.newContext({ ignoreHTTPSErrors: true, userAgent: FIREFOX_LINUX });
      const other = await ff.newPage();
      await signIn(other, admin);
      await page.goto(`${BASE}/account`);
      await page.click('text=Where you are signed in');
      await page.waitForURL(`${BASE}/account/sessions`);
      const row = page.locator('tr', { hasText: 'Firefox on Linux' }).last();
      assert.ok(await row.isVisible(), 'Firefox on Linux, not the raw user agent');
      assert.match(await page.locator('tr.current').innerText(), /this browser/);
      await step(page, '21-sessions');
      await row.locator('button:has-text("Sign out")').click();
      await page.waitForURL(/\/account\/sessions/);
      await other.goto(`${BASE}/account`);
      assert.match(other.url(), /\/login\?next=/, 'that browser is signed out');
      assert.match(await page.locator('tr.current').innerText(), /this browser/, 'this one is not');
      await ff.close();
    });

    await t.test('"Create an account" only when registration is open', async () => {
      const anon = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width, height } });
      const p = await anon.newPage();
      for (const [mode, expect] of [['invite', /by invitation/], ['closed', /created by the administrators/]]) {
        sql(`UPDATE settings SET registration_mode = '${mode}'`);
        await p.goto(`${BASE}/login`);
        assert.equal(await p.locator('a[href="/register"]').count(), 0, `${mode}: no link`);
        assert.match(await p.locator('form + p + p, .aside').allInnerTexts().then((a) => a.join(' ')), expect);
        await step(p, `22-login-${mode}`);
        const resp = await p.goto(`${BASE}/register`);
        assert.notEqual(resp.status(), 403, `${mode}: /register explains instead of a 403 page`);
        assert.equal(await p.locator('#f-password').count(), 0, `${mode}: no form to fill in`);
        await step(p, `23-register-${mode}`);
      }
      sql("UPDATE settings SET registration_mode = 'open'");
      await p.goto(`${BASE}/login`);
      assert.equal(await p.locator('a[href="/register"]').count(), 1, 'open: the link');
      await anon.close();
    });

    await t.test('signing out from the header', async () => {
      await page.goto(`${BASE}/admin`);
      await page.locator('.site-user button', { hasText: 'Sign out' }).click();
      await page.waitForURL(/\/login\?signed_out=1$/);
      await step(page, '24-signed-out');
    });
  });
}

test('without script, the settings still hide what does not apply', async (t) => {
  const { browser } = await launch();
  t.after(() => browser.close());
  const context = await browser.newContext({ ignoreHTTPSErrors: true, javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page, initialAdmin());
  await page.goto(`${BASE}/admin/settings`);
  await page.check('input[name=screenshot_mode][value=off]');
  assert.equal(await page.locator('#f-screenshot_interval_min').isVisible(), false);
  await page.check('input[name=screenshot_mode][value=interval]');
  assert.ok(await page.locator('#f-screenshot_interval_min').isVisible());
});
