/* log.c: see log.h. */
#include "util/log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/utf8.h"

static atomic_int min_level = NCP_LOG_INFO;
static atomic_bool as_json;
static const char *names[] = {"debug", "info", "warn", "error", "notice"};

void ncp_log_set_level(ncp_log_level_t lvl)
{
    atomic_store(&min_level, (int)lvl);
}

int ncp_log_set_level_name(const char *name)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(name, names[i]) == 0) {
            ncp_log_set_level((ncp_log_level_t)i);
            return 0;
        }
    return -1;
}

void ncp_log_set_json(bool json)
{
    atomic_store(&as_json, json);
}

/* ---- JSON ----------------------------------------------------------------- */

/* A bounded writer: keeps room to close the object, never cuts an escape. */
typedef struct jw {
    char *out;
    size_t cap, len; /* cap excludes the reserve for the closing '"}' */
    bool full;
} jw_t;

static void jw_raw(jw_t *w, const char *s, size_t n)
{
    if (w->full || w->len + n > w->cap) {
        w->full = true;
        return;
    }
    memcpy(w->out + w->len, s, n);
    w->len += n;
}

/* s[0..n) as the inside of a JSON string. */
static void jw_text(jw_t *w, const char *s, size_t n)
{
    for (size_t i = 0; i < n && !w->full;) {
        unsigned char c = (unsigned char)s[i];
        char esc[8];
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            jw_raw(w, esc, 2);
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            snprintf(esc, sizeof(esc), "\\u%04x", c);
            jw_raw(w, esc, 6);
            i++;
        } else if (c < 0x80) {
            jw_raw(w, s + i, 1);
            i++;
        } else {
            size_t k = ncp_utf8_seq((const unsigned char *)s + i, n - i);
            if (k == 0) {
                jw_raw(w, "\\ufffd", 6); /* not UTF-8: replaced, JSON stays valid */
                i++;
            } else {
                jw_raw(w, s + i, k);
                i += k;
            }
        }
    }
}

static bool is_int(const char *s, size_t n)
{
    size_t i = s[0] == '-';
    if (n <= i || n - i > 15 || (s[i] == '0' && n - i > 1))
        return false;
    for (; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* Length of a key at s ("[a-z_][a-z0-9_.]*" followed by '='), or 0. */
static size_t key_len(const char *s)
{
    size_t i = 0;
    if (!((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
        return 0;
    while ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
           s[i] == '.')
        i++;
    return s[i] == '=' && i <= 40 ? i : 0;
}

size_t ncp_log_json(char *out, size_t cap, const char *ts, const char *level, const char *text)
{
    if (cap < 128) { /* too small for ts and level: an empty object */
        if (cap >= 3)
            memcpy(out, "{}", 3);
        else if (cap)
            out[0] = '\0';
        return cap >= 3 ? 2 : 0;
    }
    jw_t w = {out, cap - 4, 0, false};
    char msg[1024];
    size_t ml = 0;
    jw_raw(&w, "{\"ts\":\"", 7);
    jw_text(&w, ts, strlen(ts));
    jw_raw(&w, "\",\"level\":\"", 11);
    jw_text(&w, level, strlen(level));
    jw_raw(&w, "\"", 1);
    /* keys already written, to keep the object free of duplicates */
    const char *seen[32];
    size_t seen_len[32], n_seen = 0;
    const char *p = text;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t kl = key_len(p);
        if (!kl) { /* a free word: part of the message */
            size_t n = strcspn(p, " ");
            if (ml + n + 1 < sizeof(msg)) {
                if (ml)
                    msg[ml++] = ' ';
                memcpy(msg + ml, p, n);
                ml += n;
            }
            p += n;
            continue;
        }
        const char *k = p, *v = p + kl + 1;
        size_t vl;
        bool quoted = false;
        if (*v == '"') {
            const char *e = v + 1;
            while (*e && *e != '"')
                e += (e[0] == '\\' && e[1]) ? 2 : 1;
            quoted = true;
            v++;
            vl = (size_t)(e - v);
            p = *e ? e + 1 : e;
        } else if ((kl == 6 && memcmp(k, "detail", 6) == 0) ||
                   (kl == 3 && memcmp(k, "msg", 3) == 0) ||
                   (kl == 5 && memcmp(k, "error", 5) == 0)) {
            vl = strlen(v); /* takes the rest of the line */
            p = v + vl;
        } else {
            vl = strcspn(v, " ");
            p = v + vl;
        }
        bool dup = (kl == 2 && memcmp(k, "ts", 2) == 0) || (kl == 5 && memcmp(k, "level", 5) == 0);
        for (size_t i = 0; i < n_seen && !dup; i++)
            dup = seen_len[i] == kl && memcmp(seen[i], k, kl) == 0;
        if (dup)
            continue;
        if (n_seen < 32) {
            seen[n_seen] = k;
            seen_len[n_seen++] = kl;
        }
        jw_raw(&w, ",\"", 2);
        jw_text(&w, k, kl);
        jw_raw(&w, "\":", 2);
        if (!quoted && vl && is_int(v, vl)) {
            jw_raw(&w, v, vl);
        } else {
            jw_raw(&w, "\"", 1);
            if (quoted) { /* undo \" and \\ */
                for (size_t i = 0; i < vl; i++) {
                    if (v[i] == '\\' && i + 1 < vl)
                        i++;
                    jw_text(&w, v + i, 1);
                }
            } else {
                jw_text(&w, v, vl);
            }
            jw_raw(&w, "\"", 1);
        }
    }
    if (ml && !w.full) {
        jw_raw(&w, ",\"msg\":\"", 8);
        jw_text(&w, msg, ml);
        jw_raw(&w, "\"", 1);
    }
    if (w.full) {
        /* cut inside a member: drop back to the last complete member */
        size_t depth_ok = 0;
        bool in_str = false;
        for (size_t i = 0; i < w.len; i++) {
            if (in_str) {
                if (out[i] == '\\')
                    i++;
                else if (out[i] == '"')
                    in_str = false;
            } else if (out[i] == '"') {
                in_str = true;
            } else if (out[i] == ',') {
                depth_ok = i;
            }
        }
        if (depth_ok)
            w.len = depth_ok;
    }
    out[w.len++] = '}';
    out[w.len] = '\0';
    return w.len;
}

/* ---- lines ---------------------------------------------------------------- */

void ncp_log_line(ncp_log_level_t lvl, const char *text)
{
    if (lvl != NCP_LOG_NOTICE && (int)lvl < atomic_load(&min_level))
        return;
    char ts[96], line[2048];
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct tm tm;
    gmtime_r(&now.tv_sec, &tm);
    snprintf(ts, sizeof(ts), "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
             now.tv_nsec / 1000000);
    size_t len;
    if (atomic_load(&as_json)) {
        len = ncp_log_json(line, sizeof(line) - 1, ts, names[lvl], text);
    } else {
        int n = snprintf(line, sizeof(line) - 1, "ts=%s level=%s %s", ts, names[lvl], text);
        len = n < 0 ? 0 : (size_t)n;
        if (len > sizeof(line) - 2)
            len = sizeof(line) - 2;
    }
    line[len++] = '\n';
    ssize_t w = write(STDERR_FILENO, line, len);
    (void)w;
}

void ncp_log(ncp_log_level_t lvl, const char *fmt, ...)
{
    if (lvl != NCP_LOG_NOTICE && (int)lvl < atomic_load(&min_level))
        return;
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    if (m < 0)
        text[0] = '\0';
    ncp_log_line(lvl, text);
}
