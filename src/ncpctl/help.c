/* help.c: help texts and the bash completion script.
 *
 * Nothing here lists an action or a parameter by hand: both come from the
 * action table, the one ncpd validates requests with, so help, completion
 * and the server cannot drift apart. */
#include "ncpctl/ncpctl_int.h"

#include <string.h>

void ncpctl_help_main(FILE *out)
{
    fputs("ncpctl: command-line client of the NCP Server APIs (ncpd, NAVER Cloud)\n"
          "\n"
          "usage:\n"
          "  ncpctl server ACTION [--param value ...] [options]  call an action (classic)\n"
          "  ncpctl vserver ACTION ...                            VPC compute (/vserver/v2)\n"
          "  ncpctl vpc ACTION ...                                VPC network (/vpc/v2)\n"
          "  ncpctl server --help                                 list the actions\n"
          "  ncpctl server ACTION --help                          parameters of an action\n"
          "  ncpctl configure [--profile NAME]                    write ~/.ncloud/configure\n"
          "  ncpctl completion bash                               print a completion script\n"
          "\n"
          "options (anywhere on the line):\n"
          "  --profile NAME     key pair and endpoint from [NAME] of ~/.ncloud/configure\n"
          "  --endpoint URL     API endpoint, e.g. http://127.0.0.1:8080 (default\n"
          "                     " NCPCTL_DEFAULT_ENDPOINT ")\n"
          "  --output FORMAT    json (default, indented), xml (the server's XML as is), table\n"
          "  --query FIELD      print FIELD (dotted path, e.g. serverInstanceStatus.code) of\n"
          "                     each list item, or of the answer itself (e.g. privateKey)\n"
          "  --wait             after an action marked [--wait] in its API's --help (create,\n"
          "                     start, stop, attach, delete ... of servers, disks, public IPs,\n"
          "                     VPCs, subnets), wait until every resource of the answer\n"
          "                     reaches its target state\n"
          "  --timeout SECONDS  limit of --wait (default 300)\n"
          "  --ca-cert FILE     trust only the CA certificates of this PEM file for https://\n"
          "                     endpoints (default: the system's CA store)\n"
          "  --insecure         do not verify the server's certificate (warned on stderr)\n"
          "  --version          print the version\n"
          "\n"
          "credentials, first found wins: --profile NAME; env NCLOUD_ACCESS_KEY_ID and\n"
          "NCLOUD_SECRET_ACCESS_KEY (or NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY); [DEFAULT]\n"
          "of $HOME/.ncloud/configure. Endpoint: --endpoint; the profile's ncloud_api_url;\n"
          "env NCLOUD_API_GW; ncloud_api_url of [DEFAULT]; the default above.\n"
          "\n"
          "exit codes: 0 success, 1 API error, 2 usage error, 3 transport error\n",
          out);
}

void ncpctl_help_configure(FILE *out)
{
    fputs("usage: ncpctl configure [--profile NAME]\n"
          "\n"
          "Asks for the access key id, the secret key and the API URL (one answer per line\n"
          "on stdin; an empty answer keeps the value shown in brackets) and writes them to\n"
          "[NAME] (default [DEFAULT]) of $HOME/.ncloud/configure, mode 0600, keeping every\n"
          "other profile.\n",
          out);
}

void ncpctl_help_actions(const ncp_api_t *api, FILE *out)
{
    size_t w = 0, unsupported = 0;
    for (size_t i = 0; i < api->n; i++)
        if (strlen(api->actions[i].name) > w)
            w = strlen(api->actions[i].name);
    fprintf(out, "usage: ncpctl %s ACTION [--param value ...] [options]\n\nactions (%s%s):\n",
            api->name, api->path, "{action}");
    for (size_t i = 0; i < api->n; i++) {
        const ncp_action_t *a = &api->actions[i];
        if (a->flags & NCP_A_UNSUPPORTED) {
            unsupported++;
            continue;
        }
        fprintf(out, "  %-*s  %s%s\n", (int)w, a->name, a->help,
                ncpctl_act_waits(a) ? " [--wait]" : "");
    }
    if (unsupported) {
        fprintf(out, "\nnot supported by ncpd (they answer an error, docs/compat.md):\n ");
        size_t col = 1;
        for (size_t i = 0; i < api->n; i++) {
            const ncp_action_t *a = &api->actions[i];
            if (!(a->flags & NCP_A_UNSUPPORTED))
                continue;
            if (col + strlen(a->name) + 1 > 96) {
                fputs("\n ", out);
                col = 1;
            }
            fprintf(out, " %s", a->name);
            col += strlen(a->name) + 1;
        }
        fputc('\n', out);
    }
    fprintf(out, "\nncpctl %s ACTION --help lists the parameters of ACTION.\n", api->name);
}

