/* sched_hv_drv.c: the machine adapter of sched/hv.h: the driver the
 * dispatcher and the scheduler call. create builds the full machine for
 * the real driver's create_vm (spec, the image's boot source, user data, the
 * login key's public key read with the engine's store connection, the root
 * password opened with the master key and wiped after; a VPC server's image
 * and spec come from the VPC catalogue, its user data from its init script),
 * change_spec becomes
 * set_spec; each call tells the engine what it asked and what the machine
 * is once it returned (ncp_hv_note_*). A call that fails while the machine
 * is already as asked (a claim redriven after a crash, a report not applied
 * yet) counts as done; a refusal of the hypervisor is logged with its
 * message (event=hv_refused). No lock is held while the hypervisor works. */
#include "sched/hv_int.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "domain/catalog.h"
#include "domain/vcatalog.h"
#include "store/store_hv.h"
#include "store/store_vserver.h"
#include "util/log.h"

/* The public key of a server's login key, from the engine's connection. */
static int login_pubkey(ncp_hv_t *h, ncp_arena_t *a, const ncp_server_t *s, const char **out,
                        ncp_err_t *err)
{
    *out = NULL;
    if (!s->login_key || !s->login_key[0])
        return 0;
    pthread_mutex_lock(&h->st_mu);
    int r = h->so->begin(h->st, false, err);
    if (r == 0) {
        r = ncp_store_hv_pubkey_get(h->st, a, s->account_id, s->login_key, out, err);
        h->so->rollback(h->st);
    }
    pthread_mutex_unlock(&h->st_mu);
    if (r < 0)
        return -1;
    if (*out && !(*out)[0])
        *out = NULL; /* a key made before public keys were kept */
    return 0;
}

/* A VPC server's user data: the content of its init script (the VPC API has
 * initScriptNo where the classic one has userData), from the engine's
 * connection; NULL when it has none. */
static int vpc_script(ncp_hv_t *h, ncp_arena_t *a, const ncp_server_t *s, const char **out,
                      ncp_err_t *err)
{
    *out = NULL;
    char *end = NULL;
    long long no = s->init_script_no ? strtoll(s->init_script_no, &end, 10) : 0;
    if (no <= 0 || !end || *end)
        return 0;
    ncp_vscript_t v;
    pthread_mutex_lock(&h->st_mu);
    int r = h->so->begin(h->st, false, err);
    if (r == 0) {
        r = ncp_store_vscript_get(h->st, a, s->account_id, (int64_t)no, &v, err);
        h->so->rollback(h->st);
    }
    pthread_mutex_unlock(&h->st_mu);
    if (r < 0)
        return -1;
    if (r == 1 && v.content && v.content[0])
        *out = v.content;
    return 0;
}

/* The root password in plain text (malloc'd; the caller wipes and frees it). */
static int open_password(ncp_hv_t *h, const char *hex, char **out, size_t *len_out,
                         ncp_err_t *err)
{
    size_t n = strlen(hex) / 2;
    uint8_t *sealed = malloc(n + 1);
    char *plain = malloc(n + 1);
    if (!sealed || !plain)
        abort();
    if (n <= NCP_SEAL_OVERHEAD || ncp_unhex(hex, sealed, n) < 0 ||
        ncp_unseal(h->master_key, sealed, n, plain) < 0) {
        free(sealed);
        free(plain);
        ncp_err_internal(err, "hv: cannot open a root password (wrong master key?)");
        return -1;
    }
    plain[n - NCP_SEAL_OVERHEAD] = '\0';
    free(sealed);
    *out = plain;
    *len_out = n;
    return 0;
}

/* A call that failed: done all the same when the machine is already as it
 * asked (a claim redriven after a crash, a machine changed outside ncpd, a
 * report not applied yet). The hypervisor's refusal is logged for the
 * operator; the client gets 1300 (or 22001). */
static int settled(ncp_hv_t *h, int64_t no, const char *op, ncp_drv_power_t want,
                   ncp_err_t *err)
{
    ncp_drv_power_t p = 0;
    ncp_err_t e;
    ncp_err_init(&e);
    if (h->ops->state(h->d, no, &p, &e) == 0 && p == want) {
        ncp_log_info("event=hv_settled server=%" PRId64 " op=%s power=%s detail=already so "
                     "(%s)", no, op, ncp_hv_power_name(p), err->detail);
        ncp_err_init(err);
        return 0;
    }
    ncp_log_warn("event=hv_refused server=%" PRId64 " op=%s detail=%s", no, op,
                 err->detail[0] ? err->detail : err->msg);
    return -1;
}

