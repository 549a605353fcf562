/* fuzz_validate.c: libFuzzer target for the generic validator
 * (spec/spec.h, ncp_spec_validate against the action table).
 *
 * Input: "ACTION\nQUERY\nBODY". ACTION is an action name; any other text
 * picks an action by the sum of its bytes (so mutations still land on one).
 * QUERY and BODY are parsed with ncp_form_parse as the dispatcher does
 * (missing parts are empty). Properties checked:
 *   - ncp_spec_validate never crashes, and fails only with 900 or 910
 *     (HTTP 400);
 *   - on success: every pair (except responseFormatType) names a declared
 *     parameter (scalar, list `name.N` or object list `name.N.field`);
 *     required parameters are present; every present argument satisfies its
 *     type and bounds (string length in characters, integer range, boolean,
 *     canonical enum spelling, instance-number syntax, list item counts and
 *     items); a scalar takes the body's value over the query's;
 *   - ncp_arg / ncp_arg_field answer for every declared name. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/form.h"
#include "spec/spec.h"
#include "util/arena.h"
#include "util/err.h"
#include "util/utf8.h"

#define FAIL(...)                                                                            \
    do {                                                                                     \
        fprintf(stderr, "fuzz_validate: invariant failed: " __VA_ARGS__);                    \
        fputc('\n', stderr);                                                                 \
        abort();                                                                             \
    } while (0)

static ncp_arena_t *arena;

/* NCPD_FUZZ_IGNORE=id,id...: skip the checks of known, reported bugs so a
 * long run can look for others (the kept crashers still fail without it). */
static bool ignored(const char *id)
{
    const char *v = getenv("NCPD_FUZZ_IGNORE");
    return v && strstr(v, id);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    arena = ncp_arena_new(64 * 1024);
    if (ncp_spec_check_table() < 0)
        FAIL("the action table is not sorted and unique");
    return 0;
}

static bool is_list(ncp_ptype_t t)
{
    return t == NCP_T_LIST_STR || t == NCP_T_LIST_NO || t == NCP_T_LIST_ENUM ||
           t == NCP_T_OBJLIST;
}

/* Is `s` exactly one of the '|'-separated words? */
static bool in_set(const char *set, const char *s, size_t len)
{
    const char *p = set;
    while (p && *p) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n == len && memcmp(p, s, len) == 0)
            return true;
        p = bar ? bar + 1 : NULL;
    }
    return false;
}

static size_t n_words(const char *set)
{
    size_t n = 1;
    for (; *set; set++)
        n += *set == '|';
    return n;
}

