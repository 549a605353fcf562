/* wait.c: --wait, i.e. poll until the state machine's target (DECISIONS D5,
 * src/domain/state.c for servers, src/domain/rstate.c for the others).
 *
 *   action                                    every resource ends at
 *   createServerInstances, start, reboot,
 *     recreateServerInstance,
 *     interruptServerInstance                 RUN / NULL
 *   stopServerInstances,
 *     changeServerInstanceSpec                NSTOP / NULL
 *   terminateServerInstances                  absent from getServerInstanceList
 *   createBlockStorageInstance, attach...     ATTAC / NULL
 *   detachBlockStorageInstances               CREAT / NULL
 *   changeBlockStorageVolumeSize              operation NULL
 *   deleteBlockStorageInstances               absent
 *   createBlockStorageSnapshotInstance        CREAT / NULL (delete: absent)
 *   createPublicIpInstance                    operation NULL
 *   associate..., replace...                  USED / NULL
 *   disassociatePublicIpFromServerInstance    CREAT / NULL (delete: absent)
 *   createNasVolumeInstance, changeNasVolumeSize  CREAT / NULL (delete: absent)
 *   createMemberServerImage                   CREAT / NULL (delete: absent)
 *
 * The resources are those the action's own answer lists (for a 22001
 * partial success, only the ones that did start). Polling is the family's
 * list action with its number list every 500 ms; D5 says nothing stays in a
 * transition forever, yet a deadline still bounds the wait, since the
 * endpoint may be anything. A server in a *_FL (failed) status or anything
 * that vanishes before its target will never get there: that ends the wait
 * at once instead of at the deadline. */
#include "ncpctl/ncpctl_int.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/clock.h"

#define POLL_MS 500

/* How one family is polled. */
typedef struct family {
    const char *noun;      /* "server", in messages */
    const char *answer;    /* the list in the action's answer and in the poll's */
    const char *number;    /* the number field of an item */
    const char *list_action, *list_param;
    const char *status, *op; /* CommonCode paths in an item */
} family_t;

static const family_t servers = {"server", "serverInstanceList", "serverInstanceNo",
                                 "getServerInstanceList", "serverInstanceNoList",
                                 "serverInstanceStatus.code", "serverInstanceOperation.code"};
static const family_t disks = {"block storage", "blockStorageInstanceList",
                               "blockStorageInstanceNo", "getBlockStorageInstanceList",
                               "blockStorageInstanceNoList", "blockStorageInstanceStatus.code",
                               "blockStorageInstanceOperation.code"};
static const family_t snapshots = {"snapshot", "blockStorageSnapshotInstanceList",
                                   "blockStorageSnapshotInstanceNo",
                                   "getBlockStorageSnapshotInstanceList",
                                   "blockStorageSnapshotInstanceNoList",
                                   "blockStorageSnapshotInstanceStatus.code",
                                   "blockStorageSnapshotInstanceOperation.code"};
static const family_t ips = {"public IP", "publicIpInstanceList", "publicIpInstanceNo",
                             "getPublicIpInstanceList", "publicIpInstanceNoList",
                             "publicIpInstanceStatus.code", "publicIpInstanceOperation.code"};
static const family_t nas = {"NAS volume", "nasVolumeInstanceList", "nasVolumeInstanceNo",
                             "getNasVolumeInstanceList", "nasVolumeInstanceNoList",
                             "nasVolumeInstanceStatus.code", "nasVolumeInstanceOperation.code"};
static const family_t images = {"member server image", "memberServerImageList",
                                "memberServerImageNo", "getMemberServerImageList",
                                "memberServerImageNoList", "memberServerImageStatus.code",
                                "memberServerImageOperation.code"};

typedef struct target {
    const char *action;
    const family_t *fam;
    const char *status, *op; /* both NULL: must disappear; status "*": any status */
} target_t;

