/* act_access.c: login keys, access control groups and root passwords
 * (login-key-acg.md, server-instance.md §4.9-§4.10). Every look-up is
 * scoped to the caller's account: another account's key names and ACG
 * numbers read exactly like unknown ones. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/act_int.h"
#include "render/envelope.h"
#include "store/store_hv.h"
#include "util/clock.h"
#include "util/crypto.h"

/* Key names: 3..30 lower-case letters, digits and '-', starting with a
 * letter and ending with a letter or digit (login-key-acg.md §1.2). */
static bool key_name_ok(const char *s, size_t len)
{
    if (len < 3 || len > 30 || s[0] < 'a' || s[0] > 'z' || s[len - 1] == '-')
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return false;
    return true;
}

static void emit_login_key(ncp_emit_t *e, const ncp_login_key_t *k)
{
    char d[NCP_DATE_LEN];
    ncp_emit_obj_begin(e, NULL);
    ncp_emit_str(e, "fingerprint", k->fingerprint);
    ncp_emit_str(e, "keyName", k->name);
    ncp_emit_str(e, "createDate", ncp_clock_fmt(k->create_ms, d, sizeof(d)));
    ncp_emit_obj_end(e);
}

/* Checks the name and that it is free; 910 / 10405. */
static int new_key_name(ncp_ctx_t *ctx, const ncp_arg_t *name, ncp_err_t *err)
{
    if (!key_name_ok(name->s, name->len)) {
        ncp_err_set(err, NCP_E_INVALID_PARAM, "keyName");
        return -1;
    }
    ncp_login_key_t k;
    int r = ctx->so->login_key_get(ctx->st, ctx->arena, ctx->account_id, name->s, &k, err);
    if (r < 0)
        return -1;
    if (r == 1) {
        ncp_err_set(err, NCP_E_KEY_NAME_EXISTS);
        return -1;
    }
    return 0;
}

typedef struct new_key {
    char *pem; /* in the request arena, wiped when the request ends */
    size_t len;
    char fp[NCP_FINGERPRINT_LEN];
    const char *pub; /* OpenSSH public key line (kept: real machines get it) */
} new_key_t;

static void wipe_key(void *p)
{
    new_key_t *k = p;
    memset(k->pem, 0, k->len);
}

/* RSA key generation takes tens of milliseconds: done before the
 * transaction so that no other writer waits for it. */
int act_prep_createLoginKey(ncp_ctx_t *ctx, ncp_err_t *err)
{
    char *pem = NULL, *pub = NULL;
    new_key_t *k = ncp_arena_alloc(ctx->arena, sizeof(*k));
    if (ncp_rsa_new_pub(&pem, &pub, k->fp) < 0) {
        ncp_err_internal(err, "RSA key generation failed");
        return -1;
    }
    k->pub = ncp_arena_strdup(ctx->arena, pub);
    free(pub);
    k->len = strlen(pem);
    k->pem = ncp_arena_strndup(ctx->arena, pem, k->len);
    memset(pem, 0, k->len);
    free(pem);
    ncp_arena_on_cleanup(ctx->arena, wipe_key, k);
    ctx->prep = k;
    return 0;
}

int act_createLoginKey(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_arg_t *name = ncp_arg(&ctx->args, "keyName");
    const new_key_t *nk = ctx->prep;
    if (new_key_name(ctx, name, err) < 0)
        return -1;
    ncp_login_key_t k = {ctx->account_id, name->s, nk->fp, ctx->now_ms};
    if (ctx->so->login_key_put(ctx->st, &k, err) < 0 ||
        ncp_store_hv_pubkey_set(ctx->st, ctx->account_id, name->s, nk->pub, err) < 0)
        return -1;
    ncp_env_begin(ctx->em, ctx->act->name, ctx->request_id, NULL);
    ncp_emit_str(ctx->em, "privateKey", nk->pem);
    ncp_env_end(ctx->em);
    return 0;
}

int act_importLoginKey(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_arg_t *name = ncp_arg(&ctx->args, "keyName");
    const ncp_arg_t *pub = ncp_arg(&ctx->args, "publicKey");
    if (new_key_name(ctx, name, err) < 0)
        return -1;
    char fp[NCP_FINGERPRINT_LEN];
    if (ncp_ssh_pubkey_fingerprint(pub->s, pub->len, fp) < 0) {
        ncp_err_set(err, NCP_E_INVALID_PARAM, "publicKey");
        return -1;
    }
    ncp_login_key_t k = {ctx->account_id, name->s, fp, ctx->now_ms};
    /* kept as one line, "type base64 [comment]": it goes into machines' seeds */
    size_t n = strcspn(pub->s, "\r\n");
    while (n && (pub->s[n - 1] == ' ' || pub->s[n - 1] == '\t'))
        n--;
    size_t b = 0;
    while (b < n && (pub->s[b] == ' ' || pub->s[b] == '\t'))
        b++;
    if (ctx->so->login_key_put(ctx->st, &k, err) < 0 ||
        ncp_store_hv_pubkey_set(ctx->st, ctx->account_id, name->s,
                                ncp_arena_strndup(ctx->arena, pub->s + b, n - b), err) < 0)
        return -1;
    ncp_env_begin(ctx->em, ctx->act->name, ctx->request_id, NULL);
    ncp_env_total_rows(ctx->em, 1);
    ncp_emit_list_begin(ctx->em, "loginKeyList", "loginKey");
    emit_login_key(ctx->em, &k);
    ncp_emit_list_end(ctx->em);
    ncp_env_end(ctx->em);
    return 0;
}

