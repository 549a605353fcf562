/* emit.c: see emit.h. The buffer's cap bounds the response size; once it
 * is exceeded further writes are dropped and the caller sees buf->over. */
#include "render/emit.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "util/utf8.h"

static const char spaces[] = "                                                                ";

static void indent(ncp_emit_t *e, int depth)
{
    /* XML bare lists have no wrapper element: they do not indent */
    for (int i = 0; i < depth && i < e->depth; i++)
        if (e->st[i].bare && e->fmt == NCP_FMT_XML)
            depth--;
    int n = depth * 2;
    if (n > (int)sizeof(spaces) - 1)
        n = (int)sizeof(spaces) - 1;
    ncp_buf_append(e->out, spaces, (size_t)n);
}

void ncp_emit_text(ncp_buf_t *b, ncp_fmt_t fmt, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0;
    while (i < len) {
        unsigned char c = p[i];
        const char *rep = NULL;
        char tmp[8];
        size_t step = 1;
        if (c >= 0x80) {
            step = ncp_utf8_seq(p + i, len - i);
            if (!step) {
                rep = "\xef\xbf\xbd";
                step = 1;
            } else if (fmt == NCP_FMT_XML && step == 3 && c == 0xef && p[i + 1] == 0xbf &&
                       (p[i + 2] == 0xbe || p[i + 2] == 0xbf)) {
                rep = "\xef\xbf\xbd"; /* U+FFFE/U+FFFF are not XML characters */
            }
        } else if (fmt == NCP_FMT_XML) {
            switch (c) {
            case '&': rep = "&amp;"; break;
            case '<': rep = "&lt;"; break;
            case '>': rep = "&gt;"; break;
            case '"': rep = "&quot;"; break;
            case '\'': rep = "&apos;"; break;
            case '\t': case '\n': break;
            case '\r': rep = "&#13;"; break;
            default:
                if (c < 0x20 || c == 0x7f)
                    rep = c == 0x7f ? "&#127;" : "\xef\xbf\xbd";
            }
        } else {
            switch (c) {
            case '"': rep = "\\\""; break;
            case '\\': rep = "\\\\"; break;
            case '\n': rep = "\\n"; break;
            case '\r': rep = "\\r"; break;
            case '\t': rep = "\\t"; break;
            default:
                if (c < 0x20 || c == 0x7f) {
                    snprintf(tmp, sizeof(tmp), "\\u%04x", c);
                    rep = tmp;
                }
            }
        }
        if (rep) {
            if (run)
                ncp_buf_append(b, s + i - run, run);
            run = 0;
            ncp_buf_puts(b, rep);
            i += step;
        } else {
            run += step;
            i += step;
        }
    }
    if (run)
        ncp_buf_append(b, s + len - run, run);
}

void ncp_emit_init(ncp_emit_t *e, ncp_fmt_t fmt, ncp_buf_t *out)
{
    memset(e, 0, sizeof(*e));
    e->fmt = fmt;
    e->out = out;
}

static void tag(ncp_emit_t *e, const char *open, const char *name, const char *close)
{
    ncp_buf_puts(e->out, open);
    ncp_buf_puts(e->out, name);
    ncp_buf_puts(e->out, close);
}

/* An end whose begin was refused pops nothing. */
static bool refused_end(ncp_emit_t *e)
{
    if (!e->refused)
        return false;
    e->refused--;
    return true;
}

static ncp_emit_frame_t *top(ncp_emit_t *e)
{
    return &e->st[e->depth - 1];
}

/* Starts a member: JSON comma/newline/indent + key; XML newline/indent.
 * Returns the XML element name to use. */
static const char *member(ncp_emit_t *e, const char *name)
{
    ncp_emit_frame_t *f = top(e);
    const char *el = name;
    if (e->fmt == NCP_FMT_JSON) {
        if (f->count)
            ncp_buf_putc(e->out, ',');
        ncp_buf_putc(e->out, '\n');
        indent(e, e->depth);
        if (!f->item && !f->bare) {
            ncp_buf_putc(e->out, '"');
            ncp_buf_puts(e->out, name);
            ncp_buf_puts(e->out, "\": ");
        }
    } else {
        if (f->bare)
            el = f->name;
        else if (f->item)
            el = f->item;
        ncp_buf_putc(e->out, '\n');
        indent(e, e->depth);
    }
    f->count++;
    return el;
}

static void push(ncp_emit_t *e, const char *name, const char *item, bool bare)
{
    if (e->depth >= NCP_EMIT_MAX_DEPTH) {
        e->out->over = true; /* the response is refused; keep begin/end balanced */
        e->refused++;
        return;
    }
    ncp_emit_frame_t *f = &e->st[e->depth++];
    f->name = name;
    f->item = item;
    f->count = 0;
    f->bare = bare;
    f->open_at = e->out->len;
}

void ncp_emit_root_begin(ncp_emit_t *e, const char *name)
{
    snprintf(e->root, sizeof(e->root), "%s", name);
    name = e->root;
    if (e->fmt == NCP_FMT_JSON) {
        ncp_buf_puts(e->out, "{\"");
        ncp_buf_puts(e->out, name);
        ncp_buf_puts(e->out, "\": {");
    } else {
        tag(e, "<", name, ">");
    }
    push(e, name, NULL, false);
}