static const target_t targets[] = {
    {"associatePublicIpWithServerInstance", &ips, "USED", "NULL"},
    {"attachBlockStorageInstance", &disks, "ATTAC", "NULL"},
    {"changeBlockStorageVolumeSize", &disks, "*", "NULL"},
    {"changeNasVolumeSize", &nas, "CREAT", "NULL"},
    {"changeServerInstanceSpec", &servers, "NSTOP", "NULL"},
    {"createBlockStorageInstance", &disks, "ATTAC", "NULL"},
    {"createBlockStorageSnapshotInstance", &snapshots, "CREAT", "NULL"},
    {"createMemberServerImage", &images, "CREAT", "NULL"},
    {"createNasVolumeInstance", &nas, "CREAT", "NULL"},
    {"createPublicIpInstance", &ips, "*", "NULL"},
    {"createServerInstances", &servers, "RUN", "NULL"},
    {"deleteBlockStorageInstances", &disks, NULL, NULL},
    {"deleteBlockStorageSnapshotInstances", &snapshots, NULL, NULL},
    {"deleteMemberServerImages", &images, NULL, NULL},
    {"deleteNasVolumeInstance", &nas, NULL, NULL},
    {"deletePublicIpInstances", &ips, NULL, NULL},
    {"detachBlockStorageInstances", &disks, "CREAT", "NULL"},
    {"disassociatePublicIpFromServerInstance", &ips, "CREAT", "NULL"},
    {"interruptServerInstance", &servers, "RUN", "NULL"},
    {"rebootServerInstances", &servers, "RUN", "NULL"},
    {"recreateServerInstance", &servers, "RUN", "NULL"},
    {"replaceServerInstanceAssociatedWithPublicIp", &ips, "USED", "NULL"},
    {"startServerInstances", &servers, "RUN", "NULL"},
    {"stopServerInstances", &servers, "NSTOP", "NULL"},
    {"terminateServerInstances", &servers, NULL, NULL},
};

static const target_t *target_of(const char *action)
{
    for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++)
        if (strcmp(targets[i].action, action) == 0)
            return &targets[i];
    return NULL;
}

bool ncpctl_wait_supported(const char *action)
{
    return target_of(action) != NULL;
}

void ncpctl_wait_describe(const char *action, char *buf, size_t cap)
{
    const target_t *t = target_of(action);
    if (!t) {
        snprintf(buf, cap, "%s", "");
        return;
    }
    if (!t->status)
        snprintf(buf, cap, "--wait polls %s every 500 ms until every %s of the\nanswer is gone",
                 t->fam->list_action, t->fam->noun);
    else if (strcmp(t->status, "*") == 0)
        snprintf(buf, cap,
                 "--wait polls %s every 500 ms until every %s of the\nanswer shows operation %s",
                 t->fam->list_action, t->fam->noun, t->op);
    else
        snprintf(buf, cap, "--wait polls %s every 500 ms until every %s of the\nanswer is %s/%s",
                 t->fam->list_action, t->fam->noun, t->status, t->op);
}

static const char *code_at(json_t *item, const char *path)
{
    json_t *v = ncpctl_json_path(item, path);
    return json_is_string(v) ? json_string_value(v) : "?";
}

