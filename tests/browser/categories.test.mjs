// The categories page in Chromium (issue 12, point 4): an admin with
// seeded activity opens the rules, previews a rule before saving it (in
// place with the page's script, and as a plain form post without it),
// saves it, and makes a rule from a word of the category builder in one
// click.  Screenshots at 1280 and 390 px.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, sql, shot, BASE } from './lib.mjs';

const tag = `c${process.pid}`;
const email = `cats.${tag}@example.com`;
const password = 'gen-bench-password';
// bench/gen.c's scrypt hash of that password: no hashing here.
const hash = '$s1$0e0801$0go9NpQc8AdqIx7A/EmQlQ==$RSyot8SP6aQI0k9YCRet+xCMFs2/' +
  'svpwTi3zrobsArCial++w/TlE1ZLkcDSZm1HR4oghKd2tX8+JukBOhIRow==';
// A week only this test's windows have activity in, for the builder.
const RANGE = 'from=2002-03-04&to=2002-03-10';

function seed() {
  const id = sql(`INSERT INTO users (email, display_name, password_hash, timezone, role)
    VALUES ('${email}', 'Admin ${tag}', '${hash}', 'America/New_York', 'admin') RETURNING id`);
  const dev = sql(`INSERT INTO devices (user_id, name, last_seen_at) VALUES (${id}, 'laptop', now()) RETURNING id`);
  const win = (app, title) => sql(
    `SELECT (windows_intern(ARRAY['${app}'], ARRAY['${title}'], ARRAY['']))[1]`);
  const wins = [
    [win(`erp-${tag}`, `Invoice 2024-113 ${tag} — ACME ERP`), 90],
    [win(`erp-${tag}`, `Kanban${tag} board — ACME ERP`), 60],
    [win(`notes-${tag}`, `node.js streams ${tag}`), 40],
    [win(`notes-${tag}`, `C++ notes ${tag} Kanban${tag}`), 30],
    [win(`notes-${tag}`, `日本語の文書 Café ${tag} 😀`), 20],
  ];
  const rows = [];
  wins.forEach(([w, min], i) => {
    rows.push(`(now() - interval '1 day' - interval '${i * 2} hours', ${dev}, ${min * 60000}, ${w}, false)`);
    rows.push(`('2002-03-05 14:00Z'::timestamptz + interval '${i * 2} hours', ${dev}, ${min * 60000}, ${w}, false)`);
  });
  sql('INSERT INTO activity (started_at, device_id, duration_ms, window_id, afk) VALUES ' + rows.join(', '));
  return { dev };
}

async function signIn(page) {
  await page.goto(`${BASE}/login`);
  await page.fill('#f-email', email);
  await page.fill('#f-password', password);
  await page.click('button[type=submit]');
  await page.waitForURL(`${BASE}/`);
}

