/* args.c: the command line of `ncpctl server|vserver|vpc ACTION` -> form pairs.
 *
 * Every decision comes from the action table (spec/actions.def): which
 * names exist, their types, bounds, enum values and required flags. The
 * pairs produced are exactly those ncpd decodes (name, name.N,
 * name.N.field), and they go through ncp_spec_validate, ncpd's validator,
 * before anything is sent: whatever ncpctl accepts, the table accepts.
 *
 * Our own checks run first only to give better messages than "Invalid
 * parameter": they say which value is wrong and what the table allows. */
#include "ncpctl/ncpctl_int.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/err.h"
#include "util/utf8.h"

const char *const ncpctl_global_opts[] = {
    "--profile", "--endpoint", "--output", "--query", "--wait", "--timeout", "--ca-cert",
    "--insecure", "--help", "--version", NULL,
};

void ncpctl_err_set(ncpctl_err_t *err, int exit_code, const char *fmt, ...)
{
    if (!err || err->is_set)
        return;
    err->is_set = true;
    err->exit_code = exit_code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
}

/* ---- suggestions ---------------------------------------------------------- */

#define DIST_MAX 128 /* longer words are compared on their first DIST_MAX bytes */

static size_t distance(const char *a, const char *b)
{
    size_t la = strnlen(a, DIST_MAX), lb = strnlen(b, DIST_MAX);
    size_t row[DIST_MAX + 1];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
            size_t best = diag + cost;
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *ncpctl_closest(const char *word, const char *const *cands, size_t n)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        size_t d = distance(word, cands[i]);
        if (d < best_d) {
            best_d = d;
            best = cands[i];
        }
    }
    return best;
}

/* Copy of user text that is safe inside a one-line message. */
static const char *shown(ncp_arena_t *a, const char *s)
{
    char tmp[160];
    ncp_err_sanitize(tmp, sizeof(tmp), s);
    return ncp_arena_strdup(a, tmp);
}

/* ---- global options --------------------------------------------------------- */

/* Splits "--name=value": returns the length of the name part. */
static size_t name_len(const char *arg)
{
    const char *eq = strchr(arg, '=');
    return eq ? (size_t)(eq - arg) : strlen(arg);
}

static bool is_opt(const char *arg, const char *name)
{
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

/* The value of an option: after '=' or the next argument. */
static const char *opt_value(int argc, char **argv, int *i, const char *name, ncpctl_err_t *err)
{
    const char *eq = strchr(argv[*i], '=');
    if (eq) {
        (*i)++;
        return eq + 1;
    }
    if (*i + 1 >= argc) {
        ncpctl_err_set(err, NCPCTL_EXIT_USAGE, "%s needs a value", name);
        return NULL;
    }
    *i += 2;
    return argv[*i - 1];
}

static int parse_timeout(const char *s, int64_t *ms_out, ncpctl_err_t *err)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    /* a week is far beyond any transition; it also keeps the product in range */
    if (errno || end == s || *end != '\0' || !isfinite(v) || v <= 0 || v > 604800) {
        char safe[64];
        ncp_err_sanitize(safe, sizeof(safe), s);
        ncpctl_err_set(err, NCPCTL_EXIT_USAGE,
                       "--timeout: '%s' is not a number of seconds between 0 and 604800", safe);
        return -1;
    }
    *ms_out = (int64_t)(v * 1000.0);
    if (*ms_out < 1)
        *ms_out = 1;
    return 0;
}

