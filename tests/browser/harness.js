// harness.js: what the browser tests share: a real ncpd on a free loopback
// port with a temporary database, Debian's chromium driven by playwright-core
// (never a downloaded browser), signed API calls from the test itself, and a
// test wrapper that keeps screenshots of failing tests.
//
// Environment: NCPD_BIN (default <repo>/build/ncpd), CHROMIUM (default
// /usr/bin/chromium), NCPD_BROWSER_KEEP=1 keeps every test's folder.
import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { chromium } from 'playwright-core';

const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(HERE, '..', '..');
export const BIN = process.env.NCPD_BIN || join(REPO, 'build', 'ncpd');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const ACCESS_KEY = 'BROWSERACCESSKEY0001';
export const SECRET_KEY = 'BROWSERSECRETKEY000000000000000000000001';
const MASTER_KEY = 'browser-master-key-0123456789abcdef';

// Flags that keep chromium off the network (this machine has none) and quiet.
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

export async function waitFor(fn, { timeout = 10000, interval = 50, what = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${last})`);
    await sleep(interval);
  }
}

// ---- ncpd ------------------------------------------------------------------

export class Daemon {
  constructor(dir, { stepMs = 800, fixture = 'seed', args = [], env = {} } = {}) {
    this.dir = dir;
    this.db = join(dir, 'ncpd.db');
    this.stepMs = stepMs;
    this.fixture = fixture;
    this.args = args;
    this.extraEnv = env;
    this.log = [];
  }

  env() {
    const e = { ...process.env, NCPD_ACCESS_KEY: ACCESS_KEY, NCPD_SECRET_KEY: SECRET_KEY, NCPD_MASTER_KEY: MASTER_KEY, ...this.extraEnv };
    for (const k of ['NCPD_LISTEN', 'NCPD_DB', 'NCPD_SIM_STEP_MS', 'NCPD_FIXTURE', 'NCPD_ADMIN_TOKEN', 'NCPD_CONSOLE_IDLE']) if (!(k in this.extraEnv)) delete e[k];
    return e;
  }

  async start() {
    if (!existsSync(BIN)) throw new Error(`ncpd binary not found at ${BIN} (set NCPD_BIN)`);
    this.port = await freePort();
    this.base = `http://127.0.0.1:${this.port}`;
    const args = ['--listen', `127.0.0.1:${this.port}`, '--db', this.db, '--sim-step-ms', String(this.stepMs), '--log-requests', ...this.args];
    if (this.fixture) args.push('--fixture', this.fixture);
    this.proc = spawn(BIN, args, { env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (d) => { this.log.push(d.toString()); if (this.log.length > 2000) this.log.shift(); };
    this.proc.stdout.on('data', keep);
    this.proc.stderr.on('data', keep);
    await waitFor(async () => {
      if (this.proc.exitCode !== null) throw new Error(`ncpd exited: ${this.log.join('')}`);
      const r = await fetch(`${this.base}/_ncpd/health`);
      return r.ok;
    }, { timeout: 10000, what: 'ncpd health' });
    return this;
  }

  async stop() {
    if (!this.proc || this.proc.exitCode !== null) return;
    const done = new Promise((r) => this.proc.once('exit', r));
    this.proc.kill('SIGKILL');
    await done;
  }

  cli(...args) {
    const r = spawnSync(BIN, [...args, '--db', this.db], { env: this.env(), encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ncpd ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  }

  // ncpd account create NAME -> {accessKey, secretKey}
  createAccount(name) {
    const kv = Object.fromEntries(this.cli('account', 'create', name).trim().split('\n').map((l) => l.split('=')));
    return { accessKey: kv.access_key, secretKey: kv.secret_key };
  }

  // A signed request (protocol.md §8), GET with the parameters in the query.
  // `apiName`: server (classic), vserver or vpc.
  async api(action, params = {}, { accessKey = ACCESS_KEY, secretKey = SECRET_KEY, apiName = 'server' } = {}) {
    const q = new URLSearchParams({ responseFormatType: 'json', ...params }).toString().replace(/\+/g, '%20');
    const uri = `/${apiName}/v2/${action}?${q}`;
    const ts = String(Date.now());
    const sig = createHmac('sha256', secretKey).update(`GET ${uri}\n${ts}\n${accessKey}`).digest('base64');
    const r = await fetch(this.base + uri, { headers: { 'x-ncp-apigw-timestamp': ts, 'x-ncp-iam-access-key': accessKey, 'x-ncp-apigw-signature-v2': sig } });
    const body = await r.json();
    return { status: r.status, body, inner: body[`${action}Response`] };
  }

  // (status, operation) of one server by the signed API, or null when gone.
  async state(no, keys) {
    const r = await this.api('getServerInstanceList', { 'serverInstanceNoList.1': no }, keys);
    const s = r.inner && r.inner.serverInstanceList.find((x) => x.serverInstanceNo === no);
    return s ? `${s.serverInstanceStatus.code}/${s.serverInstanceOperation.code}` : null;
  }
}

// ---- chromium ----------------------------------------------------------------

let browserPromise = null;

// One chromium per test file. playwright-core starts it with a fresh
// temporary --user-data-dir of its own (it refuses that flag in `args`);
// every test then gets a new, empty browser context.
export function browser() {
  if (!browserPromise) {
    browserPromise = chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  }
  return browserPromise;
}

export async function closeBrowser() {
  if (browserPromise) {
    const b = await browserPromise;
    browserPromise = null;
    await b.close();
  }
}

// ---- the test wrapper -----------------------------------------------------------

// consoleTest(name, async ({page, daemon, context, shot, dir}) => ..., options)
// options: {daemon: Daemon options, viewport}. Each test has its own folder
// (database, screenshots); it is removed when the test passes and kept, with
// its path printed, when it fails.
export function consoleTest(name, fn, options = {}) {
  test(name, { timeout: options.timeout || 60000 }, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'ncpd-browser-'));
    const daemon = new Daemon(dir, options.daemon);
    let context = null;
    let page = null;
    let n = 0;
    const shot = async (label, p = page) => {
      n += 1;
      const file = join(dir, `${String(n).padStart(2, '0')}-${label}.png`);
      await p.screenshot({ path: file, fullPage: true });
      return file;
    };
    let failed = true;
    try {
      await daemon.start();
      const b = await browser();
      context = await b.newContext({ viewport: options.viewport || { width: 1280, height: 800 }, acceptDownloads: true });
      page = await context.newPage();
      const pageErrors = [];
      page.on('pageerror', (e) => pageErrors.push(e));
      await fn({ page, context, daemon, shot, dir, t });
      if (pageErrors.length) throw new Error(`uncaught error in the page: ${pageErrors[0].stack || pageErrors[0]}`);
      await shot('end');
      failed = false;
    } catch (e) {
      if (page) await shot('failure').catch(() => {});
      throw new Error(`${e.stack || e}\n  screenshots and database kept in ${dir}\n  ncpd log tail:\n${daemon.log.join('').slice(-3000)}`);
    } finally {
      if (context) await context.close().catch(() => {});
      await daemon.stop();
      if (!failed && !process.env.NCPD_BROWSER_KEEP) rmSync(dir, { recursive: true, force: true });
      else t.diagnostic(`kept ${dir}`);
    }
  });
}

// Signs in through the form.
export async function signIn(page, daemon, { accessKey = ACCESS_KEY, secretKey = SECRET_KEY } = {}) {
  await page.goto(`${daemon.base}/console/`);
  await page.getByLabel('Access key', { exact: true }).fill(accessKey);
  await page.getByLabel('Secret key', { exact: true }).fill(secretKey);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

export const row = (page, no) => page.locator(`tr[data-key="${no}"]`);
export const cell = (page, no, col) => row(page, no).locator(`[data-col="${col}"]`);
