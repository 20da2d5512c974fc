// ==UserScript==
// @name         Worktime task timer
// @namespace    https://github.com/worktime
// @version      1.0.0
// @description  Times each task you do (NEXT / PAUSE / UNDO / EXIT) into your Worktime server, with a small overlay on the page you work in.
// @match        https://www.raterhub.com/*
// @match        https://raterhub.com/*
// @grant        GM_getValue
// @grant        GM_setValue
// @grant        GM_deleteValue
// @run-at       document-idle
// @noframes
// ==/UserScript==
//
// Edit the @match lines above to the pages you work on (one line per site;
// see https://www.tampermonkey.net/documentation.php#meta:match).  The
// Worktime server must list that site's origin in its cors.origins setting
// (README "Task sessions").
//
// What it does:
//   - a small overlay you can drag anywhere (the position is kept): the
//     running task's active time, its number and how many are done, your
//     pace against the session's target with an emoji, and four buttons;
//   - keyboard shortcuts Alt+Shift+N (NEXT), Alt+Shift+P (PAUSE / resume),
//     Alt+Shift+U (UNDO), Alt+Shift+X (EXIT), which never fire while you
//     type in a field;
//   - each event gets its own id and the time you pressed, and goes into a
//     queue in this site's localStorage first; the queue is sent in order,
//     so nothing is lost while the server cannot be reached (the overlay
//     says so, with how many wait) and nothing is counted twice;
//   - you sign in once in its settings (⚙): the password is sent to the
//     server and never stored; the widget keeps the access token and the
//     refresh token it gets back and renews them before they expire.
(function () {
  'use strict';

  const NS = 'worktime.widget.';
  const QUEUE_KEY = NS + 'queue';
  const STATE_KEY = NS + 'state';
  const SCALE = [   // pace / target; the server's scale (cgi/dash/tasks_pace.c)
    [0.80, '🚀', 'well ahead of the target'],
    [1.00, '😀', 'on target'],
    [1.15, '🙂', 'close to the target'],
    [1.35, '😐', 'behind the target'],
    [1.60, '😟', 'well behind the target'],
    [Infinity, '🐢', 'far behind the target'],
  ];

  // --- storage --------------------------------------------------------------
  // Settings and tokens in the userscript manager's storage when there is
  // one (the page's own scripts cannot read it); the queue and the state
  // in the page's localStorage, shared by every tab of the site.
  const hasGM = typeof GM_getValue === 'function' && typeof GM_setValue === 'function';
  const secret = {
    get(k, d) {
      try {
        if (hasGM) return GM_getValue(NS + k, d);
        const v = localStorage.getItem(NS + k);
        return v === null ? d : JSON.parse(v);
      } catch (e) { return d; }
    },
    set(k, v) {
      if (hasGM) GM_setValue(NS + k, v);
      else localStorage.setItem(NS + k, JSON.stringify(v));
    },
    del(k) {
      if (hasGM && typeof GM_deleteValue === 'function') GM_deleteValue(NS + k);
      else localStorage.removeItem(NS + k);
    },
  };
  function load(key, d) {
    try { const v = localStorage.getItem(key); return v === null ? d : JSON.parse(v); }
    catch (e) { return d; }
  }
  function save(key, v) { localStorage.setItem(key, JSON.stringify(v)); }

  // --- the model, mirrored locally ---------------------------------------------
  // The server decides; this mirror applies the same rules to events not
  // yet sent, so the timer and the count are right while offline.
  // s: {id, task, started (ms), pausedMs, pausedSince (ms|null), done,
  //     doneActive, target, history: [{started, pausedMs, active}]}
  let state = load(STATE_KEY, { session: null, target: 5.5 });
  let queue = load(QUEUE_KEY, []);
  let online = true, message = '', busy = false, retryMs = 1000, retryTimer = null;

  function invalid(s, type) {
    if (!s && type !== 'NEXT') return type + ' needs an open session; NEXT starts one';
    if (s && type === 'UNDO' && s.task <= 1) return 'there is nothing to undo: this is the first task';
    return null;
  }

  function pausedUntil(s, t) { return s.pausedMs + (s.pausedSince ? t - s.pausedSince : 0); }

  function apply(type, t) {
    const s = state.session;
    if (!s) {
      state.session = { id: null, task: 1, started: t, pausedMs: 0, pausedSince: null,
        done: 0, doneActive: 0, target: state.targetOverride || state.target, history: [] };
      return;
    }
    if (type === 'PAUSE') {
      if (s.pausedSince) { s.pausedMs += t - s.pausedSince; s.pausedSince = null; }
      else s.pausedSince = t;
    } else if (type === 'NEXT' || type === 'EXIT') {
      const paused = pausedUntil(s, t), active = Math.max(0, t - s.started - paused);
      s.history.push({ started: s.started, pausedMs: paused, active });
      if (s.history.length > 50) s.history.shift();
      s.done += 1;
      s.doneActive += active;
      if (type === 'EXIT') { state.session = null; return; }
      s.task += 1; s.started = t; s.pausedMs = 0; s.pausedSince = null;
    } else if (type === 'UNDO') {
      const prev = s.history.pop();
      s.task -= 1;
      s.done = Math.max(0, s.done - 1);
      if (prev) {
        s.doneActive = Math.max(0, s.doneActive - prev.active);
        s.started = prev.started;
        s.pausedMs = prev.pausedMs + s.pausedMs;
      }
    }
  }

  // The server's state (GET current, or an event's answer) replaces the
  // mirror when nothing waits to be sent.
  function fromServer(srv, target) {
    if (target) state.target = target;
    if (queue.length) return;
    if (!srv || srv.state === 'ended') { state.session = null; save(STATE_KEY, state); return; }
    const old = state.session && state.session.id === srv.id ? state.session : null;
    const s = {
      id: srv.id, task: srv.task, started: Date.parse(srv.task_started_at),
      pausedMs: srv.task_paused_ms, pausedSince: srv.paused_since ? Date.parse(srv.paused_since) : null,
      done: srv.tasks_done, doneActive: srv.done_active_ms, target: srv.target_pace_min,
      history: old ? old.history.slice(0, Math.max(0, srv.task - 1)) : [],
    };
    state.session = s;
    save(STATE_KEY, state);
  }

  // --- the server ----------------------------------------------------------------
  function server() { return (secret.get('server', '') || '').replace(/\/+$/, ''); }

  async function call(method, path, body, auth) {
    const headers = { Accept: 'application/json' };
    if (body) headers['Content-Type'] = 'application/json';
    if (auth) headers.Authorization = 'Bearer ' + secret.get('access', '');
    const r = await fetch(server() + path, { method, headers, mode: 'cors',
      credentials: 'omit', cache: 'no-store', body: body ? JSON.stringify(body) : undefined });
    let json = null;
    try { json = await r.json(); } catch (e) { /* an answer without JSON */ }
    return { status: r.status, json, retryAfter: Number(r.headers.get('Retry-After')) || 0 };
  }

  let refreshing = null;
  // A new access token with the refresh token; false when signed out.
  function refresh() {
    if (refreshing) return refreshing;
    refreshing = (async () => {
      for (let attempt = 0; attempt < 2; attempt++) {
        const token = secret.get('refresh', '');
        if (!token) return false;
        const a = await call('POST', '/api/v1/token/refresh', { refresh_token: token });
        if (a.status === 200) { keepTokens(a.json); return true; }
        if (a.status === 401 && /just used/.test((a.json && a.json.message) || '') &&
            secret.get('refresh', '') !== token) continue;   // another tab refreshed
        if (a.status === 401) {
          if (/just used/.test((a.json && a.json.message) || '')) {
            await new Promise((r) => setTimeout(r, 500));
            continue;
          }
          secret.del('access'); secret.del('refresh');
          message = 'Signed out: ' + ((a.json && a.json.message) || 'sign in again') + ' (⚙)';
          return false;
        }
        throw new Error('refresh answered ' + a.status);
      }
      return false;
    })().finally(() => { refreshing = null; });
    return refreshing;
  }

  function keepTokens(j) {
    secret.set('access', j.access_token);
    if (j.refresh_token) secret.set('refresh', j.refresh_token);
    secret.set('expires', Date.now() + j.expires_in * 1000);
  }

  // A bearer call, refreshing the token first when it is about to expire
  // and once more after a 401.
  async function authed(method, path, body) {
    if (!secret.get('refresh', '') && !secret.get('access', '')) return { status: 401, json: null };
    if (Date.now() > secret.get('expires', 0) - 60000 && !(await refresh()))
      return { status: 401, json: null };
    let a = await call(method, path, body, true);
    if (a.status === 401 && await refresh()) a = await call(method, path, body, true);
    return a;
  }

  function offline(retryAfter) {
    online = false;
    clearTimeout(retryTimer);
    retryTimer = setTimeout(flush, Math.max(retryMs, retryAfter * 1000));
    retryMs = Math.min(retryMs * 2, 30000);
    render();
  }

  // Sends the queue, oldest first, one at a time; stops at the first
  // event that cannot be sent now and tries again later.
  async function flush() {
    if (busy) return;
    busy = true;
    try {
      while (true) {
        queue = load(QUEUE_KEY, []);   // another tab may have sent some
        if (!queue.length) break;
        const ev = queue[0];
        let a;
        try {
          a = await authed('POST', '/api/v1/task-events', ev);
        } catch (e) { offline(0); return; }
        if (a.status === 401) { online = true; render(); return; }   // sign in again
        if (a.status >= 500 || a.status === 429 || a.status === 0) { offline(a.retryAfter); return; }
        queue = load(QUEUE_KEY, []).filter((q) => q.id !== ev.id);
        save(QUEUE_KEY, queue);
        online = true; retryMs = 1000;
        if (a.status === 200) {
          fromServer(a.json.session, 0);
        } else {
          // Refused (409: not where its time puts it; 400): never resent.
          message = ev.type + ' was not counted: ' + ((a.json && a.json.message) || a.status);
          if (!queue.length) await sync();
        }
        render();
      }
    } finally { busy = false; }
  }

  async function sync() {
    if (queue.length || !server()) return;
    try {
      const a = await authed('GET', '/api/v1/task-sessions/current');
      if (a.status === 200) { online = true; fromServer(a.json.session, a.json.target_pace_min); }
      else if (a.status >= 500 || a.status === 0) online = false;
    } catch (e) { online = false; }
    render();
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  }

  function press(type) {
    const why = invalid(state.session, type);
    if (why) { message = why; render(); return; }
    const t = Date.now();
    const ev = { id: uuid(), type, at: new Date(t).toISOString() };
    if (type === 'NEXT' && !state.session && state.targetOverride)
      ev.target_pace_min = state.targetOverride;
    apply(type, t);
    queue = load(QUEUE_KEY, []);
    queue.push(ev);
    save(QUEUE_KEY, queue);
    save(STATE_KEY, state);
    message = '';
    render();
    flush();
  }

  // --- the overlay -----------------------------------------------------------------
  const host = document.createElement('div');
  host.id = 'worktime-widget';
  const root = host.attachShadow({ mode: 'open' });
  root.innerHTML = `
<style>
  :host { all: initial; }
  .box { position: fixed; z-index: 2147483647; width: 15.5rem; font: 14px/1.35 system-ui, sans-serif;
    color: #1c2b33; background: #fff; border: 1px solid #b0bec5; border-radius: 8px;
    box-shadow: 0 4px 16px rgba(0,0,0,.18); user-select: none; }
  .bar { display: flex; align-items: center; gap: .4rem; padding: .35rem .5rem; cursor: move;
    background: #2e7d5b; color: #fff; border-radius: 7px 7px 0 0; touch-action: none; }
  .bar b { flex: 1; font-weight: 600; }
  .bar button { all: unset; cursor: pointer; padding: 0 .2rem; }
  .bar button:focus-visible { outline: 2px solid #fff; }
  .body { padding: .5rem .6rem; }
  .timer { font: 600 1.9rem/1.1 ui-monospace, monospace; }
  .row { display: flex; justify-content: space-between; gap: .5rem; }
  .muted { color: #546e7a; font-size: 12px; }
  .net { font-size: 12px; padding: .15rem .35rem; border-radius: 4px; margin-top: .3rem; }
  .net.off { background: #fdecea; color: #8a1c12; }
  .net.on { color: #2e7d5b; }
  .msg { font-size: 12px; color: #8a1c12; margin-top: .3rem; }
  .buttons { display: grid; grid-template-columns: repeat(4, 1fr); gap: .3rem; margin-top: .5rem; }
  .buttons button { font: 600 12px system-ui, sans-serif; padding: .45rem 0; border-radius: 5px;
    border: 1px solid #2e7d5b; background: #fff; color: #2e7d5b; cursor: pointer; }
  .buttons button.next { background: #2e7d5b; color: #fff; }
  .buttons button:disabled { opacity: .45; cursor: default; }
  .buttons button:focus-visible { outline: 2px solid #1c2b33; outline-offset: 1px; }
  form { display: grid; gap: .35rem; margin-top: .3rem; }
  label { font-size: 12px; color: #37474f; display: grid; gap: .1rem; }
  input { font: 13px system-ui, sans-serif; padding: .3rem; border: 1px solid #78909c; border-radius: 4px; }
  form button { font: 600 12px system-ui, sans-serif; padding: .4rem; border-radius: 5px;
    border: 1px solid #2e7d5b; background: #2e7d5b; color: #fff; cursor: pointer; }
  form button.plain { background: #fff; color: #2e7d5b; }
  [hidden] { display: none !important; }
</style>
<div class="box" role="region" aria-label="Worktime task timer">
  <div class="bar"><b>Worktime</b><span class="state" aria-live="polite"></span>
    <button class="gear" title="Settings" aria-label="Settings">⚙</button></div>
  <div class="body main">
    <div class="row"><span class="timer" aria-label="Active time of this task">0:00</span>
      <span class="pace" title=""></span></div>
    <div class="row muted"><span class="count"></span><span class="target"></span></div>
    <div class="buttons">
      <button class="next" data-type="NEXT" title="NEXT (Alt+Shift+N)">NEXT</button>
      <button data-type="PAUSE" title="PAUSE / resume (Alt+Shift+P)">PAUSE</button>
      <button data-type="UNDO" title="UNDO the last NEXT (Alt+Shift+U)">UNDO</button>
      <button data-type="EXIT" title="EXIT: end the session (Alt+Shift+X)">EXIT</button>
    </div>
    <div class="net" aria-live="polite"></div>
    <div class="msg" role="alert"></div>
  </div>
  <div class="body settings" hidden>
    <form class="signin">
      <label>Worktime server <input name="server" type="url" placeholder="https://worktime.example.org" required></label>
      <label>E-mail <input name="email" type="email" autocomplete="username" required></label>
      <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
      <label>Target for new sessions, minutes per task (empty: your profile's) <input name="target" inputmode="decimal"></label>
      <button type="submit">Sign in</button>
    </form>
    <div class="signedin" hidden>
      <p class="muted who"></p>
      <form class="prefs"><label>Target for new sessions, minutes per task (empty: your profile's) <input name="target" inputmode="decimal"></label>
        <button type="submit">Save</button></form>
      <form class="signout"><button type="submit" class="plain">Sign out</button></form>
    </div>
    <div class="msg settings-msg" role="alert"></div>
  </div>
</div>`;
  const $ = (sel) => root.querySelector(sel);
  const box = $('.box');

  function clock(ms) {
    const s = Math.max(0, Math.round(ms / 1000));
    const h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, ss = String(s % 60).padStart(2, '0');
    return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
  }

  function pace(s) {
    if (!s || !s.done) return null;
    const min = s.doneActive / s.done / 60000, ratio = min / (s.target || 5.5);
    const step = SCALE.find((x) => ratio <= x[0] + 1e-6);
    return { min, ratio, emoji: step[1], words: step[2] };
  }

  function render() {
    const s = state.session, now = Date.now();
    $('.state').textContent = !s ? 'no session' : s.pausedSince ? 'paused' : 'running';
    $('.timer').textContent = s ? clock(now - s.started - pausedUntil(s, now)) : '0:00';
    $('.count').textContent = s ? `Task ${s.task} · ${s.done} done` : 'NEXT starts a session';
    $('.target').textContent = `target ${s ? s.target : state.target} min`;
    const p = pace(s);
    $('.pace').textContent = p ? `${p.emoji} ${p.min.toFixed(1)} min/task` : '';
    $('.pace').title = p ? `${Math.round(p.ratio * 100)}% of the target: ${p.words}` : '';
    $('.pace').dataset.emoji = p ? p.emoji : '';
    root.querySelector('[data-type=PAUSE]').textContent = s && s.pausedSince ? 'RESUME' : 'PAUSE';
    for (const t of ['PAUSE', 'UNDO', 'EXIT'])
      root.querySelector(`[data-type=${t}]`).disabled = !!invalid(s, t);
    const signedIn = !!secret.get('refresh', '') || !!secret.get('access', '');
    const net = $('.net');
    if (!server() || !signedIn) {
      net.className = 'net off';
      net.textContent = (queue.length ? `${queue.length} waiting to be sent; ` : '') +
        'not signed in: open ⚙';
    } else if (!online) {
      net.className = 'net off';
      net.textContent = `Offline: ${queue.length} event${queue.length === 1 ? '' : 's'} waiting, sent when the server answers`;
    } else {
      net.className = 'net on';
      net.textContent = queue.length ? `Sending ${queue.length}…` : 'Saved';
    }
    $('.msg').textContent = message;
    $('.signin').hidden = signedIn;
    $('.signedin').hidden = !signedIn;
    $('.who').textContent = signedIn ? `Signed in to ${server()} as ${secret.get('email', '')}` : '';
  }

  // Buttons, settings.
  root.querySelectorAll('.buttons button').forEach((b) =>
    b.addEventListener('click', () => press(b.dataset.type)));
  $('.gear').addEventListener('click', () => {
    const main = $('.main'), set = $('.settings');
    set.hidden = !set.hidden;
    main.hidden = !set.hidden;
    if (!set.hidden) {
      $('.signin [name=server]').value = server();
      $('.signin [name=email]').value = secret.get('email', '');
      root.querySelectorAll('[name=target]').forEach((i) => { i.value = state.targetOverride || ''; });
    }
  });
  function parseTarget(v) {
    v = (v || '').trim().replace(',', '.');
    if (!v) return null;
    const n = Number(v);
    return Number.isFinite(n) && n >= 0.1 && n <= 1440 ? Math.round(n * 100) / 100 : NaN;
  }
  $('.signin').addEventListener('submit', async (e) => {
    e.preventDefault();
    const f = e.target, msg = $('.settings-msg');
    const target = parseTarget(f.target.value);
    if (Number.isNaN(target)) { msg.textContent = 'The target is a number of minutes from 0.1 to 1440'; return; }
    const url = f.server.value.trim().replace(/\/+$/, '');
    if (!/^https:\/\/[^/\s]+$/.test(url)) { msg.textContent = 'The server is an https:// address, like https://worktime.example.org'; return; }
    secret.set('server', url);
    msg.textContent = 'Signing in…';
    try {
      const a = await call('POST', '/api/v1/token',
        { email: f.email.value.trim(), password: f.password.value, refresh: true });
      f.password.value = '';
      if (a.status !== 200) { msg.textContent = (a.json && a.json.message) || `The server answered ${a.status}`; return; }
      keepTokens(a.json);
      secret.set('email', f.email.value.trim());
      state.targetOverride = target;
      save(STATE_KEY, state);
      msg.textContent = '';
      $('.gear').click();
      online = true;
      await flush();
      await sync();
    } catch (err) {
      msg.textContent = `Cannot reach ${url}: is the address right, and does the server list this site in cors.origins?`;
    }
    render();
  });
  $('.prefs').addEventListener('submit', (e) => {
    e.preventDefault();
    const target = parseTarget(e.target.target.value);
    if (Number.isNaN(target)) { $('.settings-msg').textContent = 'The target is a number of minutes from 0.1 to 1440'; return; }
    state.targetOverride = target;
    save(STATE_KEY, state);
    $('.settings-msg').textContent = 'Saved: new sessions start with ' + (target ? target + ' min' : "your profile's target");
  });
  $('.signout').addEventListener('submit', async (e) => {
    e.preventDefault();
    const token = secret.get('refresh', '');
    try { if (token) await call('POST', '/api/v1/token/revoke', { refresh_token: token }); }
    catch (err) { /* signed out here either way */ }
    secret.del('access'); secret.del('refresh'); secret.del('expires');
    render();
  });

  // Keyboard: never while the person types in a field.
  function typing(el) {
    for (; el; el = el.parentElement || (el.getRootNode && el.getRootNode().host)) {
      if (el.isContentEditable) return true;
      const tag = el.tagName;
      if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
      if (tag === 'INPUT' && !/^(button|submit|reset|checkbox|radio|range|color|file|image)$/i.test(el.type))
        return true;
      if (el === document.documentElement) break;
    }
    return false;
  }
  const KEYS = { KeyN: 'NEXT', KeyP: 'PAUSE', KeyU: 'UNDO', KeyX: 'EXIT' };
  window.addEventListener('keydown', (e) => {
    if (!e.altKey || !e.shiftKey || e.ctrlKey || e.metaKey || !KEYS[e.code] || e.repeat) return;
    const active = e.composedPath ? e.composedPath()[0] : e.target;
    if (typing(active) || typing(document.activeElement)) return;
    e.preventDefault();
    e.stopPropagation();
    press(KEYS[e.code]);
  }, true);

  // Dragging by the title bar; the position is kept.
  const pos = load(NS + 'pos', null);
  function place(x, y) {
    const w = box.offsetWidth || 250, h = box.offsetHeight || 160;
    x = Math.min(Math.max(0, x), window.innerWidth - w);
    y = Math.min(Math.max(0, y), window.innerHeight - h);
    box.style.left = x + 'px';
    box.style.top = y + 'px';
    return { x, y };
  }
  $('.bar').addEventListener('pointerdown', (e) => {
    if (e.target.closest('button')) return;
    const r = box.getBoundingClientRect(), dx = e.clientX - r.left, dy = e.clientY - r.top;
    const bar = $('.bar');
    bar.setPointerCapture(e.pointerId);
    const move = (m) => place(m.clientX - dx, m.clientY - dy);
    const up = (u) => {
      bar.removeEventListener('pointermove', move);
      bar.removeEventListener('pointerup', up);
      save(NS + 'pos', place(u.clientX - dx, u.clientY - dy));
    };
    bar.addEventListener('pointermove', move);
    bar.addEventListener('pointerup', up);
  });

  (document.body || document.documentElement).appendChild(host);
  if (pos) place(pos.x, pos.y);
  else place(window.innerWidth - 270, 16);
  // Kept inside the window when it shrinks or the overlay grows (the
  // settings are taller than the timer).
  const keepInside = () => { const r = box.getBoundingClientRect(); place(r.left, r.top); };
  window.addEventListener('resize', keepInside);
  if (window.ResizeObserver) new ResizeObserver(keepInside).observe(box);
  window.addEventListener('online', () => { retryMs = 1000; flush(); });
  window.addEventListener('storage', (e) => {
    if (e.key === QUEUE_KEY) queue = load(QUEUE_KEY, []);
    if (e.key === STATE_KEY) state = load(STATE_KEY, state);
    render();
  });
  // Tokens renewed before they expire, while the page is open.
  setInterval(() => {
    if (secret.get('refresh', '') && Date.now() > secret.get('expires', 0) - 120000)
      refresh().then(render, () => {});
  }, 30000);
  setInterval(render, 500);
  render();
  if (queue.length) flush(); else sync();
})();
