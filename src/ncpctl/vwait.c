/* vwait.c: --wait on the VPC APIs (vserver, vpc), i.e. poll each object's
 * get...Detail until the target of its path (domain/vstate.c for the network
 * objects; DECISIONS D5 for servers, as wait.c does for the classic API).
 *
 *   API      action                     every object ends at        polled with
 *   vserver  createServerInstances      RUN / NULL                  getServerInstanceDetail
 *            startServerInstances       RUN / NULL
 *            stopServerInstances        NSTOP / NULL
 *            changeServerInstanceSpec   NSTOP / NULL
 *            terminateServerInstances   absent
 *   vpc      createVpc / deleteVpc      RUN / absent                getVpcDetail
 *            createSubnet / deleteSubnet RUN / absent               getSubnetDetail
 *            createNetworkAcl / deleteNetworkAcl, setSubnetNetworkAcl
 *                                       RUN / absent, RUN           getNetworkAclDetail
 *
 * (rebootServerInstances is not served on the VPC API.) The objects are those the action's own
 * answer lists; polling every 500 ms; a deadline still bounds the wait, since
 * the endpoint may be anything. A server in a *_FL (failed) status, or an
 * object that vanishes before its target, will never get there: that ends
 * the wait at once. */
#include "ncpctl/ncpctl_int.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/clock.h"

#define POLL_MS 500

typedef struct target {
    ncp_api_id_t api;
    const char *action;
    const char *list;     /* list of the action's answer and of the polled answer */
    const char *no_field; /* the object's number (and the detail action's parameter) */
    const char *poll;     /* the detail action */
    const char *status_path, *status; /* status NULL: the object must disappear */
    const char *op_path, *op;         /* op_path NULL: no operation to match */
} target_t;

#define SRV "serverInstanceList", "serverInstanceNo"
#define SST "serverInstanceStatus.code"
#define SOP "serverInstanceOperation.code"
static const target_t targets[] = {
    {NCP_API_VSERVER, "changeServerInstanceSpec", SRV, "getServerInstanceDetail", SST, "NSTOP", SOP, "NULL"},
    {NCP_API_VSERVER, "createServerInstances", SRV, "getServerInstanceDetail", SST, "RUN", SOP, "NULL"},
    {NCP_API_VSERVER, "startServerInstances", SRV, "getServerInstanceDetail", SST, "RUN", SOP, "NULL"},
    {NCP_API_VSERVER, "stopServerInstances", SRV, "getServerInstanceDetail", SST, "NSTOP", SOP, "NULL"},
    {NCP_API_VSERVER, "terminateServerInstances", SRV, "getServerInstanceDetail", SST, NULL, SOP, NULL},
    {NCP_API_VPC, "createNetworkAcl", "networkAclList", "networkAclNo", "getNetworkAclDetail",
     "networkAclStatus.code", "RUN", NULL, NULL},
    {NCP_API_VPC, "createSubnet", "subnetList", "subnetNo", "getSubnetDetail", "subnetStatus.code",
     "RUN", NULL, NULL},
    {NCP_API_VPC, "createVpc", "vpcList", "vpcNo", "getVpcDetail", "vpcStatus.code", "RUN", NULL,
     NULL},
    {NCP_API_VPC, "deleteNetworkAcl", "networkAclList", "networkAclNo", "getNetworkAclDetail",
     "networkAclStatus.code", NULL, NULL, NULL},
    {NCP_API_VPC, "deleteSubnet", "subnetList", "subnetNo", "getSubnetDetail", "subnetStatus.code",
     NULL, NULL, NULL},
    {NCP_API_VPC, "deleteVpc", "vpcList", "vpcNo", "getVpcDetail", "vpcStatus.code", NULL, NULL,
     NULL},
    {NCP_API_VPC, "setSubnetNetworkAcl", "networkAclList", "networkAclNo", "getNetworkAclDetail",
     "networkAclStatus.code", "RUN", NULL, NULL},
};

static const target_t *target_of(const ncp_action_t *act)
{
    for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++)
        if (targets[i].api == act->api && strcmp(targets[i].action, act->name) == 0)
            return &targets[i];
    return NULL;
}

bool ncpctl_vwait_supported(const ncp_action_t *act)
{
    return target_of(act) != NULL;
}

static const char *code_at(json_t *item, const char *path)
{
    json_t *v = path ? ncpctl_json_path(item, path) : NULL;
    return json_is_string(v) ? json_string_value(v) : "?";
}