void ncp_emit_root_end(ncp_emit_t *e)
{
    if (refused_end(e) || e->depth == 0)
        return;
    ncp_emit_frame_t *f = top(e);
    if (e->fmt == NCP_FMT_JSON)
        ncp_buf_puts(e->out, f->count ? "\n}}" : "}}");
    else
        tag(e, "\n</", f->name, ">");
    e->depth--;
}

size_t ncp_emit_obj_begin(ncp_emit_t *e, const char *name)
{
    const char *el = member(e, name);
    size_t at = e->out->len;
    if (e->fmt == NCP_FMT_JSON)
        ncp_buf_putc(e->out, '{');
    else
        tag(e, "<", el, ">");
    push(e, el, NULL, false);
    return at;
}

void ncp_emit_raw(ncp_emit_t *e, const char *name, const char *text, size_t len)
{
    member(e, name);
    ncp_buf_append(e->out, text, len);
}

void ncp_emit_obj_end(ncp_emit_t *e)
{
    if (refused_end(e))
        return;
    ncp_emit_frame_t *f = top(e);
    e->depth--;
    if (e->fmt == NCP_FMT_JSON) {
        if (f->count) {
            ncp_buf_putc(e->out, '\n');
            indent(e, e->depth);
        }
        ncp_buf_putc(e->out, '}');
    } else {
        ncp_buf_putc(e->out, '\n');
        indent(e, e->depth);
        tag(e, "</", f->name, ">");
    }
}

void ncp_emit_list_begin(ncp_emit_t *e, const char *name, const char *item)
{
    member(e, name);
    size_t at = e->out->len;
    if (e->fmt == NCP_FMT_JSON)
        ncp_buf_putc(e->out, '[');
    else
        tag(e, "<", name, ">");
    push(e, name, item, false);
    top(e)->open_at = at;
}

void ncp_emit_list_begin_bare(ncp_emit_t *e, const char *name)
{
    if (e->fmt == NCP_FMT_JSON) {
        ncp_emit_list_begin(e, name, NULL);
        top(e)->item = name;
        return;
    }
    /* XML: no wrapper; each item is written as <name>...</name> at this level */
    push(e, name, NULL, true);
}

void ncp_emit_list_end(ncp_emit_t *e)
{
    if (refused_end(e))
        return;
    ncp_emit_frame_t *f = top(e);
    e->depth--;
    if (f->bare && e->fmt == NCP_FMT_XML) {
        top(e)->count += f->count;
        return;
    }
    if (e->fmt == NCP_FMT_JSON) {
        if (f->count) {
            ncp_buf_putc(e->out, '\n');
            indent(e, e->depth);
        }
        ncp_buf_putc(e->out, ']');
    } else if (!f->count) {
        ncp_buf_truncate(e->out, f->open_at);
        tag(e, "<", f->name, "/>");
    } else {
        ncp_buf_putc(e->out, '\n');
        indent(e, e->depth);
        tag(e, "</", f->name, ">");
    }
}

static void scalar_open(ncp_emit_t *e, const char *name, const char **el)
{
    *el = member(e, name);
    if (e->fmt == NCP_FMT_XML)
        tag(e, "<", *el, ">");
}

static void scalar_close(ncp_emit_t *e, const char *el)
{
    if (e->fmt == NCP_FMT_XML)
        tag(e, "</", el, ">");
}

void ncp_emit_strn(ncp_emit_t *e, const char *name, const char *s, size_t len)
{
    const char *el;
    scalar_open(e, name, &el);
    if (e->fmt == NCP_FMT_JSON)
        ncp_buf_putc(e->out, '"');
    ncp_emit_text(e->out, e->fmt, s ? s : "", s ? len : 0);
    if (e->fmt == NCP_FMT_JSON)
        ncp_buf_putc(e->out, '"');
    scalar_close(e, el);
}

void ncp_emit_str(ncp_emit_t *e, const char *name, const char *s)
{
    ncp_emit_strn(e, name, s, s ? strlen(s) : 0);
}

void ncp_emit_int(ncp_emit_t *e, const char *name, int64_t v)
{
    const char *el;
    scalar_open(e, name, &el);
    char b[24], *p = b + sizeof(b);
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    ncp_buf_append(e->out, p, (size_t)(b + sizeof(b) - p));
    scalar_close(e, el);
}

void ncp_emit_bool(ncp_emit_t *e, const char *name, bool v)
{
    const char *el;
    scalar_open(e, name, &el);
    ncp_buf_puts(e->out, v ? "true" : "false");
    scalar_close(e, el);
}

void ncp_emit_num(ncp_emit_t *e, const char *name, const char *literal)
{
    const char *el;
    scalar_open(e, name, &el);
    ncp_buf_puts(e->out, literal);
    scalar_close(e, el);
}

void ncp_emit_code(ncp_emit_t *e, const char *name, const char *code, const char *code_name)
{
    ncp_emit_obj_begin(e, name);
    ncp_emit_str(e, "code", code);
    ncp_emit_str(e, "codeName", code_name);
    ncp_emit_obj_end(e);
}
