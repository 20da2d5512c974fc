// A person registers, confirms the address from the mail, signs in,
// changes the time zone and signs out, in real Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, sql, shot, mailTo, linkIn, BASE } from './lib.mjs';

const email = `browser.${process.pid}@example.com`;
const password = 'Quiet-Harbour-Lantern-42';

test('register, verify, sign in, change time zone, sign out', async (t) => {
  sql("UPDATE settings SET registration_mode = 'open'");
  const { browser, context } = await launch();
  const page = await context.newPage();
  const consoleErrors = [];
  // Forms answered 400 on purpose are logged by Chromium too; anything
  // else (CSP violations, missing files, script errors) is a failure.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 400/.test(m.text())) consoleErrors.push(m.text());
  });
  t.after(() => browser.close());

  await t.test('the registration form shows errors next to the field', async () => {
    await page.goto(`${BASE}/register`);
    await page.fill('#f-email', email);
    await page.fill('#f-display_name', 'Browser Person');
    await page.fill('#f-password', 'short');
    await page.fill('#f-password_confirm', 'short');
    await page.click('button[type=submit]');
    const err = page.locator('#e-password');
    assert.match(await err.innerText(), /at least 12 characters/);
    assert.equal(await page.inputValue('#f-email'), email, 'typed e-mail kept');
    assert.equal(await page.inputValue('#f-password'), '', 'password never echoed');
    await shot(page, '01-register-error');
  });

  const started = Date.now() - 1000;
  await t.test('registering sends a verification mail', async () => {
    await page.fill('#f-password', password);
    await page.fill('#f-password_confirm', password);
    await page.click('button[type=submit]');
    assert.match(await page.locator('h1').innerText(), /Check your e-mail/);
    await shot(page, '02-register-done');
  });

  await t.test('the link from the mail confirms the address', async () => {
    const link = linkIn(await mailTo(email, started));
    assert.ok(link.startsWith(`${BASE}/verify?token=`), link);
    await page.goto(link);
    assert.match(await page.locator('h1').innerText(), /Address confirmed/);
    await shot(page, '03-verified');
  });

  await t.test('signing in leads to the front page, signed in', async () => {
    await page.click('text=Sign in');
    await page.fill('#f-email', email);
    await page.fill('#f-password', password);
    await page.click('button[type=submit]');
    await page.waitForURL(`${BASE}/`);
    assert.match(await page.locator('.site-user').innerText(), /Browser Person/);
    await shot(page, '04-signed-in');
  });

  await t.test('the time zone can be changed on the account page', async () => {
    await page.click('.site-user >> text=Browser Person');
    await page.waitForURL(`${BASE}/account`);
    await page.fill('#f-timezone', 'Mars/Olympus');
    await page.click('form[action="/account"] button[type=submit]');
    assert.match(await page.locator('#e-timezone').innerText(), /not known/);
    await shot(page, '05-account-bad-zone');
    await page.fill('#f-timezone', 'Europe/Paris');
    await page.click('form[action="/account"] button[type=submit]');
    await page.waitForURL(`${BASE}/account?saved=1`);
    assert.equal(await page.inputValue('#f-timezone'), 'Europe/Paris');
    assert.match(await page.locator('.notice').innerText(), /saved/);
    assert.equal(sql(`SELECT timezone FROM users WHERE email = '${email}'`), 'Europe/Paris');
    await shot(page, '06-account-saved');
  });

  await t.test('signing out ends the session', async () => {
    await page.click('button:has-text("Sign out")');
    await page.waitForURL(/\/login\?signed_out=1$/);
    assert.match(await page.locator('.notice').innerText(), /signed out/);
    await shot(page, '07-signed-out');
    await page.goto(`${BASE}/account`);
    assert.match(page.url(), /\/login\?next=%2Faccount$/, 'account needs signing in again');
    assert.equal(sql(`SELECT count(*) FROM web_sessions s JOIN users u ON u.id = s.user_id WHERE u.email = '${email}'`), '0');
  });

  await t.test('no page logged a console error (CSP, missing files)', async () => {
    assert.deepEqual(consoleErrors, []);
  });
});
