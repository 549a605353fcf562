// create-server.js: the Create server form, filled from the catalogue and
// the account's resources (images, zones, specs for the chosen image and
// zone, login keys, access control groups).
import { call } from './api.js';
import { h, clear, nextId, announce, base64Utf8 } from './ui.js';

const MAX_ACGS = 5;

function field(label, control, hint) {
  const id = control.id || nextId('field');
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('small', {}, hint) : null);
}

function options(select, items, value, text) {
  clear(select);
  for (const it of items) select.append(h('option', { value: value(it) }, text(it)));
}

// Mounts the form; onCreated(servers) after a successful create.
export function mountCreateServer(container, { onError, onCreated }) {
  let destroyed = false;
  const image = h('select', { name: 'serverImageProductCode', required: true });
  const zone = h('select', { name: 'zoneNo', required: true });
  const spec = h('select', { name: 'serverProductCode', required: true });
  const loginKey = h('select', { name: 'loginKeyName' });
  const acgBox = h('div', { class: 'checks' });
  const name = h('input', { name: 'serverName', type: 'text', minlength: 3, maxlength: 30, pattern: '[a-z][a-z0-9-]*[a-z0-9]', autocomplete: 'off', spellcheck: 'false', placeholder: 'generated when empty' });
  const count = h('input', { name: 'serverCreateCount', type: 'number', min: 1, max: 20, value: '1', required: true });
  const protect = h('input', { name: 'isProtectServerTermination', type: 'checkbox' });
  const userData = h('textarea', { name: 'userData', rows: 4, spellcheck: 'false', placeholder: '#!/bin/sh\n...' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Create');
  const acgLegend = nextId('acg-legend');
  const protectId = nextId('protect');
  protect.id = protectId;

  const form = h('form', { class: 'create-server', 'aria-labelledby': 'create-title' },
    h('h1', { id: 'create-title' }, 'Create server'),
    field('Image', image),
    field('Zone', zone),
    field('Spec', spec, 'Specs that fit the image, in this zone.'),
    field('Login key', loginKey, 'Its private key unlocks the root password.'),
    h('fieldset', { class: 'field', 'aria-labelledby': acgLegend },
      h('legend', { id: acgLegend }, 'Access control groups'), acgBox, h('small', {}, `Up to ${MAX_ACGS}.`)),
    field('Name', name, '3 to 30 lower-case letters, digits and -; with a count above 1 a -NNN suffix is added.'),
    field('Count', count),
    h('div', { class: 'field check' }, protect, h('label', { for: protectId }, 'Termination protection')),
    field('User data', userData, 'A script run at first boot; sent Base64-encoded.'),
    h('div', { class: 'buttons' }, h('a', { class: 'button', href: '#/servers' }, 'Cancel'), submit));
  clear(container).append(form);

  async function loadSpecs() {
    if (!image.value) return;
    try {
      const r = await call('getServerProductList', { serverImageProductCode: image.value, zoneNo: zone.value });
      if (destroyed) return;
      const keep = spec.value; // what is chosen now, even if chosen while the list loaded
      options(spec, r.productList || [], (p) => p.productCode, (p) => `${p.productName} (${p.productCode})`);
      if ([...spec.options].some((o) => o.value === keep)) spec.value = keep;
    } catch (e) {
      onError(e);
    }
  }

  async function loadCatalogue() {
    submit.disabled = true;
    try {
      const [images, zones, keys, acgs] = await Promise.all([
        call('getServerImageProductList'),
        call('getZoneList'),
        call('getLoginKeyList'),
        call('getAccessControlGroupList'),
      ]);
      if (destroyed) return;
      options(image, images.productList || [], (p) => p.productCode, (p) => `${p.productDescription || p.productName} (${p.productCode})`);
      options(zone, zones.zoneList || [], (z) => z.zoneNo, (z) => `${z.zoneName} (${z.zoneDescription})`);
      options(loginKey, keys.loginKeyList || [], (k) => k.keyName, (k) => k.keyName);
      if (!loginKey.options.length) loginKey.append(h('option', { value: '' }, '(none: create one under Login keys)'));
      clear(acgBox);
      for (const g of acgs.accessControlGroupList || []) {
        const id = nextId('acg');
        acgBox.append(h('div', { class: 'check' },
          h('input', { type: 'checkbox', id, name: 'acg', value: g.accessControlGroupConfigurationNo, checked: !!g.isDefaultGroup }),
          h('label', { for: id }, `${g.accessControlGroupName} (${g.accessControlGroupConfigurationNo})`)));
      }
      await loadSpecs();
    } catch (e) {
      onError(e);
    } finally {
      submit.disabled = false;
    }
  }

  image.addEventListener('change', loadSpecs);
  zone.addEventListener('change', loadSpecs);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const acgNos = [...acgBox.querySelectorAll('input:checked')].map((c) => c.value);
    if (acgNos.length > MAX_ACGS) {
      onError({ code: 'form', message: `Choose at most ${MAX_ACGS} access control groups.` });
      return;
    }
    const params = {
      serverImageProductCode: image.value,
      serverProductCode: spec.value,
      zoneNo: zone.value,
      loginKeyName: loginKey.value,
      accessControlGroupConfigurationNoList: acgNos,
      serverName: name.value.trim(),
      serverCreateCount: Number(count.value) > 1 ? count.value : '',
      isProtectServerTermination: protect.checked ? 'true' : '',
      userData: userData.value ? base64Utf8(userData.value) : '',
    };
    submit.disabled = true;
    try {
      const r = await call('createServerInstances', params);
      const servers = r.serverInstanceList || [];
      announce(`Creating ${servers.map((s) => s.serverName).join(', ')}`);
      onCreated(servers);
    } catch (err) {
      onError(err);
    } finally {
      submit.disabled = false;
    }
  });

  loadCatalogue();
  return { destroy() { destroyed = true; } };
}