int ncpctl_opts_take(ncpctl_opts_t *o, int argc, char **argv, int *i, ncpctl_err_t *err)
{
    const char *arg = argv[*i];
    const char *v;
    if (strcmp(arg, "-h") == 0 || is_opt(arg, "--help")) {
        o->help = true;
        (*i)++;
        return 1;
    }
    if (is_opt(arg, "--version")) {
        o->version = true;
        (*i)++;
        return 1;
    }
    if (is_opt(arg, "--insecure")) {
        if (strchr(arg, '=')) {
            ncpctl_err_set(err, NCPCTL_EXIT_USAGE, "--insecure takes no value");
            return -1;
        }
        o->insecure = true;
        (*i)++;
        return 1;
    }
    if (is_opt(arg, "--ca-cert")) {
        if (!(v = opt_value(argc, argv, i, "--ca-cert", err)))
            return -1;
        if (!*v) {
            ncpctl_err_set(err, NCPCTL_EXIT_USAGE, "--ca-cert needs a PEM file");
            return -1;
        }
        o->ca_cert = v;
        return 1;
    }
    if (is_opt(arg, "--wait")) {
        if (strchr(arg, '=')) {
            ncpctl_err_set(err, NCPCTL_EXIT_USAGE, "--wait takes no value");
            return -1;
        }
        o->wait = true;
        (*i)++;
        return 1;
    }
    if (is_opt(arg, "--profile")) {
        if (!(v = opt_value(argc, argv, i, "--profile", err)))
            return -1;
        if (!*v || strpbrk(v, "[]\r\n")) {
            ncpctl_err_set(err, NCPCTL_EXIT_USAGE, "--profile: not a profile name");
            return -1;
        }
        o->profile = v;
        return 1;
    }
    if (is_opt(arg, "--endpoint")) {
        if (!(v = opt_value(argc, argv, i, "--endpoint", err)))
            return -1;
        o->endpoint = v;
        return 1;
    }
    if (is_opt(arg, "--query")) {
        if (!(v = opt_value(argc, argv, i, "--query", err)))
            return -1;
        if (!*v) {
            ncpctl_err_set(err, NCPCTL_EXIT_USAGE, "--query needs a field name");
            return -1;
        }
        o->query = v;
        return 1;
    }
    if (is_opt(arg, "--timeout")) {
        if (!(v = opt_value(argc, argv, i, "--timeout", err)))
            return -1;
        if (parse_timeout(v, &o->timeout_ms, err) < 0)
            return -1;
        o->has_timeout = true;
        return 1;
    }
    if (is_opt(arg, "--output")) {
        if (!(v = opt_value(argc, argv, i, "--output", err)))
            return -1;
        if (strcasecmp(v, "json") == 0) {
            o->output = NCPCTL_OUT_JSON;
        } else if (strcasecmp(v, "xml") == 0) {
            o->output = NCPCTL_OUT_XML;
        } else if (strcasecmp(v, "table") == 0) {
            o->output = NCPCTL_OUT_TABLE;
        } else {
            static const char *const fmts[] = {"json", "xml", "table"};
            char safe[64];
            ncp_err_sanitize(safe, sizeof(safe), v);
            ncpctl_err_set(err, NCPCTL_EXIT_USAGE,
                           "--output: unknown format '%s'; did you mean '%s'? (json, xml, table)",
                           safe, ncpctl_closest(v, fmts, 3));
            return -1;
        }
        o->has_output = true;
        return 1;
    }
    return 0;
}

/* ---- values ----------------------------------------------------------------- */

static void kvs_push(ncp_arena_t *a, ncp_kvs_t *kvs, const char *name, const char *val)
{
    ncp_kv_t kv = {name, val, strlen(name), strlen(val), NCP_SRC_BODY};
    ncp_form_push(a, kvs, kv);
}

/* Canonical spelling of s among the '|'-separated values, or NULL. */
static const char *enum_find(ncp_arena_t *a, const char *enums, const char *s)
{
    size_t len = strlen(s);
    for (const char *p = enums; p && *p;) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n == len && strncasecmp(p, s, n) == 0)
            return ncp_arena_strndup(a, p, n);
        p = bar ? bar + 1 : NULL;
    }
    return NULL;
}

/* Checks one value (a scalar or one list item) of p; *canon gets the text to
 * send (canonical enum and boolean spellings). `label` names it in messages. */