int act_deleteLoginKey(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_arg_t *name = ncp_arg(&ctx->args, "keyName");
    ncp_login_key_t k;
    int r = ctx->so->login_key_get(ctx->st, ctx->arena, ctx->account_id, name->s, &k, err);
    if (r < 0)
        return -1;
    if (r == 0) {
        ncp_err_set(err, NCP_E_KEY_NOT_FOUND);
        return -1;
    }
    int64_t users = 0;
    if (ctx->so->login_key_users(ctx->st, ctx->account_id, name->s, &users, err) < 0)
        return -1;
    if (users > 0) {
        ncp_err_set(err, NCP_E_KEY_IN_USE, name->s, (unsigned)users);
        return -1;
    }
    if (ctx->so->login_key_delete(ctx->st, ctx->account_id, name->s, err) < 0)
        return -1;
    ncp_env_begin(ctx->em, ctx->act->name, ctx->request_id, NULL);
    ncp_env_end(ctx->em);
    return 0;
}

static int key_row(void *p, const ncp_login_key_t *k)
{
    act_rows_t *r = p;
    act_rows_open(r);
    emit_login_key(r->ctx->em, k);
    return 0;
}

int act_getLoginKeyList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_arg_t *name = ncp_arg(&ctx->args, "keyName");
    int64_t offset, limit;
    act_page(&ctx->args, &offset, &limit);
    act_rows_t r = {ctx, 0, false, "loginKeyList", "loginKey"};
    if (ctx->so->login_key_list(ctx->st, ctx->arena, ctx->account_id,
                                name->present ? name->s : NULL, offset, limit, &r.total, key_row,
                                &r, err) < 0)
        return -1;
    act_rows_close(&r);
    return 0;
}

/* ---- access control groups ---------------------------------------------- */

static int acg_row(void *p, const ncp_acg_t *g)
{
    act_rows_t *r = p;
    act_rows_open(r);
    act_emit_acg(r->ctx->em, g);
    return 0;
}

int act_getAccessControlGroupList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    ncp_acg_filter_t f = {.account_id = ctx->account_id, .is_default = -1};
    const ncp_arg_t *nos = ncp_arg(A, "accessControlGroupConfigurationNoList");
    f.nos = act_nos(ctx, nos);
    f.n_nos = nos->n;
    const ncp_arg_t *d = ncp_arg(A, "isDefault");
    if (!d->present)
        d = ncp_arg(A, "isDefaultGroup");
    if (d->present)
        f.is_default = d->b;
    const ncp_arg_t *name = ncp_arg(A, "accessControlGroupName");
    if (name->present)
        f.name = name->s;
    act_page(A, &f.offset, &f.limit);
    act_rows_t r = {ctx, 0, false, "accessControlGroupList", "accessControlGroup"};
    if (ctx->so->acg_list(ctx->st, ctx->arena, &f, &r.total, acg_row, &r, err) < 0)
        return -1;
    act_rows_close(&r);
    return 0;
}

/* The caller's ACG by number, or 24076 (unknown and foreign alike). */
static int own_acg(ncp_ctx_t *ctx, ncp_acg_t *g, ncp_err_t *err)
{
    const ncp_arg_t *a = ncp_arg(&ctx->args, "accessControlGroupConfigurationNo");
    int r = ctx->so->acg_get(ctx->st, ctx->arena, act_no(a->s), g, err);
    if (r < 0)
        return -1;
    if (r == 0 || g->account_id != ctx->account_id) {
        char no[24];
        snprintf(no, sizeof(no), "%" PRId64, act_no(a->s));
        ncp_err_set(err, NCP_E_ACG_NOT_OWNED, no);
        return -1;
    }
    return 0;
}

static int rule_row(void *p, const ncp_acg_rule_t *rule)
{
    act_rows_t *r = p;
    ncp_emit_t *e = r->ctx->em;
    r->total++;
    ncp_emit_obj_begin(e, NULL);
    act_emit_no(e, "accessControlRuleConfigurationNo", rule->no);
    char lower[16];
    size_t i = 0;
    for (; rule->protocol[i] && i + 1 < sizeof(lower); i++)
        lower[i] = (char)(rule->protocol[i] | 0x20);
    lower[i] = '\0';
    ncp_emit_code(e, "protocolType", rule->protocol, lower);
    ncp_emit_str(e, "sourceIp", rule->source_ip);
    if (rule->source_acg_no) {
        act_emit_no(e, "sourceAccessControlRuleConfigurationNo", rule->source_acg_no);
        ncp_emit_str(e, "sourceAccessControlRuleName", rule->source_acg_name);
    }
    ncp_emit_str(e, "destinationPort", rule->port);
    ncp_emit_str(e, "accessControlRuleDescription", rule->description);
    ncp_emit_obj_end(e);
    return 0;
}

