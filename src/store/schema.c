/* schema.c: the store's schema and its versioned migrations, for every backend.
 *
 * Version 6 is the baseline: a new database, SQLite or PostgreSQL, is made
 * from `baseline` (written once, with the dialect tokens of db.h) and then
 * takes every migration after it. SQLite databases made before the
 * baseline existed climb to it through `sqlite_history` (the migrations
 * they were made with, kept verbatim), then continue the same way.
 *
 * Migrations run at start, under the write lock, in one transaction: a
 * database is at one version or the next, never between; two processes
 * starting at once on an empty database create it exactly once. A newer
 * ncpd migrates an older database; an older ncpd refuses a newer one. */
#include "store/store_int.h"

#include <stdio.h>

#define BASELINE 6

static const char baseline[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE accounts(id {AUTOID}, name TEXT NOT NULL UNIQUE, create_ms {INT} NOT NULL);"
    "CREATE TABLE api_keys(access_key TEXT PRIMARY KEY, account_id {INT} NOT NULL,"
    "  secret {BLOB} NOT NULL, disabled {INT} NOT NULL DEFAULT 0, create_ms {INT} NOT NULL);"
    "CREATE TABLE seq(name TEXT PRIMARY KEY, next {INT} NOT NULL);"
    "INSERT INTO seq(name, next) VALUES('instance', 1030000);"
    "CREATE TABLE instances(no {ID}, kind {INT} NOT NULL, account_id {INT} NOT NULL,"
    "  deleted {INT} NOT NULL DEFAULT 0);"
    "CREATE TABLE acgs(no {ID}, account_id {INT} NOT NULL, name TEXT NOT NULL,"
    "  description TEXT NOT NULL, is_default {INT} NOT NULL, create_ms {INT} NOT NULL);"
    "CREATE TABLE servers(no {ID}, account_id {INT} NOT NULL,"
    "  name TEXT NOT NULL, description TEXT NOT NULL, cpu {INT} NOT NULL,"
    "  memory {INT} NOT NULL, base_size {INT} NOT NULL, platform TEXT NOT NULL,"
    "  login_key TEXT NOT NULL, fee_monitoring {INT} NOT NULL, public_ip TEXT NOT NULL,"
    "  private_ip TEXT NOT NULL, image_name TEXT NOT NULL, image_code TEXT NOT NULL,"
    "  product_code TEXT NOT NULL, status {INT} NOT NULL, op {INT} NOT NULL,"
    "  create_ms {INT} NOT NULL, uptime_ms {INT} NOT NULL, protect {INT} NOT NULL,"
    "  pf_public_ip TEXT NOT NULL, pf_ext_port {INT} NOT NULL, pf_int_port {INT} NOT NULL,"
    "  zone_no {INT} NOT NULL, region_no {INT} NOT NULL, disk_type TEXT NOT NULL,"
    "  disk_detail TEXT NOT NULL, instance_type TEXT NOT NULL, user_data TEXT NOT NULL,"
    "  init_script_no TEXT NOT NULL, basic_storage_no {INT} NOT NULL,"
    "  root_pw TEXT NOT NULL DEFAULT '', acg_nos TEXT NOT NULL DEFAULT '',"
    "  n_tags {INT} NOT NULL DEFAULT 0, n_parts {INT} NOT NULL DEFAULT 0,"
    "  version {INT} NOT NULL DEFAULT 1);"
    "CREATE INDEX servers_by_account ON servers(account_id, no);"
    "CREATE INDEX servers_by_name ON servers(account_id, name);"
    "CREATE INDEX servers_by_key ON servers(account_id, login_key);"
    "CREATE INDEX servers_by_ip ON servers(zone_no, private_ip);"
    "CREATE TABLE server_acgs(server_no {INT} NOT NULL, ord {INT} NOT NULL,"
    "  acg_no {INT} NOT NULL, PRIMARY KEY(server_no, ord)) {NOROWID};"
    "CREATE INDEX server_acgs_by_acg ON server_acgs(acg_no, server_no);"
    "CREATE TABLE server_tags(server_no {INT} NOT NULL, ord {INT} NOT NULL,"
    "  key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY(server_no, ord)) {NOROWID};"
    "CREATE TABLE server_parts(server_no {INT} NOT NULL, ord {INT} NOT NULL,"
    "  mount_point TEXT NOT NULL, size TEXT NOT NULL, PRIMARY KEY(server_no, ord)) {NOROWID};"
    "CREATE TABLE transitions(server_no {ID}, account_id {INT} NOT NULL,"
    "  kind {INT} NOT NULL, step {INT} NOT NULL, remaining {INT} NOT NULL,"
    "  due_ms {INT} NOT NULL, arg TEXT, wait_ms {INT} NOT NULL DEFAULT 1000,"
    "  phase {INT} NOT NULL DEFAULT 1, prev_status {INT} NOT NULL DEFAULT 0,"
    "  prev_op {INT} NOT NULL DEFAULT 0);"
    "CREATE INDEX transitions_by_due ON transitions(due_ms);"
    "CREATE TABLE login_keys(account_id {INT} NOT NULL, name TEXT NOT NULL,"
    "  fingerprint TEXT NOT NULL, create_ms {INT} NOT NULL, seq {INT} NOT NULL,"
    "  PRIMARY KEY(account_id, name)) {NOROWID};"
    "CREATE TABLE acg_rules(no {ID}, acg_no {INT} NOT NULL,"
    "  protocol TEXT NOT NULL, source_ip TEXT NOT NULL, source_acg_no {INT} NOT NULL,"
    "  port TEXT NOT NULL, description TEXT NOT NULL);"
    "CREATE INDEX acg_rules_by_acg ON acg_rules(acg_no, no);"
    "CREATE TABLE counters(name TEXT PRIMARY KEY, next {INT} NOT NULL) {NOROWID};";

/* SQLite databases made before the baseline: versions 1..6 as they were made. */
static const char *const sqlite_history[BASELINE] = {
    /* 1 */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE accounts(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    "  create_ms INTEGER NOT NULL);"
    "CREATE TABLE api_keys(access_key TEXT PRIMARY KEY, account_id INTEGER NOT NULL,"
    "  secret BLOB NOT NULL, disabled INTEGER NOT NULL DEFAULT 0, create_ms INTEGER NOT NULL);"
    "CREATE TABLE seq(name TEXT PRIMARY KEY, next INTEGER NOT NULL);"
    "INSERT INTO seq VALUES('instance', 1030000);"
    "CREATE TABLE instances(no INTEGER PRIMARY KEY, kind INTEGER NOT NULL,"
    "  account_id INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE acgs(no INTEGER PRIMARY KEY, account_id INTEGER NOT NULL, name TEXT NOT NULL,"
    "  description TEXT NOT NULL, is_default INTEGER NOT NULL, create_ms INTEGER NOT NULL);"
    "CREATE TABLE servers(no INTEGER PRIMARY KEY, account_id INTEGER NOT NULL,"
    "  name TEXT NOT NULL, description TEXT NOT NULL, cpu INTEGER NOT NULL,"
    "  memory INTEGER NOT NULL, base_size INTEGER NOT NULL, platform TEXT NOT NULL,"
    "  login_key TEXT NOT NULL, fee_monitoring INTEGER NOT NULL, public_ip TEXT NOT NULL,"
    "  private_ip TEXT NOT NULL, image_name TEXT NOT NULL, image_code TEXT NOT NULL,"
    "  product_code TEXT NOT NULL, status INTEGER NOT NULL, op INTEGER NOT NULL,"
    "  create_ms INTEGER NOT NULL, uptime_ms INTEGER NOT NULL, protect INTEGER NOT NULL,"
    "  pf_public_ip TEXT NOT NULL, pf_ext_port INTEGER NOT NULL, pf_int_port INTEGER NOT NULL,"
    "  zone_no INTEGER NOT NULL, region_no INTEGER NOT NULL, disk_type TEXT NOT NULL,"
    "  disk_detail TEXT NOT NULL, instance_type TEXT NOT NULL, user_data TEXT NOT NULL,"
    "  init_script_no TEXT NOT NULL, basic_storage_no INTEGER NOT NULL);"
    "CREATE INDEX servers_by_account ON servers(account_id, no);"
    "CREATE INDEX servers_by_name ON servers(account_id, name);"
    "CREATE TABLE server_acgs(server_no INTEGER NOT NULL, ord INTEGER NOT NULL,"
    "  acg_no INTEGER NOT NULL, PRIMARY KEY(server_no, ord)) WITHOUT ROWID;"
    "CREATE TABLE server_tags(server_no INTEGER NOT NULL, ord INTEGER NOT NULL,"
    "  key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY(server_no, ord)) WITHOUT ROWID;"
    "CREATE TABLE server_parts(server_no INTEGER NOT NULL, ord INTEGER NOT NULL,"
    "  mount_point TEXT NOT NULL, size TEXT NOT NULL, PRIMARY KEY(server_no, ord)) WITHOUT ROWID;"
    "CREATE TABLE transitions(server_no INTEGER PRIMARY KEY, account_id INTEGER NOT NULL,"
    "  kind INTEGER NOT NULL, step INTEGER NOT NULL, remaining INTEGER NOT NULL,"
    "  due_ms INTEGER NOT NULL, arg TEXT);"
    "CREATE INDEX transitions_by_due ON transitions(due_ms);",
    /* 2: login keys, ACG rules, root passwords */
    "CREATE TABLE login_keys(account_id INTEGER NOT NULL, name TEXT NOT NULL,"
    "  fingerprint TEXT NOT NULL, create_ms INTEGER NOT NULL, seq INTEGER NOT NULL,"
    "  PRIMARY KEY(account_id, name)) WITHOUT ROWID;"
    "CREATE TABLE acg_rules(no INTEGER PRIMARY KEY, acg_no INTEGER NOT NULL,"
    "  protocol TEXT NOT NULL, source_ip TEXT NOT NULL, source_acg_no INTEGER NOT NULL,"
    "  port TEXT NOT NULL, description TEXT NOT NULL);"
    "CREATE INDEX acg_rules_by_acg ON acg_rules(acg_no, no);"
    "CREATE TABLE counters(name TEXT PRIMARY KEY, next INTEGER NOT NULL) WITHOUT ROWID;"
    "ALTER TABLE servers ADD COLUMN root_pw TEXT NOT NULL DEFAULT '';"
    "CREATE INDEX servers_by_key ON servers(account_id, login_key);"
    "CREATE INDEX servers_by_ip ON servers(zone_no, private_ip);"
    "CREATE INDEX server_acgs_by_acg ON server_acgs(acg_no, server_no);",
    /* 3: list reads without child queries: ACG numbers and child counts on the row */
    "ALTER TABLE servers ADD COLUMN acg_nos TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE servers ADD COLUMN n_tags INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE servers ADD COLUMN n_parts INTEGER NOT NULL DEFAULT 0;"
    "UPDATE servers SET acg_nos = coalesce((SELECT group_concat(acg_no, ',') FROM"
    "  (SELECT acg_no FROM server_acgs x WHERE x.server_no = servers.no ORDER BY ord)), ''),"
    "  n_tags = (SELECT count(*) FROM server_tags t WHERE t.server_no = servers.no),"
    "  n_parts = (SELECT count(*) FROM server_parts p WHERE p.server_no = servers.no);",
    /* 4: a version per server row, bumped by every change (rendering cache key) */
    "ALTER TABLE servers ADD COLUMN version INTEGER NOT NULL DEFAULT 1;",
    /* 5: bootstrap done once per database (a flag, not "no account yet") */
    "INSERT INTO meta(key, value) SELECT 'bootstrapped', '1'"
    "  WHERE EXISTS (SELECT 1 FROM accounts);",
    /* 6: claim, act, confirm; due times clamped to their own wait */
    "ALTER TABLE transitions ADD COLUMN wait_ms INTEGER NOT NULL DEFAULT 1000;"
    "ALTER TABLE transitions ADD COLUMN phase INTEGER NOT NULL DEFAULT 1;"
    "ALTER TABLE transitions ADD COLUMN prev_status INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE transitions ADD COLUMN prev_op INTEGER NOT NULL DEFAULT 0;",
};

/* After the baseline, for every backend (version BASELINE + 1 + index). */
static const char *const migrations[] = {
    /* 7: several nodes: the fault switch in the store, one scheduler at a time
     * (a lease), the node that claimed a transition */
    "CREATE TABLE faults(op {INT} NOT NULL, no {INT} NOT NULL, times {INT} NOT NULL,"
    "  PRIMARY KEY(op, no)) {NOROWID};"
    "CREATE TABLE sched_lease(id {ID}, node TEXT NOT NULL, until_ms {INT} NOT NULL);"
    "INSERT INTO sched_lease(id, node, until_ms) VALUES(1, '', 0);"
    "ALTER TABLE transitions ADD COLUMN owner TEXT NOT NULL DEFAULT '';",
    /* 8: transitions of every kind of resource: the row names the kind and the
     * number (numbers are unique across kinds) */
    "ALTER TABLE transitions RENAME COLUMN server_no TO no;"
    "ALTER TABLE transitions ADD COLUMN res_kind {INT} NOT NULL DEFAULT 1;",
    /* 9: real machines (sched/hv.h): the public half of each login key, for the
     * machines' seeds ('' for keys made before) */
    "ALTER TABLE login_keys"
    " ADD COLUMN public_key TEXT NOT NULL DEFAULT '';",
    /* 10: a million servers in one account: totalRows from maintained counts, pages of a
     * zone or a status from their own indexes */
    "CREATE TABLE server_counts(account_id {INT} NOT NULL, zone_no {INT} NOT NULL,"
    "  status {INT} NOT NULL, n {INT} NOT NULL, PRIMARY KEY(account_id, zone_no, status))"
    "  {NOROWID};"
    "INSERT INTO server_counts(account_id, zone_no, status, n)"
    "  SELECT account_id, zone_no, status, count(*) FROM servers"
    "  GROUP BY account_id, zone_no, status;"
    "CREATE INDEX servers_by_status ON servers(account_id, status, no);"
    "CREATE INDEX servers_by_zone ON servers(account_id, zone_no, no);",
    /* 11: the classic resources of issue 11: block storage (the servers' BASIC disks stay
     * in `servers`), snapshots, public IPs, port forwarding, NAS volumes, member server
     * images, private subnets and network interfaces; per-server extras (internet line,
     * a recreate's pending image) */
    "CREATE TABLE blocks(no {ID}, account_id {INT} NOT NULL, server_no {INT} NOT NULL,"
    "  name TEXT NOT NULL, description TEXT NOT NULL, size {INT} NOT NULL, device TEXT NOT NULL,"
    "  detail TEXT NOT NULL, disk_type TEXT NOT NULL, status {INT} NOT NULL, op {INT} NOT NULL,"
    "  zone_no {INT} NOT NULL, create_ms {INT} NOT NULL, image_no {INT} NOT NULL DEFAULT 0);"
    "CREATE INDEX blocks_by_account ON blocks(account_id, no);"
    "CREATE INDEX blocks_by_server ON blocks(server_no);"
    "CREATE TABLE block_snapshots(no {ID}, account_id {INT} NOT NULL, name TEXT NOT NULL,"
    "  description TEXT NOT NULL, size {INT} NOT NULL, orig_no {INT} NOT NULL,"
    "  orig_name TEXT NOT NULL, image_code TEXT NOT NULL, os_info TEXT NOT NULL,"
    "  status {INT} NOT NULL, op {INT} NOT NULL, zone_no {INT} NOT NULL,"
    "  create_ms {INT} NOT NULL);"
    "CREATE INDEX block_snapshots_by_account ON block_snapshots(account_id, no);"
    "CREATE TABLE public_ips(no {ID}, account_id {INT} NOT NULL, ip TEXT NOT NULL UNIQUE,"
    "  description TEXT NOT NULL, inet_line TEXT NOT NULL, server_no {INT} NOT NULL,"
    "  status {INT} NOT NULL, op {INT} NOT NULL, zone_no {INT} NOT NULL,"
    "  create_ms {INT} NOT NULL);"
    "CREATE INDEX public_ips_by_account ON public_ips(account_id, no);"
    "CREATE INDEX public_ips_by_server ON public_ips(server_no);"
    "CREATE TABLE pf_configs(no {ID}, account_id {INT} NOT NULL, zone_no {INT} NOT NULL,"
    "  ip TEXT NOT NULL UNIQUE);"
    "CREATE UNIQUE INDEX pf_configs_by_zone ON pf_configs(account_id, zone_no);"
    "CREATE TABLE pf_rules(config_no {INT} NOT NULL, ext_port {INT} NOT NULL,"
    "  server_no {INT} NOT NULL, int_port {INT} NOT NULL, PRIMARY KEY(config_no, ext_port))"
    "  {NOROWID};"
    "CREATE UNIQUE INDEX pf_rules_by_server ON pf_rules(server_no);"
    "CREATE TABLE nas_volumes(no {ID}, account_id {INT} NOT NULL, name TEXT NOT NULL UNIQUE,"
    "  description TEXT NOT NULL, protocol TEXT NOT NULL, cifs_user TEXT NOT NULL,"
    "  size {INT} NOT NULL, snap_ratio {INT} NOT NULL, snap_day TEXT NOT NULL,"
    "  snap_hour {INT} NOT NULL, is_event {INT} NOT NULL, protect {INT} NOT NULL,"
    "  status {INT} NOT NULL, op {INT} NOT NULL, zone_no {INT} NOT NULL,"
    "  create_ms {INT} NOT NULL);"
    "CREATE INDEX nas_volumes_by_account ON nas_volumes(account_id, no);"
    "CREATE TABLE nas_acl(nas_no {INT} NOT NULL, ord {INT} NOT NULL, server_no {INT} NOT NULL,"
    "  custom_ip TEXT NOT NULL, write_access {INT} NOT NULL, PRIMARY KEY(nas_no, ord))"
    "  {NOROWID};"
    "CREATE INDEX nas_acl_by_server ON nas_acl(server_no);"
    "CREATE TABLE nas_snapshots(nas_no {INT} NOT NULL, name TEXT NOT NULL,"
    "  create_ms {INT} NOT NULL, size {INT} NOT NULL, PRIMARY KEY(nas_no, name)) {NOROWID};"
    "CREATE TABLE nas_history(nas_no {INT} NOT NULL, seq {INT} NOT NULL, ratio {INT} NOT NULL,"
    "  day_code TEXT NOT NULL, snap_hour {INT} NOT NULL, register_ms {INT} NOT NULL,"
    "  PRIMARY KEY(nas_no, seq)) {NOROWID};"
    "CREATE TABLE member_images(no {ID}, account_id {INT} NOT NULL, name TEXT NOT NULL,"
    "  description TEXT NOT NULL, server_no {INT} NOT NULL, server_name TEXT NOT NULL,"
    "  product_code TEXT NOT NULL, disk_type TEXT NOT NULL, image_code TEXT NOT NULL,"
    "  image_name TEXT NOT NULL, os_info TEXT NOT NULL, platform TEXT NOT NULL,"
    "  base_size {INT} NOT NULL, status {INT} NOT NULL, op {INT} NOT NULL,"
    "  zone_no {INT} NOT NULL, create_ms {INT} NOT NULL, n_disks {INT} NOT NULL,"
    "  total_size {INT} NOT NULL);"
    "CREATE INDEX member_images_by_account ON member_images(account_id, no);"
    "CREATE TABLE member_image_shares(image_no {INT} NOT NULL, login_id TEXT NOT NULL,"
    "  ord {INT} NOT NULL, PRIMARY KEY(image_no, login_id)) {NOROWID};"
    "CREATE INDEX member_image_shares_by_login ON member_image_shares(login_id);"
    "CREATE TABLE private_subnets(no {ID}, account_id {INT} NOT NULL, subnet TEXT NOT NULL,"
    "  description TEXT NOT NULL, zone_no {INT} NOT NULL, create_ms {INT} NOT NULL);"
    "CREATE TABLE nics(no {ID}, account_id {INT} NOT NULL, name TEXT NOT NULL,"
    "  ip TEXT NOT NULL, description TEXT NOT NULL, subnet_no {INT} NOT NULL,"
    "  server_no {INT} NOT NULL, zone_no {INT} NOT NULL, create_ms {INT} NOT NULL);"
    "CREATE INDEX nics_by_account ON nics(account_id, no);"
    "CREATE TABLE server_extras(server_no {ID}, inet_line TEXT NOT NULL);"
    "CREATE TABLE server_recreates(server_no {ID}, image_code TEXT NOT NULL,"
    "  name TEXT NOT NULL, user_data TEXT NOT NULL, tags TEXT NOT NULL);",
    /* 12: the VPC platform (issue 12): VPC servers are servers rows flagged vpc = 1
     * (the classic API lists only vpc = 0) with their VPC fields in vservers;
     * the network objects, VPC ACGs, interfaces, init scripts, block storages
     * and public IPs have tables of their own (store_vpc.c, store_vserver.c,
     * store_vstorage.c); login keys' public halves are migration 9's
     * login_keys.public_key. VPC servers are not in server_counts (classic
     * totals only; store.c count_key_of) */
    "ALTER TABLE servers ADD COLUMN vpc {INT} NOT NULL DEFAULT 0;"
    "CREATE TABLE vpcs(no {ID}, account_id {INT} NOT NULL, name TEXT NOT NULL,"
    "  cidr TEXT NOT NULL, region TEXT NOT NULL, status TEXT NOT NULL,"
    "  create_ms {INT} NOT NULL);"
    "CREATE INDEX vpcs_by_account ON vpcs(account_id, no);"
    "CREATE TABLE subnets(no {ID}, account_id {INT} NOT NULL, vpc_no {INT} NOT NULL,"
    "  zone TEXT NOT NULL, name TEXT NOT NULL, cidr TEXT NOT NULL, status TEXT NOT NULL,"
    "  subnet_type TEXT NOT NULL, usage_type TEXT NOT NULL, nacl_no {INT} NOT NULL,"
    "  route_table_no {INT} NOT NULL, create_ms {INT} NOT NULL);"
    "CREATE INDEX subnets_by_vpc ON subnets(vpc_no, no);"
    "CREATE INDEX subnets_by_nacl ON subnets(nacl_no);"
    "CREATE TABLE nacls(no {ID}, account_id {INT} NOT NULL, vpc_no {INT} NOT NULL,"
    "  name TEXT NOT NULL, description TEXT NOT NULL, status TEXT NOT NULL,"
    "  is_default {INT} NOT NULL, create_ms {INT} NOT NULL);"
    "CREATE INDEX nacls_by_vpc ON nacls(vpc_no, no);"
    "CREATE TABLE route_tables(no {ID}, account_id {INT} NOT NULL, vpc_no {INT} NOT NULL,"
    "  name TEXT NOT NULL, description TEXT NOT NULL, region TEXT NOT NULL,"
    "  subnet_type TEXT NOT NULL, status TEXT NOT NULL, is_default {INT} NOT NULL,"
    "  create_ms {INT} NOT NULL);"
    "CREATE INDEX route_tables_by_vpc ON route_tables(vpc_no, no);"
    "CREATE TABLE vacgs(no {ID}, account_id {INT} NOT NULL, vpc_no {INT} NOT NULL,"
    "  name TEXT NOT NULL, description TEXT NOT NULL, status TEXT NOT NULL,"
    "  is_default {INT} NOT NULL, create_ms {INT} NOT NULL);"
    "CREATE INDEX vacgs_by_vpc ON vacgs(vpc_no, no);"
    "CREATE INDEX vacgs_by_account ON vacgs(account_id, no);"
    "CREATE TABLE vacg_rules(no {ID}, acg_no {INT} NOT NULL, inbound {INT} NOT NULL,"
    "  protocol TEXT NOT NULL, ip_block TEXT NOT NULL, peer_acg_no {INT} NOT NULL,"
    "  port_range TEXT NOT NULL, description TEXT NOT NULL);"
    "CREATE INDEX vacg_rules_by_acg ON vacg_rules(acg_no, no);"
    "CREATE INDEX vacg_rules_by_peer ON vacg_rules(peer_acg_no);"
    "CREATE TABLE vnics(no {ID}, account_id {INT} NOT NULL, vpc_no {INT} NOT NULL,"
    "  subnet_no {INT} NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL,"
    "  ip TEXT NOT NULL, mac TEXT NOT NULL, status TEXT NOT NULL, server_no {INT} NOT NULL,"
    "  device {INT} NOT NULL, is_default {INT} NOT NULL, delete_on_term {INT} NOT NULL,"
    "  acg_nos TEXT NOT NULL, create_ms {INT} NOT NULL);"
    "CREATE INDEX vnics_by_subnet ON vnics(subnet_no, ip);"
    "CREATE INDEX vnics_by_server ON vnics(server_no, device);"
    "CREATE INDEX vnics_by_account ON vnics(account_id, no);"
    "CREATE TABLE vnic_acgs(nic_no {INT} NOT NULL, ord {INT} NOT NULL, acg_no {INT} NOT NULL,"
    "  PRIMARY KEY(nic_no, ord)) {NOROWID};"
    "CREATE INDEX vnic_acgs_by_acg ON vnic_acgs(acg_no, nic_no);"
    "CREATE TABLE vservers(no {ID}, account_id {INT} NOT NULL, vpc_no {INT} NOT NULL,"
    "  subnet_no {INT} NOT NULL, region TEXT NOT NULL, zone TEXT NOT NULL,"
    "  spec_code TEXT NOT NULL, image_no TEXT NOT NULL, hypervisor TEXT NOT NULL,"
    "  encrypted {INT} NOT NULL);"
    "CREATE INDEX vservers_by_subnet ON vservers(subnet_no);"
    "CREATE INDEX vservers_by_vpc ON vservers(vpc_no);"
    "CREATE INDEX servers_by_vpc_name ON servers(account_id, vpc, name);"
    "CREATE TABLE init_scripts(no {ID}, account_id {INT} NOT NULL, name TEXT NOT NULL,"
    "  description TEXT NOT NULL, content TEXT NOT NULL, os_type TEXT NOT NULL,"
    "  create_ms {INT} NOT NULL);"
    "CREATE INDEX init_scripts_by_account ON init_scripts(account_id, name);"
    "CREATE TABLE vstorages(no {ID}, account_id {INT} NOT NULL, server_no {INT} NOT NULL,"
    "  name TEXT NOT NULL, description TEXT NOT NULL, storage_type TEXT NOT NULL,"
    "  size_bytes {INT} NOT NULL, device TEXT NOT NULL, product_code TEXT NOT NULL,"
    "  status TEXT NOT NULL, op TEXT NOT NULL, disk_detail TEXT NOT NULL,"
    "  volume_type TEXT NOT NULL, hypervisor TEXT NOT NULL, zone TEXT NOT NULL,"
    "  region TEXT NOT NULL, max_iops {INT} NOT NULL, encrypted {INT} NOT NULL,"
    "  return_protection {INT} NOT NULL, create_ms {INT} NOT NULL);"
    "CREATE INDEX vstorages_by_account ON vstorages(account_id, no);"
    "CREATE INDEX vstorages_by_server ON vstorages(server_no, no);"
    "CREATE TABLE vpublic_ips(no {ID}, account_id {INT} NOT NULL, ip TEXT NOT NULL,"
    "  description TEXT NOT NULL, status TEXT NOT NULL, op TEXT NOT NULL,"
    "  server_no {INT} NOT NULL, create_ms {INT} NOT NULL, modify_ms {INT} NOT NULL);"
    "CREATE UNIQUE INDEX vpublic_ips_by_ip ON vpublic_ips(ip);"
    "CREATE INDEX vpublic_ips_by_account ON vpublic_ips(account_id, no);"
    "CREATE INDEX vpublic_ips_by_server ON vpublic_ips(server_no);",
};

#define N_MIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

int ncp_schema_version_known(void)
{
    return BASELINE + N_MIGRATIONS;
}

int ncp_schema_migrate(ncp_store_t *st, ncp_err_t *err)
{
    const ncp_db_ops_t *o = st->o;
    int target = ncp_schema_version_known(), v = 0;
    if (o->schema_version(st->db, &v, err) < 0)
        return -1;
    if (v == target)
        return 0;
    if (v > target) {
        ncp_err_internal(err,
                         "the database's schema (version %d) is newer than this ncpd knows"
                         " (version %d): run a newer ncpd",
                         v, target);
        return -1;
    }
    if (o->begin(st->db, true, err) < 0)
        return -1;
    /* again under the write lock: another process may have migrated */
    if (o->schema_version(st->db, &v, err) < 0)
        goto rollback;
    if (v > target) {
        ncp_err_internal(err, "the database's schema (version %d) is newer than this ncpd"
                              " knows (version %d): run a newer ncpd",
                         v, target);
        goto rollback;
    }
    int from = v;
    if (v == 0) {
        if (o->exec(st->db, baseline, err) < 0)
            goto rollback;
        v = BASELINE;
    }
    for (; v < BASELINE; v++) /* only SQLite databases can be older than the baseline */
        if (o->dialect != NCP_DIALECT_SQLITE || o->exec(st->db, sqlite_history[v], err) < 0)
            goto rollback;
    for (; v < target; v++)
        if (o->exec(st->db, migrations[v - BASELINE], err) < 0)
            goto rollback;
    if (o->set_schema_version(st->db, target, err) < 0 || o->commit(st->db, err) < 0)
        goto rollback;
    if (from != target)
        ncp_log_notice("event=migrate schema_from=%d schema_to=%d backend=%s", from, target,
                       o->name);
    return 0;
rollback:
    if (!err->is_set)
        ncp_err_internal(err, "migration from version %d failed", v);
    o->rollback(st->db);
    return -1;
}
