// The task widget in real Chromium.  A local test page stands in for the
// site people rate on (Playwright answers for https://rater.test, the
// origin the test instance lists in cors.origins) with the widget script
// injected as a userscript manager would.  A session is run with clicks
// and keys, the page is reloaded in the middle, the network is cut for
// three events and restored, and /sessions/ID must show exactly the tasks
// and totals the events make.  Screenshots in tests/browser/out/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, sql, shot, BASE, STATE } from './lib.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WIDGET = readFileSync(join(ROOT, 'static', 'worktime-widget.user.js'), 'utf8');
const ORIGIN = 'https://rater.test';
const email = `widget.${process.pid}@example.com`;
const password = 'Lichen-Falcon-Orchard-58';

const PAGE = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Rate this result</title></head>
<body style="font: 16px sans-serif; margin: 2rem; max-width: 40rem">
<h1>Task: rate this search result</h1>
<p>Query: <b>café near the station</b>. How well does the result answer it?</p>
<p><label>Rating <select id="rating"><option>Fully meets</option><option>Highly meets</option></select></label></p>
<p><label>Comment <textarea id="comment" rows="4" cols="50"></textarea></label></p>
<button id="submit">Submit</button>
</body></html>`;

// The rules of sql/010_tasks.sql, for the expected result: events in
// client-time order to finished tasks [{number, raw, paused, active}].
function replay(events) {
  const tasks = [];
  let cur = null;
  for (const e of [...events].sort((a, b) => a.t - b.t)) {
    if (e.type === 'NEXT' && !cur) { cur = { n: 1, start: e.t, paused: 0, since: null }; continue; }
    const paused = cur.paused + (cur.since ? e.t - cur.since : 0);
    if (e.type === 'PAUSE') {
      if (cur.since) { cur.paused = paused; cur.since = null; } else cur.since = e.t;
    } else if (e.type === 'NEXT' || e.type === 'EXIT') {
      tasks.push({ number: cur.n, start: cur.start, raw: e.t - cur.start, paused,
        active: e.t - cur.start - paused });
      cur = e.type === 'EXIT' ? null : { n: cur.n + 1, start: e.t, paused: 0, since: null };
    } else if (e.type === 'UNDO') {
      const prev = tasks.pop();
      cur = { n: prev.number, start: prev.start, paused: prev.paused + cur.paused, since: cur.since };
    }
  }
  return tasks;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('the task widget: a session with clicks and keys, a reload, three events offline', async (t) => {
  execFileSync(join(STATE, 'app', 'bin', 'wtctl'),
    ['--config', join(STATE, 'worktime.conf'), 'create-user', '--email', email,
     '--name', 'Widget Person 漢字'], { input: password + '\n', encoding: 'utf8' });
  const uid = sql(`SELECT id FROM users WHERE email = '${email}'`);
  assert.ok(uid, 'the person exists');

  const { browser, context } = await launch();
  t.after(() => browser.close());
  // The test page is "on the internet" and the server on loopback:
  // Chromium asks the person once (Local Network Access); here it is
  // granted up front, as the person would.
  await context.grantPermissions(['local-network-access'], { origin: ORIGIN });
  await context.route(`${ORIGIN}/**`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: PAGE }));
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // Every event the widget sent, once per id, with the time it carries.
  const sent = new Map();
  page.on('request', (req) => {
    if (req.url() === `${BASE}/api/v1/task-events` && req.method() === 'POST') {
      const ev = JSON.parse(req.postData());
      sent.set(ev.id, { type: ev.type, t: Date.parse(ev.at) });
    }
  });

  const w = (sel) => page.locator(`#worktime-widget ${sel}`);
  async function open() {
    await page.goto(`${ORIGIN}/task/1`);
    await page.addScriptTag({ content: WIDGET });
    await w('.box').waitFor();
  }
  async function settled() {
    await page.waitForFunction(() =>
      JSON.parse(localStorage.getItem('worktime.widget.queue') || '[]').length === 0);
    await w('.net.on').waitFor();
  }
  const count = () => w('.count').innerText();

  await t.test('signing in from the settings', async () => {
    await open();
    assert.match(await w('.net').innerText(), /not signed in/);
    await w('.gear').click();
    await w('.signin [name=server]').fill(BASE);
    await w('.signin [name=email]').fill(email);
    await w('.signin [name=password]').fill('wrong-password-here');
    await w('.signin button').click();
    await page.waitForFunction(() => /./.test(document.querySelector('#worktime-widget')
      .shadowRoot.querySelector('.settings-msg').textContent) &&
      !/Signing in/.test(document.querySelector('#worktime-widget').shadowRoot
        .querySelector('.settings-msg').textContent));
    assert.doesNotMatch(await w('.settings-msg').innerText(), /Cannot reach/, 'the server answered');
    await shot(page, 'tasks-01-signin-refused');
    await w('.signin [name=password]').fill(password);
    await w('.signin button').click();
    await w('.main').waitFor();
    assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) =>
      /password/i.test(localStorage.getItem(k))).length), 0, 'the password is stored nowhere');
    assert.match(await count(), /NEXT starts a session/);
  });

  await t.test('NEXT, PAUSE and resume with keys, a key in a text field does nothing', async () => {
    await w('button[data-type=NEXT]').click();
    await settled();
    assert.equal(await count(), 'Task 1 · 0 done');
    await sleep(1100);
    await page.keyboard.press('Alt+Shift+KeyP');
    await w('.state:text("paused")').waitFor();
    await sleep(1000);
    await page.keyboard.press('Alt+Shift+KeyP');
    await w('.state:text("running")').waitFor();
    await page.click('#comment');
    await page.keyboard.type('Looks right, é 漢字');
    await page.keyboard.press('Alt+Shift+KeyN');
    await page.keyboard.press('Alt+Shift+KeyX');
    await sleep(300);
    assert.equal(await count(), 'Task 1 · 0 done', 'no event while typing');
    assert.match(await page.inputValue('#comment'), /Looks right, é 漢字/);
    await page.click('h1');
    await sleep(800);
    await w('button[data-type=NEXT]').click();
    await settled();
    assert.equal(await count(), 'Task 2 · 1 done');
    assert.match(await w('.pace').innerText(), /min\/task/);
    await shot(page, 'tasks-02-running');
  });

  await t.test('a reload in the middle keeps the session', async () => {
    await sleep(1000);
    await page.reload();
    await page.addScriptTag({ content: WIDGET });
    await w('.box').waitFor();
    await page.waitForFunction(() => /Task 2/.test(document.querySelector('#worktime-widget')
      .shadowRoot.querySelector('.count').textContent));
    assert.equal(await count(), 'Task 2 · 1 done');
    assert.equal(await w('.state').innerText(), 'running');
  });

  await t.test('three events with the network cut are kept and sent in order', async () => {
    await page.route(`${BASE}/**`, (route) => route.abort('internetdisconnected'));
    await w('button[data-type=NEXT]').click();
    await sleep(1000);
    await page.keyboard.press('Alt+Shift+KeyP');
    await sleep(1000);
    await w('button[data-type=PAUSE]').click();
    await w('.net.off').waitFor();
    assert.match(await w('.net').innerText(), /Offline: 3 events waiting/);
    assert.equal(await count(), 'Task 3 · 2 done', 'counted on the overlay already');
    const q = await page.evaluate(() => JSON.parse(localStorage.getItem('worktime.widget.queue')));
    assert.deepEqual(q.map((e) => e.type), ['NEXT', 'PAUSE', 'PAUSE'], 'queued in order');
    assert.ok(q.every((e) => e.id && e.at), 'with their ids and times');
    await shot(page, 'tasks-03-offline');
    await page.unroute(`${BASE}/**`);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await settled();
    assert.equal(sql(`SELECT count(*) FROM task_events WHERE user_id = ${uid}`), '7',
      'all seven events stored once');
  });

  await t.test('NEXT, UNDO and EXIT end the session', async () => {
    await sleep(1000);
    await w('button[data-type=NEXT]').click();
    await settled();
    assert.equal(await count(), 'Task 4 · 3 done');
    await sleep(1000);
    await page.keyboard.press('Alt+Shift+KeyU');
    await settled();
    assert.equal(await count(), 'Task 3 · 2 done', 'UNDO: task 3 continues');
    await sleep(1000);
    await w('button[data-type=EXIT]').click();
    await settled();
    assert.match(await count(), /NEXT starts a session/);
    await shot(page, 'tasks-04-ended');
  });

  await t.test('/sessions/ID shows the tasks and totals the events make', async () => {
    const events = [...sent.values()];
    assert.equal(events.length, 10, 'ten events');
    const expected = replay(events);
    assert.equal(expected.length, 3, 'three tasks');
    const sid = sql(`SELECT id FROM task_sessions WHERE user_id = ${uid}`);
    const signin = await context.newPage();
    await signin.goto(`${BASE}/login`);
    await signin.fill('#f-email', email);
    await signin.fill('#f-password', password);
    await signin.click('button[type=submit]');
    await signin.waitForURL(`${BASE}/`);
    const api = await signin.request.get(`${BASE}/sessions/${sid}.json`);
    const got = await api.json();
    assert.deepEqual(got.tasks.map((x) => [x.number, x.raw_ms, x.paused_ms, x.active_ms]),
      expected.map((x) => [x.number, x.raw, x.paused, x.active]), 'each task to the millisecond');
    const active = expected.reduce((s, x) => s + x.active, 0);
    const paused = expected.reduce((s, x) => s + x.paused, 0);
    assert.deepEqual([got.session.tasks, got.session.active_ms, got.session.paused_ms,
      got.session.state, got.session.end_reason], [3, active, paused, 'ended', 'exit'],
      'the totals');
    await signin.setViewportSize({ width: 1280, height: 900 });
    await signin.goto(`${BASE}/sessions/${sid}`);
    const rows = await signin.locator('#tasks tbody tr').evaluateAll((trs) =>
      trs.map((tr) => tr.dataset.task));
    assert.deepEqual(rows, ['1', '2', '3'], 'the page lists tasks 1 to 3');
    const clock = (ms) => { const s = Math.round(ms / 1000); return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`; };
    const actives = await signin.locator('#tasks tbody td[data-label=Active]').allInnerTexts();
    assert.deepEqual(actives, expected.map((x) => clock(x.active)), 'with their active times');
    assert.equal(await signin.locator('[data-k=tasks]').innerText(), '3');
    await shot(signin, 'tasks-05-session-1280');
    await signin.setViewportSize({ width: 390, height: 844 });
    await shot(signin, 'tasks-06-session-390');
    await signin.setViewportSize({ width: 1280, height: 900 });
    await signin.goto(`${BASE}/sessions`);
    assert.match(await signin.locator('table.data').innerText(), new RegExp(`Session ${sid}`));
    await shot(signin, 'tasks-07-sessions');
    await signin.goto(`${BASE}/sessions/today`);
    assert.equal(await signin.locator('svg.hourbars rect').count() >= 23, true, 'an hour bar each hour');
    await shot(signin, 'tasks-08-today');
    await signin.goto(`${BASE}/widget`);
    const href = await signin.locator('#install').getAttribute('href');
    const script = await signin.request.get(`${BASE}${href}`);
    assert.match(script.headers()['content-type'], /javascript/);
    assert.match(await script.text(), /==UserScript==/);
    await shot(signin, 'tasks-09-install');
  });

  await t.test('the widget can be dragged and stays where it was left', async () => {
    const bar = w('.bar');
    const before = await w('.box').boundingBox();
    const b = await bar.boundingBox();
    await page.mouse.move(b.x + 30, b.y + 10);
    await page.mouse.down();
    await page.mouse.move(200, 150, { steps: 5 });
    await page.mouse.up();
    const after = await w('.box').boundingBox();
    assert.ok(Math.abs(after.x - 170) < 3 && Math.abs(after.y - 140) < 3,
      `moved from ${before.x},${before.y} to ${after.x},${after.y}`);
    await page.reload();
    await page.addScriptTag({ content: WIDGET });
    await w('.box').waitFor();
    const kept = await w('.box').boundingBox();
    assert.ok(Math.abs(kept.x - after.x) < 2 && Math.abs(kept.y - after.y) < 2, 'kept');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, 'tasks-10-widget-390');
    assert.deepEqual(errors, [], 'no script errors');
  });
});
