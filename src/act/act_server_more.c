/* act_server_more.c: the server actions of issue 11 (server-instance.md §4.8;
 * interruptServerInstance of the Go SDK): recreate and interrupt.
 *
 * recreateServerInstance rebuilds a running or stopped server from an image
 * that fits its spec: it goes through create's path from INIT/NULL, keeps
 * its number, spec, IPs, disks and attachments, and takes the new image,
 * name, user data and tags at its first step (so that a refused driver call
 * changes nothing). interruptServerInstance sends a running server a
 * diagnostic interrupt: the guest dumps and restarts (reboot's path). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "act/act_res.h"
#include "domain/catalog.h"
#include "domain/state.h"
#include "render/envelope.h"
#include "store/store_image.h"
#include "util/crypto.h"
#include "util/utf8.h"

/* Storage work pending on s (25014 comes before any other state error). */
static int storage_work(ncp_ctx_t *ctx, const ncp_server_t *s, bool *out, ncp_err_t *err)
{
    *out = false;
    if (s->op != NCP_OP_SETUP)
        return 0;
    ncp_trans_t t;
    int r = ctx->so->trans_get(ctx->st, ctx->arena, s->no, &t, err);
    if (r < 0)
        return -1;
    *out = r == 1 && t.kind == NCP_TR_STORAGE;
    return 0;
}

/* Lower-case letters, digits and '-', starting with a letter, not ending with '-'. */
static bool server_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (!n || s[0] < 'a' || s[0] > 'z' || s[n - 1] == '-')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return false;
    return true;
}

/* userData: Base64 of the script, kept as text when it decodes to UTF-8. */
static const char *user_data_text(ncp_ctx_t *ctx, const ncp_arg_t *a)
{
    uint8_t *out = ncp_arena_alloc(ctx->arena, a->len + 1);
    long n = ncp_b64_decode(a->s, a->len, out, a->len);
    if (n < 0 || memchr(out, '\0', (size_t)n) || !ncp_utf8_valid((const char *)out, (size_t)n))
        return a->s;
    out[n] = '\0';
    return (const char *)out;
}

int act_recreateServerInstance(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_args_t *A = &ctx->args;
    const ncp_arg_t *no_a = ncp_arg(A, "serverInstanceNo");
    ncp_server_t s;
    if (act_server_resolve(ctx, no_a->s, no_a->len, &s, err) < 0)
        return -1;
    const ncp_arg_t *img_a = ncp_arg(A, "serverImageProductCode");
    if (!img_a->present)
        img_a = ncp_arg(A, "changeServerImageProductCode");
    if (!img_a->present) {
        ncp_err_set(err, NCP_E_REQUIRED, "serverImageProductCode");
        return -1;
    }
    const ncp_image_t *img = ncp_catalog_image(img_a->s);
    const ncp_product_t *prod = ncp_catalog_product(s.product_code);
    if (!img || (prod ? !ncp_catalog_fits(img, prod) : img->base_size != s.base_size)) {
        ncp_err_set(err, NCP_E_PRODUCT_NOT_FOUND);
        return -1;
    }
    const ncp_arg_t *name_a = ncp_arg(A, "serverInstanceName");
    if (name_a->present) {
        if (!server_name_ok(name_a->s)) {
            ncp_err_set(err, NCP_E_INVALID_PARAM, "serverInstanceName");
            return -1;
        }
        int r = strcmp(name_a->s, s.name) == 0
                    ? 0
                    : ctx->so->server_name_taken(ctx->st, ctx->account_id, name_a->s, err);
        if (r < 0)
            return -1;
        if (r == 1) {
            ncp_err_set(err, NCP_E_NAME_IN_USE);
            return -1;
        }
    }
    /* tags, as the pending row keeps them: key \x1f value \x1e */
    const ncp_arg_t *tags_a = ncp_arg(A, "instanceTagList");
    ncp_buf_t tags;
    ncp_buf_init(&tags, 0);
    for (size_t i = 0; i < tags_a->n; i++) {
        const char *k = ncp_arg_field(A, "instanceTagList", i, "tagKey");
        const char *v = ncp_arg_field(A, "instanceTagList", i, "tagValue");
        if (!k || !*k || strlen(k) > 255 || (v && strlen(v) > 255) || strpbrk(k, "\x1e\x1f") ||
            (v && strpbrk(v, "\x1e\x1f"))) {
            char loc[64];
            snprintf(loc, sizeof(loc), "instanceTagList.%zu.tagKey", i + 1);
            ncp_err_set(err, k ? NCP_E_INVALID_PARAM : NCP_E_REQUIRED, loc);
            ncp_buf_release(&tags);
            return -1;
        }
        ncp_buf_printf(&tags, "%s\x1f%s\x1e", k, v ? v : "");
    }
    const char *tag_text = tags_a->present ? ncp_arena_strdup(ctx->arena, tags.data ? tags.data : "")
                                           : NULL;
    ncp_buf_release(&tags);
    bool storage;
    if (storage_work(ctx, &s, &storage, err) < 0 ||
        ncp_state_check(NCP_TR_RECREATE, s.status, s.op, storage, err) < 0)
        return -1;
    const ncp_arg_t *ud = ncp_arg(A, "userData");
    ncp_recreate_t rc = {s.no, img->code, name_a->present ? name_a->s : s.name,
                         ud->present ? user_data_text(ctx, ud) : s.user_data, tag_text};
    if (ncp_store_recreate_put(ctx->st, &rc, err) < 0 ||
        act_claim(ctx, &s, NCP_TR_RECREATE, img->code, err) < 0)
        return -1;
    /* the answer shows the server as it is being rebuilt */
    ncp_server_t *shown = &ctx->intents[ctx->n_intents - 1].server;
    shown->image_code = img->code;
    shown->image_name = img->name;
    shown->platform = img->platform;
    shown->name = rc.name;
    shown->version = 0; /* never from the rendering cache */
    ctx->kick = true;
    return 0;
}

/* interrupt's answer: the server, and its number in serverInstanceNoList (the
 * Go SDK's response model) */
static int respond_interrupt(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_intent_t *in = &ctx->intents[0];
    if (!in->ok) {
        ncp_err_internal(err, "driver refused the interrupt of %" PRId64, in->no);
        return -1;
    }
    ncp_emit_t *e = ctx->em;
    ncp_env_begin(e, ctx->act->name, ctx->request_id, NULL);
    ncp_env_total_rows(e, 1);
    ncp_emit_list_begin(e, "serverInstanceList", "serverInstance");
    act_emit_server(ctx, &in->server, false);
    ncp_emit_list_end(e);
    ncp_emit_list_begin(e, "serverInstanceNoList", "serverInstanceNo");
    act_emit_no(e, NULL, in->no);
    ncp_emit_list_end(e);
    ncp_env_end(e);
    return 0;
}

int act_interruptServerInstance(ncp_ctx_t *ctx, ncp_err_t *err)
{
    const ncp_arg_t *no_a = ncp_arg(&ctx->args, "serverInstanceNo");
    ncp_server_t s;
    bool storage;
    if (act_server_resolve(ctx, no_a->s, no_a->len, &s, err) < 0 ||
        storage_work(ctx, &s, &storage, err) < 0 ||
        ncp_state_check(NCP_TR_INTERRUPT, s.status, s.op, storage, err) < 0 ||
        act_claim(ctx, &s, NCP_TR_INTERRUPT, NULL, err) < 0)
        return -1;
    ctx->respond = respond_interrupt;
    ctx->kick = true;
    return 0;
}