static int ad_create(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err)
{
    ncp_hv_t *h = d->h;
    int ret = -1;
    bool said = false; /* settled() logged the refusal */
    char *pw = NULL;
    size_t pw_len = 0;
    ncp_arena_t *a = ncp_arena_new(4096);
    const ncp_image_t *img = ncp_catalog_image(s->image_code);
    const ncp_vimage_t *vimg = img ? NULL : ncp_vcatalog_image_by_code(s->image_code);
    const ncp_boot_t *b = img ? ncp_catalog_image_boot(img) : ncp_vcatalog_image_boot(vimg);
    const char *pub = NULL, *user_data = s->user_data;
    if (!b) {
        ncp_err_internal(err, "hv: server %" PRId64 ": image %s has no boot source", s->no,
                         s->image_code);
        goto cleanup;
    }
    if (login_pubkey(h, a, s, &pub, err) < 0 ||
        (vimg && vpc_script(h, a, s, &user_data, err) < 0))
        goto cleanup;
    if (s->root_password && s->root_password[0] &&
        open_password(h, s->root_password, &pw, &pw_len, err) < 0)
        goto cleanup;
    ncp_drv_vm_t vm = {
        .no = s->no,
        .account_id = s->account_id,
        .name = s->name,
        .cpus = s->cpu,
        .memory = s->memory,
        .root_bytes = s->base_size,
        .user_data = user_data && user_data[0] ? user_data : NULL,
        .ssh_key = pub,
        .root_password = pw,
        .boot = {b->disk, b->kernel, b->initrd, b->cmdline},
    };
    ncp_hv_note_asked(h, s->no, false);
    /* numbers are never reused: a machine of this number is an earlier try
     * of this very create (a claim redriven after a crash) */
    ncp_drv_power_t p = 0;
    if (h->ops->state(h->d, s->no, &p, err) < 0)
        goto cleanup;
    if (p == NCP_DRV_POWER_OFF && h->ops->start(h->d, s, err) < 0) {
        said = true;
        if (settled(h, s->no, "create", NCP_DRV_POWER_ON, err) < 0)
            goto cleanup;
    }
    if (p == NCP_DRV_POWER_GONE && h->ops->create_vm(h->d, &vm, err) < 0)
        goto cleanup;
    ncp_hv_note_done(h, s->no, NCP_DRV_POWER_ON);
    ret = 0;
cleanup:
    if (ret < 0 && !said)
        ncp_log_warn("event=hv_refused server=%" PRId64 " op=create detail=%s", s->no,
                     err->detail[0] ? err->detail : err->msg);
    if (pw) {
        memset(pw, 0, pw_len);
        free(pw);
    }
    ncp_arena_free(a);
    return ret;
}

static int ad_start(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err)
{
    ncp_hv_note_asked(d->h, s->no, false);
    if (d->h->ops->start(d->h->d, s, err) < 0 &&
        settled(d->h, s->no, "start", NCP_DRV_POWER_ON, err) < 0)
        return -1;
    ncp_hv_note_done(d->h, s->no, NCP_DRV_POWER_ON);
    return 0;
}

static int ad_stop(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err)
{
    ncp_hv_note_asked(d->h, s->no, true);
    if (d->h->ops->stop(d->h->d, s, err) == 0)
        return 0;
    if (settled(d->h, s->no, "stop", NCP_DRV_POWER_OFF, err) < 0)
        return -1;
    ncp_hv_note_done(d->h, s->no, NCP_DRV_POWER_OFF);
    return 0;
}

static int ad_reboot(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err)
{
    ncp_hv_note_asked(d->h, s->no, false);
    if (d->h->ops->reboot(d->h->d, s, err) < 0) {
        ncp_log_warn("event=hv_refused server=%" PRId64 " op=reboot detail=%s", s->no,
                     err->detail);
        return -1;
    }
    return 0;
}

