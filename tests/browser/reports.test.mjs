// Reports in Chromium: a person with seeded activity opens their day (the
// Berlin DST day of tests/inproc/test_report_day.c: 7 active bars and 1
// away bar in the SVG timeline), walks to the previous and next day,
// opens the week (7 day bars) and a day from it; today's page refreshes
// its figures from the JSON twin without a reload; with JavaScript off
// the pages are complete.  Screenshots at 1280 and 390 px.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, sql, shot, BASE } from './lib.mjs';

const tag = `r${process.pid}`;
const email = `reports.${tag}@example.com`;
const password = 'gen-bench-password';
// bench/gen.c's scrypt hash of that password: no hashing here.
const hash = '$s1$0e0801$0go9NpQc8AdqIx7A/EmQlQ==$RSyot8SP6aQI0k9YCRet+xCMFs2/' +
  'svpwTi3zrobsArCial++w/TlE1ZLkcDSZm1HR4oghKd2tX8+JukBOhIRow==';

function seed() {
  const id = sql(`INSERT INTO users (email, display_name, password_hash, timezone)
    VALUES ('${email}', 'Renée ${tag}', '${hash}', 'Europe/Berlin') RETURNING id`);
  const d1 = sql(`INSERT INTO devices (user_id, name, last_seen_at) VALUES (${id}, 'laptop', now()) RETURNING id`);
  const d2 = sql(`INSERT INTO devices (user_id, name, last_seen_at) VALUES (${id}, 'desktop', now()) RETURNING id`);
  sql(`SELECT activity_ensure_partitions('2024-03-01', 2)`);
  const win = (app, title, url = '') => sql(
    `SELECT (windows_intern(ARRAY['${app}'], ARRAY['${title} ${tag}'], ARRAY['${url}']))[1]`);
  const code = win('code', 'main.c — é 漢字 🙂');
  const chat = win('slack', '#general | Slack');
  const tube = win('firefox', 'Talk - YouTube', 'https://www.youtube.com/watch?v=1');
  const spans = [
    [d1, '2024-03-31 01:30+01', 60, code, false],
    [d1, '2024-03-31 09:00+02', 60, code, false],
    [d1, '2024-03-31 10:00+02', 20, code, true],
    [d1, '2024-03-31 10:20+02', 40, code, false],
    [d2, '2024-03-31 09:30+02', 60, chat, false],
    [d1, '2024-03-31 12:00+02', 30, code, true],
    [d1, '2024-03-31 13:00+02', 60, code, false],
    [d1, '2024-03-31 14:05+02', 5, code, false],
    [d1, '2024-03-31 23:30+02', 60, tube, false],
    [d1, '2024-03-26 09:00+01', 240, code, false],
    [d2, '2024-03-27 10:00+01', 90, chat, false],
    [d1, '2024-03-28 08:30+01', 300, code, false],
  ];
  sql('INSERT INTO activity (started_at, device_id, duration_ms, window_id, afk) VALUES ' +
    spans.map(([d, t, m, w, afk]) => `('${t}', ${d}, ${m * 60000}, ${w}, ${afk})`).join(', '));
  return { id, d1, code };
}

async function signIn(page) {
  await page.goto(`${BASE}/login`);
  await page.fill('#f-email', email);
  await page.fill('#f-password', password);
  await page.click('button[type=submit]');
  await page.waitForURL(`${BASE}/`);
}

test('a person reads their day and week', async (t) => {
  const { browser, context } = await launch();
  t.after(() => browser.close());
  const page = await context.newPage();
  const { d1, code } = seed();

  await t.test('signing in lands on my day', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page);
    assert.match(await page.locator('h1').innerText(), /My day/);
  });

  await t.test('the DST day: 23 hours, 7 active bars and 1 away bar', async () => {
    await page.goto(`${BASE}/day/2024-03-31`);
    assert.equal(await page.locator('svg.timeline rect.bar.active').count(), 7);
    assert.equal(await page.locator('svg.timeline rect.bar.away').count(), 1);
    assert.equal(await page.locator('svg.hours rect.hour').count(), 23);
    assert.match(await page.locator('text=This day has 23 hours').innerText(), /23 hours/);
    assert.equal(await page.locator('[data-k="totals.text.worked"]').first().innerText(), '4 h 40 min');
    await shot(page, 'reports-01-day-1280');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'reports-02-day-390');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  await t.test('previous and next day', async () => {
    await page.click('a[rel=prev]');
    await page.waitForURL(`${BASE}/day/2024-03-30`);
    assert.equal(await page.locator('svg.timeline rect.bar').count(), 0);
    await page.click('a[rel=next]');
    await page.waitForURL(`${BASE}/day/2024-03-31`);
    await page.click('a[rel=next]');
    await page.waitForURL(`${BASE}/day/2024-04-01`);
    assert.equal(await page.locator('svg.timeline rect.bar.active').count(), 1,
      'the video after midnight');
  });

  await t.test('the week: a bar per day, each opening its day', async () => {
    await page.click('.day-nav >> text=Week');
    await page.waitForURL(`${BASE}/week/2024-04-01`);
    await page.goto(`${BASE}/week/2024-03-31`);
    assert.equal(await page.locator('svg.weekbars g.day').count(), 7);
    assert.ok(await page.locator('svg.weekbars rect.seg').count() >= 5);
    assert.match(await page.locator('.insights').innerText(), /on last week/);
    await shot(page, 'reports-03-week-1280');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'reports-04-week-390');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.locator('svg.weekbars a').nth(2).click();
    await page.waitForURL(`${BASE}/day/2024-03-27`);
  });

  await t.test('the month', async () => {
    await page.goto(`${BASE}/month/2024-03-31`);
    assert.equal(await page.locator('svg.weekbars g.day').count(), 31);
    await shot(page, 'reports-05-month-1280');
  });

  await t.test('today refreshes its figures without a reload', async () => {
    await page.goto(`${BASE}/`);
    assert.equal(await page.locator('[data-live]').count(), 1);
    const before = await page.locator('#live [data-k="totals.text.active"]').innerText();
    assert.equal(before, '0 min');
    // Twenty minutes of work happen now, as ingest would store them.
    sql(`INSERT INTO activity (started_at, device_id, duration_ms, window_id)
         VALUES (greatest(now() - interval '30 minutes',
                          date_trunc('day', now() AT TIME ZONE 'Europe/Berlin') AT TIME ZONE 'Europe/Berlin'),
                 ${d1}, 1200000, ${code})`);
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await page.waitForFunction(() =>
      document.querySelector('#live [data-k="totals.text.active"]').textContent === '20 min');
    assert.equal(page.url(), `${BASE}/`);
  });

  await t.test('my data', async () => {
    await page.goto(`${BASE}/me/data`);
    assert.equal(await page.locator('form[action="/export.csv"]').count(), 1);
    await shot(page, 'reports-06-mydata-1280');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'reports-07-mydata-390');
  });
});

test('without JavaScript the day is complete', async (t) => {
  const { browser } = await launch();
  t.after(() => browser.close());
  const context = await browser.newContext({ ignoreHTTPSErrors: true, javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page);
  await page.goto(`${BASE}/day/2024-03-31`);
  assert.equal(await page.locator('svg.timeline rect.bar.active').count(), 7);
  assert.equal(await page.locator('[data-k="totals.text.active"]').first().innerText(), '4 h 35 min');
  await page.goto(`${BASE}/week/2024-03-31`);
  assert.equal(await page.locator('svg.weekbars g.day').count(), 7);
});
