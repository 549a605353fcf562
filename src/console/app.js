// app.js: the console's entry point: sign-in, the header, the router.
//
// Routes (the part after #): /servers (default), /servers/create,
// /login-keys, /acgs, /acgs/NO, /block-storage, /public-ips, /port-forwarding; the list
// pages come from resources.js.
import * as api from './api.js';
import { h, clear, showError, clearAlerts, announce } from './ui.js';
import { mountList } from './table.js';
import { pages } from './resources.js';
import { mountCreateServer } from './create-server.js';
import { initRequestPanel } from './requests.js';

const pageEl = () => document.getElementById('page');
let session = null;
let current = null; // the mounted page: {destroy()}
let closePanel = null;

// ---- errors -------------------------------------------------------------------

function onError(err) {
  if (err && err.sessionEnded && session) {
    endSession();
    showError({ code: err.code, message: 'Your session has ended (signed out, idle too long or the key was disabled): sign in again.' });
    return;
  }
  showError(err);
}

// ---- sign-in --------------------------------------------------------------------

function showSignIn() {
  unmount();
  document.getElementById('nav').hidden = true;
  document.getElementById('session').hidden = true;
  const ak = h('input', { id: 'signin-access', name: 'accessKey', autocomplete: 'username', required: true, spellcheck: 'false', autocapitalize: 'off' });
  const sk = h('input', { id: 'signin-secret', name: 'secretKey', type: 'password', autocomplete: 'current-password', required: true });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h('form', { class: 'signin', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, 'Sign in to ncpd'),
    h('div', { class: 'field' }, h('label', { for: 'signin-access' }, 'Access key'), ak),
    h('div', { class: 'field' }, h('label', { for: 'signin-secret' }, 'Secret key'), sk),
    button,
    h('p', { class: 'hint' }, 'Use an API key pair of this ncpd: the bootstrap account\'s is printed at its first start; ',
      h('code', {}, 'ncpd account create NAME'), ' makes more. The secret key is sent once and never kept by this page.'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    button.disabled = true;
    const secret = sk.value;
    sk.value = ''; // the page keeps no copy of the secret
    try {
      const s = await api.signIn(ak.value.trim(), secret);
      clearAlerts();
      startSession(s);
    } catch (err) {
      showError(err);
      sk.focus();
    } finally {
      button.disabled = false;
    }
  });
  clear(pageEl()).append(form);
  ak.focus();
}

function startSession(s) {
  session = s;
  document.getElementById('who').textContent = `${s.accountName} · ${s.accessKey}`;
  document.getElementById('session').hidden = false;
  const nav = clear(document.getElementById('nav'));
  for (const p of pages.filter((x) => x.nav)) nav.append(h('a', { href: `#/${p.path}`, dataset: { path: p.path } }, p.nav));
  nav.hidden = false;
  closePanel = initRequestPanel(s);
  route();
}

function endSession() {
  session = null;
  api.forgetSession();
  if (closePanel) closePanel();
  closePanel = null;
  showSignIn();
}

async function signOut() {
  try {
    await api.signOut();
    announce('Signed out');
  } catch (e) {
    if (!e.sessionEnded) showError(e);
  }
  endSession();
}

// ---- routing ------------------------------------------------------------------------

function unmount() {
  if (current) current.destroy();
  current = null;
}

function match(pattern, path) {
  const a = pattern.split('/');
  const b = path.split('/');
  if (a.length !== b.length) return null;
  const args = {};
  for (let i = 0; i < a.length; i++) {
    if (a[i].startsWith(':')) args[a[i].slice(1)] = decodeURIComponent(b[i]);
    else if (a[i] !== b[i]) return null;
  }
  return args;
}

function route() {
  if (!session) return;
  unmount();
  const path = location.hash.replace(/^#\/?/, '') || 'servers';
  const root = clear(pageEl());
  for (const a of document.querySelectorAll('#nav a')) {
    const on = path === a.dataset.path || path.startsWith(`${a.dataset.path}/`);
    if (on) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (path === 'servers/create') {
    document.title = 'Create server · ncpd console';
    current = mountCreateServer(root, {
      onError,
      onCreated: () => { location.hash = '#/servers'; },
    });
    return;
  }
  for (const p of pages) {
    const args = match(p.path, path);
    if (!args) continue;
    if (p.def) {
      document.title = `${p.nav} · ncpd console`;
      current = mountList(root, p.def, { args, onError });
    } else {
      document.title = `${p.title(args)} · ncpd console`;
      const mounted = [];
      if (p.back) root.append(h('p', {}, h('a', { href: p.back[0] }, `← ${p.back[1]}`)));
      root.append(h('h1', {}, p.title(args)));
      for (const def of p.sections) {
        const box = h('div', { class: 'section' });
        root.append(box);
        mounted.push(mountList(box, def, { args, onError }));
      }
      current = { destroy: () => mounted.forEach((m) => m.destroy()) };
    }
    return;
  }
  root.append(h('h1', {}, 'Not found'), h('p', {}, h('a', { href: '#/servers' }, 'Go to the servers')));
}

// ---- start ------------------------------------------------------------------------------

async function main() {
  document.getElementById('sign-out').addEventListener('click', signOut);
  window.addEventListener('hashchange', route);
  try {
    const s = await api.whoAmI();
    if (s) startSession(s);
    else showSignIn();
  } catch (e) {
    showError(e);
    showSignIn();
  }
}

main();
