/* spec.c: the compiled action table and the generic validator.
 *
 * Validation order (protocol.md §5): unknown / repeated / malformed names
 * first (910), then required parameters (900), then each value's type and
 * bounds (910). Handlers then check existence and state. */
#include "spec/spec.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/utf8.h"

/* ---- the tables ---------------------------------------------------------- */

/* Each .def file is included twice: once for the parameter arrays (named
 * with the table's prefix, since the APIs share action names), once for
 * the actions. NCP_UNSUPPORTED rows have neither parameters nor handler. */
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define NCP_ACTION(n, fl, h) static const ncp_param_t CAT(PFX, n)[] = {
#define NCP_PARAM(n, t, fl, mi, ma, en, h) {#n, t, fl, mi, ma, en, h},
#define NCP_END(n) {NULL, 0, 0, 0, 0, NULL, NULL}};
#define NCP_UNSUPPORTED(n, h)
#define PFX params_
#include "spec/actions.def"
#undef PFX
#define PFX vsparams_
#include "spec/vserver.def"
#undef PFX
#define PFX vpcparams_
#include "spec/vpc.def"
#undef PFX
#undef NCP_ACTION
#undef NCP_PARAM
#undef NCP_END
#undef NCP_UNSUPPORTED

#define NCP_ACTION(n, fl, h)                                                                   \
    {#n, fl, h, CAT(PFX, n), sizeof(CAT(PFX, n)) / sizeof(ncp_param_t) - 1, API},
#define NCP_PARAM(n, t, fl, mi, ma, en, h)
#define NCP_END(n)
#define NCP_UNSUPPORTED(n, h) {#n, NCP_A_UNSUPPORTED, h, NULL, 0, API},
#define PFX params_
#define API NCP_API_SERVER
static const ncp_action_t actions[] = {
#include "spec/actions.def"
};
#undef PFX
#undef API
#define PFX vsparams_
#define API NCP_API_VSERVER
static const ncp_action_t vserver_actions[] = {
#include "spec/vserver.def"
};
#undef PFX
#undef API
#define PFX vpcparams_
#define API NCP_API_VPC
static const ncp_action_t vpc_actions[] = {
#include "spec/vpc.def"
};
#undef PFX
#undef API
#undef NCP_ACTION
#undef NCP_PARAM
#undef NCP_END
#undef NCP_UNSUPPORTED

static const size_t n_actions = sizeof(actions) / sizeof(actions[0]);

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
static const ncp_api_t apis[NCP_API__N] = {
    {NCP_API_SERVER, "server", "/server/v2/", actions, N_OF(actions)},
    {NCP_API_VSERVER, "vserver", "/vserver/v2/", vserver_actions, N_OF(vserver_actions)},
    {NCP_API_VPC, "vpc", "/vpc/v2/", vpc_actions, N_OF(vpc_actions)},
};

const ncp_api_t *ncp_spec_api(ncp_api_id_t id)
{
    return (unsigned)id < NCP_API__N ? &apis[id] : NULL;
}

const ncp_api_t *ncp_spec_api_named(const char *name)
{
    for (size_t i = 0; i < NCP_API__N; i++)
        if (strcmp(apis[i].name, name) == 0)
            return &apis[i];
    return NULL;
}

const ncp_action_t *ncp_spec_actions(size_t *n_out)
{
    *n_out = n_actions;
    return actions;
}

int ncp_spec_check_table(void)
{
    for (size_t k = 0; k < NCP_API__N; k++)
        for (size_t i = 1; i < apis[k].n; i++)
            if (strcmp(apis[k].actions[i - 1].name, apis[k].actions[i].name) >= 0)
                return -1;
    return 0;
}

const ncp_action_t *ncp_spec_api_find(const ncp_api_t *api, const char *name, size_t len)
{
    if (memchr(name, '\0', len))
        return NULL;
    size_t lo = 0, hi = api->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const char *m = api->actions[mid].name;
        int c = strncmp(m, name, len);
        if (c == 0 && m[len] != '\0')
            c = 1;
        if (c == 0)
            return &api->actions[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const ncp_action_t *ncp_spec_find(const char *name, size_t len)
{
    return ncp_spec_api_find(&apis[NCP_API_SERVER], name, len);
}

const ncp_param_t *ncp_spec_param(const ncp_action_t *act, const char *name)
{
    for (size_t i = 0; i < act->nparams; i++)
        if (strcmp(act->params[i].name, name) == 0)
            return &act->params[i];
    return NULL;
}

const char *ncp_spec_type_name(ncp_ptype_t t)
{
    switch (t) {
    case NCP_T_STR: return "String";
    case NCP_T_INT: return "Integer";
    case NCP_T_BOOL: return "Boolean";
    case NCP_T_ENUM: return "String";
    case NCP_T_NO: return "String";
    case NCP_T_LIST_STR:
    case NCP_T_LIST_NO:
    case NCP_T_LIST_ENUM: return "List<String>";
    case NCP_T_OBJLIST: return "List<Object>";
    }
    return "?";
}

/* ---- value checks ------------------------------------------------------- */

static int parse_index_(const char *s, size_t len, uint32_t *out);

/* An instance number: 1..19 decimal digits whose value fits int64 (what
 * the platform's Java backend parses as a long). Leading zeros are allowed
 * and read as the same number (Long.parseLong("01021003") = 1021003;
 * docs/compat.md). Anything above INT64_MAX is malformed, never wrapped. */
bool ncp_spec_is_no(const char *s, size_t len)
{
    if (len == 0 || len > 19)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(s[i] - '0'); /* 19 digits never overflow uint64 */
    }
    return v <= (uint64_t)INT64_MAX;
}

int ncp_spec_parse_int(const char *s, size_t len, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    if (len && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    if (i == len || len - i > 19)
        return -1;
    uint64_t v = 0;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (v > (uint64_t)INT64_MAX)
        return -1;
    *out = neg ? -(int64_t)v : (int64_t)v;
    return 0;
}

int ncp_spec_parse_bool(const char *s, size_t len, bool *out)
{
    if (len == 4 && strncasecmp(s, "true", 4) == 0)
        *out = true;
    else if (len == 5 && strncasecmp(s, "false", 5) == 0)
        *out = false;
    else
        return -1;
    return 0;
}

/* Canonical spelling of `s` in the '|'-separated `enums`, or NULL. */
static const char *enum_match(ncp_arena_t *a, const char *enums, const char *s, size_t len)
{
    const char *p = enums;
    while (p && *p) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n == len && strncasecmp(p, s, len) == 0)
            return ncp_arena_strndup(a, p, n);
        p = bar ? bar + 1 : NULL;
    }
    return NULL;
}

/* Field k of an OBJLIST whose name s[0..len) matches: exactly, or for a
 * nested list field ("name.N" in `fields`) as "name" (sub 0: the whole
 * list in one value) or "name.M" (sub M: one item). -1 when none. */
static int field_find(const char *fields, const char *s, size_t len, uint32_t *sub)
{
    int k = 0;
    const char *p = fields;
    *sub = 0;
    while (p && *p) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        bool nested = n > 2 && p[n - 2] == '.' && p[n - 1] == 'N';
        size_t base = nested ? n - 2 : n;
        if (len >= base && strncmp(p, s, base) == 0) {
            if (len == base)
                return k;
            if (nested && s[base] == '.' && parse_index_(s + base + 1, len - base - 1, sub) == 0)
                return k;
        }
        k++;
        p = bar ? bar + 1 : NULL;
    }
    return -1;
}

static int field_index(const char *fields, const char *s, size_t len)
{
    uint32_t sub;
    int k = field_find(fields, s, len, &sub);
    return k >= 0 && sub == 0 ? k : -1;
}

/* Is field k of `fields` a nested list ("name.N")? */
static bool field_nested(const char *fields, int k)
{
    const char *p = fields;
    for (; k > 0 && p; k--) {
        p = strchr(p, '|');
        p = p ? p + 1 : NULL;
    }
    if (!p)
        return false;
    size_t n = strcspn(p, "|");
    return n > 2 && p[n - 2] == '.' && p[n - 1] == 'N';
}

static size_t count_fields(const char *fields)
{
    size_t n = 1;
    for (const char *p = fields; *p; p++)
        n += *p == '|';
    return n;
}

/* 910 for the classic API, 1100000 `Parameter is invalid. {name}` for the
 * VPC APIs (spec/vpc/README.md §1.5). */
static void invalid(const ncp_action_t *act, ncp_err_t *err, const char *name, size_t len)
{
    char raw[160], safe[160];
    if (len >= sizeof(raw))
        len = sizeof(raw) - 1;
    memcpy(raw, name, len);
    raw[len] = '\0';
    ncp_err_sanitize(safe, sizeof(safe), raw);
    ncp_err_set(err, act->api == NCP_API_SERVER ? NCP_E_INVALID_PARAM : NCP_E_V_INVALID, safe);
}

/* ---- collection --------------------------------------------------------- */

/* One list entry before ordering. */
typedef struct entry {
    uint32_t index;
    int field; /* OBJLIST field, else -1 */
    uint32_t sub; /* item of a nested list field (1..), 0: the whole field */
    uint8_t src;
    const char *val;
    size_t len;
} entry_t;

typedef struct slot {
    entry_t *e;
    size_t n, cap;
    const ncp_kv_t *scalar;
} slot_t;

static void slot_push(ncp_arena_t *a, slot_t *s, entry_t e)
{
    s->e = ncp_arena_grow(a, s->e, s->n, &s->cap, sizeof(entry_t), 8);
    s->e[s->n++] = e;
}

static int cmp_entry(const void *x, const void *y)
{
    const entry_t *a = x, *b = y;
    if (a->index != b->index)
        return a->index < b->index ? -1 : 1;
    if (a->field != b->field)
        return a->field < b->field ? -1 : 1;
    if (a->sub != b->sub)
        return a->sub < b->sub ? -1 : 1;
    return (int)a->src - (int)b->src;
}

static bool is_list(ncp_ptype_t t)
{
    return t == NCP_T_LIST_STR || t == NCP_T_LIST_NO || t == NCP_T_LIST_ENUM ||
           t == NCP_T_OBJLIST;
}

/* Parses a list index: positive decimal, at most 7 digits. */
static int parse_index_(const char *s, size_t len, uint32_t *out)
{
    if (len == 0 || len > 7)
        return -1;
    uint32_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (uint32_t)(s[i] - '0');
    }
    if (v == 0)
        return -1;
    *out = v;
    return 0;
}