static int check_value(const ncp_param_t *p, const char *v, const char *label, ncp_arena_t *a,
                       const char **canon, ncpctl_err_t *err)
{
    size_t len = strlen(v);
    *canon = v;
    if (!ncp_utf8_valid(v, len)) {
        ncpctl_err_set(err, NCPCTL_EXIT_USAGE, "%s: the value is not valid UTF-8", label);
        return -1;
    }
    if (p->flags & NCP_P_RAW)
        return 0; /* the handler checks these items itself, in order (D2) */
    switch (p->type) {
    case NCP_T_STR: {
        int64_t chars = (int64_t)ncp_utf8_chars(v, len);
        if (chars < p->min || (p->max && chars > p->max)) {
            if (p->max)
                ncpctl_err_set(err, NCPCTL_EXIT_USAGE,
                               "%s: %lld characters; the table allows %lld to %lld", label,
                               (long long)chars, (long long)p->min, (long long)p->max);
            else
                ncpctl_err_set(err, NCPCTL_EXIT_USAGE,
                               "%s: %lld characters; the table asks for at least %lld", label,
                               (long long)chars, (long long)p->min);
            return -1;
        }
        return 0;
    }
    case NCP_T_INT: {
        int64_t i;
        if (ncp_spec_parse_int(v, len, &i) < 0) {
            ncpctl_err_set(err, NCPCTL_EXIT_USAGE, "%s: '%s' is not an integer", label,
                           shown(a, v));
            return -1;
        }
        if (i < p->min || i > p->max) {
            ncpctl_err_set(err, NCPCTL_EXIT_USAGE, "%s: %lld is out of range [%lld, %lld]", label,
                           (long long)i, (long long)p->min, (long long)p->max);
            return -1;
        }
        return 0;
    }
    case NCP_T_BOOL: {
        bool b;
        if (ncp_spec_parse_bool(v, len, &b) < 0) {
            ncpctl_err_set(err, NCPCTL_EXIT_USAGE, "%s: '%s' is not a boolean (true or false)",
                           label, shown(a, v));
            return -1;
        }
        *canon = b ? "true" : "false";
        return 0;
    }
    case NCP_T_ENUM:
    case NCP_T_LIST_ENUM:
        if (!(*canon = enum_find(a, p->enums, v))) {
            ncpctl_err_set(err, NCPCTL_EXIT_USAGE, "%s: '%s' is not one of %s", label, shown(a, v),
                           p->enums);
            return -1;
        }
        return 0;
    case NCP_T_NO:
    case NCP_T_LIST_NO:
        if (!ncp_spec_is_no(v, len)) {
            ncpctl_err_set(err, NCPCTL_EXIT_USAGE,
                           "%s: '%s' is not an instance number (1 to 19 decimal digits)", label,
                           shown(a, v));
            return -1;
        }
        return 0;
    case NCP_T_LIST_STR:
    case NCP_T_OBJLIST:
        return 0;
    }
    return 0;
}

/* ---- object lists: "key=value, key=value" ----------------------------------- */

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Length of the "key=" that s starts with (an identifier, optional blanks,
 * '='), the key's length in *key_len; 0 when s does not start with one. */
static size_t key_at(const char *s, size_t *key_len)
{
    size_t k = 0;
    if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return 0;
    while ((s[k] >= 'a' && s[k] <= 'z') || (s[k] >= 'A' && s[k] <= 'Z') ||
           (s[k] >= '0' && s[k] <= '9') || s[k] == '_')
        k++;
    *key_len = k;
    while (s[k] == ' ' || s[k] == '\t')
        k++;
    return s[k] == '=' ? k + 1 : 0;
}

/* Position of name[0..len) in the '|'-separated field names, or -1; *nested
 * tells a list inside each item ("name.N" in the table, written "name"). */
static int field_index(const char *fields, const char *name, size_t len, bool *nested)
{
    int k = 0;
    for (const char *p = fields; p && *p; k++) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        *nested = n > 2 && p[n - 2] == '.' && p[n - 1] == 'N';
        if ((*nested ? n - 2 : n) == len && strncmp(p, name, len) == 0)
            return k;
        p = bar ? bar + 1 : NULL;
    }
    return -1;
}

static void bad_field(const ncp_param_t *p, size_t item, const char *key, ncp_arena_t *a,
                      ncpctl_err_t *err)
{
    const char *cands[64];
    size_t nc = 0;
    char *fields = ncp_arena_strdup(a, p->enums), *save = NULL;
    for (char *tok = strtok_r(fields, "|", &save); tok && nc < 64;
         tok = strtok_r(NULL, "|", &save))
        cands[nc++] = tok;
    ncpctl_err_set(err, NCPCTL_EXIT_USAGE,
                   "--%s: item %zu: unknown field '%s'; did you mean '%s'? (fields: %s)", p->name,
                   item, shown(a, key), ncpctl_closest(key, cands, nc), p->enums);
}

/* One group -> pairs name.N.field. A value runs up to a comma followed by
 * the next "key=", so values may hold commas and '=' (PEM keys, Base64). */
