// console.test.js: the web console in a real browser (Debian's chromium,
// driven by playwright-core), against a real ncpd with the seed fixture.
// Run: make browser (or: cd tests/browser && NCPD_BIN=... node --test).
import assert from 'node:assert/strict';
import { after } from 'node:test';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  consoleTest, signIn, closeBrowser, row, cell, waitFor, sleep, ACCESS_KEY, SECRET_KEY, REPO, BIN,
} from './harness.js';

after(closeBrowser);

const SEED = '1021003';

// Waits until the locator's text is `want` (exact, trimmed).
async function expectText(locator, want, timeout = 10000) {
  await waitFor(async () => (await locator.textContent()).trim() === want, { timeout, what: `text "${want}"` });
}

async function alertText(page) {
  const alert = page.getByRole('alert').first();
  await alert.waitFor({ timeout: 10000 });
  return (await alert.textContent()).trim();
}

// Records every (status/operation) a server's row shows, from inside the page.
async function recordStates(page, no) {
  await page.evaluate((n) => {
    window.__seen = [];
    const rec = () => {
      const tr = document.querySelector(`tr[data-key="${n}"]`);
      const v = tr ? `${tr.querySelector('[data-col=status]').textContent}/${tr.querySelector('[data-col=operation]').textContent}` : 'gone';
      if (window.__seen[window.__seen.length - 1] !== v) window.__seen.push(v);
    };
    new MutationObserver(rec).observe(document.body, { subtree: true, childList: true, characterData: true });
    rec();
  }, no);
}

async function seenUntil(page, last, timeout = 15000) {
  return waitFor(async () => {
    const seen = await page.evaluate(() => window.__seen);
    return seen[seen.length - 1] === last ? seen : null;
  }, { timeout, what: `row to show ${last}` });
}

