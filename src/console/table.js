// table.js: one list page, driven by a definition (see resources.js).
//
// A definition says which action lists the rows and where they are in the
// answer, the columns, the filters (each maps its value to API parameters),
// the row actions (enabled per row, optionally confirmed in a dialog), an
// optional create form and whether the list refreshes itself. Rows are
// updated in place, keyed, so that polling neither flickers nor moves the
// keyboard focus.
import { call } from './api.js';
import { h, clear, nextId, confirmAction, announce } from './ui.js';

const DEBOUNCE_MS = 300;

// Shorthand for a column: col('Name', 'serverName') or col('Zone', (r) => r.zone.zoneName).
export function col(label, get, extra = {}) {
  const value = typeof get === 'function' ? get : (row) => row[get];
  const id = extra.id || (typeof get === 'string' ? get : label.toLowerCase().replace(/[^a-z0-9]+/g, '-'));
  return { id, label, value, ...extra };
}

function cellText(v) {
  return v === undefined || v === null ? '' : String(v);
}

// Mounts the list of `def` into `container`. opts: {args (route arguments),
// onError(err)}. Returns {reload(), destroy()}.
export function mountList(container, def, opts = {}) {
  const args = opts.args || {};
  const onError = opts.onError || ((e) => { throw e; });
  const paging = def.paging ? { sizes: [20, 50, 100], size: 20, ...def.paging } : null;
  const refresh = def.refresh ? { fastMs: 1000, slowMs: 5000, ...def.refresh } : null;
  const state = {
    filters: {},
    pageNo: 1,
    pageSize: paging ? paging.size : 0,
    auto: !!refresh,
    rows: [],
    total: 0,
    loaded: false,
  };
  let seq = 0;
  let timer = null;
  let fastUntil = 0;
  let destroyed = false;
  const rowMap = new Map();
  const filterInputs = new Map(); // filter definition -> its input

  // ---- skeleton -------------------------------------------------------------
  const titleId = nextId('list-title');
  const heading = h(def.level === 1 ? 'h1' : 'h2', { id: titleId }, typeof def.title === 'function' ? def.title(args) : def.title);
  const toolbar = h('div', { class: 'toolbar' });
  const section = h('section', { class: 'list', 'aria-labelledby': titleId, dataset: { list: def.id } }, heading);
  if (def.intro) section.append(h('p', { class: 'intro' }, def.intro(args)));

  if (def.filters && def.filters.length) {
    const form = h('form', { role: 'search', class: 'filters', 'aria-label': `Filter ${def.noun || 'rows'}`, onsubmit: (e) => { e.preventDefault(); state.pageNo = 1; load(); } });
    for (const f of def.filters) {
      const id = nextId('filter');
      let input;
      if (f.type === 'select') {
        input = h('select', { id, name: f.id }, f.options.map(([v, label]) => h('option', { value: v }, label)));
        if (f.initial !== undefined) input.value = f.initial;
        input.addEventListener('change', () => { state.pageNo = 1; load(); });
      } else {
        input = h('input', { id, name: f.id, type: 'search', autocomplete: 'off', placeholder: f.placeholder || '' });
        let t = null;
        input.addEventListener('input', () => {
          clearTimeout(t);
          t = setTimeout(() => { state.pageNo = 1; load(); }, DEBOUNCE_MS);
        });
      }
      filterInputs.set(f, input);
      form.append(h('div', { class: 'field' }, h('label', { for: id }, f.label), input));
    }
    toolbar.append(form);
  }
  const controls = h('div', { class: 'controls' });
  if (refresh) {
    const id = nextId('auto');
    const auto = h('input', { type: 'checkbox', id, checked: true });
    auto.addEventListener('change', () => {
      state.auto = auto.checked;
      if (state.auto) load();
      else clearTimeout(timer);
    });
    controls.append(h('label', { class: 'toggle', for: id }, auto, ' Auto-refresh'));
  }
  controls.append(h('button', { type: 'button', onclick: () => load() }, 'Refresh'));
  if (def.toolbar) controls.append(...def.toolbar(args));
  toolbar.append(controls);
  section.append(toolbar);

  if (def.create) section.append(createForm(def.create));

  const columns = def.columns;
  const actions = def.actions || [];
  const thead = h('thead', {}, h('tr', { role: 'row' },
    columns.map((c) => h('th', { scope: 'col', role: 'columnheader' }, c.label)),
    actions.length ? h('th', { scope: 'col', role: 'columnheader', class: 'actions' }, 'Actions') : null));
  const tbody = h('tbody');
  const table = h('table', { role: 'table', class: 'grid', 'aria-labelledby': titleId }, thead, tbody);
  const empty = h('p', { class: 'empty', hidden: true }, def.empty || 'Nothing here.');
  section.append(h('div', { class: 'table-wrap' }, table), empty);

  let pager = null;
  if (paging) {
    const info = h('span', { class: 'page-info', 'aria-live': 'polite' });
    const prev = h('button', { type: 'button', onclick: () => { state.pageNo -= 1; load(); } }, 'Previous');
    const next = h('button', { type: 'button', onclick: () => { state.pageNo += 1; load(); } }, 'Next');
    const sizeId = nextId('page-size');
    const size = h('select', { id: sizeId }, paging.sizes.map((n) => h('option', { value: n }, String(n))));
    size.value = String(paging.size);
    size.addEventListener('change', () => { state.pageSize = Number(size.value); state.pageNo = 1; load(); });
    pager = { info, prev, next };
    section.append(h('nav', { class: 'pager', 'aria-label': `${def.noun || 'Rows'} pages` },
      prev, info, next, h('label', { for: sizeId, class: 'page-size' }, 'Rows per page ', size)));
  }
  clear(container).append(section);

  // ---- rows -------------------------------------------------------------------
  function makeRow(key) {
    const tr = h('tr', { role: 'row', dataset: { key } });
    tr.cells_ = columns.map((c, i) => {
      const header = i === 0;
      const inner = c.href ? h('a', {}) : h('span', {});
      const cell = h(header ? 'th' : 'td', { role: header ? 'rowheader' : 'cell', scope: header ? 'row' : null, dataset: { col: c.id, label: c.label }, class: c.class || null }, inner);
      tr.append(cell);
      return { c, cell, inner };
    });
    tr.buttons_ = actions.map((a) => {
      const b = h('button', { type: 'button', class: `act ${a.danger ? 'danger' : ''}`, dataset: { action: a.name } }, a.name);
      b.addEventListener('click', () => runAction(a, tr.row_, b));
      return { a, b };
    });
    if (actions.length) tr.append(h('td', { role: 'cell', class: 'actions', dataset: { col: 'actions' } }, h('div', { class: 'row-actions' }, tr.buttons_.map((x) => x.b))));
    return tr;
  }

  function updateRow(tr, row) {
    tr.row_ = row;
    for (const { c, cell, inner } of tr.cells_) {
      const text = cellText(c.value(row));
      if (inner.textContent !== text) inner.textContent = text;
      if (c.href) {
        const href = c.href(row);
        if (inner.getAttribute('href') !== href) inner.setAttribute('href', href);
      }
      const cls = c.badge ? `badge ${c.badge(row)}` : '';
      if (inner.className !== cls) inner.className = cls;
      const title = c.title ? cellText(c.title(row)) : '';
      if (cell.title !== title) cell.title = title;
    }
    for (const { a, b } of tr.buttons_) {
      const on = a.enabled ? !!a.enabled(row) : true;
      if (b.disabled === on) b.disabled = !on;
      const why = !on && a.reason ? a.reason(row) : '';
      if (b.title !== why) b.title = why;
    }
  }

  function render() {
    const keyOf = (r) => String(def.list.key(r));
    const want = state.rows.map(keyOf);
    const wanted = new Set(want);
    for (const [k, tr] of rowMap) {
      if (!wanted.has(k)) {
        tr.remove();
        rowMap.delete(k);
      }
    }
    state.rows.forEach((row) => {
      const k = keyOf(row);
      let tr = rowMap.get(k);
      if (!tr) {
        tr = makeRow(k);
        rowMap.set(k, tr);
      }
      updateRow(tr, row);
    });
    const now = [...tbody.children].map((tr) => tr.dataset.key);
    if (now.length !== want.length || now.some((k, i) => k !== want[i])) {
      const focused = tbody.contains(document.activeElement) ? document.activeElement : null;
      for (const k of want) tbody.append(rowMap.get(k));
      if (focused && focused.isConnected) focused.focus();
    }
    empty.hidden = state.rows.length > 0 || !state.loaded;
    table.classList.toggle('is-empty', state.rows.length === 0);
    if (pager) {
      const pages = Math.max(1, Math.ceil(state.total / state.pageSize));
      pager.info.textContent = `Page ${state.pageNo} of ${pages} · ${state.total} ${state.total === 1 ? (def.unit || 'row') : (def.units || 'rows')}`;
      pager.prev.disabled = state.pageNo <= 1;
      pager.next.disabled = state.pageNo >= pages;
    }
  }

  // Replaces rows with fresher copies (e.g. the servers an action answered).
  function patch(rows) {
    for (const row of rows || []) {
      const k = String(def.list.key(row));
      const i = state.rows.findIndex((r) => String(def.list.key(r)) === k);
      if (i >= 0) {
        state.rows[i] = row;
        updateRow(rowMap.get(k), row);
      }
    }
  }

  // ---- loading -------------------------------------------------------------------
  function params() {
    const p = { ...(def.list.params ? def.list.params(args) : {}) };
    for (const f of def.filters || []) {
      const v = filterInputs.get(f).value.trim();
      if (v !== '') Object.assign(p, f.params(v));
    }
    if (paging) Object.assign(p, { pageNo: state.pageNo, pageSize: state.pageSize });
    return p;
  }

  function schedule() {
    clearTimeout(timer);
    if (!refresh || !state.auto || destroyed) return;
    const fast = Date.now() < fastUntil || refresh.fast(state.rows);
    timer = setTimeout(() => {
      if (document.hidden) schedule();
      else load();
    }, fast ? refresh.fastMs : refresh.slowMs);
  }

  async function load() {
    clearTimeout(timer);
    const my = ++seq;
    try {
      const resp = await call(def.list.action, params(), def.api);
      if (my !== seq || destroyed) return;
      state.rows = def.list.rows(resp) || [];
      state.total = typeof resp.totalRows === 'number' ? resp.totalRows : state.rows.length;
      state.loaded = true;
      if (paging && state.rows.length === 0 && state.pageNo > 1 && state.total > 0) {
        state.pageNo = Math.max(1, Math.ceil(state.total / state.pageSize)); // the page emptied
        load();
        return;
      }
      render();
    } catch (e) {
      if (my !== seq || destroyed) return;
      onError(e);
    } finally {
      if (my === seq && !destroyed) schedule();
    }
  }

  async function runAction(a, row, button) {
    if (a.confirm) {
      const c = a.confirm(row);
      if (!(await confirmAction({ title: c.title, message: c.message, confirm: a.name, danger: a.danger !== false }))) return;
    }
    button.setAttribute('aria-busy', 'true');
    try {
      const resp = await call(a.action, a.params(row), def.api);
      if (destroyed) return;
      if (a.rows) patch(a.rows(resp));
      announce(a.announce ? a.announce(row) : `${a.name}: done`);
      if (a.done) await a.done(resp, row);
      fastUntil = Date.now() + (refresh ? refresh.fastMs * 3 : 0);
      if (refresh && state.auto) schedule();
      else load();
    } catch (e) {
      if (destroyed) return;
      onError(e);
      if (e.response && a.rows) patch(a.rows(e.response));
      load(); // show what the server has now
    } finally {
      button.removeAttribute('aria-busy');
    }
  }

  // ---- create form ------------------------------------------------------------------
  function createForm(spec) {
    const titleId2 = nextId('create-title');
    const inputs = {};
    const submit = h('button', { type: 'submit', class: 'primary' }, spec.submit);
    const form = h('form', { class: 'create', 'aria-labelledby': titleId2 }, h('h3', { id: titleId2 }, spec.title));
    for (const f of spec.fields) {
      const id = nextId('field');
      const input = h('input', { id, name: f.name, type: f.type || 'text', required: !!f.required, minlength: f.minlength, maxlength: f.maxlength, pattern: f.pattern, autocomplete: 'off', spellcheck: 'false' });
      inputs[f.name] = input;
      form.append(h('div', { class: 'field' }, h('label', { for: id }, f.label), input, f.hint ? h('small', {}, f.hint) : null));
    }
    form.append(submit);
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const values = Object.fromEntries(Object.entries(inputs).map(([k, el]) => [k, el.value.trim()]));
      submit.disabled = true;
      try {
        const resp = await call(spec.action, spec.params ? spec.params(values) : values, def.api);
        form.reset();
        if (spec.done) await spec.done(resp, values);
        load();
      } catch (err) {
        onError(err);
      } finally {
        submit.disabled = false;
      }
    });
    return form;
  }

  document.addEventListener('visibilitychange', onVisible);
  function onVisible() {
    if (!document.hidden && state.auto && refresh) load();
  }

  load();
  return {
    reload: load,
    destroy() {
      destroyed = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    },
  };
}
