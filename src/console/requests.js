// requests.js: the "Show requests" panel. Every API call of the console is
// shown as the ncpctl command and the signed curl line (scripts/ncp-curl)
// that do the same thing; repeated identical calls (the list polling) are
// counted on one entry.
import { onCall, formPairs, encodePairs } from './api.js';
import { h, clear } from './ui.js';

const MAX_ENTRIES = 40;
const STORAGE_KEY = 'ncpd-console-show-requests'; // the toggle only, never a secret

// Single-quotes a shell word when it needs it.
export function shellQuote(s) {
  const t = String(s);
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(t)) return t;
  return `'${t.replace(/'/g, `'\\''`)}'`;
}

// ncpctl API ACTION --param value --listParam v1 v2 --objList "k=v, k=v"
export function ncpctlLine(action, params, api = 'server') {
  const words = ['ncpctl', api, action];
  for (const [name, value] of Object.entries(params || {})) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (!value.length) continue;
      words.push(`--${name}`);
      for (const item of value) {
        if (item !== null && typeof item === 'object') {
          words.push(shellQuote(Object.entries(item).map(([k, v]) => `${k}=${v}`).join(', ')));
        } else {
          words.push(shellQuote(item));
        }
      }
    } else {
      words.push(`--${name}`, shellQuote(value));
    }
  }
  return words.join(' ');
}

// scripts/ncp-curl -X POST '/API/v2/ACTION?pairs' (the signature covers the
// URI, so the parameters go in the query).
export function curlLine(action, params, api = 'server') {
  const query = encodePairs([...formPairs(params), ['responseFormatType', 'json']]);
  return `scripts/ncp-curl -X POST ${shellQuote(`/${api}/v2/${action}?${query}`)}`;
}

function copyButton(text, label) {
  return h('button', {
    type: 'button',
    class: 'copy',
    'aria-label': `Copy ${label}`,
    onclick: async (ev) => {
      const btn = ev.currentTarget;
      try {
        await navigator.clipboard.writeText(text);
        btn.textContent = 'Copied';
      } catch {
        btn.textContent = 'Select and copy';
      }
      setTimeout(() => { btn.textContent = 'Copy'; }, 1500);
    },
  }, 'Copy');
}

function entryView(entry) {
  const ncpctl = ncpctlLine(entry.action, entry.params, entry.api);
  const curl = curlLine(entry.action, entry.params, entry.api);
  const count = h('span', { class: 'count' });
  const meta = h('span', { class: 'meta' });
  const li = h('li', { class: 'request', dataset: { action: entry.action } },
    h('div', { class: 'request-head' }, h('strong', {}, entry.action), ' ', count, ' ', meta),
    h('div', { class: 'cmd-row' }, h('pre', { class: 'cmd' }, h('code', { class: 'ncpctl' }, ncpctl)), copyButton(ncpctl, 'ncpctl command')),
    h('div', { class: 'cmd-row' }, h('pre', { class: 'cmd' }, h('code', { class: 'curl' }, curl)), copyButton(curl, 'curl line')));
  li.update = (e) => {
    count.textContent = e.count > 1 ? `×${e.count}` : '';
    meta.textContent = `${e.at.toLocaleTimeString()} · ${e.ok ? 'ok' : e.code}`;
    meta.className = `meta ${e.ok ? 'ok' : 'failed'}`;
  };
  return li;
}

// Wires the header toggle and the panel; `session` gives the access key for
// the set-up line.
export function initRequestPanel(session) {
  const toggle = document.getElementById('show-requests');
  const panel = document.getElementById('requests');
  const list = clear(document.getElementById('requests-list'));
  document.getElementById('requests-env').textContent =
    `export NCLOUD_API_GW=${location.origin} NCLOUD_ACCESS_KEY_ID=${session.accessKey} NCLOUD_SECRET_ACCESS_KEY=...`;
  let last = null;
  let lastView = null;
  const show = (on) => {
    panel.hidden = !on;
    document.body.classList.toggle('with-requests', on);
    try { localStorage.setItem(STORAGE_KEY, on ? '1' : '0'); } catch { /* private mode */ }
  };
  let stored = null;
  try { stored = localStorage.getItem(STORAGE_KEY); } catch { /* private mode */ }
  toggle.checked = stored === '1';
  show(toggle.checked);
  toggle.onchange = () => show(toggle.checked);
  const off = onCall((e) => {
    const key = `${e.api}/${e.action}?${encodePairs(formPairs(e.params))}`;
    if (last && last.key === key && lastView && lastView.isConnected) {
      last.count += 1;
      Object.assign(last, { at: new Date(), ok: e.ok, code: e.code });
    } else {
      last = { ...e, key, count: 1, at: new Date() };
      lastView = entryView(last);
      list.prepend(lastView);
      while (list.children.length > MAX_ENTRIES) list.lastElementChild.remove();
    }
    lastView.update(last);
  });
  return () => {
    off();
    panel.hidden = true;
    document.body.classList.remove('with-requests');
    clear(list);
  };
}
