/* fuzz_dispatch.c: libFuzzer target for the whole request pipeline
 * (act/act.h, ncp_dispatch) against a real SQLite store and the simulator.
 *
 * Set-up (LLVMFuzzerInitialize): a database in a fresh mkdtemp directory
 * (/dev/shm when it exists, so commits cost no disk flush) holding account
 * A (the seed fixture: servers 1021003-1021006, login key juhoon-kim, ACG
 * 39995, public IP 1021203 of 1021003, port forwarding 31260 / 31259, private
 * subnets 1021301-1021302) and account B (one login key, one running server
 * 1021900 with a block storage 1021902, a free public IP 1021903), both
 * with API keys sealed under a fixed master key. A copy of every table is
 * kept in memory and put back before each input, so an input is replayed
 * from the same state (crashers reproduce) and the clock is injected.
 *
 * Input: up to 16 requests separated by the byte 0x1e. Each request is
 *     FLAGS ACTION '\n' QUERY '\n' BODY
 * ACTION is an action name (path /server/v2/ACTION), "vpc:NAME" or
 * "vserver:NAME" (/vpc/v2/NAME, /vserver/v2/NAME: the VPC APIs), a raw path
 * starting with '/', "METHOD /path", or "!fault" (POST /_ncpd/faults with the
 * admin token: the fault switch). FLAGS is one byte:
 *     bits 0-2  signature: 0-4 correct (v2 header), 5 correct (v1 header),
 *               6 over another URI, 7 expired timestamp (bit 3 set: none)
 *     bit 3     sign with account B's key instead of A's
 *     bits 4-5  scheduler passes afterwards: 0, 1, 2, or 3 = until idle (max 8)
 *     bit 6     GET instead of POST
 *     bit 7     the body is not a form (Content-Type other than urlencoded)
 * so '0' (0x30) is "A, correctly signed POST, then run transitions to the end".
 *
 * After every request and every scheduler pass, checked through the store
 * ops (so any backend would do):
 *   - the status is one of 200/400/401/403/404/413/500, and 500 only for an
 *     action whose driver operation the fault switch armed before;
 *   - the body parses as JSON (jansson) when the content type says so and
 *     as XML (libxml2) otherwise; the format is the one asked with
 *     responseFormatType, except for gateway errors (always JSON); JSON
 *     envelopes survive the Go SDK's slicing;
 *   - every server is in a state the machine allows (ncp_state_valid);
 *   - a server has an operation other than NULL iff it has a transition row;
 *     every transition row belongs to a live server of the same account;
 *   - every server has its instance row (kind server, same account, live);
 *   - every block storage, snapshot, public IP, NAS volume and member image
 *     is in a state its machine allows (ncp_rstate_valid); it has a pending
 *     transition row iff it shows an operation (or INIT, a create's first
 *     state); every row of such a kind belongs to a live resource of the same
 *     account; an attached disk's server and an associated IP's server are
 *     live servers of the account, and that server shows the IP as publicIp;
 *   - the VPC platform (account B owns a VPC with a subnet from the set-up):
 *     every VPC server is in a state the machine allows, shows an operation
 *     iff it has a transition row, has its instance row (kind VPC server)
 *     and its VPC fields; every transition row of a VPC object names a path
 *     of vstate.c for its kind and a live object; every interface, block
 *     storage and public IP attached to a server is attached to a live VPC
 *     server of its account; VPC errors are responseError bodies (a 404
 *     only for the actions this ncpd does not serve);
 *   - a request signed by one account leaves the other's servers, login
 *     keys, ACGs, disks, snapshots, public IPs, NAS volumes, images and VPC
 *     objects unchanged, and never shows their numbers;
 *   - no scheduler pass fails.
 * Set NCPD_FUZZ_LOG=1 to see ncpd's own log lines (internal error details). */
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <sqlite3.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "act/act.h"
#include "store/commit.h"
#include "store/store_vpc.h"
#include "domain/fixture.h"
#include "domain/rstate.h"
#include "domain/state.h"
#include "store/store_image.h"
#include "store/store_nas.h"
#include "store/store_net.h"
#include "store/store_res.h"
#include "store/store_seed.h"
#include "store/store_storage.h"
#include "domain/vstate.h"
#include "proto/auth.h"
#include "proto/form.h"
#include "util/clock.h"
#include "util/crypto.h"
#include "util/log.h"

#define FAIL(...)                                                                            \
    do {                                                                                     \
        fprintf(stderr, "fuzz_dispatch: invariant failed: " __VA_ARGS__);                    \
        fputc('\n', stderr);                                                                 \
        remove_dir(dir);                                                                     \
        abort();                                                                             \
    } while (0)

#define T0_MS 1700000000000LL /* the clock at the start of every input */
#define STEP_MS 1000
#define MAX_REQUESTS 16
#define MAX_PASSES 8
#define ADMIN_TOKEN "fuzz-admin-token"

static const char AK_A[] = "FUZZACCESSKEYA000001";
static const char SK_A[] = "fuzzSecretKeyOfAccountA0000000000000000A";
static const char AK_B[] = "FUZZACCESSKEYB000002";
static const char SK_B[] = "fuzzSecretKeyOfAccountB0000000000000000B";

static char dir[128], db_path[160];
static ncp_app_t app;
static ncp_store_t *st;
static sqlite3 *ref; /* our own connection: snapshot and restore only */
static int64_t data_version = -1;
static int64_t account_a, account_b;
static ncp_arena_t *arena, *scratch;
static int64_t now_ms;
static bool armed[NCP_DRV__N];
static int req_no;
/* instance numbers of each account that the other must never be shown */
static const char *const numbers_a[] = {"1021003", "1021004", "1021005", "1021006", "39995",
                                        "1021103", "1021203", "31260",   "31259",   "1021301"};
