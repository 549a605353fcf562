// resources.js: the list pages, as data (rendered by table.js).
//
// A new resource is one more entry of `pages`: its list action, where the
// rows are in the answer, their key, the columns and the row actions (see
// block storage, public IPs and port forwarding below).
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

// ---- block storage, public IPs, port forwarding (issue 11) ----------------------------
// What the API accepts in which state: src/domain/rstate.c.

const code = (c) => (c ? c.code : '');
const zoneName = (r) => (r.zone ? r.zone.zoneName : '');

const diskStatus = (d) => code(d.blockStorageInstanceStatus);
const diskOp = (d) => code(d.blockStorageInstanceOperation);
const additional = (d) => code(d.blockStorageType) === 'SVRBS';
export const diskRules = {
  Detach: (d) => additional(d) && diskOp(d) === 'NULL' && diskStatus(d) === 'ATTAC',
  Delete: (d) => additional(d) && diskOp(d) === 'NULL' && (diskStatus(d) === 'ATTAC' || diskStatus(d) === 'CREAT'),
};
const diskBusy = (d) => diskOp(d) !== 'NULL' || diskStatus(d) === 'INIT';
const diskLabel = (d) => `${d.blockStorageName} (${d.blockStorageInstanceNo})`;

export const blockStorageDef = {
  id: 'block-storage',
  title: 'Block storage',
  level: 1,
  noun: 'block storage',
  unit: 'disk',
  units: 'disks',
  list: { action: 'getBlockStorageInstanceList', rows: (r) => r.blockStorageInstanceList, key: (d) => d.blockStorageInstanceNo },
  paging: { size: 20 },
  refresh: { fast: (rows) => rows.some(diskBusy), fastMs: 1000, slowMs: 5000 },
  filters: [
    { id: 'name', label: 'Name', type: 'search', placeholder: 'part of a name', params: (v) => ({ searchFilterName: 'blockStorageName', searchFilterValue: v }) },
    { id: 'type', label: 'Type', type: 'select', options: [['', 'Any'], ['SVRBS', 'SVRBS (additional)'], ['BASIC', 'BASIC (boot disk)']], params: (v) => ({ blockStorageTypeCodeList: [v] }) },
  ],
  columns: [
    col('No.', 'blockStorageInstanceNo'),
    col('Name', 'blockStorageName', { class: 'wrap name' }),
    col('Type', (d) => code(d.blockStorageType), { id: 'type' }),
    col('Size', (d) => fmtBytes(d.blockStorageSize), { id: 'size' }),
    col('Status', diskStatus, { id: 'status', badge: (d) => (diskBusy(d) ? 'busy' : diskStatus(d) === 'ATTAC' ? 'run' : 'stopped') }),
    col('Operation', diskOp, { id: 'operation' }),
    col('Status name', 'blockStorageInstanceStatusName', { id: 'statusName' }),
    col('Server', (d) => (d.serverName ? `${d.serverName} (${d.serverInstanceNo})` : ''), { id: 'server', class: 'wrap' }),
    col('Device', 'deviceName', { class: 'mono' }),
    col('Disk', (d) => code(d.diskDetailType), { id: 'detail' }),
    col('Zone', zoneName, { id: 'zone' }),
  ],
  actions: [
    {
      name: 'Detach', action: 'detachBlockStorageInstances', danger: true,
      params: (d) => ({ blockStorageInstanceNoList: [d.blockStorageInstanceNo] }),
      enabled: diskRules.Detach,
      reason: (d) => (additional(d) ? 'Only an attached disk with no operation under way can be detached.' : 'A boot disk stays with its server.'),
      rows: (r) => r.blockStorageInstanceList,
      confirm: (d) => ({ title: 'Detach block storage?', message: `${diskLabel(d)} will be detached from ${d.serverName}.` }),
      announce: (d) => `Detach: ${diskLabel(d)}`,
    },
    {
      name: 'Delete', action: 'deleteBlockStorageInstances', danger: true,
      params: (d) => ({ blockStorageInstanceNoList: [d.blockStorageInstanceNo] }),
      enabled: diskRules.Delete,
      reason: (d) => (additional(d) ? 'Only a disk with no operation under way can be deleted.' : 'A boot disk goes only with its server.'),
      rows: (r) => r.blockStorageInstanceList,
      confirm: (d) => ({ title: 'Delete block storage?', message: `${diskLabel(d)} and its data will be deleted (an attached disk is detached first). This cannot be undone.` }),
      announce: (d) => `Delete: ${diskLabel(d)}`,
    },
  ],
  create: {
    title: 'Create block storage',
    submit: 'Create block storage',
    action: 'createBlockStorageInstance',
    fields: [
      { name: 'serverInstanceNo', label: 'Server No.', required: true, pattern: '[0-9]+', hint: 'the server it is attached to' },
      { name: 'blockStorageSize', label: 'Size (GB)', required: true, type: 'number', hint: '10 to 2000, a multiple of 10' },
      { name: 'blockStorageName', label: 'Disk name', minlength: 3, maxlength: 30, hint: 'optional' },
    ],
  },
  empty: 'No block storage matches.',
};