static void sleep_ms(int64_t ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

int ncpctl_wait_run(ncpctl_client_t *cl, const char *action, const ncpctl_resp_t *first,
                    int64_t timeout_ms, bool xml, ncp_arena_t *a, ncpctl_resp_t *final,
                    ncpctl_err_t *err)
{
    int ret = -1;
    const target_t *t = target_of(action);
    const family_t *fam = t->fam;
    bool tty = isatty(STDERR_FILENO) == 1, progress_shown = false;
    ncpctl_resp_t poll = {0};
    memset(final, 0, sizeof(*final));

    /* the resources named by the action's answer */
    json_t *list = json_object_get(first->inner, fam->answer);
    size_t n = json_array_size(list), k;
    const char **nos = ncp_arena_alloc(a, (n ? n : 1) * sizeof(char *));
    ncp_kvs_t kvs = {0};
    kvs.v = ncp_arena_alloc(a, (n ? n : 1) * sizeof(ncp_kv_t));
    kvs.cap = n;
    for (k = 0; k < n; k++) {
        json_t *no = json_object_get(json_array_get(list, k), fam->number);
        if (!json_is_string(no)) {
            ncpctl_err_set(err, NCPCTL_EXIT_TRANSPORT, "--wait: the answer lists a %s without %s",
                           fam->noun, fam->number);
            goto cleanup;
        }
        nos[k] = ncp_arena_strdup(a, json_string_value(no));
        ncp_kv_t *kv = &kvs.v[kvs.n++];
        kv->name = ncp_arena_printf(a, "%s.%zu", fam->list_param, k + 1);
        kv->name_len = strlen(kv->name);
        kv->val = nos[k];
        kv->val_len = strlen(nos[k]);
        kv->src = NCP_SRC_BODY;
    }
    if (n == 0) {
        ret = 0; /* nothing to wait for: the caller prints the action's answer */
        goto cleanup;
    }

    char want[32] = "gone";
    if (t->status)
        snprintf(want, sizeof(want), "%s/%s", t->status, t->op);
    int64_t start = ncp_clock_mono_ms(), deadline = start + timeout_ms;
    for (;;) {
        ncpctl_resp_release(&poll);
        if (ncpctl_client_call(cl, fam->list_action, &kvs, false, &poll, err) < 0)
            goto cleanup;
        json_t *got = json_object_get(poll.inner, fam->answer);
        size_t done = 0;
        char pending[256] = "";
        for (k = 0; k < n; k++) {
            json_t *item = NULL, *it;
            size_t j;
            json_array_foreach(got, j, it) {
                json_t *no = json_object_get(it, fam->number);
                if (json_is_string(no) && strcmp(json_string_value(no), nos[k]) == 0) {
                    item = it;
                    break;
                }
            }
            if (!t->status) {
                done += item == NULL;
                if (item && !pending[0])
                    snprintf(pending, sizeof(pending), "%s is %s/%s", nos[k],
                             code_at(item, fam->status), code_at(item, fam->op));
                continue;
            }
            if (!item) {
                ncpctl_err_set(err, NCPCTL_EXIT_API, "--wait: %s %s disappeared before reaching %s",
                               fam->noun, nos[k], want);
                goto cleanup;
            }
            const char *st = code_at(item, fam->status);
            const char *op = code_at(item, fam->op);
            size_t sl = strlen(st);
            if (sl > 3 && strcmp(st + sl - 3, "_FL") == 0) {
                ncpctl_err_set(err, NCPCTL_EXIT_API,
                               "--wait: %s %s failed (%s/%s) instead of reaching %s", fam->noun,
                               nos[k], st, op, want);
                goto cleanup;
            }
            if ((strcmp(t->status, "*") == 0 || strcmp(st, t->status) == 0) &&
                strcmp(op, t->op) == 0)
                done++;
            else if (!pending[0])
                snprintf(pending, sizeof(pending), "%s is %s/%s", nos[k], st, op);
        }
        int64_t now = ncp_clock_mono_ms();
        if (tty) {
            /* \r + erase-line: one line that updates in place */
            fprintf(stderr, "\r\033[K%s: waiting for %s: %zu/%zu %ss%s%s (%.1f s)", action, want,
                    done, n, fam->noun, pending[0] ? "; " : "", pending,
                    (double)(now - start) / 1000.0);
            fflush(stderr);
            progress_shown = true;
        }
        if (done == n)
            break;
        if (now >= deadline) {
            ncpctl_err_set(err, NCPCTL_EXIT_API,
                           "--wait: timed out after %.1f s: %zu of %zu %ss reached %s (%s)",
                           (double)timeout_ms / 1000.0, done, n, fam->noun, want, pending);
            goto cleanup;
        }
        sleep_ms(deadline - now < POLL_MS ? deadline - now : POLL_MS);
    }
    if (xml) {
        /* the targets are stable states: one more request shows the same list */
        if (ncpctl_client_call(cl, fam->list_action, &kvs, true, final, err) < 0)
            goto cleanup;
    } else {
        *final = poll;
        memset(&poll, 0, sizeof(poll));
    }
    ret = 0;
cleanup:
    if (progress_shown)
        fputc('\n', stderr);
    ncpctl_resp_release(&poll);
    return ret;
}