static const char *const numbers_b[] = {"1021900", "1021902", "1021903"};
static char acg_b_no[24]; /* B's default ACG, allocated at set-up */
static char vpc_b[4][24]; /* B's VPC, its default network ACL and ACG, its subnet */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Removes a database directory of ours (flat: the db, -wal, -shm). */
static void remove_dir(const char *d)
{
    if (!d[0])
        return;
    DIR *dh = opendir(d);
    if (dh) {
        struct dirent *e;
        char p[512];
        while ((e = readdir(dh)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            snprintf(p, sizeof(p), "%s/%s", d, e->d_name);
            unlink(p);
        }
        closedir(dh);
    }
    rmdir(d);
}

static void cleanup_at_exit(void)
{
    ncp_commit_free(app.committer);
    app.committer = NULL;
    remove_dir(dir);
}

/* Directories "ncpd-fuzz.<pid>.XXXXXX" of fuzzer processes that are gone
 * (killed by a sanitizer before they could clean up). */
static void sweep_stale(const char *base)
{
    DIR *dh = opendir(base);
    if (!dh)
        return;
    struct dirent *e;
    char p[512];
    while ((e = readdir(dh)) != NULL) {
        long pid;
        if (sscanf(e->d_name, "ncpd-fuzz.%ld.", &pid) != 1 || pid <= 0)
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        snprintf(p, sizeof(p), "%s/%s", base, e->d_name);
        remove_dir(p);
    }
    closedir(dh);
}

static int64_t fuzz_clock(void)
{
    return now_ms;
}

static void xml_silent(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static void check_err(int r, const ncp_err_t *err, const char *what)
{
    if (r < 0)
        FAIL("set-up: %s: %s", what, err->detail[0] ? err->detail : err->msg);
}

/* ---- set-up ------------------------------------------------------------- */

/* An account with one API key, its default ACG (acg_no 0: allocate) and
 * the three default rules, like `ncpd account create`. */
static int64_t account_new(const char *name, const char *ak, const char *sk, int64_t acg_no,
                           int64_t acg_ms, ncp_acg_t *acg_out)
{
    const ncp_store_ops_t *so = app.so;
    ncp_err_t err;
    ncp_err_init(&err);
    int64_t id;
    check_err(so->account_add(st, name, T0_MS, &id, &err), &err, "account_add");
    uint8_t sealed[64 + NCP_SEAL_OVERHEAD];
    size_t sl = strlen(sk);
    if (ncp_seal(app.master_key, sk, sl, sealed) < 0)
        FAIL("set-up: seal");
    ncp_key_t k = {.access_key = ak, .account_id = id, .secret_sealed = sealed,
                   .secret_sealed_len = sl + NCP_SEAL_OVERHEAD, .create_ms = T0_MS};
    check_err(so->key_add(st, &k, &err), &err, "key_add");
    if (!acg_no)
        check_err(so->instance_next_no(st, &acg_no, &err), &err, "instance_next_no");
    ncp_acg_t acg = {acg_no, id, "ncloud-default-acg", "Default AccessControlGroup", true,
                     acg_ms ? acg_ms : T0_MS};
    ncp_instance_t in = {acg_no, NCP_KIND_ACG, id, false};
    check_err(so->acg_put(st, &acg, &err), &err, "acg_put");
    check_err(so->instance_put(st, &in, &err), &err, "instance_put");
    *acg_out = acg;
    static const char *ports[] = {"22", "3389", "80"};
    for (size_t i = 0; i < 3; i++) {
        ncp_acg_rule_t rule = {0, acg_no, "TCP", "0.0.0.0/0", 0, "", ports[i], ""};
        check_err(so->counter_next(st, "acg_rule", 140892, &rule.no, &err), &err, "counter");
        check_err(so->acg_rule_put(st, &rule, &err), &err, "acg_rule_put");
    }
    return id;
}

static void server_add(const ncp_server_t *tmpl, int64_t account, int64_t no, int64_t disk_no,
                       const ncp_acg_t *acg)
{
    const ncp_store_ops_t *so = app.so;
    ncp_err_t err;
    ncp_err_init(&err);
    ncp_server_t s = *tmpl;
    s.account_id = account;
    s.no = no;
    s.basic_storage_no = disk_no;
    /* a sealed root password, as createServerInstances stores them */
    static const char pw[] = "FuzzRootPw12";
    uint8_t sealed[sizeof(pw) - 1 + NCP_SEAL_OVERHEAD];
    char hex[2 * sizeof(sealed) + 1];
    if (ncp_seal(app.master_key, pw, sizeof(pw) - 1, sealed) < 0)
        FAIL("set-up: seal");
    ncp_hex(sealed, sizeof(sealed), hex);
    s.root_password = hex;
    ncp_acg_t a = *acg;
    s.acgs = &a;
    s.n_acgs = 1;
    ncp_instance_t in = {no, NCP_KIND_SERVER, account, false};
    ncp_instance_t disk = {disk_no, NCP_KIND_STORAGE, account, false};
    check_err(so->server_put(st, &s, &err), &err, "server_put");
    check_err(so->instance_put(st, &in, &err), &err, "instance_put");
    check_err(so->instance_put(st, &disk, &err), &err, "instance_put");
}

static void sql(const char *q)
{
    char *msg = NULL;
    if (sqlite3_exec(ref, q, NULL, NULL, &msg) != SQLITE_OK)
        FAIL("%s: %s", q, msg ? msg : "?");
}

/* Copies every table of the database into the attached in-memory `tmpl`. */
static void snapshot_tables(void)
{
    sql("ATTACH ':memory:' AS tmpl");
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(ref,
                           "SELECT name FROM main.sqlite_master WHERE type='table'"
                           " AND name NOT LIKE 'sqlite_%'",
                           -1, &s, NULL) != SQLITE_OK)
        FAIL("snapshot: %s", sqlite3_errmsg(ref));
    char q[512];
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(s, 0);
        snprintf(q, sizeof(q), "CREATE TABLE tmpl.\"%s\" AS SELECT * FROM main.\"%s\"", t, t);
        sql(q);
    }
    sqlite3_finalize(s);
}