const ipStatus = (p) => code(p.publicIpInstanceStatus);
const ipOp = (p) => code(p.publicIpInstanceOperation);
const ipServer = (p) => p.serverInstanceAssociatedWithPublicIp || {};
export const ipRules = {
  Disassociate: (p) => ipOp(p) === 'NULL' && !!ipServer(p).serverInstanceNo,
  Delete: (p) => ipOp(p) === 'NULL' && !ipServer(p).serverInstanceNo,
};

export const publicIpsDef = {
  id: 'public-ips',
  title: 'Public IPs',
  level: 1,
  noun: 'public IPs',
  unit: 'public IP',
  units: 'public IPs',
  list: { action: 'getPublicIpInstanceList', rows: (r) => r.publicIpInstanceList, key: (p) => p.publicIpInstanceNo },
  paging: { size: 20 },
  refresh: { fast: (rows) => rows.some((p) => ipOp(p) !== 'NULL'), fastMs: 1000, slowMs: 5000 },
  filters: [
    { id: 'associated', label: 'Associated', type: 'select', options: [['', 'Any'], ['true', 'Associated'], ['false', 'Free']], params: (v) => ({ isAssociated: v }) },
  ],
  columns: [
    col('No.', 'publicIpInstanceNo'),
    col('Public IP', 'publicIp', { class: 'mono' }),
    col('Status', ipStatus, { id: 'status', badge: (p) => (ipOp(p) !== 'NULL' ? 'busy' : ipStatus(p) === 'USED' ? 'run' : 'stopped') }),
    col('Operation', ipOp, { id: 'operation' }),
    col('Status name', 'publicIpInstanceStatusName', { id: 'statusName' }),
    col('Server', (p) => (ipServer(p).serverInstanceNo ? `${ipServer(p).serverName} (${ipServer(p).serverInstanceNo})` : ''), { id: 'server', class: 'wrap' }),
    col('Description', 'publicIpDescription', { class: 'wrap' }),
    col('Zone', zoneName, { id: 'zone' }),
    col('Created', (p) => fmtDate(p.createDate), { id: 'created' }),
  ],
  actions: [
    {
      name: 'Disassociate', action: 'disassociatePublicIpFromServerInstance', danger: true,
      params: (p) => ({ publicIpInstanceNo: p.publicIpInstanceNo }),
      enabled: ipRules.Disassociate,
      reason: () => 'Only an associated IP with no operation under way can be disassociated.',
      rows: (r) => r.publicIpInstanceList,
      confirm: (p) => ({ title: 'Disassociate public IP?', message: `${p.publicIp} will be taken from ${ipServer(p).serverName}.` }),
      announce: (p) => `Disassociate: ${p.publicIp}`,
    },
    {
      name: 'Delete', action: 'deletePublicIpInstances', danger: true,
      params: (p) => ({ publicIpInstanceNoList: [p.publicIpInstanceNo] }),
      enabled: ipRules.Delete,
      reason: () => 'Disassociate the IP first: only a free IP can be deleted.',
      confirm: (p) => ({ title: 'Delete public IP?', message: `${p.publicIp} will be returned. This cannot be undone.` }),
      announce: (p) => `Delete: ${p.publicIp}`,
    },
  ],
  create: {
    title: 'Create public IP',
    submit: 'Create public IP',
    action: 'createPublicIpInstance',
    fields: [
      { name: 'serverInstanceNo', label: 'Server No.', pattern: '[0-9]+', hint: 'optional: associate it with this server' },
      { name: 'publicIpDescription', label: 'Description', maxlength: 1000, hint: 'optional' },
    ],
  },
  empty: 'No public IPs match.',
};

