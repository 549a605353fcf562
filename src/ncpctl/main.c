/* main.c: ncpctl, the command-line client of the NCP Server APIs: classic
 * (server), and VPC compute (vserver) and network (vpc).
 *
 *   ncpctl [options] server|vserver|vpc ACTION [--param value ...] [options]
 *   ncpctl [options] configure [--profile NAME]
 *   ncpctl completion bash
 *
 * Commands and actions are dispatched here; every failure travels up as an
 * ncpctl_err_t and is printed once, as one "ncpctl: ..." line on stderr,
 * before exiting with its code (0 ok, 1 API, 2 usage, 3 transport). Stdout
 * carries only the answer, so scripts can pipe it. */
#include "ncpctl/ncpctl_int.h"

#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

static const char *const commands[] = {"server", "vserver", "vpc", "configure", "completion",
                                       "help"};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void unknown_option(const char *arg, ncpctl_err_t *err)
{
    size_t n = 0;
    while (ncpctl_global_opts[n])
        n++;
    char safe[160];
    size_t len = strcspn(arg, "=");
    snprintf(safe, sizeof(safe), "%.*s", (int)(len < 100 ? len : 100), arg);
    for (char *p = safe; *p; p++)
        if ((unsigned char)*p < 0x20)
            *p = '?';
    ncpctl_err_set(err, NCPCTL_EXIT_USAGE, "unknown option %s; did you mean %s? (ncpctl --help)",
                   safe, ncpctl_closest(safe, ncpctl_global_opts, n));
}

/* Global options in front of a command or an action. */
static int leading_opts(ncpctl_opts_t *o, int argc, char **argv, int *i, ncpctl_err_t *err)
{
    while (*i < argc && argv[*i][0] == '-') {
        int r = ncpctl_opts_take(o, argc, argv, i, err);
        if (r < 0)
            return -1;
        if (r == 0) {
            unknown_option(argv[*i], err);
            return -1;
        }
    }
    return 0;
}

static int run_action(const ncp_action_t *act, ncpctl_opts_t *o, const ncp_kvs_t *kvs,
                      ncp_arena_t *a, ncpctl_err_t *err)
{
    int ret = -1;
    ncpctl_creds_t creds = {0};
    ncpctl_client_t *cl = NULL;
    ncpctl_resp_t first = {0}, final = {0};

    if (ncpctl_creds_resolve(o, &creds, err) < 0)
        goto cleanup;
    if (!(cl = ncpctl_client_new(&creds, o, err)))
        goto cleanup;
    /* with --wait the action's answer is only read for its server numbers */
    bool xml = o->output == NCPCTL_OUT_XML;
    if (ncpctl_client_call_api(cl, ncp_spec_api(act->api), act->name, kvs, xml && !o->wait,
                               &first, err) < 0)
        goto cleanup;
    const ncpctl_resp_t *shown = &first;
    if (o->wait) {
        if ((act->api == NCP_API_SERVER
                 ? ncpctl_wait_run(cl, act->name, &first, o->timeout_ms, xml, a, &final, err)
                 : ncpctl_vwait_run(cl, act, &first, o->timeout_ms, xml, a, &final, err)) < 0)
            goto cleanup;
        /* zero servers to wait for: the (JSON) answer of the action is shown */
        if (final.json || final.is_xml)
            shown = &final;
    }
    if (ncpctl_print(o, act->api, shown, stdout, err) < 0)
        goto cleanup;
    if (first.partial) {
        ncpctl_err_set(err, NCPCTL_EXIT_API, "partial success: HTTP %ld, returnCode %s: %s",
                       first.status, first.return_code, first.return_message);
        goto cleanup;
    }
    ret = 0;
cleanup:
    ncpctl_resp_release(&first);
    ncpctl_resp_release(&final);
    ncpctl_client_free(cl);
    ncpctl_creds_release(&creds);
    return ret;
}

/* `ncpctl API ACTION ...` for API server, vserver or vpc: its own table. */
static int cmd_api(const ncp_api_t *api, int argc, char **argv, int i, ncpctl_opts_t *o,
                   ncp_arena_t *a, ncpctl_err_t *err)
{
    if (leading_opts(o, argc, argv, &i, err) < 0)
        return -1;
    if (i >= argc) {
        if (o->help) {
            ncpctl_help_actions(api, stdout);
            return 0;
        }
        ncpctl_help_actions(api, stderr);
        ncpctl_err_set(err, NCPCTL_EXIT_USAGE, "%s: which action? (ncpctl %s --help)", api->name,
                       api->name);
        return -1;
    }
    const char *name = argv[i++];
    const ncp_action_t *act = ncp_spec_api_find(api, name, strlen(name));
    if (!act) {
        const char **names = ncp_arena_alloc(a, api->n * sizeof(char *));
        for (size_t k = 0; k < api->n; k++)
            names[k] = api->actions[k].name;
        char safe[160];
        snprintf(safe, sizeof(safe), "%.100s", name);
        for (char *p = safe; *p; p++)
            if ((unsigned char)*p < 0x20)
                *p = '?';
        ncpctl_err_set(err, NCPCTL_EXIT_USAGE,
                       "unknown action '%s'; did you mean '%s'? (ncpctl %s --help)", safe,
                       ncpctl_closest(name, names, api->n), api->name);
        return -1;
    }
    ncp_kvs_t kvs = {0};
    if (ncpctl_args_parse(act, argc, argv, i, a, o, &kvs, err) < 0)
        return -1;
    if (o->help) {
        ncpctl_help_action(act, stdout);
        return 0;
    }
    if (o->wait && !ncpctl_act_waits(act)) {
        ncpctl_err_set(err, NCPCTL_EXIT_USAGE,
                       "--wait applies to the actions with a target state (ncpctl %s --help "
                       "marks them [--wait]), not to %s",
                       api->name, act->name);
        return -1;
    }
    if (o->has_timeout && !o->wait) {
        ncpctl_err_set(err, NCPCTL_EXIT_USAGE, "--timeout limits --wait; add --wait");
        return -1;
    }
    if (o->query && o->has_output && o->output != NCPCTL_OUT_JSON) {
        ncpctl_err_set(err, NCPCTL_EXIT_USAGE,
                       "--query prints plain values; it does not combine with --output %s",
                       o->output == NCPCTL_OUT_XML ? "xml" : "table");
        return -1;
    }
    return run_action(act, o, &kvs, a, err);
}