static int count_rule(void *p, const ncp_acg_rule_t *rule)
{
    (void)rule;
    (*(int64_t *)p)++;
    return 0;
}

int act_getAccessControlRuleList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    ncp_acg_t g;
    if (own_acg(ctx, &g, err) < 0)
        return -1;
    int64_t n = 0;
    if (ctx->so->acg_rule_list(ctx->st, ctx->arena, g.no, count_rule, &n, err) < 0)
        return -1;
    act_rows_t r = {ctx, n, false, "accessControlRuleList", "accessControlRule"};
    act_rows_open(&r);
    if (ctx->so->acg_rule_list(ctx->st, ctx->arena, g.no, rule_row, &r, err) < 0)
        return -1;
    act_rows_close(&r);
    return 0;
}

int act_getAccessControlGroupServerInstanceList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    ncp_acg_t g;
    if (own_acg(ctx, &g, err) < 0)
        return -1;
    ncp_server_filter_t f = {.account_id = ctx->account_id, .status = -1, .acg_no = g.no};
    act_rows_t r = {ctx, 0, false, "serverInstanceList", "serverInstance"};
    if (ctx->so->server_list(ctx->st, ctx->arena, &f, &r.total, act_server_probe, act_server_row, &r,
                             err) < 0)
        return -1;
    act_rows_close(&r);
    return 0;
}

/* ---- root passwords ----------------------------------------------------- */

/* The server's root password when `pem` is the private key of its login
 * key; 24001 otherwise. */
static int root_password(ncp_ctx_t *ctx, const ncp_server_t *s, const char *pem, size_t pem_len,
                         const char **out, ncp_err_t *err)
{
    char fp[NCP_FINGERPRINT_LEN];
    ncp_login_key_t k;
    if (!pem || !pem_len || ncp_private_key_fingerprint(pem, pem_len, fp) < 0) {
        ncp_err_set(err, NCP_E_BAD_PRIVATE_KEY);
        return -1;
    }
    int r = ctx->so->login_key_get(ctx->st, ctx->arena, ctx->account_id, s->login_key, &k, err);
    if (r < 0)
        return -1;
    if (r == 0 || strcmp(k.fingerprint, fp) != 0) {
        ncp_err_set(err, NCP_E_BAD_PRIVATE_KEY);
        return -1;
    }
    return act_password_open(ctx, s->root_password, out, err);
}

int act_getRootPassword(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_arg_t *no = ncp_arg(&ctx->args, "serverInstanceNo");
    const ncp_arg_t *pem = ncp_arg(&ctx->args, "privateKey");
    ncp_server_t s;
    const char *pw;
    if (act_server_resolve(ctx, no->s, no->len, &s, err) < 0 ||
        root_password(ctx, &s, pem->s, pem->len, &pw, err) < 0)
        return -1;
    ncp_env_begin(ctx->em, ctx->act->name, ctx->request_id, NULL);
    ncp_env_total_rows(ctx->em, 1);
    ncp_emit_str(ctx->em, "rootPassword", pw);
    ncp_env_end(ctx->em);
    return 0;
}

int act_getRootPasswordServerInstanceList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const char *L = "rootPasswordServerInstanceList";
    const ncp_arg_t *list = ncp_arg(&ctx->args, L);
    const char **pw = ncp_arena_alloc(ctx->arena, list->n * sizeof(char *));
    const char **nos = ncp_arena_alloc(ctx->arena, list->n * sizeof(char *));
    for (size_t i = 0; i < list->n; i++) {
        const char *no = ncp_arg_field(&ctx->args, L, i, "serverInstanceNo");
        const char *pem = ncp_arg_field(&ctx->args, L, i, "privateKey");
        if (!no) {
            char loc[96];
            snprintf(loc, sizeof(loc), "%s.%zu.serverInstanceNo", L, i + 1);
            ncp_err_set(err, NCP_E_REQUIRED, loc);
            return -1;
        }
        ncp_server_t s;
        if (act_server_resolve(ctx, no, strlen(no), &s, err) < 0 ||
            root_password(ctx, &s, pem, pem ? strlen(pem) : 0, &pw[i], err) < 0)
            return -1;
        nos[i] = no;
    }
    ncp_env_begin(ctx->em, ctx->act->name, ctx->request_id, NULL);
    ncp_env_total_rows(ctx->em, (int64_t)list->n);
    ncp_emit_list_begin_bare(ctx->em, L);
    for (size_t i = 0; i < list->n; i++) {
        ncp_emit_obj_begin(ctx->em, NULL);
        ncp_emit_str(ctx->em, "serverInstanceNo", nos[i]);
        ncp_emit_str(ctx->em, "rootPassword", pw[i]);
        ncp_emit_obj_end(ctx->em);
    }
    ncp_emit_list_end(ctx->em);
    ncp_env_end(ctx->em);
    return 0;
}