const ruleServer = (r) => r.serverInstance || {};
export const portForwardingDef = {
  id: 'port-forwarding',
  title: 'Port forwarding',
  level: 1,
  noun: 'port forwarding rules',
  unit: 'rule',
  units: 'rules',
  list: {
    action: 'getPortForwardingRuleList',
    rows: (r) => r.portForwardingRuleList,
    key: (r) => `${r.portForwardingConfigurationNo}:${r.portForwardingExternalPort}`,
  },
  intro: () => 'One public address per zone forwards its external ports to port 22 (Linux) or 3389 (Windows) of one server each.',
  filters: [
    { id: 'zone', label: 'Zone', type: 'select', options: [['', 'Default zone'], ['3', 'KR-2'], ['2', 'KR-1']], params: (v) => ({ zoneNo: v }) },
  ],
  columns: [
    col('Configuration', 'portForwardingConfigurationNo'),
    col('Public IP', 'portForwardingPublicIp', { class: 'mono' }),
    col('External port', 'portForwardingExternalPort', { id: 'external' }),
    col('Internal port', 'portForwardingInternalPort', { id: 'internal' }),
    col('Server', (r) => `${ruleServer(r).serverName} (${ruleServer(r).serverInstanceNo})`, { id: 'server', class: 'wrap' }),
    col('Zone', zoneName, { id: 'zone' }),
  ],
  actions: [{
    name: 'Delete', action: 'deletePortForwardingRules', danger: true,
    params: (r) => ({
      portForwardingConfigurationNo: r.portForwardingConfigurationNo,
      portForwardingRuleList: [{ serverInstanceNo: ruleServer(r).serverInstanceNo, portForwardingExternalPort: r.portForwardingExternalPort, portForwardingInternalPort: r.portForwardingInternalPort }],
    }),
    confirm: (r) => ({ title: 'Delete port forwarding rule?', message: `Port ${r.portForwardingExternalPort} of ${r.portForwardingPublicIp} will no longer reach ${ruleServer(r).serverName}.` }),
    announce: (r) => `Deleted the rule of port ${r.portForwardingExternalPort}`,
  }],
  create: {
    title: 'Add port forwarding rule',
    submit: 'Add rule',
    action: 'addPortForwardingRules',
    fields: [
      { name: 'portForwardingConfigurationNo', label: 'Configuration No.', required: true, pattern: '[0-9]+', hint: 'the zone\'s, as listed' },
      { name: 'serverInstanceNo', label: 'Server No.', required: true, pattern: '[0-9]+' },
      { name: 'portForwardingExternalPort', label: 'External port', required: true, type: 'number', hint: '1024 to 65534' },
      { name: 'portForwardingInternalPort', label: 'Internal port', required: true, type: 'number', hint: '22 (Linux) or 3389 (Windows)' },
    ],
    params: (v) => ({
      portForwardingConfigurationNo: v.portForwardingConfigurationNo,
      portForwardingRuleList: [{ serverInstanceNo: v.serverInstanceNo, portForwardingExternalPort: v.portForwardingExternalPort, portForwardingInternalPort: v.portForwardingInternalPort }],
    }),
  },
  empty: 'No port forwarding rules in this zone.',
};