// A session API call from the signed-in page itself (same origin, its cookie and token).
async function pageApi(page, action, params) {
  return page.evaluate(async ([a, p]) => {
    const s = await (await fetch('api/session')).json();
    const r = await fetch(`api/server/v2/${a}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-CSRF-Token': s.csrfToken },
      body: new URLSearchParams({ responseFormatType: 'json', ...p }).toString(),
    });
    return { status: r.status, body: await r.json() };
  }, [action, params]);
}

consoleTest('sign in with good keys lists the seed server 1021003; the secret is not kept', async ({ page, context, daemon, shot }) => {
  await page.goto(`${daemon.base}/console/`);
  await page.getByLabel('Access key', { exact: true }).waitFor();
  await shot('signin');
  await signIn(page, daemon);
  await row(page, SEED).waitFor();
  await expectText(cell(page, SEED, 'serverName'), 's1669aa4e78c');
  await expectText(cell(page, SEED, 'status'), 'RUN');
  await expectText(cell(page, SEED, 'operation'), 'NULL');
  await expectText(cell(page, SEED, 'statusName'), 'running');
  await expectText(cell(page, SEED, 'privateIp'), '10.41.3.81');
  await expectText(cell(page, SEED, 'publicIp'), '106.10.46.237');
  await expectText(cell(page, SEED, 'zone'), 'KR-2');
  await expectText(cell(page, SEED, 'spec'), '2 vCPU, 4 GB');
  await expectText(cell(page, SEED, 'serverImageName'), 'tensorflow-centos-7.3-64');
  await expectText(cell(page, SEED, 'created'), '2018-10-22 16:19');
  assert.equal(await page.locator('tbody tr').count(), 4);
  await shot('servers');

  const cookies = await context.cookies();
  const c = cookies.find((x) => x.name === 'ncpd_console');
  assert.ok(c, 'session cookie set');
  assert.equal(c.httpOnly, true);
  assert.equal(c.sameSite, 'Strict');
  assert.equal(c.secure, false); // plain http here; Secure under TLS (unit test)
  assert.equal(c.path, '/console/');
  // the page cannot read the cookie and kept no copy of the secret
  const kept = await page.evaluate(() => [document.cookie, JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage }), document.documentElement.outerHTML].join('\n'));
  assert.ok(!kept.includes(SECRET_KEY), 'secret key found in the page or its storage');
  assert.ok(!kept.includes(c.value), 'session id readable by the page');
  assert.equal(await page.getByLabel('Secret key').count(), 0);

  // a reload keeps the session (the cookie), with no second sign-in
  await page.reload();
  await row(page, SEED).waitFor();
  assert.equal(await page.getByLabel('Secret key').count(), 0);
});

consoleTest('sign in with bad keys is refused with an alert', async ({ page, context, daemon, shot }) => {
  await signIn(page, daemon, { secretKey: 'not-the-secret' });
  const text = await alertText(page);
  assert.match(text, /^200\b/);
  assert.match(text, /Invalid authentication information/);
  await shot('bad-secret');
  await signIn(page, daemon, { accessKey: 'NOSUCHACCESSKEY00001' });
  assert.match(await alertText(page), /Invalid authentication information/);
  assert.equal(await page.getByLabel('Access key', { exact: true }).count(), 1, 'still on the sign-in form');
  assert.equal(await page.locator('tbody tr').count(), 0);
  assert.equal((await context.cookies()).length, 0);
});

consoleTest('a disabled key cannot sign in, and disabling a key ends its sessions', async ({ page, context, daemon, shot }) => {
  const team = daemon.createAccount('disabled-team');
  daemon.cli('account', 'disable-key', team.accessKey);
  await signIn(page, daemon, team);
  assert.match(await alertText(page), /Invalid authentication information/);
  assert.equal((await context.cookies()).length, 0);
  await shot('disabled-refused');

  // signed in with the bootstrap key, which is then disabled: the next refresh ends the session
  await page.reload();
  await signIn(page, daemon);
  await row(page, SEED).waitFor();
  daemon.cli('account', 'disable-key', ACCESS_KEY);
  await page.getByRole('button', { name: 'Refresh', exact: true }).click();
  await page.getByLabel('Access key', { exact: true }).waitFor();
  assert.match(await alertText(page), /session has ended/);
});

consoleTest('Stop asks for confirmation, then the row passes RUN/SHTDN to NSTOP without a reload; Start brings it back', async ({ page, daemon, shot }) => {
  await signIn(page, daemon);
  await row(page, SEED).waitFor();
  const r = row(page, SEED);
  const button = (name) => r.getByRole('button', { name, exact: true });
  assert.equal(await button('Stop').isEnabled(), true);
  assert.equal(await button('Reboot').isEnabled(), true);
  assert.equal(await button('Start').isEnabled(), false);
  assert.equal(await button('Terminate').isEnabled(), false);
  await page.evaluate(() => { window.__sameDocument = 42; });

  // Cancel stops nothing
  await button('Stop').click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /s1669aa4e78c \(1021003\)/);
  await shot('confirm-stop');
  await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  await sleep(300);
  assert.equal(await daemon.state(SEED), 'RUN/NULL');

  await recordStates(page, SEED);
  await button('Stop').click();
  await page.getByRole('dialog').getByRole('button', { name: 'Stop', exact: true }).click();
  await expectText(cell(page, SEED, 'operation'), 'SHTDN');
  await shot('shutting-down');
  const seen = await seenUntil(page, 'NSTOP/NULL');
  assert.deepEqual(seen, ['RUN/NULL', 'RUN/SHTDN', 'NSTOP/NULL']);
  await expectText(cell(page, SEED, 'statusName'), 'stopped');
  assert.equal(await page.evaluate(() => window.__sameDocument), 42, 'the page was reloaded');
  assert.equal(await daemon.state(SEED), 'NSTOP/NULL');
  assert.equal(await button('Stop').isEnabled(), false);
  assert.equal(await button('Start').isEnabled(), true);
  assert.equal(await button('Terminate').isEnabled(), true);
  await shot('stopped');

  // Start needs no confirmation
  await recordStates(page, SEED);
  await button('Start').click();
  const seen2 = await seenUntil(page, 'RUN/NULL');
  assert.deepEqual(seen2, ['NSTOP/NULL', 'NSTOP/START', 'RUN/NULL']);
  assert.equal(await page.getByRole('dialog').count(), 0);
  assert.equal(await daemon.state(SEED), 'RUN/NULL');
  assert.equal(await page.evaluate(() => window.__sameDocument), 42);
}, { daemon: { stepMs: 1500 } });

consoleTest('an API error (28005, already stopped) is shown with its code and message in an alert', async ({ page, daemon, shot }) => {
  await signIn(page, daemon);
  await row(page, '1021004').waitFor();
  // the page's copy goes stale: auto-refresh off, the server stopped behind its back
  await page.getByLabel('Auto-refresh').uncheck();
  const r = await daemon.api('stopServerInstances', { 'serverInstanceNoList.1': '1021004' });
  assert.equal(r.status, 200);
  await waitFor(async () => (await daemon.state('1021004')) === 'NSTOP/NULL', { what: 'NSTOP by the API' });
  await expectText(cell(page, '1021004', 'status'), 'RUN');
  await row(page, '1021004').getByRole('button', { name: 'Stop', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Stop', exact: true }).click();
  const text = await alertText(page);
  assert.match(text, /^28005\b/);
  assert.match(text, /already suspended/);
  // the list is read again after an error
  await expectText(cell(page, '1021004', 'status'), 'NSTOP');
  await shot('alert-28005');
}, { daemon: { stepMs: 200 } });

consoleTest('create a server from the form; its row appears and moves to RUN by itself', async ({ page, daemon, shot }) => {
  await signIn(page, daemon);
  await row(page, SEED).waitFor();
  await page.getByRole('link', { name: 'Create server', exact: true }).click();
  const form = page.locator('form.create-server');
  await form.waitFor();
  // filled from the catalogue and the account
  await waitFor(async () => (await page.getByLabel('Spec').locator('option').count()) > 0, { what: 'specs' });
  await page.getByLabel('Image').selectOption('SPSW0LINUX000046');
  await page.getByLabel('Zone').selectOption('2');
  await waitFor(async () => (await page.getByLabel('Spec').locator('option[value="SPSVRSTAND000004"]').count()) === 1, { what: 'specs of the image' });
  await page.getByLabel('Spec').selectOption('SPSVRSTAND000004');
  assert.deepEqual(await page.getByLabel('Login key').locator('option').allTextContents(), ['juhoon-kim']);
  assert.equal(await page.getByLabel('ncloud-default-acg (39995)').isChecked(), true);
  await page.getByLabel('Name').fill('web-console-1');
  await page.getByLabel('Count').fill('2');
  await page.getByLabel('Termination protection').check();
  await page.getByLabel('User data').fill('#!/bin/sh\necho hello from the console\n');
  await shot('form');
  await page.getByRole('button', { name: 'Create', exact: true }).click();

  await waitFor(async () => (await page.locator('tbody tr').count()) === 6, { what: 'two new rows' });
  await shot('creating');
  const nos = await page.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.dataset.key, tr.querySelector('[data-col=serverName]').textContent]));
  const created = nos.filter(([, name]) => name.startsWith('web-console-1'));
  assert.deepEqual(created.map(([, n]) => n).sort(), ['web-console-1-001', 'web-console-1-002']);
  for (const [no] of created) {
    await expectText(cell(page, no, 'status'), 'RUN', 20000);
    await expectText(cell(page, no, 'operation'), 'NULL', 20000);
    // protected: Terminate stays disabled even once stopped
    assert.equal(await row(page, no).getByRole('button', { name: 'Terminate', exact: true }).isEnabled(), false);
  }
  await shot('running');
  // what the API has: the form's choices, user data decoded
  const r = await daemon.api('getServerInstanceList', { 'serverInstanceNoList.1': created[0][0] });
  const s = r.inner.serverInstanceList[0];
  assert.equal(s.serverImageProductCode, 'SPSW0LINUX000046');
  assert.equal(s.serverProductCode, 'SPSVRSTAND000004');
  assert.equal(s.zone.zoneNo, '2');
  assert.equal(s.loginKeyName, 'juhoon-kim');
  assert.equal(s.isProtectServerTermination, true);
  assert.equal(s.userData, '#!/bin/sh\necho hello from the console\n');
  assert.deepEqual(s.accessControlGroupList.map((g) => g.accessControlGroupConfigurationNo), ['39995']);
}, { daemon: { stepMs: 600 } });

consoleTest('Terminate asks for confirmation and the row disappears; protected servers cannot be terminated', async ({ page, daemon, shot }) => {
  const p = await daemon.api('setProtectServerTermination', { serverInstanceNo: '1021006', isProtectServerTermination: 'true' });
  assert.equal(p.status, 200);
  await signIn(page, daemon);
  await row(page, '1021005').waitFor();
  const protectedTerminate = row(page, '1021006').getByRole('button', { name: 'Terminate', exact: true });
  assert.equal(await protectedTerminate.isEnabled(), false);
  assert.equal(await protectedTerminate.getAttribute('title'), 'Termination protection is on.');

  await recordStates(page, '1021005');
  await row(page, '1021005').getByRole('button', { name: 'Terminate', exact: true }).click();
  const dialog = page.getByRole('dialog');
  assert.match(await dialog.textContent(), /web-02 \(1021005\)/);
  await shot('confirm-terminate');
  await dialog.getByRole('button', { name: 'Terminate', exact: true }).click();
  const seen = await seenUntil(page, 'gone');
  assert.deepEqual(seen, ['NSTOP/NULL', 'NSTOP/TERMT', 'gone']);
  assert.equal(await row(page, '1021005').count(), 0);
  assert.equal(await daemon.state('1021005'), null);
  await shot('terminated');
}, { daemon: { stepMs: 1000 } });

consoleTest('sign out ends the session on the server: the old cookie is refused', async ({ page, context, daemon, shot }) => {
  await signIn(page, daemon);
  await row(page, SEED).waitFor();
  const cookie = (await context.cookies()).find((c) => c.name === 'ncpd_console').value;
  const csrf = await page.evaluate(async () => (await (await fetch('api/session')).json()).csrfToken);
  const replay = () => fetch(`${daemon.base}/console/api/server/v2/getServerInstanceList`, {
    method: 'POST',
    headers: { Cookie: `ncpd_console=${cookie}`, 'X-CSRF-Token': csrf, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'responseFormatType=json',
  });
  assert.equal((await replay()).status, 200);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.getByLabel('Access key', { exact: true }).waitFor();
  await shot('signed-out');
  assert.equal((await context.cookies()).filter((c) => c.name === 'ncpd_console').length, 0);
  const r = await replay();
  assert.equal(r.status, 401);
  assert.equal((await r.json()).error.errorCode, '200');
  await page.reload();
  await page.getByLabel('Access key', { exact: true }).waitFor();
});

consoleTest("another account sees none of the first account's servers", async ({ page, daemon, shot }) => {
  const other = daemon.createAccount('other-team');
  await signIn(page, daemon, other);
  await page.getByText('No servers match.').waitFor();
  assert.equal(await page.locator('tbody tr').count(), 0);
  await shot('no-servers');
  const list = await pageApi(page, 'getServerInstanceList', { 'serverInstanceNoList.1': SEED });
  assert.equal(list.status, 200);
  assert.equal(list.body.getServerInstanceListResponse.totalRows, 0);
  const stop = await pageApi(page, 'stopServerInstances', { 'serverInstanceNoList.1': SEED });
  assert.notEqual(stop.status, 200);
  assert.ok(stop.body.responseError, JSON.stringify(stop.body));
  assert.equal(await daemon.state(SEED), 'RUN/NULL');
  // nor its login keys or access control groups
  await page.getByRole('link', { name: 'Login keys', exact: true }).click();
  await page.getByText('No login keys.').waitFor();
  await page.getByRole('link', { name: 'Access control groups', exact: true }).click();
  await page.locator('tbody tr').first().waitFor();
  const groups = await page.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.key));
  assert.equal(groups.length, 1);
  assert.notEqual(groups[0], '39995');
});

consoleTest('a forged cross-site POST is refused and changes nothing', async ({ page, context, daemon, shot }) => {
  await signIn(page, daemon);
  await row(page, SEED).waitFor();
  // the attacker's page, on another site (127.0.0.2 is another origin and site)
  const target = `${daemon.base}/console/api/server/v2/stopServerInstances`;
  const evil = createServer((req, res) => {
    res.setHeader('Content-Type', 'text/html');
    res.end(`<!doctype html><title>free prizes</title>
<form id="f" method="POST" action="${target}">
<input name="serverInstanceNoList.1" value="${SEED}"><input name="responseFormatType" value="json"></form>
<script>
fetch(${JSON.stringify(target)}, {method: 'POST', mode: 'no-cors', credentials: 'include',
  headers: {'Content-Type': 'application/x-www-form-urlencoded'}, body: 'serverInstanceNoList.1=1021004'})
  .finally(() => document.getElementById('f').submit());
</script>`);
  });
  await new Promise((res) => evil.listen(0, '127.0.0.2', res));
  try {
    const statuses = [];
    context.on('response', (resp) => { if (resp.url() === target) statuses.push(resp.status()); });
    const attacker = await context.newPage();
    await attacker.goto(`http://127.0.0.2:${evil.address().port}/`);
    await waitFor(() => statuses.length >= 2, { what: 'both forged requests answered' });
    assert.deepEqual(statuses, [403, 403]);
    await attacker.waitForLoadState();
    await shot('forged', attacker);
    assert.match(await attacker.content(), /Cross-site requests to the console are refused/);
    await attacker.close();
  } finally {
    evil.close();
  }
  await sleep(300);
  assert.equal(await daemon.state(SEED), 'RUN/NULL');
  assert.equal(await daemon.state('1021004'), 'RUN/NULL');
  assert.match(daemon.log.join(''), /console=refused path=\/console\/api\/server\/v2\/stopServerInstances/);
  // the victim's own session still works
  await page.getByRole('button', { name: 'Refresh', exact: true }).click();
  await expectText(cell(page, SEED, 'status'), 'RUN');
});

consoleTest('show request: each action as an ncpctl command and a signed curl line that work', async ({ page, daemon, shot }) => {
  await signIn(page, daemon);
  await row(page, '1021004').waitFor();
  await page.getByLabel('Show requests').check();
  const panel = page.getByRole('complementary', { name: 'Requests' });
  await panel.waitFor();
  await row(page, '1021004').getByRole('button', { name: 'Stop', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Stop', exact: true }).click();
  const entry = panel.locator('li[data-action="stopServerInstances"]');
  await entry.waitFor();
  assert.equal((await entry.locator('code.ncpctl').textContent()), 'ncpctl server stopServerInstances --serverInstanceNoList 1021004');
  assert.equal((await entry.locator('code.curl').textContent()),
    "scripts/ncp-curl -X POST '/server/v2/stopServerInstances?serverInstanceNoList.1=1021004&responseFormatType=json'");
  await shot('requests');
  // the list request, run for real as shown, with the set-up line's variables
  const listEntry = panel.locator('li[data-action="getServerInstanceList"]').first();
  const env = {
    ...process.env,
    PATH: `${join(BIN, '..')}:${process.env.PATH}`,
    NCLOUD_API_GW: daemon.base,
    NCLOUD_ACCESS_KEY_ID: ACCESS_KEY,
    NCLOUD_SECRET_ACCESS_KEY: SECRET_KEY,
    HOME: daemon.dir,
  };
  assert.equal(await panel.locator('#requests-env').textContent(),
    `export NCLOUD_API_GW=${daemon.base} NCLOUD_ACCESS_KEY_ID=${ACCESS_KEY} NCLOUD_SECRET_ACCESS_KEY=...`);
  for (const kind of ['curl', 'ncpctl']) {
    const line = await listEntry.locator(`code.${kind}`).textContent();
    const r = spawnSync('sh', ['-c', line], { cwd: REPO, env, encoding: 'utf8', timeout: 15000 });
    assert.equal(r.status, 0, `${line}: ${r.stderr}`);
    const out = JSON.parse(r.stdout);
    const inner = out.getServerInstanceListResponse || out;
    assert.ok(JSON.stringify(inner).includes('"1021004"'), `${kind} output lacks 1021004`);
  }
}, { daemon: { stepMs: 30000 } });

consoleTest('login keys: the private key is offered once as a download, then the key is deleted; ACG rules', async ({ page, daemon, shot }) => {
  await signIn(page, daemon);
  await row(page, SEED).waitFor();
  await page.getByRole('link', { name: 'Login keys', exact: true }).click();
  await row(page, 'juhoon-kim').waitFor();
  await page.getByLabel('Key name').fill('console-key');
  await page.getByRole('button', { name: 'Create login key', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await shot('private-key');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByRole('link', { name: 'Download console-key.pem' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'console-key.pem');
  const pem = readFileSync(await download.path(), 'utf8');
  assert.match(pem, /^-----BEGIN (RSA )?PRIVATE KEY-----/);
  await dialog.getByRole('button', { name: 'Done', exact: true }).click();
  await row(page, 'console-key').waitFor();
  assert.ok(!(await page.content()).includes(pem.split('\n')[1]), 'private key still in the page');

  await row(page, 'console-key').getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
  await row(page, 'console-key').waitFor({ state: 'detached' });
  const keys = await daemon.api('getLoginKeyList');
  assert.deepEqual(keys.inner.loginKeyList.map((k) => k.keyName), ['juhoon-kim']);

  await page.getByRole('link', { name: 'Access control groups', exact: true }).click();
  await row(page, '39995').getByRole('link', { name: 'ncloud-default-acg' }).click();
  await page.getByRole('heading', { name: 'Access control group 39995' }).waitFor();
  const rules = page.locator('section[data-list="acg-rules"] tbody tr');
  await waitFor(async () => (await rules.count()) === 3, { what: 'three rules' });
  assert.deepEqual(await rules.locator('[data-col=destinationPort]').allTextContents(), ['22', '3389', '80']);
  const members = page.locator('section[data-list="acg-servers"] tbody tr');
  await waitFor(async () => (await members.count()) === 4, { what: 'four servers in the group' });
  await shot('acg');
});

consoleTest('filters and paging on the server side', async ({ page, daemon, shot }) => {
  // 44 more servers (20 + 20 + 4) besides the seed's four
  for (const [name, n] of [['bulk-a', 20], ['bulk-b', 20], ['bulk-c', 4]]) {
    const r = await daemon.api('createServerInstances', { serverImageProductCode: 'SPSW0LINUX000046', serverName: name, serverCreateCount: String(n) });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  }
  await signIn(page, daemon);
  const info = page.locator('.pager .page-info');
  await expectText(info, 'Page 1 of 3 · 48 servers');
  assert.equal(await page.locator('tbody tr').count(), 20);
  const first = await page.locator('tbody tr').first().getAttribute('data-key');
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await expectText(info, 'Page 2 of 3 · 48 servers');
  assert.notEqual(await page.locator('tbody tr').first().getAttribute('data-key'), first);
  await page.getByLabel('Rows per page').selectOption('50');
  await expectText(info, 'Page 1 of 1 · 48 servers');
  assert.equal(await page.locator('tbody tr').count(), 48);

  await page.getByLabel('Name').fill('bulk-c');
  await expectText(info, 'Page 1 of 1 · 4 servers');
  await page.getByLabel('Name').fill('');
  await page.getByLabel('Status').selectOption('NSTOP');
  await expectText(info, 'Page 1 of 1 · 2 servers');
  assert.deepEqual((await page.locator('tbody tr').evaluateAll((t) => t.map((x) => x.dataset.key))).sort(), ['1021005', '1021006']);
  await page.getByLabel('Name').fill('web');
  await expectText(info, 'Page 1 of 1 · 1 server');
  await shot('filtered');
}, { daemon: { stepMs: 0 } });

consoleTest('keyboard only, at phone width', async ({ page, daemon, shot }) => {
  await page.goto(`${daemon.base}/console/`);
  const ak = page.getByLabel('Access key', { exact: true });
  await ak.waitFor();
  assert.equal(await ak.evaluate((el) => el === document.activeElement), true, 'Access key focused first');
  await page.keyboard.type(ACCESS_KEY);
  await page.keyboard.press('Tab');
  await page.keyboard.type(SECRET_KEY);
  await page.keyboard.press('Enter');
  await row(page, '1021004').waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page wider than the screen by ${overflow}px`);
  await shot('phone');

  // Stop from the keyboard: Escape cancels, then Tab to the confirming button
  const stop = row(page, '1021004').getByRole('button', { name: 'Stop', exact: true });
  await stop.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('dialog').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Cancel');
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  assert.equal(await daemon.state('1021004'), 'RUN/NULL');
  await stop.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('dialog').waitFor();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Stop');
  await shot('phone-dialog');
  await page.keyboard.press('Enter');
  await waitFor(async () => (await daemon.state('1021004')) !== 'RUN/NULL', { what: 'stop by keyboard' });
  await expectText(cell(page, '1021004', 'status'), 'NSTOP');
}, { viewport: { width: 390, height: 844 }, daemon: { stepMs: 300 } });

// issue 11: the classic resources' pages
consoleTest('block storage: create from the form, the row attaches by itself, Detach and Delete with confirmation', async ({ page, daemon, shot }) => {
  await signIn(page, daemon);
  await row(page, SEED).waitFor();
  await page.getByRole('link', { name: 'Block storage', exact: true }).click();
  await row(page, '1021103').waitFor();
  // boot disks are listed; they are neither detached nor deleted from here
  await expectText(cell(page, '1021103', 'type'), 'BASIC');
  for (const name of ['Detach', 'Delete']) {
    assert.equal(await row(page, '1021103').getByRole('button', { name, exact: true }).isEnabled(), false);
  }
  await page.getByLabel('Server No.').fill('1021006');
  await page.getByLabel('Size (GB)').fill('10');
  await page.getByLabel('Disk name').fill('console-disk');
  await page.getByRole('button', { name: 'Create block storage', exact: true }).click();
  const created = await waitFor(async () => {
    const keys = await page.locator('tbody tr').evaluateAll((trs) => trs.filter((tr) => tr.textContent.includes('console-disk')).map((tr) => tr.dataset.key));
    return keys.length === 1 ? keys[0] : null;
  }, { what: 'the new disk row' });
  await recordStates(page, created);
  const seen = await seenUntil(page, 'ATTAC/NULL', 20000);
  assert.equal(seen[seen.length - 1], 'ATTAC/NULL');
  assert.ok(seen.every((s) => ['INIT/NULL', 'CREAT/ATTAC', 'ATTAC/NULL'].includes(s)), seen.join(' '));
  await expectText(cell(page, created, 'server'), 'db-01 (1021006)');
  await shot('disk-attached');

  await recordStates(page, created);
  await row(page, created).getByRole('button', { name: 'Detach', exact: true }).click();
  const dialog = page.getByRole('dialog');
  assert.match(await dialog.textContent(), /db-01/);
  await dialog.getByRole('button', { name: 'Detach', exact: true }).click();
  const seen2 = await seenUntil(page, 'CREAT/NULL', 20000);
  assert.ok(seen2.includes('CREAT/NULL'));
  await expectText(cell(page, created, 'server'), '');

  await row(page, created).getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
  await row(page, created).waitFor({ state: 'detached', timeout: 20000 });
  const r = await daemon.api('getBlockStorageInstanceList', { 'blockStorageTypeCodeList.1': 'SVRBS' });
  assert.equal(r.inner.totalRows, 0);
}, { daemon: { stepMs: 400 } });

consoleTest('public IPs: the seed IP is disassociated (row follows to CREAT) then deleted; a new one associated from the form', async ({ page, daemon, shot }) => {
  await signIn(page, daemon);
  await row(page, SEED).waitFor();
  await page.getByRole('link', { name: 'Public IPs', exact: true }).click();
  await row(page, '1021203').waitFor();
  await expectText(cell(page, '1021203', 'server'), 's1669aa4e78c (1021003)');
  // an associated IP cannot be deleted
  assert.equal(await row(page, '1021203').getByRole('button', { name: 'Delete', exact: true }).isEnabled(), false);
  await recordStates(page, '1021203');
  await row(page, '1021203').getByRole('button', { name: 'Disassociate', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Disassociate', exact: true }).click();
  const seen = await seenUntil(page, 'CREAT/NULL', 20000);
  assert.ok(seen.every((s) => ['USED/NULL', 'USED/DISUS', 'CREAT/NULL'].includes(s)), seen.join(' '));
  await expectText(cell(page, '1021203', 'server'), '');
  await shot('ip-free');
  await row(page, '1021203').getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
  await row(page, '1021203').waitFor({ state: 'detached' });

  await page.getByLabel('Server No.').fill('1021006');
  await page.getByLabel('Description').fill('from the console');
  await page.getByRole('button', { name: 'Create public IP', exact: true }).click();
  const created = await waitFor(async () => {
    const keys = await page.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.key));
    return keys.length === 1 ? keys[0] : null;
  }, { what: 'the new IP row' });
  await expectText(cell(page, created, 'status'), 'USED', 20000);
  await expectText(cell(page, created, 'server'), 'db-01 (1021006)');
  const s = await daemon.api('getServerInstanceList', { 'serverInstanceNoList.1': '1021006' });
  assert.match(s.inner.serverInstanceList[0].publicIp, /^49\.236\./);
}, { daemon: { stepMs: 400 } });

consoleTest('port forwarding: add a rule from the form, the server shows its ports, delete it', async ({ page, daemon, shot }) => {
  await signIn(page, daemon);
  await row(page, SEED).waitFor();
  await page.getByRole('link', { name: 'Port forwarding', exact: true }).click();
  await page.getByText('No port forwarding rules in this zone.').waitFor();
  await page.getByLabel('Configuration No.').fill('31260');
  await page.getByLabel('Server No.').fill('1021006');
  await page.getByLabel('External port').fill('2222');
  await page.getByLabel('Internal port').fill('22');
  await page.getByRole('button', { name: 'Add rule', exact: true }).click();
  await row(page, '31260:2222').waitFor();
  await expectText(cell(page, '31260:2222', 'server'), 'db-01 (1021006)');
  await expectText(cell(page, '31260:2222', 'internal'), '22');
  await shot('rule');
  const s = await daemon.api('getServerInstanceList', { 'serverInstanceNoList.1': '1021006' });
  assert.equal(String(s.inner.serverInstanceList[0].portForwardingExternalPort), '2222');
  // an error from the form is shown in an alert: the port is taken
  await page.getByLabel('Configuration No.').fill('31260');
  await page.getByLabel('Server No.').fill('1021003');
  await page.getByLabel('External port').fill('2222');
  await page.getByLabel('Internal port').fill('22');
  await page.getByRole('button', { name: 'Add rule', exact: true }).click();
  assert.match(await alertText(page), /^25034\b/);
  await row(page, '31260:2222').getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
  await row(page, '31260:2222').waitFor({ state: 'detached' });
  const r = await daemon.api('getPortForwardingRuleList', { zoneNo: '3' });
  assert.equal(r.inner.totalRows, 0);
}, { daemon: { stepMs: 400 } });

// the VPC platform's pages: VPCs and subnets made from their forms, a VPC server made by the
// API followed through Stop and Terminate, every call shown as `ncpctl vpc|vserver ...`
consoleTest('VPC pages: create a VPC and a subnet from the forms, stop and terminate a VPC server, delete them', async ({ page, daemon, shot }) => {
  const vpcApi = (action, params) => daemon.api(action, params, { apiName: 'vpc' });
  const vsApi = (action, params) => daemon.api(action, params, { apiName: 'vserver' });
  await signIn(page, daemon);
  await row(page, SEED).waitFor();
  await page.getByLabel('Show requests').check();
  const panel = page.getByRole('complementary', { name: 'Requests' });
  await page.getByRole('link', { name: 'VPCs', exact: true }).click();
  await page.getByText('No VPCs.').waitFor();
  await page.getByLabel('IPv4 CIDR block').fill('10.90.0.0/16');
  await page.getByLabel('VPC name').fill('console-vpc');
  await page.getByRole('button', { name: 'Create VPC', exact: true }).click();
  const vpcNo = await waitFor(async () => {
    const keys = await page.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.key));
    return keys.length === 1 ? keys[0] : null;
  }, { what: 'the new VPC row' });
  await expectText(cell(page, vpcNo, 'vpcName'), 'console-vpc');
  await expectText(cell(page, vpcNo, 'cidr'), '10.90.0.0/16');
  await expectText(cell(page, vpcNo, 'status'), 'RUN', 20000);
  assert.equal(await panel.locator('li[data-action="createVpc"] code.ncpctl').textContent(),
    'ncpctl vpc createVpc --ipv4CidrBlock 10.90.0.0/16 --vpcName console-vpc');
  assert.match(await panel.locator('li[data-action="createVpc"] code.curl').textContent(), /'\/vpc\/v2\/createVpc\?/);
  await shot('vpcs');

  const nacl = (await vpcApi('getNetworkAclList', { vpcNo })).inner.networkAclList[0].networkAclNo;
  await page.getByRole('link', { name: 'Subnets', exact: true }).click();
  await page.getByText('No subnets match.').waitFor();
  await page.getByLabel('VPC No.', { exact: true }).last().fill(vpcNo);
  await page.getByLabel('CIDR').fill('10.90.1.0/24');
  await page.getByLabel('Zone').fill('KR-2');
  await page.getByLabel('Network ACL No.').fill(nacl);
  await page.getByLabel('Type', { exact: true }).fill('PUBLIC');
  await page.getByLabel('Subnet name').fill('console-sub');
  await page.getByRole('button', { name: 'Create subnet', exact: true }).click();
  const subnetNo = await waitFor(async () => {
    const keys = await page.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.key));
    return keys.length === 1 ? keys[0] : null;
  }, { what: 'the new subnet row' });
  await expectText(cell(page, subnetNo, 'status'), 'RUN', 20000);
  await expectText(cell(page, subnetNo, 'vpc'), vpcNo);
  await expectText(cell(page, subnetNo, 'type'), 'PUBLIC');

  // a VPC server, made by the API as Terraform would
  await vsApi('createLoginKey', { keyName: 'console-vpc-key' });
  const acg = (await vsApi('getAccessControlGroupList', { vpcNo })).inner.accessControlGroupList[0].accessControlGroupNo;
  const made = await vsApi('createServerInstances', {
    vpcNo, subnetNo, serverImageNo: '23214590', serverSpecCode: 's2-g3', serverName: 'console-vs',
    'networkInterfaceList.1.networkInterfaceOrder': '0', 'networkInterfaceList.1.accessControlGroupNoList.1': acg,
  });
  assert.equal(made.status, 200, JSON.stringify(made.body));
  const no = made.inner.serverInstanceList[0].serverInstanceNo;
  await page.getByRole('link', { name: 'VPC servers', exact: true }).click();
  await row(page, no).waitFor();
  await expectText(cell(page, no, 'serverName'), 'console-vs');
  await expectText(cell(page, no, 'status'), 'RUN', 20000);
  await expectText(cell(page, no, 'operation'), 'NULL', 20000); // RUN/SETUP: its interface
  await expectText(cell(page, no, 'vpc'), vpcNo);
  await expectText(cell(page, no, 'subnet'), subnetNo);
  await expectText(cell(page, no, 'spec'), '2 vCPU, 8 GB');
  assert.equal(await page.locator('tbody tr').count(), 1, 'the classic servers are not VPC servers');
  await shot('vpc-servers');
  await recordStates(page, no);
  await row(page, no).getByRole('button', { name: 'Stop', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Stop', exact: true }).click();
  const seen = await seenUntil(page, 'NSTOP/NULL', 20000);
  assert.ok(seen.every((x) => ['RUN/NULL', 'RUN/SHTDN', 'NSTOP/NULL'].includes(x)), seen.join(' '));
  assert.equal(await panel.locator('li[data-action="stopServerInstances"] code.ncpctl').textContent(),
    `ncpctl vserver stopServerInstances --serverInstanceNoList ${no}`);
  await row(page, no).getByRole('button', { name: 'Terminate', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Terminate', exact: true }).click();
  await row(page, no).waitFor({ state: 'detached', timeout: 20000 });

  // then the subnet and the VPC go, from their pages
  await page.getByRole('link', { name: 'Subnets', exact: true }).click();
  await row(page, subnetNo).getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
  await row(page, subnetNo).waitFor({ state: 'detached', timeout: 20000 });
  await page.getByRole('link', { name: 'VPCs', exact: true }).click();
  await row(page, vpcNo).getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
  await row(page, vpcNo).waitFor({ state: 'detached', timeout: 20000 });
  assert.equal((await vpcApi('getVpcList', {})).inner.totalRows, 0);
}, { daemon: { stepMs: 300 }, timeout: 90000 });