/* What the table allows for p, in a few words. */
static void constraints(const ncp_param_t *p, char *out, size_t cap)
{
    char items[64] = "";
    if (p->type == NCP_T_LIST_STR || p->type == NCP_T_LIST_NO || p->type == NCP_T_LIST_ENUM ||
        p->type == NCP_T_OBJLIST) {
        long long max = p->max ? (long long)p->max : NCP_LIST_MAX;
        if (p->min > 0)
            snprintf(items, sizeof(items), "%lld-%lld items", (long long)p->min, max);
        else
            snprintf(items, sizeof(items), "up to %lld items", max);
    }
    switch (p->type) {
    case NCP_T_STR:
        if (p->max)
            snprintf(out, cap, "%lld-%lld chars", (long long)p->min, (long long)p->max);
        else if (p->min)
            snprintf(out, cap, ">= %lld chars", (long long)p->min);
        else
            snprintf(out, cap, "-");
        break;
    case NCP_T_INT:
        snprintf(out, cap, "%lld-%lld", (long long)p->min, (long long)p->max);
        break;
    case NCP_T_BOOL:
        snprintf(out, cap, "true|false");
        break;
    case NCP_T_ENUM:
        snprintf(out, cap, "%s", p->enums);
        break;
    case NCP_T_NO:
        snprintf(out, cap, "number (1-19 digits)");
        break;
    case NCP_T_LIST_STR:
        snprintf(out, cap, "%s", items);
        break;
    case NCP_T_LIST_NO:
        snprintf(out, cap, "%s, numbers", items);
        break;
    case NCP_T_LIST_ENUM:
        snprintf(out, cap, "%s of %s", items, p->enums);
        break;
    case NCP_T_OBJLIST:
        snprintf(out, cap, "%s, fields %s", items, p->enums);
        break;
    }
}

