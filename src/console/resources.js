// resources.js: the list pages, as data (rendered by table.js).
//
// A new resource is one more entry of `pages`: its list action, where the
// rows are in the answer, their key, the columns and the row actions. For
// example, once the classic block storage actions exist:
//
//   { path: 'block-storage', nav: 'Block storage', def: {
//       id: 'block-storage', title: 'Block storage', noun: 'block storage',
//       list: { action: 'getBlockStorageInstanceList', rows: (r) => r.blockStorageInstanceList,
//               key: (r) => r.blockStorageInstanceNo },
//       paging: {},
//       columns: [col('No.', 'blockStorageInstanceNo'), col('Name', 'blockStorageName'),
//                 col('Size', (r) => fmtBytes(r.blockStorageSize)), col('Server', 'serverName')],
//       actions: [{ name: 'Delete', action: 'deleteBlockStorageInstances', danger: true,
//                   params: (r) => ({ blockStorageInstanceNoList: [r.blockStorageInstanceNo] }),
//                   confirm: (r) => ({ title: 'Delete block storage?', message: r.blockStorageName }) }] } },
import { col } from './table.js';
import { fmtDate, fmtBytes, offerDownload, h } from './ui.js';

// ---- servers: what the API accepts in which state (src/domain/state.c) ------

const status = (s) => s.serverInstanceStatus && s.serverInstanceStatus.code;
const operation = (s) => s.serverInstanceOperation && s.serverInstanceOperation.code;
const idle = (s) => operation(s) === 'NULL';

export const serverRules = {
  Stop: (s) => idle(s) && status(s) === 'RUN',
  Start: (s) => idle(s) && status(s) === 'NSTOP',
  Reboot: (s) => idle(s) && status(s) === 'RUN',
  Terminate: (s) => idle(s) && (status(s) === 'NSTOP' || status(s) === 'FSTOP') && !s.isProtectServerTermination,
};

// A server that the scheduler is still moving.
export const transitional = (s) => !idle(s) || status(s) === 'INIT' || status(s) === 'CREAT';

function statusBadge(s) {
  if (transitional(s)) return 'busy';
  return { RUN: 'run', NSTOP: 'stopped', FSTOP: 'failed' }[status(s)] || '';
}

function spec(s) {
  const mem = fmtBytes(s.memorySize);
  return s.cpuCount ? `${s.cpuCount} vCPU, ${mem}` : s.serverProductCode;
}

const label = (s) => `${s.serverName} (${s.serverInstanceNo})`;

function serverAction(name, action, why, confirm) {
  return {
    name,
    action,
    danger: name !== 'Start',
    params: (s) => ({ serverInstanceNoList: [s.serverInstanceNo] }),
    enabled: serverRules[name],
    reason: why,
    rows: (r) => r.serverInstanceList,
    announce: (s) => `${name}: ${label(s)}`,
    confirm,
  };
}

export const serversDef = {
  id: 'servers',
  title: 'Servers',
  level: 1,
  noun: 'servers',
  unit: 'server',
  units: 'servers',
  list: {
    action: 'getServerInstanceList',
    rows: (r) => r.serverInstanceList,
    key: (s) => s.serverInstanceNo,
  },
  paging: { size: 20 },
  refresh: { fast: (rows) => rows.some(transitional), fastMs: 1000, slowMs: 5000 },
  filters: [
    { id: 'name', label: 'Name', type: 'search', placeholder: 'part of a name', params: (v) => ({ searchFilterName: 'serverName', searchFilterValue: v }) },
    {
      id: 'status', label: 'Status', type: 'select',
      options: [['', 'Any'], ['RUN', 'RUN (running)'], ['NSTOP', 'NSTOP (stopped)'], ['INIT', 'INIT'], ['CREAT', 'CREAT'], ['FSTOP', 'FSTOP (failed)']],
      params: (v) => ({ serverInstanceStatusCode: v }),
    },
    {
      id: 'order', label: 'Order', type: 'select', initial: 'new',
      options: [['new', 'Newest first'], ['old', 'Oldest first'], ['name', 'Name']],
      params: (v) => (v === 'name' ? { sortedBy: 'serverName', sortingOrder: 'ascending' }
        : { sortedBy: 'serverInstanceNo', sortingOrder: v === 'new' ? 'descending' : 'ascending' }),
    },
  ],
  columns: [
    col('No.', 'serverInstanceNo'),
    col('Name', 'serverName', { class: 'wrap name' }),
    col('Status', status, { id: 'status', badge: statusBadge }),
    col('Operation', operation, { id: 'operation' }),
    col('Status name', 'serverInstanceStatusName', { id: 'statusName', class: 'wrap' }),
    col('Private IP', 'privateIp', { class: 'mono' }),
    col('Public IP', 'publicIp', { class: 'mono' }),
    col('Zone', (s) => (s.zone ? s.zone.zoneName : ''), { id: 'zone' }),
    col('Spec', spec, { id: 'spec', class: 'wrap', title: (s) => s.serverProductCode }),
    col('Image', 'serverImageName', { class: 'wrap', title: (s) => s.serverImageProductCode }),
    col('Created', (s) => fmtDate(s.createDate), { id: 'created', title: (s) => s.createDate }),
  ],
  actions: [
    serverAction('Stop', 'stopServerInstances', () => 'Only a running server (RUN) with no operation under way can be stopped.',
      (s) => ({ title: 'Stop server?', message: `${label(s)} will be shut down.` })),
    serverAction('Start', 'startServerInstances', () => 'Only a stopped server (NSTOP) with no operation under way can be started.'),
    serverAction('Reboot', 'rebootServerInstances', () => 'Only a running server (RUN) with no operation under way can be rebooted.',
      (s) => ({ title: 'Reboot server?', message: `${label(s)} will restart.` })),
    serverAction('Terminate', 'terminateServerInstances',
      (s) => (s.isProtectServerTermination ? 'Termination protection is on.' : 'Stop the server first: only a stopped server (NSTOP or FSTOP) can be terminated.'),
      (s) => ({ title: 'Terminate server?', message: `${label(s)} and its disk will be deleted. This cannot be undone.` })),
  ],
  toolbar: () => [h('a', { class: 'button primary', href: '#/servers/create' }, 'Create server')],
  empty: 'No servers match.',
};