// ---- the VPC platform (/vserver/v2, /vpc/v2) ------------------------------------
// The same list pages on the VPC APIs: `api` names the API of every call.

export const vpcServersDef = {
  ...serversDef,
  id: 'vpc-servers',
  title: 'VPC servers',
  api: 'vserver',
  filters: [
    { id: 'name', label: 'Name', type: 'search', placeholder: 'part of a name', params: (v) => ({ serverName: v }) },
    serversDef.filters[1],
    serversDef.filters[2],
  ],
  columns: [
    col('No.', 'serverInstanceNo'),
    col('Name', 'serverName', { class: 'wrap name' }),
    col('Status', status, { id: 'status', badge: statusBadge }),
    col('Operation', operation, { id: 'operation' }),
    col('Status name', 'serverInstanceStatusName', { id: 'statusName', class: 'wrap' }),
    col('VPC', 'vpcNo', { id: 'vpc' }),
    col('Subnet', 'subnetNo', { id: 'subnet' }),
    col('Public IP', 'publicIp', { class: 'mono' }),
    col('Zone', 'zoneCode', { id: 'zone' }),
    col('Spec', spec, { id: 'spec', class: 'wrap', title: (s) => s.serverSpecCode }),
    col('Image', 'serverImageProductCode', { id: 'image', class: 'wrap' }),
    col('Created', (s) => fmtDate(s.createDate), { id: 'created', title: (s) => s.createDate }),
  ],
  toolbar: undefined,
  intro: () => 'Servers of the VPC platform. Create them with the API, ncpctl vserver createServerInstances or Terraform.',
  empty: 'No VPC servers match.',
};

// VPCs and subnets settle in RUN; each is deleted from RUN only.
const settlesInRun = (st) => ({ fast: (rows) => rows.some((x) => st(x) !== 'RUN'), fastMs: 1000, slowMs: 5000 });
const runBadge = (st) => (x) => (st(x) === 'RUN' ? 'run' : 'busy');
function deleteFromRun(st, { action, params, rows, reason, confirm, name }) {
  return {
    name: 'Delete', action, danger: true, params, rows, confirm,
    enabled: (x) => st(x) === 'RUN',
    reason: () => reason,
    announce: (x) => `Delete: ${name(x)}`,
  };
}

const vpcStatus = (v) => code(v.vpcStatus);
export const vpcsDef = {
  id: 'vpcs',
  title: 'VPCs',
  level: 1,
  noun: 'VPCs',
  unit: 'VPC',
  units: 'VPCs',
  api: 'vpc',
  list: { action: 'getVpcList', rows: (r) => r.vpcList, key: (v) => v.vpcNo },
  refresh: settlesInRun(vpcStatus),
  columns: [
    col('No.', 'vpcNo'),
    col('Name', 'vpcName', { class: 'wrap name' }),
    col('CIDR', 'ipv4CidrBlock', { id: 'cidr', class: 'mono' }),
    col('Status', vpcStatus, { id: 'status', badge: runBadge(vpcStatus) }),
    col('Region', 'regionCode', { id: 'region' }),
    col('Created', (v) => fmtDate(v.createDate), { id: 'created' }),
  ],
  actions: [deleteFromRun(vpcStatus, {
    action: 'deleteVpc',
    params: (v) => ({ vpcNo: v.vpcNo }),
    rows: (r) => r.vpcList,
    reason: 'Only a VPC in RUN can be deleted (its subnets first).',
    confirm: (v) => ({ title: 'Delete VPC?', message: `${v.vpcName} (${v.vpcNo}) and its default network ACL, ACG and route tables will be deleted.` }),
    name: (v) => v.vpcName,
  })],
  create: {
    title: 'Create VPC',
    submit: 'Create VPC',
    action: 'createVpc',
    fields: [
      { name: 'ipv4CidrBlock', label: 'IPv4 CIDR block', required: true, hint: 'a private range, /16 to /28, e.g. 10.0.0.0/16' },
      { name: 'vpcName', label: 'VPC name', minlength: 3, maxlength: 30, hint: 'optional' },
    ],
  },
  empty: 'No VPCs.',
};

