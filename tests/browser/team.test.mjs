// The team page in Chromium: a manager opens their team from the menu
// (the seeded members' status and hours today), clicks a member through
// to that person's day, sees the figures refresh from the JSON twin when
// new activity arrives, and opens the working-hours report for a range
// with a DST day.  Screenshots at 1280 and 390 px.  Without JavaScript
// the pages are complete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, sql, shot, BASE } from './lib.mjs';

const tag = `t${process.pid}`;
const password = 'gen-bench-password';
// bench/gen.c's scrypt hash of that password: no hashing here.
const hash = '$s1$0e0801$0go9NpQc8AdqIx7A/EmQlQ==$RSyot8SP6aQI0k9YCRet+xCMFs2/' +
  'svpwTi3zrobsArCial++w/TlE1ZLkcDSZm1HR4oghKd2tX8+JukBOhIRow==';
const mgrEmail = `teammgr.${tag}@example.com`;

function user(who, name, role, tz) {
  return sql(`INSERT INTO users (email, display_name, password_hash, role, timezone)
    VALUES ('${who}.${tag}@example.com', '${name} ${tag}', '${hash}', '${role}', '${tz}')
    RETURNING id`);
}

// Today's local midnight in Berlin, or an hour ago at the earliest: spans
// "so far today" that are never in the future.
const SINCE = (mins) => `greatest(now() - interval '${mins} minutes',
  date_trunc('day', now() AT TIME ZONE 'Europe/Berlin') AT TIME ZONE 'Europe/Berlin')`;

function seed() {
  const mgr = user('teammgr', 'Mona Manager', 'manager', 'Europe/Berlin');
  const people = [
    ['ana', 'Ana Łukasiewicz-Ødegård', 'Europe/Berlin', 'now()', false],
    ['ken', 'Kenji 漢字 🙂', 'Asia/Tokyo', 'now()', true],
    ['lee', 'Lee (not yet)', 'America/New_York', "now() - interval '2 days'", false],
  ].map(([who, name, tz, seen, idle]) => {
    const id = user(who, name, 'member', tz);
    const dev = sql(`INSERT INTO devices (user_id, name, last_seen_at) VALUES (${id}, 'laptop', ${seen})
      RETURNING id`);
    sql(`INSERT INTO device_presence (device_id, seen_at, idle) VALUES (${dev}, ${seen}, ${idle})`);
    return { id, dev, who };
  });
  const team = sql(`INSERT INTO teams (name) VALUES ('Équipe ${tag}') RETURNING id`);
  sql(`INSERT INTO team_members (team_id, user_id, role) VALUES (${team}, ${mgr}, 'manager'), ` +
    people.map((p) => `(${team}, ${p.id}, 'member')`).join(', '));
  sql(`SELECT activity_ensure_partitions('2024-03-01', 2)`);
  sql(`SELECT activity_ensure_partitions((now() - interval '8 days')::date, 2)`);
  const code = sql(`SELECT (windows_intern(ARRAY['code'], ARRAY['team.c ${tag}'], ARRAY['']))[1]`);
  const [ana, ken] = people;
  sql(`INSERT INTO activity (started_at, device_id, duration_ms, window_id) VALUES
    (${SINCE(90)}, ${ana.dev}, 3600000, ${code}),
    (${SINCE(45)}, ${ken.dev}, 1800000, ${code}),
    ('2024-03-29 09:00+01', ${ana.dev}, 28800000, ${code}),
    ('2024-03-31 01:30+01', ${ana.dev}, 3600000, ${code}),
    ('2024-03-29 09:00+01', ${ken.dev}, 7200000, ${code})`);
  return { team, people, code };
}

async function signIn(page) {
  await page.goto(`${BASE}/login`);
  await page.fill('#f-email', mgrEmail);
  await page.fill('#f-password', password);
  await page.click('button[type=submit]');
  await page.waitForURL(`${BASE}/`);
}