static int group_parse(const ncp_param_t *p, const char *g, size_t item, ncp_arena_t *a,
                       ncp_kvs_t *kvs, ncpctl_err_t *err)
{
    unsigned long long used = 0; /* one bit per field; tables have a handful */
    const char *s = g;
    size_t added = 0;
    while (*s) {
        while (is_blank(*s) || *s == ',')
            s++;
        if (!*s)
            break;
        size_t klen = 0, skip = key_at(s, &klen);
        if (!skip) {
            ncpctl_err_set(err, NCPCTL_EXIT_USAGE,
                           "--%s: item %zu: expected key=value, got '%s' (fields: %s)", p->name,
                           item, shown(a, s), p->enums);
            return -1;
        }
        const char *field = ncp_arena_strndup(a, s, klen);
        bool nested;
        int fi = field_index(p->enums, field, klen, &nested);
        if (fi < 0) {
            bad_field(p, item, field, a, err);
            return -1;
        }
        if (fi < 64 && (used & (1ull << fi))) {
            ncpctl_err_set(err, NCPCTL_EXIT_USAGE, "--%s: item %zu: field %s given twice",
                           p->name, item, field);
            return -1;
        }
        if (fi < 64)
            used |= 1ull << fi;
        const char *v = s + skip, *end = v;
        while (*end) {
            if (*end == ',') {
                const char *t = end + 1;
                size_t dummy;
                while (is_blank(*t))
                    t++;
                if (key_at(t, &dummy))
                    break;
            }
            end++;
        }
        s = end;
        while (v < end && is_blank(*v))
            v++;
        while (end > v && is_blank(end[-1]))
            end--;
        char *val = ncp_arena_strndup(a, v, (size_t)(end - v));
        if (!ncp_utf8_valid(val, strlen(val))) {
            ncpctl_err_set(err, NCPCTL_EXIT_USAGE, "--%s: item %zu: %s is not valid UTF-8",
                           p->name, item, field);
            return -1;
        }
        if (nested) {
            /* a list inside the item: "a, b" -> field.1=a, field.2=b */
            size_t m = 0;
            char *save = NULL;
            for (char *t = strtok_r(val, ", \t", &save); t; t = strtok_r(NULL, ", \t", &save))
                kvs_push(a, kvs, ncp_arena_printf(a, "%s.%zu.%s.%zu", p->name, item, field, ++m),
                         t);
        } else {
            kvs_push(a, kvs, ncp_arena_printf(a, "%s.%zu.%s", p->name, item, field), val);
        }
        added++;
    }
    if (!added) {
        ncpctl_err_set(err, NCPCTL_EXIT_USAGE,
                       "--%s: item %zu is empty; write \"key=value, key=value\" with the fields "
                       "%s",
                       p->name, item, p->enums);
        return -1;
    }
    return 0;
}

/* ---- the whole command line --------------------------------------------------- */

static bool is_list(ncp_ptype_t t)
{
    return t == NCP_T_LIST_STR || t == NCP_T_LIST_NO || t == NCP_T_LIST_ENUM ||
           t == NCP_T_OBJLIST;
}

static void unknown_param(const ncp_action_t *act, const char *arg, ncp_arena_t *a,
                          ncpctl_err_t *err)
{
    size_t ng = 0;
    while (ncpctl_global_opts[ng])
        ng++;
    const char **cands = ncp_arena_alloc(a, (act->nparams + ng + 1) * sizeof(char *));
    size_t n = 0;
    for (size_t k = 0; k < act->nparams; k++)
        cands[n++] = ncp_arena_printf(a, "--%s", act->params[k].name);
    for (size_t k = 0; k < ng; k++)
        cands[n++] = ncpctl_global_opts[k];
    char *name = ncp_arena_strndup(a, arg, name_len(arg));
    ncpctl_err_set(err, NCPCTL_EXIT_USAGE,
                   "unknown parameter %s for %s; did you mean %s? (ncpctl %s %s --help)",
                   shown(a, name), act->name, ncpctl_closest(name, cands, n),
                   ncp_spec_api(act->api)->name, act->name);
}

