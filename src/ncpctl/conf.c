/* conf.c: where the key pair and the endpoint come from; `ncpctl configure`.
 *
 * Order (first wins), the ncloud CLI habit:
 *   1. flags: --profile NAME (a section of the configure file), --endpoint URL
 *   2. env: NCLOUD_ACCESS_KEY_ID / NCLOUD_SECRET_ACCESS_KEY (or NCLOUD_ACCESS_KEY /
 *      NCLOUD_SECRET_KEY), NCLOUD_API_GW
 *   3. $HOME/.ncloud/configure, section [DEFAULT]
 *   4. the public endpoint (endpoint only)
 * The key pair always comes from one place: a key id from the env and a
 * secret from the file would be a silent mix-up, so a half-set pair in the
 * env is a usage error rather than a fall-through.
 *
 * The file is INI: "[name]" sections, "key = value" lines, '#'/';' comments.
 * Lines before any section belong to DEFAULT. `configure` rewrites only the
 * three keys of one section and keeps every other line byte for byte; the
 * new file replaces the old one by rename, so a crash never leaves half a
 * file, and it is created 0600 (it holds a secret) in a 0700 directory. */
#include "ncpctl/ncpctl_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/err.h"

#define KEY_ID "ncloud_access_key_id"
#define KEY_SECRET "ncloud_secret_access_key"
#define KEY_URL "ncloud_api_url"
#define CONF_MAX (1u << 20) /* a configure file is a few lines; refuse anything huge */

static char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (!d)
        abort();
    return d;
}

/* "$HOME/.ncloud" + tail, or NULL when HOME is unset or empty. Caller frees. */
static char *home_path(const char *tail)
{
    const char *home = getenv("HOME");
    if (!home || !*home)
        return NULL;
    ncp_buf_t b;
    ncp_buf_init(&b, 0);
    ncp_buf_printf(&b, "%s/.ncloud%s", home, tail);
    return ncp_buf_take(&b, NULL);
}

/* Whole file, or NULL: *missing when it does not exist (not an error). */
static char *file_slurp(const char *path, bool *missing, ncpctl_err_t *err)
{
    *missing = false;
    FILE *f = fopen(path, "rb");
    char *ret = NULL;
    ncp_buf_t b;
    ncp_buf_init(&b, CONF_MAX);
    if (!f) {
        if (errno == ENOENT || errno == ENOTDIR)
            *missing = true;
        else
            ncpctl_err_set(err, NCPCTL_EXIT_USAGE, "cannot read %s: %s", path, strerror(errno));
        goto cleanup;
    }
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
        if (ncp_buf_append(&b, chunk, n) < 0) {
            ncpctl_err_set(err, NCPCTL_EXIT_USAGE, "%s is larger than %u bytes", path, CONF_MAX);
            goto cleanup;
        }
    }
    if (ferror(f)) {
        ncpctl_err_set(err, NCPCTL_EXIT_USAGE, "cannot read %s", path);
        goto cleanup;
    }
    ncp_buf_putc(&b, '\0'); /* an empty file still yields a string */
    ret = ncp_buf_take(&b, NULL);
cleanup:
    if (f)
        fclose(f);
    ncp_buf_release(&b);
    return ret;
}

/* ---- INI reading ---------------------------------------------------------- */

typedef struct line {
    const char *raw;   /* start of the line */
    size_t raw_len;    /* with its line break */
    const char *t;     /* trimmed content */
    size_t t_len;
} line_t;

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Next line of text at *pos; false at the end. */
static bool next_line(const char *text, size_t *pos, line_t *l)
{
    size_t p = *pos, len = strlen(text);
    if (p >= len)
        return false;
    const char *nl = memchr(text + p, '\n', len - p);
    size_t end = nl ? (size_t)(nl - text) + 1 : len;
    l->raw = text + p;
    l->raw_len = end - p;
    size_t a = p, b = end;
    while (a < b && blank(text[a]))
        a++;
    while (b > a && blank(text[b - 1]))
        b--;
    l->t = text + a;
    l->t_len = b - a;
    *pos = end;
    return true;
}