static void sleep_ms(int64_t ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

/* The item of `list` (in answer r) whose number field is `no`, or NULL. */
static json_t *find_item(const ncpctl_resp_t *r, const target_t *t, const char *no)
{
    json_t *it, *got = json_object_get(r->inner, t->list);
    size_t j;
    json_array_foreach(got, j, it) {
        json_t *v = json_object_get(it, t->no_field);
        if (json_is_string(v) && strcmp(json_string_value(v), no) == 0)
            return it;
    }
    return NULL;
}

int ncpctl_vwait_run(ncpctl_client_t *cl, const ncp_action_t *act, const ncpctl_resp_t *first,
                     int64_t timeout_ms, bool xml, ncp_arena_t *a, ncpctl_resp_t *final,
                     ncpctl_err_t *err)
{
    int ret = -1;
    const target_t *t = target_of(act);
    const ncp_api_t *api = ncp_spec_api(act->api);
    bool tty = isatty(STDERR_FILENO) == 1, progress_shown = false;
    ncpctl_resp_t *polls = NULL;
    memset(final, 0, sizeof(*final));

    /* the objects named by the action's answer */
    json_t *list = json_object_get(first->inner, t->list);
    size_t n = json_array_size(list), k;
    const char **nos = ncp_arena_alloc(a, (n ? n : 1) * sizeof(char *));
    for (k = 0; k < n; k++) {
        json_t *no = json_object_get(json_array_get(list, k), t->no_field);
        if (!json_is_string(no)) {
            ncpctl_err_set(err, NCPCTL_EXIT_TRANSPORT, "--wait: the answer lists an object without %s",
                           t->no_field);
            goto cleanup;
        }
        nos[k] = ncp_arena_strdup(a, json_string_value(no));
    }
    if (n == 0) {
        ret = 0; /* nothing to wait for: the caller prints the action's answer */
        goto cleanup;
    }
    polls = ncp_arena_alloc(a, n * sizeof(*polls));

    char want[32] = "gone";
    if (t->status)
        snprintf(want, sizeof(want), "%s%s%s", t->status, t->op ? "/" : "", t->op ? t->op : "");
    int64_t start = ncp_clock_mono_ms(), deadline = start + timeout_ms;
    for (;;) {
        size_t done = 0;
        char pending[256] = "";
        for (k = 0; k < n; k++) {
            /* a detail action takes one number */
            ncpctl_resp_t *poll = &polls[k];
            ncpctl_resp_release(poll);
            ncp_kv_t one = {t->no_field, nos[k], strlen(t->no_field), strlen(nos[k]),
                            NCP_SRC_BODY};
            ncp_kvs_t q = {&one, 1, 1};
            if (ncpctl_client_call_api(cl, api, t->poll, &q, false, poll, err) < 0)
                goto cleanup;
            json_t *item = find_item(poll, t, nos[k]);
            const char *st = item ? code_at(item, t->status_path) : "?";
            const char *op = item && t->op_path ? code_at(item, t->op_path) : "";
            if (!t->status) {
                done += item == NULL;
                if (item && !pending[0])
                    snprintf(pending, sizeof(pending), "%s is %s%s%s", nos[k], st,
                             *op ? "/" : "", op);
                continue;
            }
            if (!item) {
                ncpctl_err_set(err, NCPCTL_EXIT_API, "--wait: %s disappeared before reaching %s",
                               nos[k], want);
                goto cleanup;
            }
            size_t sl = strlen(st);
            if (sl > 3 && strcmp(st + sl - 3, "_FL") == 0) {
                ncpctl_err_set(err, NCPCTL_EXIT_API,
                               "--wait: %s failed (%s/%s) instead of reaching %s", nos[k], st, op,
                               want);
                goto cleanup;
            }
            if (strcmp(st, t->status) == 0 && (!t->op || strcmp(op, t->op) == 0))
                done++;
            else if (!pending[0])
                snprintf(pending, sizeof(pending), "%s is %s%s%s", nos[k], st, *op ? "/" : "",
                         op);
        }
        int64_t now = ncp_clock_mono_ms();
        if (tty) {
            /* \r + erase-line: one line that updates in place */
            fprintf(stderr, "\r\033[K%s: waiting for %s: %zu/%zu%s%s%s (%.1f s)", act->name,
                    want, done, n, act->api == NCP_API_VPC ? "" : " servers",
                    pending[0] ? "; " : "", pending, (double)(now - start) / 1000.0);
            fflush(stderr);
            progress_shown = true;
        }
        if (done == n)
            break;
        if (now >= deadline) {
            ncpctl_err_set(err, NCPCTL_EXIT_API,
                           "--wait: timed out after %.1f s: %zu of %zu%s reached %s (%s)",
                           (double)timeout_ms / 1000.0, done, n,
                           act->api == NCP_API_VPC ? "" : " servers", want, pending);
            goto cleanup;
        }
        sleep_ms(deadline - now < POLL_MS ? deadline - now : POLL_MS);
    }
    if (n > 1) {
        ret = 0; /* several detail answers: the caller prints the action's own answer */
        goto cleanup;
    }
    if (xml) {
        /* the targets are stable states: one more request shows the same */
        ncp_kv_t one = {t->no_field, nos[0], strlen(t->no_field), strlen(nos[0]), NCP_SRC_BODY};
        ncp_kvs_t q = {&one, 1, 1};
        if (ncpctl_client_call_api(cl, api, t->poll, &q, true, final, err) < 0)
            goto cleanup;
    } else {
        *final = polls[0];
        memset(&polls[0], 0, sizeof(polls[0]));
    }
    ret = 0;
cleanup:
    if (progress_shown)
        fputc('\n', stderr);
    for (k = 0; polls && k < n; k++)
        ncpctl_resp_release(&polls[k]);
    return ret;
}