static int64_t ref_data_version(void)
{
    sqlite3_stmt *s;
    int64_t v = -1;
    if (sqlite3_prepare_v2(ref, "PRAGMA data_version", -1, &s, NULL) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
        v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

/* Puts every table back as it was after set-up (skipped when no other
 * connection has committed since the last restore). */
static void restore_tables(void)
{
    int64_t v = ref_data_version();
    if (v == data_version && v >= 0)
        return;
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(ref, "SELECT name FROM tmpl.sqlite_master WHERE type='table'", -1, &s,
                           NULL) != SQLITE_OK)
        FAIL("restore: %s", sqlite3_errmsg(ref));
    /* BUSY here means a connection of ncpd kept a transaction open */
    char *msg = NULL;
    if (sqlite3_exec(ref, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK)
        FAIL("restore: BEGIN IMMEDIATE: %s (a store connection left a transaction open?)",
             msg ? msg : "?");
    char q[512];
    while (sqlite3_step(s) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(s, 0);
        snprintf(q, sizeof(q),
                 "DELETE FROM main.\"%s\"; INSERT INTO main.\"%s\" SELECT * FROM tmpl.\"%s\"", t,
                 t, t);
        sql(q);
    }
    sqlite3_finalize(s);
    sql("COMMIT");
    data_version = ref_data_version();
}

/* One signed request of the set-up (account B), which must succeed. */
static void setup_call(ncp_arena_t *a, const char *path, const char *body)
{
    char ts[32], sig[45];
    snprintf(ts, sizeof(ts), "%" PRId64, now_ms);
    ncp_auth_sign(SK_B, "POST", path, ts, AK_B, sig);
    ncp_request_t rq = {.method = "POST", .raw_uri = path, .body = body,
                        .body_len = strlen(body), .body_is_form = true, .h_timestamp = ts,
                        .h_access_key = AK_B, .h_sig_v2 = sig};
    ncp_response_t resp = {0};
    ncp_buf_init(&resp.body, 1 << 20);
    ncp_dispatch(&app, st, a, &rq, &resp);
    if (resp.status != 200)
        FAIL("set-up: %s %s -> %d %.*s", path, body, resp.status, (int)resp.body.len,
             resp.body.data ? resp.body.data : "");
    ncp_buf_release(&resp.body);
    for (int i = 0; i < 4; i++) { /* transitions to their end */
        now_ms += STEP_MS;
        ncp_err_t err;
        ncp_err_init(&err);
        if (ncp_sched_run_due(app.sched, now_ms, &err) < 0)
            FAIL("set-up: scheduler: %s", err.detail);
    }
}

/* The first column of the one row of q (text), into out. */
static void sql_text(const char *q, char *out, size_t cap)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(ref, q, -1, &s, NULL) != SQLITE_OK || sqlite3_step(s) != SQLITE_ROW)
        FAIL("set-up: %s: %s", q, sqlite3_errmsg(ref));
    snprintf(out, cap, "%s", (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
}

/* Account B gets a VPC (with its defaults) and a subnet, so that isolation
 * covers the VPC platform's objects too. */
static void vpc_setup(void)
{
    ncp_arena_t *a = ncp_arena_new(64 * 1024);
    ncp_err_t err;
    ncp_err_init(&err);
    app.drv.d = app.drv.ops->open(NULL, &err);
    if (!app.drv.d)
        FAIL("set-up: driver: %s", err.detail);
    setup_call(a, "/vpc/v2/createVpc", "ipv4CidrBlock=10.77.0.0%2F16&vpcName=b-vpc");
    sql_text("SELECT no FROM vpcs", vpc_b[0], sizeof(vpc_b[0]));
    sql_text("SELECT no FROM nacls", vpc_b[1], sizeof(vpc_b[1]));
    sql_text("SELECT no FROM vacgs", vpc_b[2], sizeof(vpc_b[2]));
    char body[256];
    snprintf(body, sizeof(body),
             "vpcNo=%s&subnet=10.77.1.0%%2F24&zoneCode=KR-2&networkAclNo=%s&subnetTypeCode=PUBLIC",
             vpc_b[0], vpc_b[1]);
    setup_call(a, "/vpc/v2/createSubnet", body);
    sql_text("SELECT no FROM subnets", vpc_b[3], sizeof(vpc_b[3]));
    app.drv.ops->close(app.drv.d);
    app.drv.d = NULL;
    ncp_arena_free(a);
    now_ms = T0_MS;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *log = getenv("NCPD_FUZZ_LOG");
    ncp_log_set_level(log && *log == '1' ? NCP_LOG_DEBUG : (ncp_log_level_t)(NCP_LOG_ERROR + 1));
    xmlInitParser();
    xmlSetGenericErrorFunc(NULL, xml_silent);
    struct stat sb;
    const char *base = stat("/dev/shm", &sb) == 0 && S_ISDIR(sb.st_mode) ? "/dev/shm" : "/tmp";
    sweep_stale(base);
    snprintf(dir, sizeof(dir), "%s/ncpd-fuzz.%ld.XXXXXX", base, (long)getpid());
    if (!mkdtemp(dir)) {
        dir[0] = '\0';
        FAIL("set-up: mkdtemp in %s: %s", base, strerror(errno));
    }
    atexit(cleanup_at_exit);
    snprintf(db_path, sizeof(db_path), "%s/ncpd.db", dir);
    now_ms = T0_MS;
    ncp_clock_set(fuzz_clock);

    if (ncp_act_check_table() < 0)
        FAIL("set-up: the action table and the handlers disagree");
    for (int i = 0; i < NCP_MASTER_KEY_LEN; i++)
        app.master_key[i] = (uint8_t)(0xa5 ^ i);
    app.so = ncp_store_backend("sqlite");
    app.step_ms = STEP_MS;
    app.admin_token = ADMIN_TOKEN;
    app.log_requests = false;
    ncp_err_t err;
    ncp_err_init(&err);
    st = app.so->open(db_path, &err);
    if (!st)
        FAIL("set-up: open %s: %s", db_path, err.detail);

    const ncp_fixture_t *f = ncp_fixture_seed();
    check_err(app.so->begin(st, true, &err), &err, "begin");
    check_err(app.so->instance_seq_at_least(st, f->next_no, &err), &err, "seq");
    ncp_acg_t acg_a, acg_b;
    account_a = account_new("default", AK_A, SK_A, f->acgs[0].no, f->acgs[0].create_ms, &acg_a);
    for (size_t i = 0; i < f->n_keys; i++) {
        ncp_login_key_t k = f->keys[i];
        k.account_id = account_a;
        check_err(app.so->login_key_put(st, &k, &err), &err, "login_key_put");
    }
    for (size_t i = 0; i < f->n_servers; i++)
        server_add(&f->servers[i], account_a, f->servers[i].no, f->servers[i].basic_storage_no,
                   &acg_a);
    check_err(ncp_store_seed_extras(st, f, account_a, &err), &err, "seed extras");
    account_b = account_new("other", AK_B, SK_B, 0, 0, &acg_b);
    snprintf(acg_b_no, sizeof(acg_b_no), "%" PRId64, acg_b.no);
    ncp_login_key_t kb = {account_b, "other-key", "11:11:11:11:11:11:11:11:11:11:11:11:11:11:11:11",
                          T0_MS};
    check_err(app.so->login_key_put(st, &kb, &err), &err, "login_key_put B");
    ncp_server_t sb_tmpl = f->servers[1];
    sb_tmpl.name = "other-01";
    sb_tmpl.login_key = "other-key";
    sb_tmpl.private_ip = "10.41.0.99";
    sb_tmpl.tags = NULL;
    sb_tmpl.n_tags = 0;
    sb_tmpl.pf_public_ip = "106.10.200.1";
    server_add(&sb_tmpl, account_b, 1021900, 1021901, &acg_b);
    /* B's block storage on its server, a free public IP, its zone's port forwarding */
    ncp_disk_t disk_b = {.no = 1021902, .account_id = account_b, .server_no = 1021900,
                         .name = "b-disk", .description = "", .size = 10737418240LL,
                         .device = "/dev/xvdb", .detail = "HDD", .disk_type = "NET",
                         .status = NCP_RS_ATTAC, .op = NCP_RO_NULL, .zone_no = 2,
                         .create_ms = T0_MS};
    ncp_public_ip_t ip_b = {.no = 1021903, .account_id = account_b, .ip = "49.236.250.1",
                            .description = "", .line = "PUBLC", .status = NCP_RS_CREAT,
                            .op = NCP_RO_NULL, .zone_no = 2, .create_ms = T0_MS};
    ncp_pf_config_t pf_b = {1021904, account_b, 2, "106.10.200.1"};
    ncp_instance_t in_b[] = {{1021902, NCP_KIND_STORAGE, account_b, false},
                             {1021903, NCP_KIND_PUBLIC_IP, account_b, false},
                             {1021904, NCP_KIND_PF_CONFIG, account_b, false}};
    check_err(ncp_store_disk_put(st, &disk_b, &err), &err, "disk B");
    check_err(ncp_store_ip_put(st, &ip_b, &err), &err, "public IP B");
    check_err(ncp_store_pf_config_put(st, &pf_b, &err), &err, "pf config B");
    for (size_t i = 0; i < 3; i++)
        check_err(app.so->instance_put(st, &in_b[i], &err), &err, "instance B");
    check_err(app.so->commit(st, &err), &err, "commit");

    app.drv.ops = ncp_drv_backend("sim");
    /* writes go through the group committer as in ncpd, unless NCPD_FUZZ_COMMIT=0
     * (then each request and scheduler pass runs in its own transaction) */
    const char *cm = getenv("NCPD_FUZZ_COMMIT");
    if (!(cm && cm[0] == '0')) {
        app.committer = ncp_commit_new(app.so, db_path, &err);
        if (!app.committer || ncp_commit_start(app.committer) < 0)
            FAIL("set-up: committer: %s", err.detail);
    }
    app.sched = ncp_sched_new(app.so, db_path, STEP_MS, app.committer, &app.drv, "fuzz", &err);
    if (!app.sched)
        FAIL("set-up: scheduler: %s", err.detail);
    if (sqlite3_open_v2(db_path, &ref, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        FAIL("set-up: our connection: %s", sqlite3_errmsg(ref));
    sqlite3_busy_timeout(ref, 2000);
    vpc_setup();
    snapshot_tables();
    scratch = ncp_arena_new(64 * 1024);
    arena = ncp_arena_new(64 * 1024);
    fprintf(stderr, "fuzz_dispatch: database %s (accounts %" PRId64 ", %" PRId64 ")\n", db_path,
            account_a, account_b);
    return 0;
}

/* ---- one request -------------------------------------------------------- */

typedef struct request {
    uint8_t flags;
    const char *action; /* as written in the input */
    size_t action_len;
    const char *query, *body;
    size_t query_len, body_len;
} request_t;

/* Splits one record: FLAGS ACTION '\n' QUERY '\n' BODY. */
static void parse_record(const uint8_t *p, size_t n, request_t *r)
{
    memset(r, 0, sizeof(*r));
    if (!n)
        return;
    r->flags = p[0];
    const char *s = (const char *)p + 1, *end = (const char *)p + n;
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    r->action = s;
    r->action_len = nl ? (size_t)(nl - s) : (size_t)(end - s);
    if (!nl)
        return;
    s = nl + 1;
    nl = memchr(s, '\n', (size_t)(end - s));
    r->query = s;
    r->query_len = nl ? (size_t)(nl - s) : (size_t)(end - s);
    if (!nl)
        return;
    r->body = nl + 1;
    r->body_len = (size_t)(end - r->body);
}

/* NUL-terminated copy that stops at the first NUL (C strings can't hold one). */
static char *cstr(const char *s, size_t n)
{
    const char *z = s ? memchr(s, '\0', n) : NULL;
    return ncp_arena_strndup(scratch, s ? s : "", z ? (size_t)(z - s) : (s ? n : 0));
}

/* The format asked by responseFormatType (last one wins), or -1 when the
 * parameters do not parse (a gateway error follows). */
static int asked_format(const char *raw_uri, const char *body, size_t body_len, bool is_form)
{
    ncp_kvs_t kvs = {0};
    ncp_err_t err;
    ncp_err_init(&err);
    const char *q = strchr(raw_uri, '?');
    if (q && ncp_form_parse(scratch, q + 1, strlen(q + 1), NCP_SRC_QUERY, &kvs, &err) < 0)
        return -1;
    if (body_len && is_form &&
        ncp_form_parse(scratch, body, body_len, NCP_SRC_BODY, &kvs, &err) < 0)
        return -1;
    int fmt = NCP_FMT_XML;
    for (size_t i = 0; i < kvs.n; i++) {
        if (kvs.v[i].name_len != 18 || memcmp(kvs.v[i].name, "responseFormatType", 18) != 0)
            continue;
        /* a NUL value is refused (910) in the format of the occurrences before it */
        if (memchr(kvs.v[i].val, '\0', kvs.v[i].val_len))
            return -1;
        fmt = kvs.v[i].val_len == 4 && strncasecmp(kvs.v[i].val, "json", 4) == 0 ? NCP_FMT_JSON
                                                                                  : NCP_FMT_XML;
    }
    return fmt;
}

/* The last path segment before '?': the action a route resolves to. */
static const char *action_of(const char *raw_uri)
{
    size_t n = strcspn(raw_uri, "?");
    while (n && raw_uri[n - 1] == '/')
        n--;
    size_t b = n;
    while (b && raw_uri[b - 1] != '/')
        b--;
    return ncp_arena_strndup(scratch, raw_uri + b, n - b);
}

static void dump_response(const ncp_request_t *rq, const ncp_response_t *resp)
{
    fprintf(stderr, "fuzz_dispatch: request %d: %s %s\n  body (%zu): %.*s\n  -> %d %s\n  %.*s\n",
            req_no, rq->method, rq->raw_uri, rq->body_len,
            (int)(rq->body_len > 2000 ? 2000 : rq->body_len), rq->body ? rq->body : "",
            resp->status, resp->content_type ? resp->content_type : "(none)",
            (int)(resp->body.len > 4000 ? 4000 : resp->body.len),
            resp->body.data ? resp->body.data : "");
}

static void check_response(const ncp_request_t *rq, const ncp_response_t *resp, int asked,
                           bool fault_ok)
{
    int s = resp->status;
    if (s != 200 && s != 400 && s != 401 && s != 403 && s != 404 && s != 413 && s != 500) {
        dump_response(rq, resp);
        FAIL("unexpected HTTP status %d", s);
    }
    if (s == 500 && !fault_ok) {
        dump_response(rq, resp);
        FAIL("HTTP 500 without an armed fault for this action "
             "(run with NCPD_FUZZ_LOG=1 for the detail)");
    }
    if (!resp->content_type) {
        dump_response(rq, resp);
        FAIL("no content type");
    }
    const char *body = resp->body.data ? resp->body.data : "";
    size_t len = resp->body.len;
    bool is_json = strncmp(resp->content_type, "application/json", 16) == 0;
    bool is_xml = strncmp(resp->content_type, "application/xml", 15) == 0;
    if (!is_json && !is_xml) {
        dump_response(rq, resp);
        FAIL("content type %s", resp->content_type);
    }
    bool gateway = len >= 9 && memcmp(body, "{\"error\":", 9) == 0;
    bool admin = strncmp(rq->raw_uri, "/_ncpd/", 7) == 0 || strstr(rq->raw_uri, "_ncpd/");
    if (!gateway && !admin && s != 401 && s != 403 && s != 404 && asked >= 0 &&
        is_json != (asked == NCP_FMT_JSON)) {
        dump_response(rq, resp);
        FAIL("answered in %s, %s was asked", is_json ? "JSON" : "XML",
             asked == NCP_FMT_JSON ? "JSON" : "XML");
    }
    bool vpc_api = strncmp(rq->raw_uri, "/vpc/v2/", 8) == 0 ||
                   strncmp(rq->raw_uri, "/vserver/v2/", 12) == 0;
    bool unsupported = s == 404 && vpc_api &&
                       (memmem(body, len, "is not supported by this ncpd", 29) != NULL);
    if ((s == 401 || s == 403 || s == 404) && !gateway && !unsupported) {
        dump_response(rq, resp);
        FAIL("HTTP %d without a gateway error body", s);
    }
    /* the VPC APIs answer every error after the signature with a responseError */
    if (vpc_api && gateway && s != 401 && s != 404 && s != 413) {
        dump_response(rq, resp);
        FAIL("a VPC API answered HTTP %d with a gateway body", s);
    }
    if (is_json) {
        json_error_t je;
        json_t *j = json_loadb(body, len, JSON_ALLOW_NUL, &je);
        if (!j || !json_is_object(j)) {
            dump_response(rq, resp);
            FAIL("JSON body does not parse: %s (line %d col %d)", je.text, je.line, je.column);
        }
        /* envelopes {"xResponse": {...}} must survive the Go SDK slicing */
        const char *k;
        json_t *v;
        bool envelope = json_object_size(j) == 1;
        json_object_foreach(j, k, v) envelope = envelope && json_is_object(v);
        json_decref(j);
        if (envelope) {
            const char *brace = memchr(body + 1, '{', len - 1);
            size_t i = brace ? (size_t)(brace - body) - 1 : 0;
            j = brace && body[len - 1] == '}'
                    ? json_loadb(body + i, len - 1 - i, JSON_ALLOW_NUL, &je)
                    : NULL;
            if (!j || !json_is_object(j)) {
                dump_response(rq, resp);
                FAIL("Go SDK slicing body[%zu:%zu] does not parse", i, len - 1);
            }
            json_decref(j);
        }
    } else {
        xmlDocPtr doc = xmlReadMemory(body, (int)len, "response.xml", "UTF-8",
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
        if (!doc) {
            dump_response(rq, resp);
            FAIL("XML body does not parse");
        }
        xmlFreeDoc(doc);
    }
}

/* ---- store invariants --------------------------------------------------- */

typedef struct walk {
    ncp_buf_t *out;     /* fingerprint of what was seen (isolation check) */
    const char *when;
} walk_t;

static int server_cb(void *p, const ncp_server_t *s)
{
    walk_t *w = p;
    if (s->status >= NCP_ST__N || s->op >= NCP_OP__N || !ncp_state_valid(s->status, s->op))
        FAIL("%s: server %" PRId64 " in an illegal state (%d, %d) = %s/%s", w->when, s->no,
             (int)s->status, (int)s->op, ncp_state_status_code(s->status),
             ncp_state_op_code(s->op));
    ncp_err_t err;
    ncp_err_init(&err);
    ncp_trans_t t;
    int r = app.so->trans_get(st, scratch, s->no, &t, &err);
    if (r < 0)
        FAIL("%s: trans_get: %s", w->when, err.detail);
    if (s->op != NCP_OP_NULL && r == 0)
        FAIL("%s: server %" PRId64 " shows operation %s but has no pending transition", w->when,
             s->no, ncp_state_op_code(s->op));
    /* createServerInstances answers INIT/NULL with its CREATE row pending until
     * the first step (state.c's path table), so the converse has that exception */
    if (s->op == NCP_OP_NULL && r == 1 &&
        !((t.kind == NCP_TR_CREATE || t.kind == NCP_TR_RECREATE) && t.step == 0 &&
          s->status == NCP_ST_INIT))
        FAIL("%s: server %" PRId64 " (%s/NULL) has a pending transition of kind %d", w->when,
             s->no, ncp_state_status_code(s->status), (int)t.kind);
    ncp_instance_t in;
    r = app.so->instance_get(st, s->no, &in, &err);
    if (r != 1 || in.kind != NCP_KIND_SERVER || in.account_id != s->account_id || in.deleted)
        FAIL("%s: server %" PRId64 " has no live instance row of its account (r=%d kind=%d "
             "deleted=%d)",
             w->when, s->no, r, (int)in.kind, (int)in.deleted);
    if (w->out)
        ncp_buf_printf(w->out, "%" PRId64 "|%d|%d|%s|%s|%d|%s|%s|%zu|%zu;", s->no, (int)s->status,
                       (int)s->op, s->name, s->description, (int)s->protect, s->product_code,
                       s->login_key, s->n_tags, s->n_acgs);
    return 0;
}

static int key_cb(void *p, const ncp_login_key_t *k)
{
    ncp_buf_printf(p, "key:%s|%s;", k->name, k->fingerprint);
    return 0;
}

static int acg_cb(void *p, const ncp_acg_t *g)
{
    ncp_buf_printf(p, "acg:%" PRId64 "|%s;", g->no, g->name);
    return 0;
}

/* ---- the resources of issue 11 ------------------------------------------ */

typedef struct rwalk {
    ncp_buf_t *out;
    const char *when;
    int64_t account;
} rwalk_t;

/* A resource's state and its transition row agree (rstate.c's invariant). */
static void check_res(const rwalk_t *w, ncp_kind_t kind, int64_t no, int status, int op)
{
    if (!ncp_rstate_valid(kind, (ncp_rstatus_t)status, (ncp_rop_t)op))
        FAIL("%s: %s %" PRId64 " in an illegal state %s/%s", w->when,
             kind == NCP_KIND_STORAGE ? "disk" : "resource", no,
             ncp_rstate_status_code((ncp_rstatus_t)status), ncp_rstate_op_code((ncp_rop_t)op));
    ncp_err_t err;
    ncp_err_init(&err);
    ncp_trans_t t;
    int r = app.so->trans_get(st, scratch, no, &t, &err);
    if (r < 0)
        FAIL("%s: trans_get: %s", w->when, err.detail);
    bool busy = op != NCP_RO_NULL || status == NCP_RS_INIT;
    if (busy != (r == 1))
        FAIL("%s: resource %" PRId64 " (kind %d) at %s/%s %s a pending transition", w->when, no,
             (int)kind, ncp_rstate_status_code((ncp_rstatus_t)status),
             ncp_rstate_op_code((ncp_rop_t)op), busy ? "without" : "with");
    if (r == 1 && (t.res_kind != kind || t.account_id != w->account))
        FAIL("%s: transition row of %" PRId64 " names kind %d account %" PRId64, w->when, no,
             (int)t.res_kind, t.account_id);
}

static void live_server(const rwalk_t *w, int64_t no, const char *what, ncp_server_t *out)
{
    ncp_err_t err;
    ncp_err_init(&err);
    if (app.so->server_get(st, scratch, w->account, no, out, &err) != 1)
        FAIL("%s: %s names server %" PRId64 " that is not a live server of the account",
             w->when, what, no);
}

static int disk_cb(void *p, const ncp_disk_t *d)
{
    const rwalk_t *w = p;
    if (d->basic)
        return 0;
    check_res(w, NCP_KIND_STORAGE, d->no, d->status, d->op);
    ncp_server_t s;
    if (d->status == NCP_RS_ATTAC || d->op == NCP_RO_ATTAC)
        live_server(w, d->server_no, "an attached disk", &s);
    if (d->status == NCP_RS_ATTAC && d->op == NCP_RO_NULL && strncmp(d->device, "/dev/xvd", 8))
        FAIL("%s: attached disk %" PRId64 " has device '%s'", w->when, d->no, d->device);
    if (w->out)
        ncp_buf_printf(w->out, "disk:%" PRId64 "|%d|%d|%" PRId64 "|%" PRId64 "|%s;", d->no,
                       d->status, d->op, d->server_no, d->size, d->name);
    return 0;
}

static int snapshot_cb(void *p, const ncp_snapshot_t *v)
{
    const rwalk_t *w = p;
    check_res(w, NCP_KIND_SNAPSHOT, v->no, v->status, v->op);
    if (w->out)
        ncp_buf_printf(w->out, "snap:%" PRId64 "|%d|%d|%s;", v->no, v->status, v->op, v->name);
    return 0;
}

static int ip_cb(void *p, const ncp_public_ip_t *ip)
{
    const rwalk_t *w = p;
    check_res(w, NCP_KIND_PUBLIC_IP, ip->no, ip->status, ip->op);
    if (ip->server_no) {
        ncp_server_t s;
        live_server(w, ip->server_no, "an associated public IP", &s);
        if (strcmp(s.public_ip, ip->ip) != 0)
            FAIL("%s: public IP %s is associated with %" PRId64 " which shows publicIp '%s'",
                 w->when, ip->ip, s.no, s.public_ip);
    }
    if (w->out)
        ncp_buf_printf(w->out, "ip:%" PRId64 "|%d|%d|%" PRId64 "|%s;", ip->no, ip->status, ip->op,
                       ip->server_no, ip->ip);
    return 0;
}

static int nas_cb(void *p, const ncp_nas_t *v)
{
    const rwalk_t *w = p;
    check_res(w, NCP_KIND_NAS, v->no, v->status, v->op);
    if (w->out)
        ncp_buf_printf(w->out, "nas:%" PRId64 "|%d|%d|%" PRId64 "|%zu|%d;", v->no, v->status,
                       v->op, v->size, v->n_acl, (int)v->protect);
    return 0;
}

static int image_cb(void *p, const ncp_member_image_t *m)
{
    const rwalk_t *w = p;
    if (m->account_id != w->account)
        return 0; /* shared with it: the owner's walk checks it */
    check_res(w, NCP_KIND_MEMBER_IMAGE, m->no, m->status, m->op);
    if (w->out)
        ncp_buf_printf(w->out, "image:%" PRId64 "|%d|%d|%zu;", m->no, m->status, m->op,
                       m->n_shares);
    return 0;
}

static void walk_resources(int64_t account, ncp_buf_t *out, const char *when)
{
    ncp_err_t err;
    ncp_err_init(&err);
    rwalk_t w = {out, when, account};
    int64_t total;
    ncp_disk_filter_t df = {.account_id = account, .basic = -1, .status = -1};
    ncp_snapshot_filter_t sf = {.account_id = account};
    ncp_ip_filter_t ipf = {.account_id = account, .associated = -1};
    ncp_nas_filter_t nf = {.account_id = account, .event = -1, .snapshot = -1};
    ncp_image_filter_t mf = {.account_id = account};
    if (ncp_store_disk_list(st, scratch, &df, &total, disk_cb, &w, &err) < 0 ||
        ncp_store_snapshot_list(st, scratch, &sf, &total, snapshot_cb, &w, &err) < 0 ||
        ncp_store_ip_list(st, scratch, &ipf, &total, ip_cb, &w, &err) < 0 ||
        ncp_store_nas_list(st, scratch, &nf, &total, nas_cb, &w, &err) < 0 ||
        ncp_store_image_list(st, scratch, &mf, &total, image_cb, &w, &err) < 0)
        FAIL("%s: resource lists: %s", when, err.detail[0] ? err.detail : err.msg);
}

/* Walks one account's servers (checking each), and fingerprints its
 * servers, login keys and ACGs into out when out is not NULL. */
static void walk_account(int64_t account, ncp_buf_t *out, const char *when)
{
    ncp_err_t err;
    ncp_err_init(&err);
    ncp_server_filter_t f = {.account_id = account, .status = -1};
    ncp_acg_filter_t g = {.account_id = account, .is_default = -1};
    walk_t w = {out, when};
    int64_t total;
    if (app.so->server_list(st, scratch, &f, &total, NULL, server_cb, &w, &err) < 0)
        FAIL("%s: server_list: %s", when, err.detail);
    if (out &&
        (app.so->login_key_list(st, scratch, account, NULL, 0, 0, &total, key_cb, out, &err) < 0 ||
         app.so->acg_list(st, scratch, &g, &total, acg_cb, out, &err) < 0))
        FAIL("%s: listing: %s", when, err.detail);
    walk_resources(account, out, when);
}

/* A transition row of a VPC object: a path of vstate.c for its kind, on a
 * live object (in the caller's read transaction). */
static void check_vpc_transition(const ncp_trans_t *t, const char *when)
{
    const ncp_vpath_t *p = ncp_vstate_path((int)t->kind);
    if (!p || p->res_kind != t->res_kind || t->step < 0 || t->step >= p->nsteps)
        FAIL("%s: transition of %" PRId64 " (resource kind %d) has kind %d step %d", when, t->no,
             (int)t->res_kind, (int)t->kind, t->step);
    ncp_err_t err;
    ncp_err_init(&err);
    const char *status, *op;
    int r = ncp_store_v_state(st, scratch, t->res_kind, t->no, &status, &op, &err);
    if (r != 1)
        FAIL("%s: transition of %" PRId64 " (resource kind %d) has no object", when, t->no,
             (int)t->res_kind);
}

/* Rows of q (SQL on our own connection) that break an invariant: any row is
 * a failure, described by its first column. */
static void none_of(const char *q, const char *what, const char *when)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(ref, q, -1, &s, NULL) != SQLITE_OK)
        FAIL("%s: %s: %s", when, q, sqlite3_errmsg(ref));
    if (sqlite3_step(s) == SQLITE_ROW)
        FAIL("%s: %s: %s", when, what, (const char *)sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
}

/* The VPC platform's invariants, read with our own connection. */
_Static_assert(NCP_KIND_VSERVER == 66, "the query below names NCP_KIND_VSERVER as 66");
static void check_vpc_rows(const char *when)
{
    sqlite3_stmt *s;
    if (sqlite3_prepare_v2(ref,
                           "SELECT s.no, s.status, s.op, (SELECT count(*) FROM transitions t"
                           " WHERE t.no = s.no), (SELECT count(*) FROM vservers v"
                           " WHERE v.no = s.no), (SELECT count(*) FROM instances i"
                           " WHERE i.no = s.no AND i.kind = 66 AND i.deleted = 0"
                           " AND i.account_id = s.account_id) FROM servers s WHERE s.vpc = 1",
                           -1, &s, NULL) != SQLITE_OK)
        FAIL("%s: vpc servers: %s", when, sqlite3_errmsg(ref));
    while (sqlite3_step(s) == SQLITE_ROW) {
        int64_t no = sqlite3_column_int64(s, 0);
        int stt = sqlite3_column_int(s, 1), op = sqlite3_column_int(s, 2);
        int trans = sqlite3_column_int(s, 3), fields = sqlite3_column_int(s, 4);
        int inst = sqlite3_column_int(s, 5);
        if (stt < 0 || stt >= NCP_ST__N || op < 0 || op >= NCP_OP__N ||
            !ncp_state_valid((ncp_status_t)stt, (ncp_op_t)op))
            FAIL("%s: VPC server %" PRId64 " in an illegal state (%d, %d)", when, no, stt, op);
        if (op != NCP_OP_NULL && !trans)
            FAIL("%s: VPC server %" PRId64 " shows an operation but has no transition", when, no);
        if (!fields || !inst)
            FAIL("%s: VPC server %" PRId64 " lacks its VPC fields (%d) or instance row (%d)",
                 when, no, fields, inst);
    }
    sqlite3_finalize(s);
    none_of("SELECT n.no FROM vnics n WHERE n.server_no <> 0 AND NOT EXISTS (SELECT 1 FROM"
            " servers s WHERE s.no = n.server_no AND s.vpc = 1 AND s.account_id = n.account_id)",
            "an interface is attached to no live VPC server of its account", when);
    none_of("SELECT b.no FROM vstorages b WHERE b.server_no <> 0 AND NOT EXISTS (SELECT 1 FROM"
            " servers s WHERE s.no = b.server_no AND s.vpc = 1 AND s.account_id = b.account_id)",
            "a block storage is attached to no live VPC server of its account", when);
    none_of("SELECT p.no FROM vpublic_ips p WHERE p.server_no <> 0 AND NOT EXISTS (SELECT 1"
            " FROM servers s WHERE s.no = p.server_no AND s.vpc = 1"
            " AND s.account_id = p.account_id)",
            "a public IP is associated with no live VPC server of its account", when);
    none_of("SELECT v.no FROM vservers v WHERE NOT EXISTS (SELECT 1 FROM servers s"
            " WHERE s.no = v.no)", "VPC fields of no server", when);
    none_of("SELECT s.no FROM subnets s WHERE NOT EXISTS (SELECT 1 FROM vpcs v"
            " WHERE v.no = s.vpc_no AND v.account_id = s.account_id)",
            "a subnet of no VPC of its account", when);
    none_of("SELECT a.no FROM vacgs a WHERE NOT EXISTS (SELECT 1 FROM vpcs v"
            " WHERE v.no = a.vpc_no AND v.account_id = a.account_id)",
            "an ACG of no VPC of its account", when);
}

/* A fingerprint of an account's VPC objects (our own connection). */
static void vpc_fingerprint(int64_t account, ncp_buf_t *out)
{
    static const char *const tables[] = {"vpcs", "subnets", "nacls", "route_tables", "vacgs",
                                         "vnics", "vservers", "init_scripts", "vstorages",
                                         "vpublic_ips"};
    for (size_t k = 0; k < sizeof(tables) / sizeof(tables[0]); k++) {
        char q[160];
        snprintf(q, sizeof(q), "SELECT * FROM \"%s\" WHERE account_id = %" PRId64 " ORDER BY no",
                 tables[k], account);
        sqlite3_stmt *s;
        if (sqlite3_prepare_v2(ref, q, -1, &s, NULL) != SQLITE_OK)
            FAIL("fingerprint: %s: %s", q, sqlite3_errmsg(ref));
        ncp_buf_printf(out, "%s:", tables[k]);
        while (sqlite3_step(s) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(s); c++) {
                const unsigned char *t = sqlite3_column_text(s, c);
                ncp_buf_printf(out, "%s|", t ? (const char *)t : "");
            }
            ncp_buf_puts(out, ";");
        }
        sqlite3_finalize(s);
    }
}

static void check_store(const char *when)
{
    ncp_err_t err;
    ncp_err_init(&err);
    if (app.so->begin(st, false, &err) < 0)
        FAIL("%s: begin: %s", when, err.detail);
    walk_account(account_a, NULL, when);
    walk_account(account_b, NULL, when);
    /* every transition row belongs to a live server that shows an operation */
    enum { MAXT = 4096 };
    static ncp_trans_t due[MAXT];
    size_t n = 0;
    if (app.so->trans_due(st, scratch, INT64_MAX, MAXT, due, &n, &err) < 0)
        FAIL("%s: trans_due: %s", when, err.detail);
    for (size_t i = 0; i < n; i++) {
        if (ncp_kind_is_vpc(due[i].res_kind) && due[i].res_kind != NCP_KIND_VSERVER) {
            check_vpc_transition(&due[i], when);
            continue;
        }
        ncp_server_t s;
        if (due[i].res_kind != NCP_KIND_SERVER && due[i].res_kind != NCP_KIND_VSERVER) {
            /* a resource of issue 11: it exists in the row's account, in a transition */
            int64_t account;
            int status, op;
            int r = ncp_store_res_state(st, due[i].res_kind, due[i].no, &account, &status, &op,
                                        &err);
            if (r != 1 || account != due[i].account_id)
                FAIL("%s: transition row of %" PRId64 " (kind %d) has no resource of account "
                     "%" PRId64,
                     when, due[i].no, (int)due[i].res_kind, due[i].account_id);
            if (op == NCP_RO_NULL && status != NCP_RS_INIT)
                FAIL("%s: resource %" PRId64 " has a transition but operation NULL", when,
                     due[i].no);
            continue;
        }
        int r = app.so->server_get(st, scratch, due[i].account_id, due[i].no, &s, &err);
        if (r != 1)
            FAIL("%s: transition row of server %" PRId64 " (account %" PRId64 ", kind %d) has "
                 "no server of that account",
                 when, due[i].no, due[i].account_id, (int)due[i].kind);
        if (s.op == NCP_OP_NULL &&
            !((due[i].kind == NCP_TR_CREATE || due[i].kind == NCP_TR_RECREATE) &&
              due[i].step == 0 && s.status == NCP_ST_INIT))
            FAIL("%s: server %" PRId64 " has a transition but operation NULL", when, s.no);
        if (due[i].kind <= NCP_TR_NONE || due[i].kind >= NCP_TR__N)
            FAIL("%s: transition of server %" PRId64 " has kind %d", when, s.no,
                 (int)due[i].kind);
    }
    app.so->commit(st, &err);
    check_vpc_rows(when);
}

static void fingerprint(int64_t account, ncp_buf_t *out)
{
    ncp_err_t err;
    ncp_err_init(&err);
    ncp_buf_clear(out);
    if (app.so->begin(st, false, &err) < 0)
        FAIL("fingerprint: begin: %s", err.detail);
    walk_account(account, out, "isolation");
    app.so->commit(st, &err);
    vpc_fingerprint(account, out);
}

/* A 200 answer to one account never shows one of the other's resources in
 * a number field (XML <f>N</f> or JSON "f": "N"). */
static void check_no_leak(const ncp_request_t *rq, const ncp_response_t *resp, bool as_b)
{
    static const char *const fields[] = {
        "serverInstanceNo",       "instanceNo",          "accessControlGroupConfigurationNo",
        "blockStorageInstanceNo", "publicIpInstanceNo",  "portForwardingConfigurationNo",
        "nasVolumeInstanceNo",    "memberServerImageNo", "originalServerInstanceNo",
        "originalBlockStorageInstanceNo", "privateSubnetInstanceNo", "networkInterfaceNo",
        "vpcNo",                  "networkAclNo",        "accessControlGroupNo",
        "subnetNo"};
    const char *nos[16];
    size_t n = 0;
    if (as_b) {
        for (size_t i = 0; i < sizeof(numbers_a) / sizeof(*numbers_a); i++)
            nos[n++] = numbers_a[i];
    } else {
        for (size_t i = 0; i < sizeof(numbers_b) / sizeof(*numbers_b); i++)
            nos[n++] = numbers_b[i];
        nos[n++] = acg_b_no;
        for (size_t i = 0; i < 4; i++)
            nos[n++] = vpc_b[i];
    }
    char pat[128];
    for (size_t f = 0; f < sizeof(fields) / sizeof(*fields); f++)
        for (size_t i = 0; i < n; i++)
            for (int fmt = 0; fmt < 2; fmt++) {
                int pl = fmt ? snprintf(pat, sizeof(pat), "\"%s\": \"%s\"", fields[f], nos[i])
                             : snprintf(pat, sizeof(pat), "<%s>%s</%s>", fields[f], nos[i],
                                        fields[f]);
                if (resp->body.len && memmem(resp->body.data, resp->body.len, pat, (size_t)pl)) {
                    dump_response(rq, resp);
                    FAIL("request %d signed by account %s was shown the other account's %s",
                         req_no, as_b ? "B" : "A", pat);
                }
            }
}

/* Runs up to `passes` scheduler passes, one step time apart. */
static void run_sched(int passes)
{
    for (int p = 0; p < passes; p++) {
        now_ms += STEP_MS;
        ncp_err_t err;
        ncp_err_init(&err);
        int n = ncp_sched_run_due(app.sched, now_ms, &err);
        if (n < 0)
            FAIL("request %d: scheduler pass failed: %s", req_no,
                 err.detail[0] ? err.detail : err.msg);
        char when[64];
        snprintf(when, sizeof(when), "after request %d, pass %d", req_no, p + 1);
        check_store(when);
        if (n == 0 && passes == MAX_PASSES) {
            int64_t next = 0;
            ncp_err_init(&err);
            if (app.so->trans_next_due(st, &next, &err) != 1)
                break;
        }
    }
}

static void one_request(const request_t *r)
{
    ncp_arena_reset(scratch);
    uint8_t fl = r->flags;
    int auth = fl & 7;
    bool as_b = (fl & 8) != 0;
    int passes = (fl >> 4) & 3;
    passes = passes == 3 ? MAX_PASSES : passes;
    const char *method = (fl & 0x40) ? "GET" : "POST";
    bool is_form = (fl & 0x80) == 0;

    char *act = cstr(r->action, r->action_len);
    const char *path;
    bool fault = strcmp(act, "!fault") == 0;
    if (fault) {
        method = "POST";
        path = "/_ncpd/faults";
    } else if (act[0] == '/') {
        path = act;
    } else if (strchr(act, ' ') && strchr(act, ' ')[1] == '/') {
        char *sp = strchr(act, ' ');
        *sp = '\0';
        method = act;
        path = sp + 1;
    } else if (strncmp(act, "vpc:", 4) == 0) {
        path = ncp_arena_printf(scratch, "/vpc/v2/%s", act + 4);
    } else if (strncmp(act, "vserver:", 8) == 0) {
        path = ncp_arena_printf(scratch, "/vserver/v2/%s", act + 8);
    } else {
        path = ncp_arena_printf(scratch, "/server/v2/%s", act);
    }
    char *query = cstr(r->query, r->query_len);
    const char *raw_uri = *query ? ncp_arena_printf(scratch, "%s?%s", path, query) : path;

    char ts[32], sig[45];
    const char *ak = as_b ? AK_B : AK_A, *sk = as_b ? SK_B : SK_A;
    snprintf(ts, sizeof(ts), "%" PRId64, auth == 7 ? now_ms - NCP_AUTH_SKEW_MS - 1 : now_ms);
    ncp_auth_sign(sk, method, auth == 6 ? path : raw_uri, ts, ak, sig);
    if (auth == 6 && strcmp(path, raw_uri) == 0)
        ncp_auth_sign(sk, method, "/other", ts, ak, sig);
    ncp_request_t rq = {
        .method = method,
        .raw_uri = raw_uri,
        .body = r->body ? r->body : "",
        .body_len = r->body_len,
        .body_is_form = is_form,
        .h_timestamp = ts,
        .h_access_key = ak,
        .h_sig_v2 = auth <= 4 || auth >= 6 ? sig : NULL,
        .h_sig_v1 = auth == 5 ? sig : NULL,
        .h_admin_token = fault ? ADMIN_TOKEN : NULL,
    };
    if (auth == 7 && (fl & 8)) { /* no signature at all */
        rq.h_sig_v2 = NULL;
        rq.h_access_key = AK_A;
    }

    int asked = asked_format(raw_uri, rq.body, rq.body_len, is_form);
    int op = ncp_drv_op_parse(action_of(raw_uri));
    bool fault_ok = op >= 0 && armed[op];

    /* the other account's state, to compare after the request */
    int64_t other = as_b ? account_a : account_b;
    ncp_buf_t before, after;
    ncp_buf_init(&before, 0);
    ncp_buf_init(&after, 0);
    fingerprint(other, &before);

    ncp_response_t resp = {0};
    ncp_buf_init(&resp.body, 64 * 1024 * 1024);
    ncp_arena_reset(arena);
    ncp_dispatch(&app, st, arena, &rq, &resp);
    if (getenv("NCPD_FUZZ_TRACE"))
        fprintf(stderr, "fuzz_dispatch: #%d %s %s [%.*s] -> %d %.*s\n", req_no, rq.method,
                rq.raw_uri, (int)(rq.body_len > 200 ? 200 : rq.body_len), rq.body, resp.status,
                (int)(resp.body.len > 300 ? 300 : resp.body.len),
                resp.body.data ? resp.body.data : "");
    check_response(&rq, &resp, asked, fault_ok);
    if (auth >= 6 && resp.status == 200 && !fault && !strstr(raw_uri, "_ncpd")) {
        const char *name = action_of(raw_uri);
        const ncp_action_t *a = ncp_spec_find(name, strlen(name));
        for (int k = 1; !a && k < NCP_API__N; k++)
            a = ncp_spec_api_find(ncp_spec_api((ncp_api_id_t)k), name, strlen(name));
        if (!a || !(a->flags & NCP_A_NOAUTH)) {
            dump_response(&rq, &resp);
            FAIL("request %d with a bad or missing signature (mode %d) was answered 200", req_no,
                 auth);
        }
    }

    if (resp.status == 200 && !fault)
        check_no_leak(&rq, &resp, as_b);
    fingerprint(other, &after);
    /* the fault switch is an admin endpoint: it may touch any account */
    if (!fault && (before.len != after.len || memcmp(before.data, after.data, before.len) != 0)) {
        dump_response(&rq, &resp);
        FAIL("request %d signed by account %s changed the other account's resources:\n"
             "  before: %s\n  after:  %s",
             req_no, as_b ? "B" : "A", before.data, after.data);
    }
    ncp_buf_release(&before);
    ncp_buf_release(&after);

    if (fault && resp.status == 200) {
        ncp_kvs_t kvs = {0};
        ncp_err_t err;
        ncp_err_init(&err);
        if (ncp_form_parse(scratch, rq.body, rq.body_len, NCP_SRC_BODY, &kvs, &err) == 0)
            for (size_t i = 0; i < kvs.n; i++)
                if (strcmp(kvs.v[i].name, "action") == 0) {
                    int fop = ncp_drv_op_parse(kvs.v[i].val);
                    if (fop >= 0)
                        armed[fop] = true;
                }
    }
    ncp_buf_release(&resp.body);

    char when[64];
    snprintf(when, sizeof(when), "after request %d", req_no);
    check_store(when);
    run_sched(passes);
    now_ms += 1000;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    restore_tables();
    /* NCPD_FUZZ_SELFTEST=op|illegal breaks the restored state behind ncpd's
     * back, to show the checks fire (the next check_store must fail) */
    const char *selftest = getenv("NCPD_FUZZ_SELFTEST");
    if (selftest && strcmp(selftest, "op") == 0)
        sql("UPDATE servers SET op=3 WHERE no=1021003");      /* RUN/SHTDN, no row */
    else if (selftest && strcmp(selftest, "illegal") == 0)
        sql("UPDATE servers SET status=2, op=6 WHERE no=1021004"); /* RUN/CHNG */
    now_ms = T0_MS;
    memset(armed, 0, sizeof(armed));
    ncp_err_t err;
    ncp_err_init(&err);
    app.drv.d = app.drv.ops->open(NULL, &err);
    if (!app.drv.d)
        FAIL("driver open: %s", err.detail);

    size_t i = 0;
    req_no = 0;
    while (i < size && req_no < MAX_REQUESTS) {
        const uint8_t *sep = memchr(data + i, 0x1e, size - i);
        size_t n = sep ? (size_t)(sep - (data + i)) : size - i;
        request_t r;
        parse_record(data + i, n, &r);
        req_no++;
        if (n)
            one_request(&r);
        i += n + 1;
    }
    app.drv.ops->close(app.drv.d);
    app.drv.d = NULL;
    return 0;
}