// ---- login keys -----------------------------------------------------------------

export const loginKeysDef = {
  id: 'login-keys',
  title: 'Login keys',
  level: 1,
  noun: 'login keys',
  unit: 'key',
  units: 'keys',
  list: { action: 'getLoginKeyList', rows: (r) => r.loginKeyList, key: (k) => k.keyName },
  paging: { size: 20 },
  columns: [
    col('Name', 'keyName'),
    col('Fingerprint', 'fingerprint', { class: 'mono' }),
    col('Created', (k) => fmtDate(k.createDate), { id: 'created' }),
  ],
  actions: [{
    name: 'Delete',
    action: 'deleteLoginKey',
    danger: true,
    params: (k) => ({ keyName: k.keyName }),
    confirm: (k) => ({ title: 'Delete login key?', message: `Login key ${k.keyName} will be deleted. Servers that use it keep running.` }),
    announce: (k) => `Deleted login key ${k.keyName}`,
  }],
  create: {
    title: 'Create login key',
    submit: 'Create login key',
    action: 'createLoginKey',
    fields: [{ name: 'keyName', label: 'Key name', required: true, minlength: 3, maxlength: 30, hint: '3 to 30 lower-case letters, digits and -' }],
    done: (resp, values) => offerDownload({
      title: `Login key ${values.keyName} created`,
      message: 'Its private key is offered once: download it now. ncpd keeps only the public half.',
      filename: `${values.keyName}.pem`,
      text: resp.privateKey,
    }),
  },
  empty: 'No login keys.',
};

// ---- access control groups ----------------------------------------------------------

export const acgsDef = {
  id: 'acgs',
  title: 'Access control groups',
  level: 1,
  noun: 'access control groups',
  unit: 'group',
  units: 'groups',
  list: { action: 'getAccessControlGroupList', rows: (r) => r.accessControlGroupList, key: (g) => g.accessControlGroupConfigurationNo },
  paging: { size: 20 },
  columns: [
    col('No.', 'accessControlGroupConfigurationNo', { href: (g) => `#/acgs/${g.accessControlGroupConfigurationNo}` }),
    col('Name', 'accessControlGroupName', { href: (g) => `#/acgs/${g.accessControlGroupConfigurationNo}` }),
    col('Description', 'accessControlGroupDescription'),
    col('Default', (g) => (g.isDefaultGroup ? 'yes' : 'no'), { id: 'default' }),
    col('Created', (g) => fmtDate(g.createDate), { id: 'created' }),
  ],
  empty: 'No access control groups.',
};

export const acgRulesDef = {
  id: 'acg-rules',
  title: () => 'Rules',
  noun: 'rules',
  unit: 'rule',
  units: 'rules',
  list: {
    action: 'getAccessControlRuleList',
    params: (a) => ({ accessControlGroupConfigurationNo: a.no }),
    rows: (r) => r.accessControlRuleList,
    key: (r) => r.accessControlRuleConfigurationNo,
  },
  columns: [
    col('No.', 'accessControlRuleConfigurationNo'),
    col('Protocol', (r) => (r.protocolType ? r.protocolType.code : ''), { id: 'protocol' }),
    col('Source', (r) => r.sourceIp || r.sourceAccessControlRuleName || '', { id: 'source', class: 'mono' }),
    col('Port', 'destinationPort'),
    col('Description', 'accessControlRuleDescription'),
  ],
  empty: 'No rules: nothing may reach these servers.',
};

export const acgServersDef = {
  id: 'acg-servers',
  title: () => 'Servers in this group',
  noun: 'servers',
  unit: 'server',
  units: 'servers',
  list: {
    action: 'getAccessControlGroupServerInstanceList',
    params: (a) => ({ accessControlGroupConfigurationNo: a.no }),
    rows: (r) => r.serverInstanceList,
    key: (s) => s.serverInstanceNo,
  },
  columns: [
    col('No.', 'serverInstanceNo'),
    col('Name', 'serverName'),
    col('Status', status, { id: 'status', badge: statusBadge }),
    col('Private IP', 'privateIp', { class: 'mono' }),
  ],
  empty: 'No server uses this group.',
};

// The navigation: one entry per list page. `sections` pages show several lists.
export const pages = [
  { path: 'servers', nav: 'Servers', def: serversDef },
  { path: 'login-keys', nav: 'Login keys', def: loginKeysDef },
  { path: 'acgs', nav: 'Access control groups', def: acgsDef },
  { path: 'acgs/:no', title: (a) => `Access control group ${a.no}`, sections: [acgRulesDef, acgServersDef], back: ['#/acgs', 'All access control groups'] },
];