static int cmd_configure(int argc, char **argv, int i, ncpctl_opts_t *o, ncpctl_err_t *err)
{
    while (i < argc) {
        int r = ncpctl_opts_take(o, argc, argv, &i, err);
        if (r < 0)
            return -1;
        if (r == 0) {
            ncpctl_err_set(err, NCPCTL_EXIT_USAGE,
                           "configure takes only --profile NAME (ncpctl configure --help)");
            return -1;
        }
    }
    if (o->help) {
        ncpctl_help_configure(stdout);
        return 0;
    }
    if (o->endpoint || o->query || o->wait || o->has_output || o->has_timeout || o->ca_cert ||
        o->insecure) {
        ncpctl_err_set(err, NCPCTL_EXIT_USAGE,
                       "configure takes only --profile NAME (ncpctl configure --help)");
        return -1;
    }
    return ncpctl_configure_run(o->profile, stdin, stdout, err);
}

int main(int argc, char **argv)
{
    int code = NCPCTL_EXIT_OK, rc = -1;
    ncpctl_err_t err = {0};
    ncpctl_opts_t o = {.output = NCPCTL_OUT_JSON, .timeout_ms = NCPCTL_DEFAULT_TIMEOUT_MS};
    ncp_arena_t *a = ncp_arena_new(16384);
    bool curl_up = false;
    int i = 1;

    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        ncpctl_err_set(&err, NCPCTL_EXIT_TRANSPORT, "libcurl could not start");
        goto cleanup;
    }
    curl_up = true;
    if (leading_opts(&o, argc, argv, &i, &err) < 0)
        goto cleanup;
    if (o.version) {
        printf("ncpctl %s\n", NCPD_VERSION);
        rc = 0;
        goto cleanup;
    }
    if (i >= argc) {
        ncpctl_help_main(o.help ? stdout : stderr);
        if (!o.help)
            ncpctl_err_set(&err, NCPCTL_EXIT_USAGE, "which command? (ncpctl --help)");
        rc = o.help ? 0 : -1;
        goto cleanup;
    }
    const char *cmd = argv[i++];
    if (ncp_spec_api_named(cmd)) {
        rc = cmd_api(ncp_spec_api_named(cmd), argc, argv, i, &o, a, &err);
    } else if (strcmp(cmd, "configure") == 0) {
        rc = cmd_configure(argc, argv, i, &o, &err);
    } else if (strcmp(cmd, "completion") == 0) {
        if (i < argc && (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)) {
            fputs("usage: ncpctl completion bash\n"
                  "  source <(ncpctl completion bash)   # in ~/.bashrc\n",
                  stdout);
            rc = 0;
        } else if (i + 1 < argc) {
            ncpctl_err_set(&err, NCPCTL_EXIT_USAGE, "usage: ncpctl completion bash");
        } else {
            rc = ncpctl_completion(i < argc ? argv[i] : NULL, stdout, &err);
        }
    } else if (strcmp(cmd, "help") == 0) {
        const ncp_api_t *api = i < argc ? ncp_spec_api_named(argv[i]) : NULL;
        /* help API [ACTION], or help ACTION (of the classic API) */
        const ncp_action_t *act =
            api ? (i + 1 < argc ? ncp_spec_api_find(api, argv[i + 1], strlen(argv[i + 1])) : NULL)
                : (i < argc ? ncp_spec_find(argv[i], strlen(argv[i])) : NULL);
        if (act)
            ncpctl_help_action(act, stdout);
        else if (api)
            ncpctl_help_actions(api, stdout);
        else
            ncpctl_help_main(stdout);
        rc = 0;
    } else {
        char safe[128];
        snprintf(safe, sizeof(safe), "%.100s", cmd);
        for (char *p = safe; *p; p++)
            if ((unsigned char)*p < 0x20)
                *p = '?';
        const char *owner = NULL;
        for (int k = 0; k < NCP_API__N && !owner; k++)
            if (ncp_spec_api_find(ncp_spec_api((ncp_api_id_t)k), cmd, strlen(cmd)))
                owner = ncp_spec_api((ncp_api_id_t)k)->name;
        if (owner)
            ncpctl_err_set(&err, NCPCTL_EXIT_USAGE,
                           "unknown command '%s'; actions go after 'server', 'vserver' or 'vpc': "
                           "ncpctl %s %s",
                           safe, owner, safe);
        else
            ncpctl_err_set(&err, NCPCTL_EXIT_USAGE,
                           "unknown command '%s'; did you mean '%s'? (ncpctl --help)", safe,
                           ncpctl_closest(cmd, commands, N_COMMANDS));
    }
cleanup:
    if (fflush(stdout) != 0 && !err.is_set)
        ncpctl_err_set(&err, NCPCTL_EXIT_TRANSPORT, "cannot write the output");
    if (rc < 0 || err.is_set) {
        code = err.is_set ? err.exit_code : NCPCTL_EXIT_USAGE;
        if (err.is_set)
            fprintf(stderr, "ncpctl: %s\n", err.msg);
    }
    ncp_arena_free(a);
    if (curl_up)
        curl_global_cleanup();
    return code;
}
