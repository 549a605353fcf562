/* sched_image.c: member server images (rstate.c's paths): when the capture
 * ends, the image counts the original server's disks and their bytes, and
 * the server's copy (operation COPY) ends with it. A refused capture takes
 * the image away and frees the server too. */
#include "sched/sched_int.h"

#include "domain/rstate.h"
#include "store/store_image.h"
#include "store/store_storage.h"

static int original_server(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_trans_t *t,
                           int64_t *server_no, ncp_err_t *err)
{
    ncp_member_image_t m;
    int r = ncp_store_image_get(st, env->arena, t->account_id, NULL, t->no, &m, NULL, err);
    *server_no = r == 1 ? m.server_no : 0;
    return r < 0 ? -1 : 0;
}

static int image_effect(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_trans_t *t,
                        int fx, ncp_err_t *err)
{
    if (fx != NCP_FX_CAPTURED)
        return 0;
    int64_t server = 0, n = 0, bytes = 0;
    if (original_server(env, st, t, &server, err) < 0)
        return -1;
    if (!server)
        return 0;
    if (ncp_store_disk_totals(st, server, &n, &bytes, err) < 0 ||
        ncp_store_image_set_totals(st, t->no, (int)n, bytes, err) < 0)
        return -1;
    return ncp_sched_linked_end(env, st, server, t->no, err);
}

static int image_gone(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_trans_t *t,
                      ncp_err_t *err)
{
    int64_t server = 0;
    if (t->kind != NCP_TR_IMAGE_CREATE)
        return 0;
    if (original_server(env, st, t, &server, err) < 0)
        return -1;
    return server ? ncp_sched_linked_end(env, st, server, t->no, err) : 0;
}

static const ncp_res_hooks_t hooks = {image_effect, image_gone, NULL};

static int step(const ncp_sched_env_t *env, ncp_store_t *st, ncp_trans_t *t, ncp_err_t *err)
{
    return ncp_sched_res_step(env, st, t, &hooks, err);
}

static int undo(const ncp_sched_env_t *env, ncp_store_t *st, const ncp_trans_t *t,
                ncp_err_t *err)
{
    return ncp_sched_res_undo(env, st, t, &hooks, err);
}

const ncp_sched_kind_t ncp_sched_image_kind = {
    .kind = NCP_KIND_MEMBER_IMAGE,
    .name = "member server image",
    .step = step,
    .undo = undo,
    .redrive = ncp_sched_res_redrive,
};