static int check_scalar(const ncp_action_t *act, const ncp_param_t *p, ncp_arena_t *a,
                        const char *v, size_t len, ncp_arg_t *out, ncp_err_t *err)
{
    switch (p->type) {
    case NCP_T_STR:
    case NCP_T_LIST_STR: {
        if (memchr(v, '\0', len))
            goto bad;
        size_t chars = ncp_utf8_chars(v, len);
        int64_t max = p->type == NCP_T_STR ? p->max : 1000000;
        int64_t min = p->type == NCP_T_STR ? p->min : 0;
        if ((int64_t)chars < min || (max && (int64_t)chars > max))
            goto bad;
        out->s = v;
        out->len = len;
        return 0;
    }
    case NCP_T_INT:
        if (ncp_spec_parse_int(v, len, &out->i) < 0 || out->i < p->min || out->i > p->max)
            goto bad;
        out->s = v;
        out->len = len;
        return 0;
    case NCP_T_BOOL:
        if (ncp_spec_parse_bool(v, len, &out->b) < 0)
            goto bad;
        out->s = out->b ? "true" : "false";
        out->len = strlen(out->s);
        return 0;
    case NCP_T_ENUM:
    case NCP_T_LIST_ENUM: {
        const char *c = enum_match(a, p->enums, v, len);
        if (!c)
            goto bad;
        out->s = c;
        out->len = strlen(c);
        return 0;
    }
    case NCP_T_NO:
    case NCP_T_LIST_NO:
        if (!ncp_spec_is_no(v, len))
            goto bad;
        out->s = v;
        out->len = len;
        return 0;
    case NCP_T_OBJLIST:
        break;
    }
bad:
    invalid(act, err, p->name, strlen(p->name));
    return -1;
}