static bool digits(const char *s, size_t len, size_t max)
{
    if (len == 0 || len > max)
        return false;
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* Does a pair name route to a declared parameter? */
static bool routed(const ncp_action_t *act, const char *name, size_t len)
{
    if (len == 18 && memcmp(name, "responseFormatType", 18) == 0)
        return true;
    for (size_t i = 0; i < act->nparams; i++) {
        const ncp_param_t *p = &act->params[i];
        size_t pl = strlen(p->name);
        if (len < pl || memcmp(name, p->name, pl) != 0)
            continue;
        if (len == pl)
            return true;
        if (name[pl] != '.' || !is_list(p->type))
            continue;
        const char *rest = name + pl + 1;
        size_t rl = len - pl - 1;
        if (p->type != NCP_T_OBJLIST)
            return digits(rest, rl, 7);
        const char *dot = memchr(rest, '.', rl);
        return dot && digits(rest, (size_t)(dot - rest), 7) &&
               in_set(p->enums, dot + 1, rl - (size_t)(dot - rest) - 1);
    }
    return false;
}

/* Checks one scalar value (or list item) against its parameter type. */
static void check_value(const ncp_param_t *p, const char *s, size_t len, const ncp_arg_t *a,
                        bool is_item)
{
    if (!s)
        FAIL("%s: NULL value", p->name);
    switch (p->type) {
    case NCP_T_STR:
    case NCP_T_LIST_STR: {
        if (memchr(s, '\0', len) || !ncp_utf8_valid(s, len))
            FAIL("%s: string with NUL or bad UTF-8 accepted", p->name);
        if (p->type == NCP_T_STR) {
            int64_t chars = (int64_t)ncp_utf8_chars(s, len);
            if (chars < p->min || (p->max && chars > p->max))
                FAIL("%s: %lld characters outside [%lld,%lld]", p->name, (long long)chars,
                     (long long)p->min, (long long)p->max);
        }
        break;
    }
    case NCP_T_INT: {
        int64_t v;
        if (ncp_spec_parse_int(s, len, &v) < 0 || v < p->min || v > p->max)
            FAIL("%s: integer \"%.*s\" outside [%lld,%lld]", p->name, (int)len, s,
                 (long long)p->min, (long long)p->max);
        if (!is_item && v != a->i)
            FAIL("%s: parsed %lld, text says %lld", p->name, (long long)a->i, (long long)v);
        break;
    }
    case NCP_T_BOOL:
        if (!(len == 4 && memcmp(s, "true", 4) == 0 && a->b) &&
            !(len == 5 && memcmp(s, "false", 5) == 0 && !a->b))
            FAIL("%s: boolean text \"%.*s\" / value %d", p->name, (int)len, s, a->b);
        break;
    case NCP_T_ENUM:
    case NCP_T_LIST_ENUM:
        if (!in_set(p->enums, s, len))
            FAIL("%s: \"%.*s\" is not a canonical value of %s", p->name, (int)len, s, p->enums);
        break;
    case NCP_T_NO:
    case NCP_T_LIST_NO:
        if (!digits(s, len, 19))
            FAIL("%s: \"%.*s\" is not an instance number", p->name, (int)len, s);
        break;
    case NCP_T_OBJLIST:
        break;
    }
    if (strlen(s) != len && p->type != NCP_T_STR && p->type != NCP_T_LIST_STR)
        FAIL("%s: counted length %zu, C length %zu", p->name, len, strlen(s));
}

/* The value a scalar must take: the body's pair, else the query's. */
static const ncp_kv_t *winner(const ncp_kvs_t *kvs, const char *name)
{
    const ncp_kv_t *w = NULL;
    size_t n = strlen(name);
    for (size_t i = 0; i < kvs->n; i++) {
        const ncp_kv_t *kv = &kvs->v[i];
        if (kv->name_len == n && memcmp(kv->name, name, n) == 0 &&
            (!w || kv->src >= w->src))
            w = kv;
    }
    return w;
}

static void check_ok(const ncp_action_t *act, const ncp_kvs_t *kvs, const ncp_args_t *args)
{
    if (args->act != act || !args->v)
        FAIL("args not bound to the action");
    for (size_t k = 0; k < kvs->n; k++)
        if (!routed(act, kvs->v[k].name, kvs->v[k].name_len))
            FAIL("%s: unknown parameter \"%s\" accepted", act->name, kvs->v[k].name);
    for (size_t i = 0; i < act->nparams; i++) {
        const ncp_param_t *p = &act->params[i];
        const ncp_arg_t *a = &args->v[i];
        if (ncp_arg(args, p->name) != a)
            FAIL("ncp_arg(%s) is not its slot", p->name);
        if (!a->present) {
            if (p->flags & NCP_P_REQ)
                FAIL("%s: required %s absent but validation passed", act->name, p->name);
            if (!is_list(p->type) && winner(kvs, p->name))
                FAIL("%s: %s given but not present", act->name, p->name);
            continue;
        }
        if (!is_list(p->type)) {
            check_value(p, a->s, a->len, a, false);
            const ncp_kv_t *w = winner(kvs, p->name);
            if (!w)
                FAIL("%s: %s present without a pair", act->name, p->name);
            if (p->type != NCP_T_ENUM && p->type != NCP_T_BOOL &&
                (a->len != w->val_len || memcmp(a->s, w->val, a->len) != 0))
                FAIL("%s: %s does not hold the body-over-query value", act->name, p->name);
            continue;
        }
        if (a->n == 0 || (int64_t)a->n < p->min || (p->max && (int64_t)a->n > p->max))
            FAIL("%s: list %s has %zu items outside [%lld,%lld]", act->name, p->name, a->n,
                 (long long)p->min, (long long)p->max);
        if (!a->items || !a->lens)
            FAIL("%s: list %s without items", act->name, p->name);
        if (p->type == NCP_T_OBJLIST) {
            size_t nf = n_words(p->enums);
            if (a->nfields != nf)
                FAIL("%s: %zu fields, table has %zu", p->name, a->nfields, nf);
            for (size_t k = 0; k < a->n; k++) {
                bool any = false;
                for (size_t f = 0; f < nf; f++) {
                    const char *v = a->items[k * nf + f];
                    if (v) {
                        any = true;
                        if (memchr(v, '\0', a->lens[k * nf + f]))
                            FAIL("%s: item %zu field %zu holds NUL", p->name, k, f);
                    }
                }
                if (!any)
                    FAIL("%s: item %zu has no field at all", p->name, k);
                /* every field name resolves */
                const char *w = p->enums;
                while (w && *w) {
                    const char *bar = strchr(w, '|');
                    char field[64];
                    size_t fl = bar ? (size_t)(bar - w) : strlen(w);
                    snprintf(field, sizeof(field), "%.*s", (int)fl, w);
                    (void)ncp_arg_field(args, p->name, k, field);
                    w = bar ? bar + 1 : NULL;
                }
            }
            continue;
        }
        for (size_t k = 0; k < a->n; k++) {
            if (p->flags & NCP_P_RAW) {
                if (!a->items[k])
                    FAIL("%s: raw item %zu is NULL", p->name, k);
                continue;
            }
            check_value(p, a->items[k], a->lens[k], a, true);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n_act;
    const ncp_action_t *acts = ncp_spec_actions(&n_act);
    const char *s = (const char *)data, *end = s + size;
    const char *nl = memchr(s, '\n', size);
    size_t name_len = nl ? (size_t)(nl - s) : size;
    /* every caller passes strlen(); a NUL inside would let it read past a
     * shorter table name, so keep NUL-bearing names away from it */
    const ncp_action_t *act = memchr(s, '\0', name_len) ? NULL : ncp_spec_find(s, name_len);
    if (!act) {
        unsigned sum = 0;
        for (size_t i = 0; i < name_len; i++)
            sum += (uint8_t)s[i];
        act = &acts[sum % n_act];
    }
    const char *query = nl ? nl + 1 : end;
    const char *nl2 = memchr(query, '\n', (size_t)(end - query));
    size_t query_len = nl2 ? (size_t)(nl2 - query) : (size_t)(end - query);
    const char *body = nl2 ? nl2 + 1 : end;
    ncp_arena_reset(arena);
    ncp_kvs_t kvs = {0};
    ncp_err_t err;
    ncp_err_init(&err);
    if (ncp_form_parse(arena, query, query_len, NCP_SRC_QUERY, &kvs, &err) < 0 ||
        ncp_form_parse(arena, body, (size_t)(end - body), NCP_SRC_BODY, &kvs, &err) < 0)
        return 0;

    ncp_args_t args = {0};
    ncp_err_init(&err);
    if (ncp_spec_validate(act, &kvs, arena, &args, &err) < 0) {
        if (!err.is_set ||
            (err.code != NCP_E_REQUIRED && err.code != NCP_E_INVALID_PARAM &&
             err.code != NCP_E_DUPLICATE) ||
            ncp_err_http(err.code) != 400)
            FAIL("%s: validation failed with code %d", act->name, (int)err.code);
        if (!ncp_utf8_valid(err.msg, strlen(err.msg)) && !ignored("err-utf8"))
            FAIL("%s: error message is not UTF-8: \"%s\"", act->name, err.msg);
        return 0;
    }
    check_ok(act, &kvs, &args);
    return 0;
}
