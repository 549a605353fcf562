/* wait.c: --wait, i.e. poll until the state machine's target (DECISIONS D5).
 *
 *   action                     every server ends at
 *   createServerInstances      RUN / NULL
 *   startServerInstances       RUN / NULL
 *   rebootServerInstances      RUN / NULL
 *   stopServerInstances        NSTOP / NULL
 *   changeServerInstanceSpec   NSTOP / NULL
 *   terminateServerInstances   absent from getServerInstanceList
 *
 * The servers are those the action's own answer lists (for a 22001 partial
 * success, only the ones that did start). Polling is getServerInstanceList
 * with serverInstanceNoList.N every 500 ms; D5 says no server stays in a
 * transition forever, yet a deadline still bounds the wait, since the
 * endpoint may be anything. A server in a *_FL (failed) status or one that
 * vanishes before its target will never get there: that ends the wait at
 * once instead of at the deadline. */
#include "ncpctl/ncpctl_int.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/clock.h"

#define POLL_MS 500

typedef struct target {
    const char *action;
    const char *status, *op; /* NULL: the server must disappear */
} target_t;

static const target_t targets[] = {
    {"changeServerInstanceSpec", "NSTOP", "NULL"},
    {"createServerInstances", "RUN", "NULL"},
    {"rebootServerInstances", "RUN", "NULL"},
    {"startServerInstances", "RUN", "NULL"},
    {"stopServerInstances", "NSTOP", "NULL"},
    {"terminateServerInstances", NULL, NULL},
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
    bool tty = isatty(STDERR_FILENO) == 1, progress_shown = false;
    ncpctl_resp_t poll = {0};
    memset(final, 0, sizeof(*final));

    /* the servers named by the action's answer */
    json_t *list = json_object_get(first->inner, "serverInstanceList");
    size_t n = json_array_size(list), k;
    const char **nos = ncp_arena_alloc(a, (n ? n : 1) * sizeof(char *));
    ncp_kvs_t kvs = {0};
    kvs.v = ncp_arena_alloc(a, (n ? n : 1) * sizeof(ncp_kv_t));
    kvs.cap = n;
    for (k = 0; k < n; k++) {
        json_t *no = json_object_get(json_array_get(list, k), "serverInstanceNo");
        if (!json_is_string(no)) {
            ncpctl_err_set(err, NCPCTL_EXIT_TRANSPORT,
                           "--wait: the answer lists a server without serverInstanceNo");
            goto cleanup;
        }
        nos[k] = ncp_arena_strdup(a, json_string_value(no));
        ncp_kv_t *kv = &kvs.v[kvs.n++];
        kv->name = ncp_arena_printf(a, "serverInstanceNoList.%zu", k + 1);
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
        if (ncpctl_client_call(cl, "getServerInstanceList", &kvs, false, &poll, err) < 0)
            goto cleanup;
        json_t *got = json_object_get(poll.inner, "serverInstanceList");
        size_t done = 0;
        char pending[256] = "";
        for (k = 0; k < n; k++) {
            json_t *item = NULL, *it;
            size_t j;
            json_array_foreach(got, j, it) {
                json_t *no = json_object_get(it, "serverInstanceNo");
                if (json_is_string(no) && strcmp(json_string_value(no), nos[k]) == 0) {
                    item = it;
                    break;
                }
            }
            if (!t->status) {
                done += item == NULL;
                if (item && !pending[0])
                    snprintf(pending, sizeof(pending), "%s is %s/%s", nos[k],
                             code_at(item, "serverInstanceStatus.code"),
                             code_at(item, "serverInstanceOperation.code"));
                continue;
            }
            if (!item) {
                ncpctl_err_set(err, NCPCTL_EXIT_API,
                               "--wait: server %s disappeared before reaching %s", nos[k], want);
                goto cleanup;
            }
            const char *st = code_at(item, "serverInstanceStatus.code");
            const char *op = code_at(item, "serverInstanceOperation.code");
            size_t sl = strlen(st);
            if (sl > 3 && strcmp(st + sl - 3, "_FL") == 0) {
                ncpctl_err_set(err, NCPCTL_EXIT_API,
                               "--wait: server %s failed (%s/%s) instead of reaching %s", nos[k],
                               st, op, want);
                goto cleanup;
            }
            if (strcmp(st, t->status) == 0 && strcmp(op, t->op) == 0)
                done++;
            else if (!pending[0])
                snprintf(pending, sizeof(pending), "%s is %s/%s", nos[k], st, op);
        }
        int64_t now = ncp_clock_mono_ms();
        if (tty) {
            /* \r + erase-line: one line that updates in place */
            fprintf(stderr, "\r\033[K%s: waiting for %s: %zu/%zu servers%s%s (%.1f s)", action,
                    want, done, n, pending[0] ? "; " : "", pending,
                    (double)(now - start) / 1000.0);
            fflush(stderr);
            progress_shown = true;
        }
        if (done == n)
            break;
        if (now >= deadline) {
            ncpctl_err_set(err, NCPCTL_EXIT_API,
                           "--wait: timed out after %.1f s: %zu of %zu servers reached %s (%s)",
                           (double)timeout_ms / 1000.0, done, n, want, pending);
            goto cleanup;
        }
        sleep_ms(deadline - now < POLL_MS ? deadline - now : POLL_MS);
    }
    if (xml) {
        /* the targets are stable states: one more request shows the same list */
        if (ncpctl_client_call(cl, "getServerInstanceList", &kvs, true, final, err) < 0)
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
