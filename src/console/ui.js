// ui.js: DOM helpers, the alert area, dialogs and small formatters.

// h('button', {type: 'button', onclick: fn}, 'Stop'): an element with
// attributes (on* become listeners, boolean false drops the attribute) and
// children (strings, nodes, arrays, null).
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = !!v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

let uid = 0;
export function nextId(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}

// ---- alerts and status ------------------------------------------------------

const MAX_ALERTS = 3;

// Shows an API error (code and message) in an element with role alert.
export function showError(err) {
  const box = document.getElementById('alerts');
  const code = err && err.code ? err.code : 'error';
  const message = err && err.message ? err.message : String(err);
  const item = h('div', { role: 'alert', class: 'alert' },
    h('strong', { class: 'code' }, code), ' ', h('span', { class: 'message' }, message),
    h('button', { type: 'button', class: 'dismiss', 'aria-label': 'Dismiss', onclick: () => item.remove() }, '×'));
  box.prepend(item);
  while (box.children.length > MAX_ALERTS) box.lastElementChild.remove();
  return item;
}

export function clearAlerts() {
  clear(document.getElementById('alerts'));
}

// A polite announcement (role status), e.g. "Stopping s-1".
export function announce(text) {
  const el = document.getElementById('status');
  el.textContent = text;
  clearTimeout(announce.timer);
  announce.timer = setTimeout(() => { el.textContent = ''; }, 6000);
}

// ---- dialogs ------------------------------------------------------------------

function openDialog(build) {
  return new Promise((resolve) => {
    const titleId = nextId('dlg-title');
    const descId = nextId('dlg-desc');
    const dlg = h('dialog', { class: 'dialog', 'aria-labelledby': titleId, 'aria-describedby': descId });
    const done = (value) => { if (dlg.open) dlg.close(); resolve(value); };
    dlg.addEventListener('close', () => { dlg.remove(); resolve(false); });
    append(dlg, [build({ titleId, descId, done })]);
    document.body.append(dlg);
    dlg.showModal();
  });
}

// Asks to confirm an action; resolves true when the confirming button (named
// after the action) is pressed, false on Cancel or Escape.
export function confirmAction({ title, message, confirm, danger = true }) {
  return openDialog(({ titleId, descId, done }) => [
    h('h2', { id: titleId }, title),
    h('p', { id: descId }, message),
    h('div', { class: 'buttons' },
      h('button', { type: 'button', autofocus: true, onclick: () => done(false) }, 'Cancel'),
      h('button', { type: 'button', class: danger ? 'danger' : 'primary', onclick: () => done(true) }, confirm)),
  ]);
}

// Offers a text as a file download, once: the text is dropped when the
// dialog closes.
export function offerDownload({ title, message, filename, text, type = 'application/x-pem-file' }) {
  let url = URL.createObjectURL(new Blob([text], { type }));
  return openDialog(({ titleId, descId, done }) => [
    h('h2', { id: titleId }, title),
    h('p', { id: descId }, message),
    h('p', {}, h('a', { class: 'button primary', href: url, download: filename, autofocus: true }, `Download ${filename}`)),
    h('div', { class: 'buttons' }, h('button', { type: 'button', onclick: () => done(true) }, 'Done')),
  ]).finally(() => {
    // let a download that was just started read the blob first
    const old = url;
    url = null;
    setTimeout(() => URL.revokeObjectURL(old), 60000);
  });
}

// ---- formatters --------------------------------------------------------------

// "2018-10-22T16:19:50+0900" -> "2018-10-22 16:19" (the server's offset kept)
export function fmtDate(s) {
  if (!s) return '';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(s);
  return m ? `${m[1]} ${m[2]}` : s;
}

export function fmtBytes(n) {
  const v = Number(n);
  if (!Number.isFinite(v) || v <= 0) return '';
  const gb = v / 1073741824;
  return gb >= 1 ? `${+gb.toFixed(1)} GB` : `${Math.round(v / 1048576)} MB`;
}

// Base64 of the UTF-8 bytes of a text (userData).
export function base64Utf8(text) {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}