async function both(page, name) {
  await page.setViewportSize({ width: 1280, height: 900 });
  await shot(page, `${name}-1280`);
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, `${name}-390`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

const { dev } = seed();
after(() => {
  sql(`DELETE FROM categories WHERE name LIKE '%${tag}%'`);
  sql(`DELETE FROM activity WHERE device_id = ${dev}`);
});

test('an admin edits the category rules', async (t) => {
  const { browser, context } = await launch();
  t.after(() => browser.close());
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // A refused preview is a 400 by design; Chromium logs every 4xx.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 400/.test(m.text())) errors.push(m.text());
  });

  await t.test('the list: rules as a tree, with the last 7 days', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page);
    await page.click('nav.nav-wide >> text=Categories');
    await page.waitForURL(`${BASE}/admin/categories`);
    assert.equal(await page.locator('h1').innerText(), 'Categories');
    assert.ok(await page.locator('table.cat-tree tbody tr').count() >= 10, 'the default rules');
    assert.equal(await page.locator('table.cat-tree .cat-name.depth-2').first().locator('svg.swatch').count(), 1);
    await both(page, 'categories-01-list');
  });

  await t.test('a preview in place, then saved', async () => {
    await page.click('text=New rule');
    await page.waitForURL(`${BASE}/admin/categories/new`);
    await page.fill('#f-name', `Finance ${tag} > Invoices`);
    await page.fill('#f-title_re', `^invoice.*${tag}`);
    await page.selectOption('#f-productivity', 'productive');
    await page.click('button[data-preview]');
    await page.waitForSelector('#preview h2');
    assert.equal(page.url(), `${BASE}/admin/categories/new`, 'the page stayed: previewed in place');
    assert.match(await page.locator('#preview').innerText(), /1 window matches, 1 h 30 min of active time/);
    assert.equal(await page.locator('#preview table tbody tr').count(), 1);
    assert.equal(await page.inputValue('#f-title_re'), `^invoice.*${tag}`, 'what was typed is kept');
    await both(page, 'categories-02-preview');
    await page.click('button:has-text("Save the rule")');
    await page.waitForURL(/\/admin\/categories\?saved=\d+$/);
    assert.match(await page.locator('p.notice').innerText(), /it names 1 window active in the last 7 days/);
    assert.equal(await page.locator('tr.current').count(), 1);
  });

  await t.test('a bad pattern: the message at the field', async () => {
    await page.goto(`${BASE}/admin/categories/new`);
    await page.fill('#f-name', `Broken ${tag}`);
    await page.fill('#f-app_re', '(unclosed');
    await page.click('button[data-preview]');
    await page.waitForSelector('#e-app_re');
    assert.match(await page.locator('#e-app_re').innerText(), /parentheses \(\) not balanced/);
    assert.equal(await page.inputValue('#f-app_re'), '(unclosed');
    assert.equal(await page.inputValue('#f-name'), `Broken ${tag}`);
    await both(page, 'categories-03-error');
  });

  await t.test('the builder: a rule from a word in one click', async () => {
    await page.goto(`${BASE}/admin/categories/builder?${RANGE}`);
    const word = `kanban${tag}`;
    const row = page.locator('table.words tbody tr', { has: page.locator(`th:text-is("${word}")`) });
    assert.equal(await row.count(), 1, 'the word is listed');
    assert.equal(await page.locator('table.words th:text-is("node.js")').count(), 1);
    assert.equal(await page.locator('table.words th:text-is("日本語の文書")').count(), 1);
    assert.equal(await page.locator('table.words th:text-is("2024-113")').count(), 0, 'no numbers');
    await both(page, 'categories-04-builder');
    await row.locator('button:has-text("Make a rule")').click();
    await page.waitForURL(/\/admin\/categories\/builder\?from=2002-03-04&to=2002-03-10&made=\d+$/);
    assert.match(await page.locator('p.notice').innerText(), new RegExp(`Made the rule ${word}: it names 2 stored windows`));
    assert.equal(await page.locator(`table.words th:text-is("${word}")`).count(), 0, 'the word has left the list');
    const re = sql(`SELECT title_re FROM categories WHERE name = '${word}'`);
    assert.equal(re, `\\m${word}\\M`);
    sql(`UPDATE categories SET name = 'Board ${tag} > ${word}' WHERE name = '${word}'`);
  });

  await t.test('no script errors', () => {
    assert.deepEqual(errors, []);
  });
});

test('without JavaScript the preview is a form post', async (t) => {
  const { browser } = await launch();
  t.after(() => browser.close());
  const context = await browser.newContext({ ignoreHTTPSErrors: true, javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page);
  await page.goto(`${BASE}/admin/categories/new`);
  await page.fill('#f-title_re', `^node\\.js.*${tag}`);
  await page.click('button[data-preview]');
  await page.waitForURL(`${BASE}/admin/categories/preview`);
  assert.match(await page.locator('#preview').innerText(), /1 window matches, 40 min of active time/);
  assert.equal(await page.inputValue('#f-title_re'), `^node\\.js.*${tag}`);
});
