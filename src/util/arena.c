/* arena.c: chained blocks; big requests get a block of their own. */
#include "util/arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct block {
    struct block *next;
    size_t cap, used;
    _Alignas(16) unsigned char data[];
} block_t;

typedef struct hook {
    struct hook *next;
    ncp_arena_cleanup_fn fn;
    void *data;
} hook_t;

struct ncp_arena {
    block_t *head;   /* current block; the first block is last in the chain */
    hook_t *hooks;
    size_t block_size;
};

static block_t *block_new(size_t cap)
{
    block_t *b = malloc(sizeof(*b) + cap);
    if (!b)
        abort();
    b->next = NULL;
    b->cap = cap;
    b->used = 0;
    return b;
}

ncp_arena_t *ncp_arena_new(size_t first_block)
{
    ncp_arena_t *a = calloc(1, sizeof(*a));
    if (!a)
        abort();
    a->block_size = first_block ? first_block : 8192;
    a->head = block_new(a->block_size);
    return a;
}

static void run_hooks(ncp_arena_t *a)
{
    while (a->hooks) {
        hook_t *h = a->hooks;
        a->hooks = h->next;
        h->fn(h->data);
    }
}

void ncp_arena_reset(ncp_arena_t *a)
{
    if (!a)
        return;
    run_hooks(a);
    while (a->head->next) {
        block_t *b = a->head;
        a->head = b->next;
        free(b);
    }
    a->head->used = 0;
}

void ncp_arena_wipe(ncp_arena_t *a)
{
    if (!a)
        return;
    run_hooks(a); /* the hooks live in the blocks */
    for (block_t *b = a->head; b; b = b->next)
        explicit_bzero(b->data, b->used);
    ncp_arena_reset(a);
}

void ncp_arena_free(ncp_arena_t *a)
{
    if (!a)
        return;
    ncp_arena_reset(a);
    free(a->head);
    free(a);
}

void *ncp_arena_alloc(ncp_arena_t *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (n == 0)
        n = 16;
    block_t *b = a->head;
    if (b->cap - b->used < n) {
        size_t cap = n > a->block_size ? n : a->block_size;
        block_t *nb = block_new(cap);
        if (n > a->block_size && b->cap - b->used > 256) {
            /* keep filling the current block; chain the big one behind it */
            nb->next = b->next;
            b->next = nb;
            nb->used = n;
            memset(nb->data, 0, n);
            return nb->data;
        }
        nb->next = b;
        a->head = nb;
        b = nb;
    }
    void *p = b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

char *ncp_arena_strndup(ncp_arena_t *a, const char *s, size_t n)
{
    char *p = ncp_arena_alloc(a, n + 1);
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *ncp_arena_strdup(ncp_arena_t *a, const char *s)
{
    return ncp_arena_strndup(a, s ? s : "", s ? strlen(s) : 0);
}

char *ncp_arena_printf(ncp_arena_t *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    char *p = ncp_arena_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void *ncp_arena_grow(ncp_arena_t *a, void *old, size_t used, size_t *cap, size_t elem,
                     size_t first)
{
    if (used < *cap)
        return old;
    size_t ncap = *cap ? *cap * 2 : first;
    void *p = ncp_arena_alloc(a, ncap * elem);
    if (used)
        memcpy(p, old, used * elem);
    *cap = ncap;
    return p;
}

void ncp_arena_on_cleanup(ncp_arena_t *a, ncp_arena_cleanup_fn fn, void *data)
{
    hook_t *h = ncp_arena_alloc(a, sizeof(*h));
    h->fn = fn;
    h->data = data;
    h->next = a->hooks;
    a->hooks = h;
}