/* Appends the items of one nested-list value to *joined (',' between items):
 * "['1', '2']" (the Python SDK's literal, sub 0) or one item (sub > 0). */
static int nested_append(ncp_arena_t *a, const char *v, size_t len, uint32_t sub,
                         const char **joined, size_t *jlen)
{
    ncp_buf_t b;
    ncp_buf_init(&b, 0);
    if (*joined)
        ncp_buf_append(&b, *joined, *jlen);
    int ret = -1;
    if (sub == 0 && len >= 2 && v[0] == '[' && v[len - 1] == ']') {
        const char *p = v + 1, *end = v + len - 1;
        while (p < end) {
            const char *c = memchr(p, ',', (size_t)(end - p));
            const char *q = c ? c : end, *x = p;
            while (x < q && (*x == ' ' || *x == '\'' || *x == '"'))
                x++;
            const char *y = q;
            while (y > x && (y[-1] == ' ' || y[-1] == '\'' || y[-1] == '"'))
                y--;
            if (y > x) {
                if (b.len)
                    ncp_buf_putc(&b, ',');
                ncp_buf_append(&b, x, (size_t)(y - x));
            }
            p = c ? c + 1 : end;
        }
    } else {
        if (memchr(v, ',', len))
            goto cleanup;
        if (len) {
            if (b.len)
                ncp_buf_putc(&b, ',');
            ncp_buf_append(&b, v, len);
        }
    }
    *joined = ncp_arena_strndup(a, b.data ? b.data : "", b.len);
    *jlen = b.len;
    ret = 0;
cleanup:
    ncp_buf_release(&b);
    return ret;
}

