/* emit.h: format-neutral streaming writer (git json-writer style).
 *
 * Handlers describe a response as a sequence of begin/value/end calls; the
 * emitter writes XML or JSON into a bounded buffer as it goes, no tree is
 * built. Layout rules (DECISIONS D6, protocol.md §3):
 *   XML:  no declaration; two-space indent; list = wrapper element + one
 *         item element per entry; empty list `<xList/>`; empty string `<x></x>`.
 *   JSON: `{"root": {` then members indented by two spaces, `"k": v`,
 *         closing `}}` with no trailing newline (Go SDK slicing); lists are
 *         arrays of bare objects; empty list `[]`.
 * Text is escaped for its format; bytes that are not valid UTF-8 or not
 * allowed in XML become U+FFFD, so the output always parses. */
#ifndef NCP_EMIT_H
#define NCP_EMIT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

typedef enum { NCP_FMT_XML = 0, NCP_FMT_JSON = 1 } ncp_fmt_t;

#define NCP_EMIT_MAX_DEPTH 16

typedef struct ncp_emit_frame {
    const char *name;   /* element name (XML) */
    const char *item;   /* list item element name (XML), NULL for objects */
    size_t open_at;     /* buffer offset just before the opening tag */
    unsigned count;     /* members / items written so far */
    bool bare;          /* XML: list without item elements (repeated wrapper) */
} ncp_emit_frame_t;

typedef struct ncp_emit {
    ncp_fmt_t fmt;
    ncp_buf_t *out;
    int depth;
    ncp_emit_frame_t st[NCP_EMIT_MAX_DEPTH];
    int refused;        /* begins refused past the maximum depth, awaiting their ends */
    char root[128];     /* copy of the root element name */
} ncp_emit_t;

void ncp_emit_init(ncp_emit_t *e, ncp_fmt_t fmt, ncp_buf_t *out);
void ncp_emit_root_begin(ncp_emit_t *e, const char *name);
void ncp_emit_root_end(ncp_emit_t *e);
/* Object member `name` (ignored for list items, where the list names it).
 * Returns the buffer offset where the object's own text starts (after the
 * separator), so a caller can keep a rendered object and replay it. */
size_t ncp_emit_obj_begin(ncp_emit_t *e, const char *name);
/* Member `name` whose text is `len` bytes rendered earlier by the same
 * kind of emitter at the same depth (see ncp_emit_obj_begin). */
void ncp_emit_raw(ncp_emit_t *e, const char *name, const char *text, size_t len);
void ncp_emit_obj_end(ncp_emit_t *e);
/* List member `name` whose XML items are called `item`. */
void ncp_emit_list_begin(ncp_emit_t *e, const char *name, const char *item);
/* XML only difference: items are written as repeated `name` elements with no
 * wrapper (getRootPasswordServerInstanceList, protocol.md §3.1). */
void ncp_emit_list_begin_bare(ncp_emit_t *e, const char *name);
void ncp_emit_list_end(ncp_emit_t *e);
void ncp_emit_str(ncp_emit_t *e, const char *name, const char *s);
void ncp_emit_strn(ncp_emit_t *e, const char *name, const char *s, size_t len);
void ncp_emit_int(ncp_emit_t *e, const char *name, int64_t v);
void ncp_emit_bool(ncp_emit_t *e, const char *name, bool v);
/* A number written as the given literal (e.g. a ratio "12.5"); the caller
 * guarantees it is a JSON number. */
void ncp_emit_num(ncp_emit_t *e, const char *name, const char *literal);
/* CommonCode {code, codeName}. */
void ncp_emit_code(ncp_emit_t *e, const char *name, const char *code, const char *code_name);
/* Escaped text only (used by tests and the fuzzers). */
void ncp_emit_text(ncp_buf_t *b, ncp_fmt_t fmt, const char *s, size_t len);

#endif