const subnetStatus = (s) => code(s.subnetStatus);
export const subnetsDef = {
  id: 'subnets',
  title: 'Subnets',
  level: 1,
  noun: 'subnets',
  unit: 'subnet',
  units: 'subnets',
  api: 'vpc',
  list: { action: 'getSubnetList', rows: (r) => r.subnetList, key: (s) => s.subnetNo },
  paging: { size: 20 },
  refresh: settlesInRun(subnetStatus),
  filters: [
    { id: 'vpc', label: 'VPC No.', type: 'search', placeholder: 'all VPCs', params: (v) => (/^[0-9]+$/.test(v) ? { vpcNo: v } : {}) },
  ],
  columns: [
    col('No.', 'subnetNo'),
    col('Name', 'subnetName', { class: 'wrap name' }),
    col('CIDR', 'subnet', { id: 'cidr', class: 'mono' }),
    col('VPC', 'vpcNo', { id: 'vpc' }),
    col('Zone', 'zoneCode', { id: 'zone' }),
    col('Type', (s) => code(s.subnetType), { id: 'type' }),
    col('Usage', (s) => code(s.usageType), { id: 'usage' }),
    col('Status', subnetStatus, { id: 'status', badge: runBadge(subnetStatus) }),
    col('Network ACL', 'networkAclNo', { id: 'nacl' }),
  ],
  actions: [deleteFromRun(subnetStatus, {
    action: 'deleteSubnet',
    params: (s) => ({ subnetNo: s.subnetNo }),
    rows: (r) => r.subnetList,
    reason: 'Only a subnet in RUN with no server or interface in it can be deleted.',
    confirm: (s) => ({ title: 'Delete subnet?', message: `${s.subnetName} (${s.subnet}) will be deleted.` }),
    name: (s) => s.subnetName,
  })],
  create: {
    title: 'Create subnet',
    submit: 'Create subnet',
    action: 'createSubnet',
    fields: [
      { name: 'vpcNo', label: 'VPC No.', required: true, pattern: '[0-9]+' },
      { name: 'subnet', label: 'CIDR', required: true, hint: 'inside the VPC, e.g. 10.0.1.0/24' },
      { name: 'zoneCode', label: 'Zone', required: true, hint: 'KR-1 or KR-2' },
      { name: 'networkAclNo', label: 'Network ACL No.', required: true, pattern: '[0-9]+', hint: 'the VPC\'s default one, as getNetworkAclList shows' },
      { name: 'subnetTypeCode', label: 'Type', required: true, hint: 'PUBLIC or PRIVATE' },
      { name: 'subnetName', label: 'Subnet name', minlength: 3, maxlength: 30, hint: 'optional' },
    ],
  },
  empty: 'No subnets match.',
};

// The navigation: one entry per list page. `sections` pages show several lists.
export const pages = [
  { path: 'servers', nav: 'Servers', def: serversDef },
  { path: 'login-keys', nav: 'Login keys', def: loginKeysDef },
  { path: 'acgs', nav: 'Access control groups', def: acgsDef },
  { path: 'block-storage', nav: 'Block storage', def: blockStorageDef },
  { path: 'public-ips', nav: 'Public IPs', def: publicIpsDef },
  { path: 'port-forwarding', nav: 'Port forwarding', def: portForwardingDef },
  { path: 'vpc-servers', nav: 'VPC servers', def: vpcServersDef },
  { path: 'vpcs', nav: 'VPCs', def: vpcsDef },
  { path: 'subnets', nav: 'Subnets', def: subnetsDef },
  { path: 'acgs/:no', title: (a) => `Access control group ${a.no}`, sections: [acgRulesDef, acgServersDef], back: ['#/acgs', 'All access control groups'] },
];
