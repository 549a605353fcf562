/* act_tags.c: instance tags (images-tags.md §2, interactions.md T1-T2).
 *
 * Tags belong to servers only and are written with their server (so that
 * the server's instanceTagList and getServerInstanceList's tag filters
 * follow them at once); a terminated server's tags go with it. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "act/act_res.h"
#include "store/store_tag.h"

#define TAG_MAX_LEN 255   /* as createServerInstances */
#define TAGS_PER_SERVER 100

static void emit_tag(ncp_emit_t *e, int64_t no, const char *key, const char *value)
{
    ncp_emit_obj_begin(e, NULL);
    act_emit_no(e, "instanceNo", no);
    ncp_emit_code(e, "instanceType", "SVR", "Server");
    ncp_emit_str(e, "tagKey", key);
    ncp_emit_str(e, "tagValue", value);
    ncp_emit_obj_end(e);
}

/* The request's tags, checked; `need_value`: tagValue is required too. */
static int request_tags(ncp_ctx_t *ctx, bool need_value, ncp_tag_t **out, size_t *n_out,
                        ncp_err_t *err)
{
    static const char list[] = "instanceTagList";
    const ncp_arg_t *a = ncp_arg(&ctx->args, list);
    ncp_tag_t *v = ncp_arena_alloc(ctx->arena, (a->n ? a->n : 1) * sizeof(*v));
    char loc[64];
    for (size_t i = 0; i < a->n; i++) {
        v[i].key = ncp_arg_field(&ctx->args, list, i, "tagKey");
        v[i].value = ncp_arg_field(&ctx->args, list, i, "tagValue");
        const char *missing = !v[i].key ? "tagKey" : (need_value && !v[i].value) ? "tagValue"
                                                                                 : NULL;
        if (missing) {
            snprintf(loc, sizeof(loc), "%s.%zu.%s", list, i + 1, missing);
            ncp_err_set(err, NCP_E_REQUIRED, loc);
            return -1;
        }
        if (!*v[i].key || strlen(v[i].key) > TAG_MAX_LEN ||
            (v[i].value && strlen(v[i].value) > TAG_MAX_LEN)) {
            snprintf(loc, sizeof(loc), "%s.%zu.%s", list, i + 1,
                     !*v[i].key || strlen(v[i].key) > TAG_MAX_LEN ? "tagKey" : "tagValue");
            ncp_err_set(err, NCP_E_INVALID_PARAM, loc);
            return -1;
        }
        for (size_t k = 0; k < i; k++)
            if (strcmp(v[k].key, v[i].key) == 0 &&
                (need_value || !v[k].value == !v[i].value)) {
                char safe[128];
                ncp_err_sanitize(safe, sizeof(safe), v[i].key);
                ncp_err_set(err, NCP_E_DUPLICATE, list, safe);
                return -1;
            }
    }
    *out = v;
    *n_out = a->n;
    return 0;
}

int act_createInstanceTags(ncp_ctx_t *ctx, ncp_err_t *err)
{
    ncp_server_t *servers;
    size_t n, n_tags;
    ncp_tag_t *tags;
    if (act_servers_resolve(ctx, "instanceNoList", &servers, &n, err) < 0 ||
        request_tags(ctx, true, &tags, &n_tags, err) < 0)
        return -1;
    /* every tag on every server: a key already there takes the new value */
    for (size_t i = 0; i < n; i++) {
        ncp_server_t *s = &servers[i];
        ncp_tag_t *merged = ncp_arena_alloc(ctx->arena, (s->n_tags + n_tags + 1) * sizeof(*merged));
        size_t m = 0;
        for (size_t k = 0; k < s->n_tags; k++)
            merged[m++] = s->tags[k];
        for (size_t t = 0; t < n_tags; t++) {
            size_t k = 0;
            while (k < m && strcmp(merged[k].key, tags[t].key) != 0)
                k++;
            merged[k] = tags[t];
            if (k == m)
                m++;
        }
        if (m > TAGS_PER_SERVER) {
            ncp_err_set(err, NCP_E_INVALID_PARAM, "instanceTagList");
            return -1;
        }
        s->tags = merged;
        s->n_tags = m;
    }
    for (size_t i = 0; i < n; i++)
        if (ctx->so->server_put(ctx->st, &servers[i], err) < 0)
            return -1;
    act_answer_begin(ctx, (int64_t)(n * n_tags), "instanceTagList", "instanceTag");
    for (size_t i = 0; i < n; i++)
        for (size_t t = 0; t < n_tags; t++)
            emit_tag(ctx->em, servers[i].no, tags[t].key, tags[t].value);
    act_answer_end(ctx);
    return 0;
}

int act_deleteInstanceTags(ncp_ctx_t *ctx, ncp_err_t *err)
{
    ncp_server_t *servers;
    size_t n, n_tags;
    ncp_tag_t *tags;
    if (act_servers_resolve(ctx, "instanceNoList", &servers, &n, err) < 0 ||
        request_tags(ctx, false, &tags, &n_tags, err) < 0)
        return -1;
    /* no tag named: all of them; a key: that key; a key and a value: only if it matches */
    for (size_t i = 0; i < n; i++) {
        ncp_server_t *s = &servers[i];
        size_t m = 0;
        for (size_t k = 0; k < s->n_tags; k++) {
            bool drop = n_tags == 0;
            for (size_t t = 0; t < n_tags && !drop; t++)
                drop = strcmp(tags[t].key, s->tags[k].key) == 0 &&
                       (!tags[t].value || strcmp(tags[t].value, s->tags[k].value) == 0);
            if (!drop)
                s->tags[m++] = s->tags[k];
        }
        if (m != s->n_tags) {
            s->n_tags = m;
            if (ctx->so->server_put(ctx->st, s, err) < 0)
                return -1;
        }
    }
    /* the documented answer lists nothing (images-tags.md §2.4) */
    act_answer_begin(ctx, 0, "instanceTagList", "instanceTag");
    act_answer_end(ctx);
    return 0;
}

static int tag_row(void *p, const ncp_tag_row_t *t)
{
    act_rows_t *r = p;
    act_rows_open(r);
    emit_tag(r->ctx->em, t->server_no, t->key, t->value);
    return 0;
}

int act_getInstanceTagList(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    ncp_tag_filter_t f = {.account_id = ctx->account_id};
    const ncp_arg_t *a = ncp_arg(A, "instanceNoList");
    f.nos = act_nos(ctx, a);
    f.n_nos = a->n;
    a = ncp_arg(A, "tagKeyList");
    if (a->present) {
        f.keys = (const char *const *)a->items;
        f.n_keys = a->n;
    }
    a = ncp_arg(A, "tagValueList");
    if (a->present) {
        f.values = (const char *const *)a->items;
        f.n_values = a->n;
    }
    act_paging(ctx, &f.offset, &f.limit);
    act_rows_t r = {ctx, 0, false, "instanceTagList", "instanceTag"};
    if (ncp_store_tag_list(ctx->st, ctx->arena, &f, &r.total, tag_row, &r, err) < 0)
        return -1;
    act_rows_close(&r);
    return 0;
}