/* "[name]" -> name (trimmed) in out; false when the line is not a header. */
static bool header_name(const line_t *l, char *out, size_t cap)
{
    if (l->t_len < 2 || l->t[0] != '[' || l->t[l->t_len - 1] != ']')
        return false;
    const char *a = l->t + 1, *b = l->t + l->t_len - 1;
    while (a < b && blank(*a))
        a++;
    while (b > a && blank(b[-1]))
        b--;
    size_t n = (size_t)(b - a) < cap - 1 ? (size_t)(b - a) : cap - 1;
    memcpy(out, a, n);
    out[n] = '\0';
    return true;
}

/* "key = value": true and the trimmed parts; comments and junk are false. */
static bool key_value(const line_t *l, const char **k, size_t *kl, const char **v, size_t *vl)
{
    if (!l->t_len || l->t[0] == '#' || l->t[0] == ';')
        return false;
    const char *eq = memchr(l->t, '=', l->t_len);
    if (!eq)
        return false;
    const char *ke = eq;
    while (ke > l->t && blank(ke[-1]))
        ke--;
    const char *vs = eq + 1, *ve = l->t + l->t_len;
    while (vs < ve && blank(*vs))
        vs++;
    *k = l->t;
    *kl = (size_t)(ke - l->t);
    *v = vs;
    *vl = (size_t)(ve - vs);
    return true;
}

/* Value of key in section (the last one wins, as a later line overrides),
 * or NULL. *has_section tells whether the section exists at all. Caller frees. */
static char *ini_get(const char *text, const char *section, const char *key, bool *has_section)
{
    char *ret = NULL;
    char cur[256] = "DEFAULT", name[256];
    size_t pos = 0;
    line_t l;
    bool in = strcmp(section, "DEFAULT") == 0;
    if (has_section)
        *has_section = false;
    while (text && next_line(text, &pos, &l)) {
        if (header_name(&l, name, sizeof(name))) {
            memcpy(cur, name, sizeof(cur));
            in = strcmp(cur, section) == 0;
            if (in && has_section)
                *has_section = true;
            continue;
        }
        const char *k, *v;
        size_t kl, vl;
        if (in && key_value(&l, &k, &kl, &v, &vl) && kl == strlen(key) &&
            strncmp(k, key, kl) == 0) {
            free(ret);
            ret = strndup(v, vl);
            if (!ret)
                abort();
            if (has_section)
                *has_section = true;
        }
    }
    return ret;
}

/* ---- resolution ------------------------------------------------------------- */

