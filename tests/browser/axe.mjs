// axe-core over every page the browser tests load: the launch() helper
// hands every context to watchContext(), which injects axe into each
// document and runs it after each load; shot() runs it again on the
// state being photographed.  A serious or critical violation fails the
// test at its next action on that page (or when the browser closes).
//
// Why actions wait: an audit started at "load" races with the test's
// next click, which may leave the page before axe is done.  So the
// actions that change or leave a page first wait for that page's
// pending audit; no page is skipped, and the result does not depend on
// timing.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// Page -> { pending, failures }.
const states = new WeakMap();
// Contexts made with javaScriptEnabled: false.  axe cannot run there (its
// queue waits on timers, which never fire), and those tests check that a
// page is complete without script: the same HTML, audited where script
// runs.
const noScript = new WeakSet();
const TIMEOUT_MS = 30000;

// What the tests do to a page (or a locator) that can change or leave it.
const ACTIONS = ['goto', 'reload', 'goBack', 'goForward', 'setContent', 'close',
  'click', 'dblclick', 'tap', 'fill', 'clear', 'type', 'press', 'pressSequentially',
  'check', 'uncheck', 'setChecked', 'selectOption', 'setInputFiles', 'dispatchEvent',
  'dragTo', 'addScriptTag', 'setViewportSize'];

function guard(proto, pageOf) {
  if (Object.prototype.hasOwnProperty.call(proto, '__axeGuarded')) return;
  Object.defineProperty(proto, '__axeGuarded', { value: true });
  for (const name of ACTIONS) {
    const orig = proto[name];
    if (typeof orig !== 'function') continue;
    proto[name] = async function guarded(...args) {
      await settle(pageOf(this));
      return orig.apply(this, args);
    };
  }
}

// Runs in the page: the violations that fail a test, described.
async function inPage() {
  if (!window.axe) return { missing: true };
  const r = await window.axe.run(document, { resultTypes: ['violations'] });
  return {
    violations: r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 6).map((n) => `${n.target.join(' ')}: ` +
          (n.failureSummary || '').replace(/\s+/g, ' ').trim()),
      })),
  };
}

async function run(page, st) {
  if (page.isClosed()) return;
  const url = page.url();
  if (!/^https?:/.test(url)) return;
  let found;
  try {
    // The frame's evaluate, not the page's: a page method would wait for
    // this very audit.
    let timer;
    found = await Promise.race([
      page.mainFrame().evaluate(inPage),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      }),
    ]).finally(() => clearTimeout(timer));
  } catch (e) {
    // The page went away on its own (closed, or navigated by itself);
    // its next load is audited.
    if (page.isClosed() || /destroyed|navigat|closed/i.test(e.message)) return;
    st.failures.push(`${url}: axe did not run: ${e.message}`);
    return;
  }
  if (process.env.WT_AXE_VERBOSE) {
    console.log(`axe: ${url}: ${found.missing ? 'not injected' : `${found.violations.length} failing rule(s)`}`);
  }
  if (found.missing) {
    st.failures.push(`${url}: axe was not injected`);
    return;
  }
  for (const v of found.violations) {
    st.failures.push(`${url}: ${v.impact} ${v.id} (${v.help})\n    ` + v.nodes.join('\n    '));
  }
}

function watchPage(page) {
  if (states.has(page) || noScript.has(page.context())) return;
  const st = { pending: Promise.resolve(), failures: [] };
  states.set(page, st);
  guard(Object.getPrototypeOf(page), (p) => p);
  guard(Object.getPrototypeOf(page.locator('html')), (l) => l.page());
  page.on('load', () => { st.pending = st.pending.then(() => run(page, st)); });
}

export async function watchContext(context, options = {}) {
  if (options.javaScriptEnabled === false) {
    noScript.add(context);
    return context;
  }
  await context.addInitScript({ content: AXE });
  context.on('page', watchPage);
  for (const p of context.pages()) watchPage(p);
  return context;
}

// Waits for the page's pending audits; throws what they found.
export async function settle(page) {
  const st = states.get(page);
  if (!st) return;
  await st.pending;
  if (st.failures.length) {
    const f = [...new Set(st.failures.splice(0))];
    throw new Error(`axe: ${f.length} serious or critical violation(s):\n  ${f.join('\n  ')}`);
  }
}

// Audits the page as it is now.
export async function audit(page) {
  watchPage(page);
  const st = states.get(page);
  if (!st) return;
  st.pending = st.pending.then(() => run(page, st));
  await settle(page);
}