void ncpctl_help_action(const ncp_action_t *act, FILE *out)
{
    char cons[256];
    size_t wn = strlen("NAME"), wt = strlen("TYPE"), wc = strlen("CONSTRAINTS");
    for (size_t i = 0; i < act->nparams; i++) {
        const ncp_param_t *p = &act->params[i];
        constraints(p, cons, sizeof(cons));
        if (strlen(p->name) + 2 > wn)
            wn = strlen(p->name) + 2;
        if (strlen(ncp_spec_type_name(p->type)) > wt)
            wt = strlen(ncp_spec_type_name(p->type));
        if (strlen(cons) > wc)
            wc = strlen(cons);
    }
    fprintf(out, "%s: %s\n\nusage: ncpctl %s %s", act->name, act->help,
            ncp_spec_api(act->api)->name, act->name);
    for (size_t i = 0; i < act->nparams; i++) {
        const ncp_param_t *p = &act->params[i];
        if (!(p->flags & NCP_P_REQ))
            continue;
        if (p->type == NCP_T_OBJLIST)
            fprintf(out, " --%s \"KEY=VALUE, ...\"...", p->name);
        else if (p->type == NCP_T_LIST_STR || p->type == NCP_T_LIST_NO ||
                 p->type == NCP_T_LIST_ENUM)
            fprintf(out, " --%s VALUE...", p->name);
        else
            fprintf(out, " --%s VALUE", p->name);
    }
    fputs(" [--param value ...] [options]\n\n", out);
    if (act->nparams) {
        fprintf(out, "parameters:\n  %-*s  %-*s  %-8s  %-*s  %s\n", (int)wn, "NAME", (int)wt,
                "TYPE", "REQUIRED", (int)wc, "CONSTRAINTS", "DESCRIPTION");
        for (size_t i = 0; i < act->nparams; i++) {
            const ncp_param_t *p = &act->params[i];
            char name[128];
            snprintf(name, sizeof(name), "--%s", p->name);
            constraints(p, cons, sizeof(cons));
            fprintf(out, "  %-*s  %-*s  %-8s  %-*s  %s\n", (int)wn, name, (int)wt,
                    ncp_spec_type_name(p->type), p->flags & NCP_P_REQ ? "yes" : "no", (int)wc,
                    cons, p->help);
        }
    } else {
        fputs("parameters: none\n", out);
    }
    /* one example per kind of list the action has */
    bool shown_list = false, shown_obj = false;
    for (size_t i = 0; i < act->nparams; i++) {
        const ncp_param_t *p = &act->params[i];
        if (p->type == NCP_T_OBJLIST && !shown_obj) {
            fprintf(out, "\nobject lists take one quoted group per item, e.g.\n  --%s \"", p->name);
            const char *f = p->enums;
            for (int k = 0; f && *f; k++) {
                size_t len = strcspn(f, "|");
                fprintf(out, "%s%.*s=...", k ? ", " : "", (int)len, f);
                f += len;
                if (*f == '|')
                    f++;
            }
            fputs("\" \"...\"\n", out);
            shown_obj = true;
        } else if (p->type != NCP_T_OBJLIST &&
                   (p->type == NCP_T_LIST_STR || p->type == NCP_T_LIST_NO ||
                    p->type == NCP_T_LIST_ENUM) &&
                   !shown_list) {
            fprintf(out, "\nlists take several values up to the next --option, e.g.\n"
                         "  --%s VALUE1 VALUE2\n",
                    p->name);
            shown_list = true;
        }
    }
    if (act->api == NCP_API_SERVER && ncpctl_wait_supported(act->name)) {
        char what[256];
        ncpctl_wait_describe(act->name, what, sizeof(what));
        fprintf(out, "\n%s (--timeout SECONDS, default 300).\n", what);
    }
    if (act->api != NCP_API_SERVER && ncpctl_vwait_supported(act))
        fputs("\n--wait polls the object's get...Detail every 500 ms until every object of\n"
              "the answer reaches its target state (--timeout SECONDS, default 300).\n",
              out);
    fputs("\noptions: --profile NAME, --endpoint URL, --output json|xml|table, --query FIELD,\n"
          "--wait, --timeout SECONDS (ncpctl --help)\n",
          out);
}

/* ---- completion --------------------------------------------------------------- */

/* The values of a boolean or enum parameter as shell words ("a b c"). */
static void words_of(const ncp_param_t *p, FILE *out)
{
    if (p->type == NCP_T_BOOL) {
        fputs("true false", out);
        return;
    }
    for (const char *c = p->enums; *c; c++)
        fputc(*c == '|' ? ' ' : *c, out);
}