int ncp_spec_validate(const ncp_action_t *act, const ncp_kvs_t *kvs, ncp_arena_t *a,
                      ncp_args_t *out, ncp_err_t *err)
{
    out->act = act;
    out->v = ncp_arena_alloc(a, (act->nparams ? act->nparams : 1) * sizeof(ncp_arg_t));
    slot_t *slots = ncp_arena_alloc(a, (act->nparams ? act->nparams : 1) * sizeof(slot_t));

    /* 1. names: route every pair to its parameter */
    for (size_t k = 0; k < kvs->n; k++) {
        const ncp_kv_t *kv = &kvs->v[k];
        if (kv->name_len == 18 && memcmp(kv->name, "responseFormatType", 18) == 0)
            continue;
        size_t pi = act->nparams;
        const char *rest = NULL;
        size_t rest_len = 0;
        for (size_t i = 0; i < act->nparams; i++) {
            size_t pl = strlen(act->params[i].name);
            if (kv->name_len < pl || memcmp(kv->name, act->params[i].name, pl) != 0)
                continue;
            if (kv->name_len == pl) {
                pi = i;
                break;
            }
            if (kv->name[pl] == '.' && is_list(act->params[i].type)) {
                pi = i;
                rest = kv->name + pl + 1;
                rest_len = kv->name_len - pl - 1;
                break;
            }
        }
        if (pi == act->nparams) {
            invalid(act, err, kv->name, kv->name_len);
            return -1;
        }
        const ncp_param_t *p = &act->params[pi];
        slot_t *s = &slots[pi];
        /* the VPC APIs: an empty value is an absent parameter (README §1.4) */
        if (act->api != NCP_API_SERVER && kv->val_len == 0)
            continue;
        if (!is_list(p->type)) {
            if (s->scalar && s->scalar->src == kv->src) {
                invalid(act, err, kv->name, kv->name_len);
                return -1;
            }
            s->scalar = kv; /* the body comes after the query: body wins */
            continue;
        }
        entry_t e = {.index = 1, .field = -1, .src = kv->src, .val = kv->val, .len = kv->val_len};
        if (p->type == NCP_T_OBJLIST) {
            const char *dot = rest ? memchr(rest, '.', rest_len) : NULL;
            if (!dot || parse_index_(rest, (size_t)(dot - rest), &e.index) < 0 ||
                (e.field = field_find(p->enums, dot + 1, rest_len - (size_t)(dot - rest) - 1,
                                      &e.sub)) < 0) {
                invalid(act, err, kv->name, kv->name_len);
                return -1;
            }
        } else if (rest && parse_index_(rest, rest_len, &e.index) < 0) {
            invalid(act, err, kv->name, kv->name_len);
            return -1;
        }
        slot_push(a, s, e);
    }

    /* 2. required, 3. values */
    for (size_t i = 0; i < act->nparams; i++) {
        const ncp_param_t *p = &act->params[i];
        slot_t *s = &slots[i];
        ncp_arg_t *arg = &out->v[i];
        if (!is_list(p->type)) {
            if (!s->scalar) {
                if (p->flags & NCP_P_REQ) {
                    ncp_err_set(err, NCP_E_REQUIRED, p->name);
                    return -1;
                }
                continue;
            }
            arg->present = true;
            if (check_scalar(act, p, a, s->scalar->val, s->scalar->val_len, arg, err) < 0)
                return -1;
            continue;
        }
        if (!s->n) {
            if (p->flags & NCP_P_REQ) {
                ncp_err_set(err, NCP_E_REQUIRED, p->name);
                return -1;
            }
            continue;
        }
        qsort(s->e, s->n, sizeof(entry_t), cmp_entry);
        /* drop duplicates of one index: same source is an error, body wins */
        size_t m = 0;
        for (size_t k = 0; k < s->n; k++) {
            if (m && s->e[m - 1].index == s->e[k].index && s->e[m - 1].field == s->e[k].field &&
                s->e[m - 1].sub == s->e[k].sub) {
                if (s->e[m - 1].src == s->e[k].src) {
                    char name[96];
                    snprintf(name, sizeof(name), "%s.%u", p->name, s->e[k].index);
                    invalid(act, err, name, strlen(name));
                    return -1;
                }
                s->e[m - 1] = s->e[k];
                continue;
            }
            s->e[m++] = s->e[k];
        }
        s->n = m;
        size_t items = 0;
        for (size_t k = 0; k < s->n; k++)
            if (k == 0 || s->e[k].index != s->e[k - 1].index)
                items++;
        if ((p->max && (int64_t)items > p->max) || (int64_t)items < p->min) {
            invalid(act, err, p->name, strlen(p->name));
            return -1;
        }
        arg->present = true;
        arg->n = items;
        if (p->type == NCP_T_OBJLIST) {
            size_t nf = count_fields(p->enums);
            arg->nfields = nf;
            arg->items = ncp_arena_alloc(a, items * nf * sizeof(char *));
            arg->lens = ncp_arena_alloc(a, items * nf * sizeof(size_t));
            uint8_t *whole = ncp_arena_alloc(a, items * nf); /* nested: a sub-0 value seen */
            size_t item = 0;
            for (size_t k = 0; k < s->n; k++) {
                if (k && s->e[k].index != s->e[k - 1].index)
                    item++;
                size_t slot = item * nf + (size_t)s->e[k].field;
                if (memchr(s->e[k].val, '\0', s->e[k].len)) {
                    invalid(act, err, p->name, strlen(p->name));
                    return -1;
                }
                if (!field_nested(p->enums, s->e[k].field)) {
                    if (s->e[k].sub) { /* "field.M" of a field that is no list */
                        invalid(act, err, p->name, strlen(p->name));
                        return -1;
                    }
                    arg->items[slot] = s->e[k].val;
                    arg->lens[slot] = s->e[k].len;
                    continue;
                }
                /* one value for the whole nested list, or items: not both */
                if ((s->e[k].sub && whole[slot]) || (!s->e[k].sub && arg->items[slot]) ||
                    nested_append(a, s->e[k].val, s->e[k].len, s->e[k].sub, &arg->items[slot],
                                  &arg->lens[slot]) < 0) {
                    invalid(act, err, p->name, strlen(p->name));
                    return -1;
                }
                whole[slot] |= s->e[k].sub == 0;
            }
            continue;
        }
        arg->items = ncp_arena_alloc(a, items * sizeof(char *));
        arg->lens = ncp_arena_alloc(a, items * sizeof(size_t));
        for (size_t k = 0; k < s->n; k++) {
            ncp_arg_t one = {0};
            if (!(p->flags & NCP_P_RAW)) {
                if (check_scalar(act, p, a, s->e[k].val, s->e[k].len, &one, err) < 0)
                    return -1;
            } else {
                one.s = s->e[k].val;
                one.len = s->e[k].len;
            }
            arg->items[k] = one.s;
            arg->lens[k] = one.len;
        }
    }
    return 0;
}

static const ncp_arg_t empty_arg;

const ncp_arg_t *ncp_arg(const ncp_args_t *args, const char *name)
{
    for (size_t i = 0; i < args->act->nparams; i++)
        if (strcmp(args->act->params[i].name, name) == 0)
            return args->v ? &args->v[i] : &empty_arg;
    fprintf(stderr, "ncp_arg: action %s has no parameter %s\n", args->act->name, name);
    abort();
}

const char *ncp_arg_field(const ncp_args_t *args, const char *list, size_t k, const char *field)
{
    const ncp_arg_t *a = ncp_arg(args, list);
    const ncp_param_t *p = ncp_spec_param(args->act, list);
    int f = field_index(p->enums, field, strlen(field));
    if (f < 0 || k >= a->n) {
        if (f < 0)
            abort();
        return NULL;
    }
    return a->items[k * a->nfields + (size_t)f];
}
