// Shared set-up for the browser tests: Debian's Chromium driven by
// playwright-core, against the instance ./stack test started (WT_BASE).
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { watchContext, audit, settle } from './axe.mjs';

export { audit };

export const BASE = process.env.WT_BASE;
export const STATE = process.env.WT_STATE;
const ROOT = process.env.WT_ROOT;
export const OUT = join(dirname(fileURLToPath(import.meta.url)), 'out');
mkdirSync(OUT, { recursive: true });

export async function launch() {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--no-first-run',
           '--disable-quic'],
  });
  // The instance's certificate is self-signed; the API tests verify it
  // with curl, here we only need the browser to accept it.
  // Every context the test makes, this one or later ones, runs axe on
  // each page it loads (see axe.mjs); closing the browser reports what
  // was still pending.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => watchContext(await newContext(options), options);
  const close = browser.close.bind(browser);
  browser.close = async () => {
    try {
      for (const c of browser.contexts()) for (const p of c.pages()) await settle(p);
    } finally {
      await close();
    }
  };
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  return { browser, context };
}

// SQL as the database owner, through ./stack psql.
export function sql(statement) {
  return execFileSync(join(ROOT, 'stack'), ['psql', '-qAt', '-c', statement],
    { encoding: 'utf8', env: process.env }).trim();
}

// A screenshot is taken of a state worth seeing, so that state is
// checked by axe too (menus opened, errors shown, a narrow viewport).
export async function shot(page, name) {
  await audit(page);
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
}

// The newest message to `to` in the mail directory, waiting for it:
// mail is written just after the HTTP answer.
export async function mailTo(to, after = 0) {
  const dir = join(STATE, 'mail');
  for (let i = 0; i < 50; i++) {
    const files = readdirSync(dir).filter((f) => f.endsWith('.eml'))
      .map((f) => join(dir, f))
      .filter((f) => statSync(f).mtimeMs >= after)
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      if (text.includes(`\r\nTo: ${to}\r\n`)) return text;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail to ${to}`);
}

export function linkIn(mail) {
  const m = mail.match(/https:\/\/\S+/);
  if (!m) throw new Error('no link in the mail');
  return m[0];
}
