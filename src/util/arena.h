/* arena.h: per-request bump allocator (nginx pool / h2o mem pool style).
 *
 * Everything a request needs lives in one arena, released at once when the
 * request ends. Cleanup hooks release what is not memory (statements, fds).
 * Allocation never fails silently: on OOM the process aborts, because a
 * half-allocated request has no sane way to continue. */
#ifndef NCP_ARENA_H
#define NCP_ARENA_H
#include <stddef.h>

typedef struct ncp_arena ncp_arena_t;
typedef void (*ncp_arena_cleanup_fn)(void *data);

ncp_arena_t *ncp_arena_new(size_t first_block);
void ncp_arena_free(ncp_arena_t *a);           /* runs hooks, frees all; NULL-safe */
void ncp_arena_reset(ncp_arena_t *a);          /* runs hooks, keeps the first block */
void ncp_arena_wipe(ncp_arena_t *a);           /* zeroes what was used, then resets */
void *ncp_arena_alloc(ncp_arena_t *a, size_t n);      /* 16-byte aligned, zeroed */
char *ncp_arena_strndup(ncp_arena_t *a, const char *s, size_t n); /* NUL-terminated copy */
char *ncp_arena_strdup(ncp_arena_t *a, const char *s);
char *ncp_arena_printf(ncp_arena_t *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Growable arrays in an arena: when used == *cap, returns a copy of `old`
 * with twice the capacity (at least `first`) and updates *cap; else `old`. */
void *ncp_arena_grow(ncp_arena_t *a, void *old, size_t used, size_t *cap, size_t elem,
                     size_t first);
void ncp_arena_on_cleanup(ncp_arena_t *a, ncp_arena_cleanup_fn fn, void *data);

#endif
