// An admin creates a team and invites a person into it; the person
// registers from the mailed link; the admin makes them the team's
// manager; the new manager sees their team and nobody else's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, sql, shot, mailTo, linkIn, BASE, STATE } from './lib.mjs';

const tag = `b${process.pid}`;
const team = `Design ${tag}`;
const otherTeam = `Other ${tag}`;
const email = `manager.${tag}@example.com`;
const password = 'Velvet-Compass-Summit-58';

function initialAdmin() {
  const text = readFileSync(join(STATE, 'initial-admin.txt'), 'utf8');
  return {
    email: text.match(/^email: (.*)$/m)[1],
    password: text.match(/^password: (.*)$/m)[1],
  };
}

test('admin sets up a team and its new manager sees only that team', async (t) => {
  const { browser, context } = await launch();
  const invitee = await browser.newContext({ ignoreHTTPSErrors: true });
  t.after(() => browser.close());
  const admin = await context.newPage();
  const person = await invitee.newPage();
  const otherId = sql(`INSERT INTO teams (name) VALUES ('${otherTeam}') RETURNING id`);
  sql(`INSERT INTO team_members (team_id, user_id)
       SELECT ${otherId}, id FROM users WHERE email = '${initialAdmin().email}'`);

  await t.test('the admin signs in', async () => {
    const { email: ae, password: ap } = initialAdmin();
    await admin.goto(`${BASE}/login`);
    await admin.fill('#f-email', ae);
    await admin.fill('#f-password', ap);
    await admin.click('button[type=submit]');
    await admin.waitForURL(`${BASE}/`);
  });

  await t.test('the admin creates a team', async () => {
    await admin.click('nav:visible >> text=Teams');
    await admin.fill('#f-name', team);
    await admin.click('form[action="/admin/teams"] button[type=submit]');
    await admin.waitForURL(/\/admin\/teams\/\d+$/);
    assert.equal(await admin.locator('h1').innerText(), team);
    await shot(admin, 'admin-01-team-created');
  });

  const started = Date.now() - 1000;
  await t.test('the admin invites a person into the team', async () => {
    await admin.click('nav:visible >> text=People');
    await admin.click('text=Invite a person');
    await admin.fill('#f-email', email);
    await admin.selectOption('#f-team_id', { label: team });
    await admin.click('form[method=post][action="/admin/users"] button[type=submit]');
    await admin.waitForURL(/\/admin\/invitations\?sent=\d+$/);
    assert.equal(await admin.locator('.notice').innerText(), `Invitation sent to ${email}.`);
    await shot(admin, 'admin-02-invited');
  });

  await t.test('the person registers from the mailed link', async () => {
    const link = linkIn(await mailTo(email, started));
    assert.ok(link.startsWith(`${BASE}/register?invite=`), link);
    await person.goto(link);
    assert.match(await person.locator('form').innerText(), new RegExp(email.replace(/\./g, '\\.')));
    await person.fill('#f-display_name', 'Morgan Manager');
    await person.fill('#f-password', password);
    await person.fill('#f-password_confirm', password);
    await shot(person, 'admin-03-register-invited');
    await person.click('button[type=submit]');
    await person.waitForURL(`${BASE}/`);
    assert.match(await person.locator('.site-user').innerText(), /Morgan Manager/);
    const nav = await person.locator('nav.nav-wide').innerText();
    assert.doesNotMatch(nav, /Teams/, 'a plain member has no Teams page yet');
  });

  await t.test('the admin makes them the team manager', async () => {
    await admin.click('nav:visible >> text=Teams');
    await admin.click(`text=${team}`);
    const row = admin.locator('tr', { hasText: 'Morgan Manager' });
    assert.match(await row.innerText(), /member/);
    await row.locator('button:has-text("Make manager")').click();
    await admin.waitForURL(/\?member=\d+$/);
    assert.match(await admin.locator(".notice").innerText(), /Morgan Manager is a manager of/);
    assert.match(await admin.locator('tr', { hasText: 'Morgan Manager' }).innerText(), /manager/);
    await shot(admin, 'admin-04-made-manager');
    assert.equal(sql(`SELECT role FROM users WHERE email = '${email}'`), 'manager');
  });

  await t.test('the new manager sees their team and nobody else', async () => {
    await person.reload();
    await person.click('nav:visible >> text=Teams');
    const names = await person.locator('table.data tbody tr td:first-child').allInnerTexts();
    assert.deepEqual(names, [team]);
    await shot(person, 'admin-05-manager-teams');
    await person.click('nav:visible >> text=People');
    const emails = await person.locator('table.data tbody tr td:nth-child(2)').allInnerTexts();
    assert.deepEqual(emails, [email], 'only the people of their team (so far, themselves)');
    await shot(person, 'admin-06-manager-people');
    const resp = await person.goto(`${BASE}/admin/teams/${otherId}`);
    assert.equal(resp.status(), 404, 'another team is not even found');
    const settings = await person.goto(`${BASE}/admin/settings`);
    assert.equal(settings.status(), 403, 'settings are for admins');
    await shot(person, 'admin-07-manager-forbidden');
  });
});