static const char *env_nonempty(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

int ncpctl_creds_resolve(const ncpctl_opts_t *o, ncpctl_creds_t *out, ncpctl_err_t *err)
{
    int ret = -1;
    bool missing = true;
    char *path = home_path("/configure");
    char *text = NULL, *ak = NULL, *sk = NULL, *url = NULL;
    memset(out, 0, sizeof(*out));
    if (path && !(text = file_slurp(path, &missing, err)) && !missing)
        goto cleanup;
    const char *where = path ? path : "$HOME/.ncloud/configure (HOME is not set)";

    /* 1. --profile: the whole profile is a flag-level choice */
    if (o->profile) {
        bool has = false;
        ak = ini_get(text, o->profile, KEY_ID, &has);
        sk = ini_get(text, o->profile, KEY_SECRET, NULL);
        if (!has) {
            ncpctl_err_set(err, NCPCTL_EXIT_USAGE,
                           "--profile %s: no such profile in %s%s (ncpctl configure --profile %s "
                           "creates it)",
                           o->profile, where, missing ? ", which does not exist" : "",
                           o->profile);
            goto cleanup;
        }
        if (!ak || !*ak || !sk || !*sk) {
            ncpctl_err_set(err, NCPCTL_EXIT_USAGE, "--profile %s: [%s] in %s lacks %s",
                           o->profile, o->profile, where, !ak || !*ak ? KEY_ID : KEY_SECRET);
            goto cleanup;
        }
        out->key_source = "--profile";
        url = ini_get(text, o->profile, KEY_URL, NULL);
        if (url && !*url) {
            free(url);
            url = NULL;
        }
    } else {
        /* 2. env */
        const char *eak = env_nonempty("NCLOUD_ACCESS_KEY_ID");
        const char *esk = env_nonempty("NCLOUD_SECRET_ACCESS_KEY");
        if (!eak)
            eak = env_nonempty("NCLOUD_ACCESS_KEY");
        if (!esk)
            esk = env_nonempty("NCLOUD_SECRET_KEY");
        if (eak && esk) {
            ak = xstrdup(eak);
            sk = xstrdup(esk);
            out->key_source = "environment";
        } else if (eak || esk) {
            ncpctl_err_set(err, NCPCTL_EXIT_USAGE,
                           "%s is set but %s is not: set both, or neither to use %s",
                           eak ? "NCLOUD_ACCESS_KEY_ID (or NCLOUD_ACCESS_KEY)"
                               : "NCLOUD_SECRET_ACCESS_KEY (or NCLOUD_SECRET_KEY)",
                           eak ? "NCLOUD_SECRET_ACCESS_KEY (or NCLOUD_SECRET_KEY)"
                               : "NCLOUD_ACCESS_KEY_ID (or NCLOUD_ACCESS_KEY)",
                           where);
            goto cleanup;
        } else {
            /* 3. the file's DEFAULT section */
            ak = ini_get(text, "DEFAULT", KEY_ID, NULL);
            sk = ini_get(text, "DEFAULT", KEY_SECRET, NULL);
            out->key_source = where;
        }
        if (!ak || !*ak || !sk || !*sk) {
            ncpctl_err_set(err, NCPCTL_EXIT_USAGE,
                           "no credentials found; looked at: the --profile flag (not given); "
                           "the environment (NCLOUD_ACCESS_KEY_ID and NCLOUD_SECRET_ACCESS_KEY, "
                           "or NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY: not set); "
                           "[DEFAULT] %s and %s in %s (%s). Run 'ncpctl configure'",
                           KEY_ID, KEY_SECRET, where,
                           missing ? "no such file" : "not there");
            goto cleanup;
        }
    }

    /* endpoint: --endpoint > profile > NCLOUD_API_GW > [DEFAULT] > public */
    const char *e;
    if (o->endpoint) {
        out->endpoint = xstrdup(o->endpoint);
        out->endpoint_source = "--endpoint";
    } else if (url) {
        out->endpoint = url;
        url = NULL;
        out->endpoint_source = "--profile";
    } else if ((e = env_nonempty("NCLOUD_API_GW"))) {
        out->endpoint = xstrdup(e);
        out->endpoint_source = "NCLOUD_API_GW";
    } else if ((url = ini_get(text, "DEFAULT", KEY_URL, NULL)) && *url) {
        out->endpoint = url;
        url = NULL;
        out->endpoint_source = where;
    } else {
        out->endpoint = xstrdup(NCPCTL_DEFAULT_ENDPOINT);
        out->endpoint_source = "default";
    }
    out->access_key = ak;
    out->secret_key = sk;
    ak = sk = NULL;
    ret = 0;
cleanup:
    free(path);
    free(text);
    free(ak);
    free(sk);
    free(url);
    return ret;
}

void ncpctl_creds_release(ncpctl_creds_t *c)
{
    if (!c)
        return;
    free(c->access_key);
    free(c->endpoint);
    if (c->secret_key) {
        /* the secret should not linger in freed memory */
        volatile char *p = c->secret_key;
        while (*p)
            *p++ = '\0';
        free(c->secret_key);
    }
    memset(c, 0, sizeof(*c));
}

/* ---- configure --------------------------------------------------------------- */

/* "****************0001": enough to recognise a key, not to use it. */
static void mask(const char *v, char *out, size_t cap)
{
    size_t n = strlen(v), keep = n > 8 ? 4 : 0, stars = n - keep;
    if (stars > 16)
        stars = 16;
    if (stars + keep + 1 > cap)
        stars = cap - keep - 1;
    memset(out, '*', stars);
    memcpy(out + stars, v + n - keep, keep);
    out[stars + keep] = '\0';
}

/* Prompts and reads one answer; empty (or end of input) keeps `cur`. Caller frees. */
static char *ask(FILE *in, FILE *out, const char *prompt, const char *shown_default,
                 const char *cur)
{
    char *line = NULL;
    size_t cap = 0;
    fprintf(out, "%s [%s]: ", prompt, shown_default);
    fflush(out);
    ssize_t n = getline(&line, &cap, in);
    char *ret = NULL;
    if (n > 0) {
        char *a = line, *b = line + n;
        while (a < b && blank(*a))
            a++;
        while (b > a && blank(b[-1]))
            b--;
        if (b > a)
            ret = strndup(a, (size_t)(b - a));
    }
    if (n < 0 || !isatty(fileno(in)))
        fputc('\n', out); /* the answer did not echo a line break: keep prompts apart */
    free(line);
    if (!ret && cur)
        ret = strdup(cur);
    if (!ret)
        ret = strdup("");
    if (!ret)
        abort();
    return ret;
}

static bool clean_value(const char *v)
{
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p < 0x21 || *p == 0x7f)
            return false;
    return *v != '\0';
}