test('a manager reads their team', async (t) => {
  const { browser, context } = await launch();
  t.after(() => browser.close());
  const page = await context.newPage();
  const { team, people, code } = seed();
  const [ana, ken, lee] = people;
  const cell = (p, k) => page.locator(`[data-k="live.${p.id}.${k}"]`);

  await t.test('the menu opens the team', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await signIn(page);
    await page.locator('.nav-wide a[href="/team"]').click();
    await page.waitForURL(`${BASE}/team/${team}`);
    assert.match(await page.locator('h1').innerText(), /Équipe/);
    assert.equal(await page.locator('table.team tbody tr').count(), 5, 'four people and the median');
    assert.equal(await cell(ana, 'status').innerText(), 'online');
    assert.equal(await cell(ken, 'status').innerText(), 'idle');
    assert.equal(await cell(lee, 'status').innerText(), 'offline');
    assert.equal(await cell(lee, 'today').innerText(), '0 min');
    assert.notEqual(await cell(ana, 'today').innerText(), '0 min');
    assert.match(await page.locator('table.team').innerText(), /Asia\/Tokyo, \d\d:\d\d there/);
    await shot(page, 'team-01-team-1280');
  });

  await t.test('on a phone each person is a card', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const box = await page.locator('table.team tbody tr').first().boundingBox();
    assert.ok(box.width <= 390, `a card fits the screen (${box.width} px)`);
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scroll <= 390, `nothing wider than the phone (${scroll} px)`);
    await shot(page, 'team-02-team-390');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  await t.test('the figures refresh without a reload', async () => {
    // Twenty minutes of Lee's work arrive, as ingest would store them.
    sql(`INSERT INTO activity (started_at, device_id, duration_ms, window_id)
         VALUES (${SINCE(30)}, ${lee.dev}, 1200000, ${code})`);
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await page.waitForFunction((id) =>
      document.querySelector(`[data-k="live.${id}.today"]`).textContent === '20 min', lee.id);
    assert.equal(page.url(), `${BASE}/team/${team}`);
  });

  await t.test('a name opens that person’s day', async () => {
    await page.locator(`table.team a.person[href*="user=${ken.id}"]`).click();
    await page.waitForURL(/\/day\/\d{4}-\d\d-\d\d\?user=/);
    assert.match(await page.locator('h1').innerText(), /Kenji 漢字 🙂.*’s day/);
    assert.match(await page.locator('.notice').first().innerText(), /can see that you looked/);
    await page.goBack();
    await page.waitForURL(`${BASE}/team/${team}`);
  });

  await t.test('working hours for a range, and its CSV', async () => {
    await page.locator('nav a', { hasText: 'Working hours' }).click();
    await page.waitForURL(new RegExp(`/team/${team}/hours`));
    await page.fill('#f-from', '2024-03-25');
    await page.fill('#f-to', '2024-04-07');
    await page.click('form.range-form button[type=submit]');
    await page.waitForURL(/from=2024-03-25/);
    assert.equal(await page.locator('table.hours thead th').count(), 16, 'person, 14 days, total');
    const row = page.locator('table.hours tbody tr', { hasText: 'Łukasiewicz' });
    assert.equal(await row.locator('td.total').innerText(), '9:00', '8 h and the DST day’s hour');
    assert.equal(await row.locator('a[href^="/day/2024-03-31"]').innerText(), '1:00');
    await shot(page, 'team-03-hours-1280');
    await page.setViewportSize({ width: 390, height: 844 });
    const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scroll <= 390, `the grid scrolls inside its box (${scroll} px)`);
    await shot(page, 'team-04-hours-390');
    await page.setViewportSize({ width: 1280, height: 900 });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('a', { hasText: 'CSV for payroll' }).click(),
    ]);
    const text = await (await download.createReadStream()).toArray();
    const csv = Buffer.concat(text).toString('utf8');
    assert.match(csv, /^person_id,name,email,date,first,last,breaks/);
    assert.match(csv, new RegExp(`${ana.id},Ana [^\\r]*,2024-03-31,01:30,03:30,0,0:00,1\\.00,1:00,3600\\.000\\r\\n`));
  });

  await t.test('a range the other way round is shown next to the field', async () => {
    await page.fill('#f-from', '2024-04-07');
    await page.fill('#f-to', '2024-03-25');
    await page.click('form.range-form button[type=submit]');
    assert.match(await page.locator('#e-from').innerText(), /must not be after/);
    assert.equal(await page.inputValue('#f-from'), '2024-04-07');
    await shot(page, 'team-05-hours-error-1280');
  });
});

test('without JavaScript the team page is complete', async (t) => {
  const { browser } = await launch();
  t.after(() => browser.close());
  const context = await browser.newContext({ ignoreHTTPSErrors: true, javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page);
  await page.goto(`${BASE}/team`);
  assert.match(page.url(), /\/team\/\d+$/);
  assert.equal(await page.locator('table.team tbody tr').count(), 5);
  assert.match(await page.locator('table.team tr.median').innerText(), /Team median/);
});