static int ad_terminate(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err)
{
    if (d->h->ops->terminate(d->h->d, s, err) < 0) {
        ncp_log_warn("event=hv_refused server=%" PRId64 " op=terminate detail=%s", s->no,
                     err->detail);
        return -1;
    }
    ncp_hv_note_done(d->h, s->no, NCP_DRV_POWER_GONE);
    return 0;
}

static int ad_change_spec(ncp_drv_t *d, const ncp_server_t *s, const char *product,
                          ncp_err_t *err)
{
    /* a classic product code, or a VPC server spec code */
    const ncp_product_t *p = product ? ncp_catalog_product(product) : NULL;
    const ncp_vspec_t *vp = product && !p ? ncp_vcatalog_spec_by_code(product) : NULL;
    if (!p && !vp) {
        ncp_err_internal(err, "hv: server %" PRId64 ": unknown spec %s", s->no,
                         product ? product : "(none)");
        return -1;
    }
    int cpus = p ? p->cpu : vp->cpu;
    int64_t memory = p ? p->memory : vp->memory;
    if (d->h->ops->set_spec(d->h->d, s->no, cpus, memory, err) < 0) {
        ncp_log_warn("event=hv_refused server=%" PRId64 " op=changeSpec detail=%s", s->no,
                     err->detail);
        return -1;
    }
    return 0;
}

/* ABI-2 slots: the real driver's, on its instance. */
static int ad_create_vm(ncp_drv_t *d, const ncp_drv_vm_t *vm, ncp_err_t *err)
{
    return d->h->ops->create_vm(d->h->d, vm, err);
}

static int ad_force_off(ncp_drv_t *d, int64_t no, ncp_err_t *err)
{
    return d->h->ops->force_off(d->h->d, no, err);
}

static int ad_set_spec(ncp_drv_t *d, int64_t no, int cpus, int64_t memory, ncp_err_t *err)
{
    return d->h->ops->set_spec(d->h->d, no, cpus, memory, err);
}

static int ad_state(ncp_drv_t *d, int64_t no, ncp_drv_power_t *out, ncp_err_t *err)
{
    return d->h->ops->state(d->h->d, no, out, err);
}

static int ad_list(ncp_drv_t *d, ncp_drv_list_cb cb, void *ctx, ncp_err_t *err)
{
    return d->h->ops->list(d->h->d, cb, ctx, err);
}

static int ad_disk_create(ncp_drv_t *d, int64_t disk_no, int64_t bytes, ncp_err_t *err)
{
    return d->h->ops->disk_create(d->h->d, disk_no, bytes, err);
}

static int ad_disk_attach(ncp_drv_t *d, int64_t server_no, int64_t disk_no, ncp_err_t *err)
{
    return d->h->ops->disk_attach(d->h->d, server_no, disk_no, err);
}

static int ad_disk_detach(ncp_drv_t *d, int64_t server_no, int64_t disk_no, ncp_err_t *err)
{
    return d->h->ops->disk_detach(d->h->d, server_no, disk_no, err);
}

static int ad_disk_delete(ncp_drv_t *d, int64_t disk_no, ncp_err_t *err)
{
    return d->h->ops->disk_delete(d->h->d, disk_no, err);
}

static int ad_disk_resize(ncp_drv_t *d, int64_t disk_no, int64_t bytes, ncp_err_t *err)
{
    return d->h->ops->disk_resize(d->h->d, disk_no, bytes, err);
}

static void ad_close(ncp_drv_t *d)
{
    (void)d; /* ncp_hv_free() closes the real driver */
}

const ncp_drv_ops_t ncp_hv_adapter_ops = {
    .abi = NCP_DRV_ABI,
    .name = "hv",
    .flags = NCP_DRV_F_BOOT, /* not F_TXN: claim, act, confirm */
    .close = ad_close,
    .create = ad_create,
    .start = ad_start,
    .stop = ad_stop,
    .reboot = ad_reboot,
    .terminate = ad_terminate,
    .change_spec = ad_change_spec,
    .create_vm = ad_create_vm,
    .force_off = ad_force_off,
    .set_spec = ad_set_spec,
    .state = ad_state,
    .list = ad_list,
    .disk_create = ad_disk_create,
    .disk_attach = ad_disk_attach,
    .disk_detach = ad_disk_detach,
    .disk_delete = ad_disk_delete,
    .disk_resize = ad_disk_resize,
};