/* The file text with the three keys of `section` replaced (see the top). */
static char *rewrite(const char *text, const char *section, const char *ak, const char *sk,
                     const char *url)
{
    ncp_buf_t b;
    ncp_buf_init(&b, 0);
    char name[256];
    size_t pos = 0;
    line_t l;
    bool in = strcmp(section, "DEFAULT") == 0, emitted = false;
    while (text && next_line(text, &pos, &l)) {
        if (header_name(&l, name, sizeof(name))) {
            in = strcmp(name, section) == 0;
            ncp_buf_append(&b, l.raw, l.raw_len);
            if (l.raw[l.raw_len - 1] != '\n')
                ncp_buf_putc(&b, '\n');
            if (in && !emitted) {
                ncp_buf_printf(&b, "%s = %s\n%s = %s\n%s = %s\n", KEY_ID, ak, KEY_SECRET, sk,
                               KEY_URL, url);
                emitted = true;
            }
            continue;
        }
        const char *k, *v;
        size_t kl, vl;
        if (in && key_value(&l, &k, &kl, &v, &vl) &&
            ((kl == strlen(KEY_ID) && strncmp(k, KEY_ID, kl) == 0) ||
             (kl == strlen(KEY_SECRET) && strncmp(k, KEY_SECRET, kl) == 0) ||
             (kl == strlen(KEY_URL) && strncmp(k, KEY_URL, kl) == 0)))
            continue;
        ncp_buf_append(&b, l.raw, l.raw_len);
        if (l.raw[l.raw_len - 1] != '\n')
            ncp_buf_putc(&b, '\n');
    }
    if (!emitted) {
        if (b.len && !(b.len >= 2 && b.data[b.len - 1] == '\n' && b.data[b.len - 2] == '\n'))
            ncp_buf_putc(&b, '\n');
        ncp_buf_printf(&b, "[%s]\n%s = %s\n%s = %s\n%s = %s\n", section, KEY_ID, ak, KEY_SECRET,
                       sk, KEY_URL, url);
    }
    return ncp_buf_take(&b, NULL);
}