int ncpctl_args_parse(const ncp_action_t *act, int argc, char **argv, int from, ncp_arena_t *a,
                      ncpctl_opts_t *o, ncp_kvs_t *kvs, ncpctl_err_t *err)
{
    size_t np = act->nparams ? act->nparams : 1;
    size_t *count = ncp_arena_alloc(a, np * sizeof(size_t)); /* values given per parameter */
    int i = from;
    while (i < argc) {
        const char *arg = argv[i];
        if (strncmp(arg, "--", 2) != 0) {
            int r = arg[0] == '-' ? ncpctl_opts_take(o, argc, argv, &i, err) : 0;
            if (r < 0)
                return -1;
            if (r == 0) {
                ncpctl_err_set(err, NCPCTL_EXIT_USAGE,
                               "unexpected argument '%s': parameters are written --name value "
                               "(ncpctl %s %s --help)",
                               shown(a, arg), ncp_spec_api(act->api)->name, act->name);
                return -1;
            }
            continue;
        }
        /* the table wins over a global option of the same name */
        char *name = ncp_arena_strndup(a, arg + 2, name_len(arg) - 2);
        const ncp_param_t *p = ncp_spec_param(act, name);
        if (!p) {
            int r = ncpctl_opts_take(o, argc, argv, &i, err);
            if (r < 0)
                return -1;
            if (r == 0) {
                unknown_param(act, arg, a, err);
                return -1;
            }
            continue;
        }
        size_t pi = (size_t)(p - act->params);
        const char *eq = strchr(arg, '=');
        i++;
        if (!is_list(p->type)) {
            const char *v = eq ? eq + 1 : NULL;
            if (!v) {
                if (i >= argc) {
                    ncpctl_err_set(err, NCPCTL_EXIT_USAGE, "--%s needs a value", p->name);
                    return -1;
                }
                v = argv[i++];
            }
            if (count[pi]) {
                ncpctl_err_set(err, NCPCTL_EXIT_USAGE, "--%s is given twice", p->name);
                return -1;
            }
            const char *canon;
            char *label = ncp_arena_printf(a, "--%s", p->name);
            if (check_value(p, v, label, a, &canon, err) < 0)
                return -1;
            kvs_push(a, kvs, p->name, canon);
            count[pi] = 1;
            continue;
        }
        /* lists: values until the next --option (several --x groups append) */
        size_t before = count[pi];
        while (eq || (i < argc && strncmp(argv[i], "--", 2) != 0)) {
            const char *v = eq ? eq + 1 : argv[i++];
            eq = NULL;
            size_t item = ++count[pi];
            if (item > NCP_LIST_MAX * 10) {
                ncpctl_err_set(err, NCPCTL_EXIT_USAGE, "--%s: too many values", p->name);
                return -1;
            }
            if (p->type == NCP_T_OBJLIST) {
                if (group_parse(p, v, item, a, kvs, err) < 0)
                    return -1;
                continue;
            }
            const char *canon;
            char *label = ncp_arena_printf(a, "--%s value %zu", p->name, item);
            if (check_value(p, v, label, a, &canon, err) < 0)
                return -1;
            kvs_push(a, kvs, ncp_arena_printf(a, "%s.%zu", p->name, item), canon);
        }
        if (count[pi] == before) {
            if (p->type == NCP_T_OBJLIST)
                ncpctl_err_set(err, NCPCTL_EXIT_USAGE,
                               "--%s needs at least one \"key=value, ...\" group (fields: %s)",
                               p->name, p->enums);
            else
                ncpctl_err_set(err, NCPCTL_EXIT_USAGE, "--%s needs at least one value",
                               p->name);
            return -1;
        }
    }
    if (o->help)
        return 0; /* help needs no complete request */

    for (size_t k = 0; k < act->nparams; k++) {
        const ncp_param_t *p = &act->params[k];
        if ((p->flags & NCP_P_REQ) && !count[k]) {
            ncpctl_err_set(err, NCPCTL_EXIT_USAGE,
                           "%s needs --%s (%s); see ncpctl %s %s --help", act->name, p->name,
                           p->help, ncp_spec_api(act->api)->name, act->name);
            return -1;
        }
        if (is_list(p->type) && count[k] &&
            ((p->max && (int64_t)count[k] > p->max) || (int64_t)count[k] < p->min)) {
            ncpctl_err_set(err, NCPCTL_EXIT_USAGE,
                           "--%s: %zu values; the table allows %lld to %lld", p->name, count[k],
                           (long long)p->min, (long long)(p->max ? p->max : NCP_LIST_MAX));
            return -1;
        }
    }

    /* Last word to the server's own validator (same table, same code). */
    ncp_args_t checked;
    ncp_err_t verr;
    ncp_err_init(&verr);
    if (ncp_spec_validate(act, kvs, a, &checked, &verr) < 0) {
        ncpctl_err_set(err, NCPCTL_EXIT_USAGE, "%s: %s", act->name, verr.msg);
        return -1;
    }
    return 0;
}
