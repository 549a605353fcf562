// screenshot.js: regenerates the README's picture of the servers page
// (docs/console-servers.png): ncpd with the seed fixture, a few more servers,
// one of them stopping. Not a test.
//   cd tests/browser && NCPD_BIN=../../build/ncpd node screenshot.js ../../docs/console-servers.png
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Daemon, browser, closeBrowser, signIn, row, cell, waitFor } from './harness.js';

const out = resolve(process.argv[2] || 'console-servers.png');
const dir = mkdtempSync(join(tmpdir(), 'ncpd-shot-'));
let d = new Daemon(dir, { stepMs: 0 });
try {
  // three more servers, running at once (step 0) ...
  await d.start();
  await d.api('createServerInstances', { serverImageProductCode: 'SPSW0LINUX000046', serverProductCode: 'SPSVRSTAND000004', serverName: 'api', serverCreateCount: '3', zoneNo: '2' });
  await waitFor(async () => (await d.api('getServerInstanceList', { serverInstanceStatusCode: 'RUN' })).inner.totalRows === 5);
  await d.stop();
  // ... then slow transitions, so that the picture catches one
  d = new Daemon(dir, { stepMs: 60000 });
  await d.start();
  const b = await browser();
  const ctx = await b.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  await signIn(page, d);
  await row(page, '1021003').waitFor();
  await row(page, '1021004').getByRole('button', { name: 'Stop', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Stop', exact: true }).click();
  await waitFor(async () => (await cell(page, '1021004', 'operation').textContent()) === 'SHTDN');
  await page.mouse.move(0, 0);
  await page.screenshot({ path: out });
  await ctx.close();
  console.log(`wrote ${out}`);
} finally {
  await closeBrowser();
  await d.stop();
  rmSync(dir, { recursive: true, force: true });
}