/* Writes text to path through a 0600 temporary file and rename(2). */
static int write_private(const char *dir, const char *path, const char *text, ncpctl_err_t *err)
{
    int ret = -1, fd = -1;
    ncp_buf_t tmp;
    ncp_buf_init(&tmp, 0);
    ncp_buf_printf(&tmp, "%s/.configure.XXXXXX", dir);
    if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
        ncpctl_err_set(err, NCPCTL_EXIT_USAGE, "cannot create %s: %s", dir, strerror(errno));
        goto cleanup;
    }
    fd = mkstemp(tmp.data); /* mode 0600 */
    if (fd < 0) {
        ncpctl_err_set(err, NCPCTL_EXIT_USAGE, "cannot write in %s: %s", dir, strerror(errno));
        goto cleanup;
    }
    size_t len = strlen(text), off = 0;
    while (off < len) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            ncpctl_err_set(err, NCPCTL_EXIT_USAGE, "cannot write %s: %s", tmp.data,
                           strerror(errno));
            goto cleanup;
        }
        off += (size_t)w;
    }
    if (fchmod(fd, 0600) < 0 || fsync(fd) < 0) {
        ncpctl_err_set(err, NCPCTL_EXIT_USAGE, "cannot write %s: %s", tmp.data, strerror(errno));
        goto cleanup;
    }
    int rc = close(fd);
    fd = -1;
    if (rc < 0 || rename(tmp.data, path) < 0) {
        ncpctl_err_set(err, NCPCTL_EXIT_USAGE, "cannot replace %s: %s", path, strerror(errno));
        goto cleanup;
    }
    ret = 0;
cleanup:
    if (fd >= 0)
        close(fd);
    if (ret < 0 && tmp.data)
        unlink(tmp.data);
    ncp_buf_release(&tmp);
    return ret;
}

int ncpctl_configure_run(const char *profile, FILE *in, FILE *out, ncpctl_err_t *err)
{
    int ret = -1;
    const char *section = profile ? profile : "DEFAULT";
    char *path = home_path("/configure"), *dir = home_path("");
    char *text = NULL, *cur_ak = NULL, *cur_sk = NULL, *cur_url = NULL;
    char *ak = NULL, *sk = NULL, *url = NULL, *newtext = NULL;
    bool missing = true;
    char m1[32], m2[32];
    if (!path) {
        ncpctl_err_set(err, NCPCTL_EXIT_USAGE,
                       "HOME is not set: cannot locate ~/.ncloud/configure");
        goto cleanup;
    }
    if (!(text = file_slurp(path, &missing, err)) && !missing)
        goto cleanup;
    cur_ak = ini_get(text, section, KEY_ID, NULL);
    cur_sk = ini_get(text, section, KEY_SECRET, NULL);
    cur_url = ini_get(text, section, KEY_URL, NULL);
    if (cur_url && !*cur_url) {
        free(cur_url);
        cur_url = NULL;
    }
    mask(cur_ak ? cur_ak : "", m1, sizeof(m1));
    mask(cur_sk ? cur_sk : "", m2, sizeof(m2));
    if (profile)
        fprintf(out, "Profile [%s] in %s\n", section, path);
    ak = ask(in, out, "Ncloud Access Key ID", m1, cur_ak);
    sk = ask(in, out, "Ncloud Secret Access Key", m2, cur_sk);
    url = ask(in, out, "Ncloud API URL", cur_url ? cur_url : NCPCTL_DEFAULT_ENDPOINT,
              cur_url ? cur_url : NCPCTL_DEFAULT_ENDPOINT);
    if (!clean_value(ak) || !clean_value(sk)) {
        ncpctl_err_set(err, NCPCTL_EXIT_USAGE,
                       "configure: the access key id and the secret key are required, without "
                       "spaces; %s left unchanged",
                       path);
        goto cleanup;
    }
    if (!clean_value(url) ||
        (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0)) {
        ncpctl_err_set(err, NCPCTL_EXIT_USAGE,
                       "configure: the API URL must start with http:// or https://; %s left "
                       "unchanged",
                       path);
        goto cleanup;
    }
    newtext = rewrite(text, section, ak, sk, url);
    if (write_private(dir, path, newtext, err) < 0)
        goto cleanup;
    fprintf(out, "Saved profile [%s] to %s\n", section, path);
    ret = 0;
cleanup:
    free(path);
    free(dir);
    free(text);
    free(cur_ak);
    free(cur_sk);
    free(cur_url);
    free(ak);
    free(sk);
    free(url);
    free(newtext);
    return ret;
}