static void bash_script(FILE *out)
{
    fputs("# bash completion for ncpctl, generated from ncpd's action tables.\n"
          "# Load it with:  source <(ncpctl completion bash)\n"
          "\n"
          "_ncpctl_params() {\n"
          "    case \"$1:$2\" in\n",
          out);
    for (int k = 0; k < NCP_API__N; k++) {
        const ncp_api_t *api = ncp_spec_api((ncp_api_id_t)k);
        for (size_t i = 0; i < api->n; i++) {
            const ncp_action_t *a = &api->actions[i];
            if (a->flags & NCP_A_UNSUPPORTED)
                continue;
            fprintf(out, "    %s:%s) echo \"", api->name, a->name);
            for (size_t p = 0; p < a->nparams; p++)
                fprintf(out, "%s--%s", p ? " " : "", a->params[p].name);
            fputs("\" ;;\n", out);
        }
    }
    fputs("    esac\n"
          "}\n"
          "\n"
          "_ncpctl_values() {\n"
          "    case \"$1:$2:$3\" in\n",
          out);
    for (int k = 0; k < NCP_API__N; k++) {
        const ncp_api_t *api = ncp_spec_api((ncp_api_id_t)k);
        for (size_t i = 0; i < api->n; i++) {
            const ncp_action_t *a = &api->actions[i];
            for (size_t p = 0; p < a->nparams; p++) {
                const ncp_param_t *pa = &a->params[p];
                if (pa->type != NCP_T_BOOL && pa->type != NCP_T_ENUM &&
                    pa->type != NCP_T_LIST_ENUM)
                    continue;
                fprintf(out, "    %s:%s:--%s) echo \"", api->name, a->name, pa->name);
                words_of(pa, out);
                fputs("\" ;;\n", out);
            }
        }
    }
    fputs("    *:*:--output) echo \"json xml table\" ;;\n"
          "    *:*:--ca-cert) compgen -f -- \"${COMP_WORDS[COMP_CWORD]}\" ;;\n"
          "    *:*:--profile)\n"
          "        [ -r \"$HOME/.ncloud/configure\" ] &&\n"
          "            sed -n 's/^[[:space:]]*\\[\\(.*\\)\\][[:space:]]*$/\\1/p' "
          "\"$HOME/.ncloud/configure\" ;;\n"
          "    esac\n"
          "}\n"
          "\n"
          "_ncpctl_actions() {\n"
          "    case \"$1\" in\n",
          out);
    for (int k = 0; k < NCP_API__N; k++) {
        const ncp_api_t *api = ncp_spec_api((ncp_api_id_t)k);
        fprintf(out, "    %s) echo \"", api->name);
        bool first = true;
        for (size_t i = 0; i < api->n; i++) {
            if (api->actions[i].flags & NCP_A_UNSUPPORTED)
                continue;
            fprintf(out, "%s%s", first ? "" : " ", api->actions[i].name);
            first = false;
        }
        fputs("\" ;;\n", out);
    }
    fputs("    esac\n"
          "}\n"
          "\n"
          "_ncpctl() {\n"
          "    local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"\" cmd=\"\" action=\"\" i w vals\n"
          "    local globals=\"",
          out);
    for (size_t k = 0; ncpctl_global_opts[k]; k++)
        fprintf(out, "%s%s", k ? " " : "", ncpctl_global_opts[k]);
    fputs("\"\n"
          "    [ \"$COMP_CWORD\" -gt 0 ] && prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
          "    i=1\n"
          "    while [ \"$i\" -lt \"$COMP_CWORD\" ]; do\n"
          "        w=\"${COMP_WORDS[i]}\"\n"
          "        case \"$w\" in\n"
          "        --profile|--endpoint|--output|--query|--timeout|--ca-cert)\n"
          "            [ -z \"$action\" ] && i=$((i + 1)) ;;\n"
          "        -*) ;;\n"
          "        *)\n"
          "            if [ -z \"$cmd\" ]; then cmd=\"$w\"\n"
          "            elif [ -z \"$action\" ]; then\n"
          "                case \"$cmd\" in server|vserver|vpc) action=\"$w\" ;; esac\n"
          "            fi ;;\n"
          "        esac\n"
          "        i=$((i + 1))\n"
          "    done\n"
          "    vals=\"$(_ncpctl_values \"$cmd\" \"$action\" \"$prev\")\"\n"
          "    if [ -n \"$vals\" ]; then\n"
          "        COMPREPLY=($(compgen -W \"$vals\" -- \"$cur\"))\n"
          "        return 0\n"
          "    fi\n"
          "    case \"$cmd\" in\n"
          "    \"\") COMPREPLY=($(compgen -W \"server vserver vpc configure completion help "
          "$globals\" -- \"$cur\")) ;;\n"
          "    server|vserver|vpc)\n"
          "        if [ -z \"$action\" ]; then\n"
          "            COMPREPLY=($(compgen -W \"$(_ncpctl_actions \"$cmd\") --help\" "
          "-- \"$cur\"))\n"
          "        else\n"
          "            COMPREPLY=($(compgen -W \"$(_ncpctl_params \"$cmd\" \"$action\") $globals\" "
          "-- \"$cur\"))\n"
          "        fi ;;\n"
          "    configure) COMPREPLY=($(compgen -W \"--profile --help\" -- \"$cur\")) ;;\n"
          "    completion) COMPREPLY=($(compgen -W \"bash\" -- \"$cur\")) ;;\n"
          "    esac\n"
          "    return 0\n"
          "}\n"
          "\n"
          "complete -F _ncpctl ncpctl\n",
          out);
}

int ncpctl_completion(const char *shell, FILE *out, ncpctl_err_t *err)
{
    if (!shell || strcmp(shell, "bash") != 0) {
        ncpctl_err_set(err, NCPCTL_EXIT_USAGE,
                       "completion: supported shells: bash (ncpctl completion bash)");
        return -1;
    }
    bash_script(out);
    return 0;
}
