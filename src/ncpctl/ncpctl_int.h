/* ncpctl_int.h: what the files of ncpctl share (the tool has no public header).
 *
 * Flow of one `ncpctl server|vserver|vpc ACTION ...` run (main.c):
 *   args.c   argv -> global options + form pairs, checked against THE action table
 *   conf.c   flags > env > ~/.ncloud/configure -> key pair and endpoint
 *   client.c form body, ncp_auth_sign, libcurl POST, classification of the answer
 *   wait.c   --wait: polls the family's list until the target state (state.c, rstate.c)
 *   vwait.c  --wait on the VPC APIs: polls each object's get...Detail
 *   print.c  JSON / XML / table / --query output
 *   help.c   help texts and the bash completion script, generated from the table
 *
 * Errors follow the project rule (set once where detected, reported once):
 * functions return 0 / -1 and fill an ncpctl_err_t that carries the exit
 * code; main() prints the message once and exits with that code. */
#ifndef NCPCTL_INT_H
#define NCPCTL_INT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "proto/form.h"
#include "spec/spec.h"
#include "util/arena.h"
#include "util/buf.h"

/* Exit codes (STYLE.md §4): never renumbered, scripts depend on them. */
enum {
    NCPCTL_EXIT_OK = 0,
    NCPCTL_EXIT_API = 1,       /* the endpoint answered an NCP or gateway error */
    NCPCTL_EXIT_USAGE = 2,     /* bad command line, missing credentials */
    NCPCTL_EXIT_TRANSPORT = 3, /* no usable answer: network, TLS, timeout, non-NCP body */
};

typedef struct ncpctl_err {
    bool is_set;
    int exit_code;
    char msg[1024]; /* one line, printed as "ncpctl: <msg>" */
} ncpctl_err_t;

/* First call wins, later ones are ignored (the precise error stays). */
void ncpctl_err_set(ncpctl_err_t *err, int exit_code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

typedef enum ncpctl_output {
    NCPCTL_OUT_JSON,
    NCPCTL_OUT_XML,
    NCPCTL_OUT_TABLE,
} ncpctl_output_t;

#define NCPCTL_DEFAULT_ENDPOINT "https://ncloud.apigw.ntruss.com"
#define NCPCTL_DEFAULT_TIMEOUT_MS 300000

/* Options valid anywhere on the command line. Strings borrow from argv. */
typedef struct ncpctl_opts {
    const char *profile;
    const char *endpoint;
    const char *query;
    ncpctl_output_t output;
    bool has_output;
    bool wait;
    bool has_timeout;
    int64_t timeout_ms;
    bool help;
    bool version;
    const char *ca_cert; /* PEM file of the CAs to trust instead of the system store */
    bool insecure;       /* no certificate verification (warned about on stderr) */
} ncpctl_opts_t;

/* ---- args.c ---------------------------------------------------------------- */

/* Names of the global options, NULL-terminated (help, completion, suggestions). */
extern const char *const ncpctl_global_opts[];

/* If argv[*i] is a global option, consumes it (and its value), advances *i
 * past it and returns 1; returns 0 when it is not one; -1 (usage) on a bad
 * value. */
int ncpctl_opts_take(ncpctl_opts_t *o, int argc, char **argv, int *i, ncpctl_err_t *err);

/* Parses argv[from..argc) of `ncpctl server ACTION`: the action's parameters
 * (into kvs, as the form pairs ncpd decodes: name, name.N, name.N.field) and
 * global options (into o). Checks names, required parameters and values
 * against the table, then runs ncp_spec_validate, the server's own
 * validator, so client and server cannot disagree. Skips the checks of
 * required parameters when --help is present. Strings live in `a`. */
int ncpctl_args_parse(const ncp_action_t *act, int argc, char **argv, int from, ncp_arena_t *a,
                      ncpctl_opts_t *o, ncp_kvs_t *kvs, ncpctl_err_t *err);

/* The candidate closest to `word` (case-insensitive Levenshtein), or NULL
 * when there are none. */
const char *ncpctl_closest(const char *word, const char *const *cands, size_t n);

/* ---- conf.c ---------------------------------------------------------------- */

typedef struct ncpctl_creds {
    char *access_key, *secret_key, *endpoint; /* heap, owned */
    const char *key_source, *endpoint_source; /* static text, for messages */
} ncpctl_creds_t;

/* Resolves the key pair and the endpoint: flags (--profile, --endpoint),
 * then env, then ~/.ncloud/configure. Usage error when no key pair is found,
 * naming every place looked at. */
int ncpctl_creds_resolve(const ncpctl_opts_t *o, ncpctl_creds_t *out, ncpctl_err_t *err);
void ncpctl_creds_release(ncpctl_creds_t *c); /* NULL-safe */

/* `ncpctl configure [--profile NAME]`: prompts on `out`, reads answers from
 * `in`, rewrites the file keeping every other profile. */
int ncpctl_configure_run(const char *profile, FILE *in, FILE *out, ncpctl_err_t *err);

/* ---- client.c -------------------------------------------------------------- */

typedef struct ncpctl_client ncpctl_client_t;

/* What the endpoint answered, once classified. */
typedef struct ncpctl_resp {
    long status;
    ncp_buf_t body;      /* raw body, NUL-terminated */
    bool is_xml;         /* body is NCP XML (else NCP JSON) */
    json_t *json;        /* whole JSON document (owned), NULL for XML */
    json_t *inner;       /* borrowed: the object under "{action}Response" */
    bool partial;        /* HTTP 200 with returnCode 22001 */
    char return_code[32];
    char return_message[512];
} ncpctl_resp_t;

/* Takes the creds (they are moved in and freed by ncpctl_client_free).
 * Usage error on an endpoint that is not http(s)://host[:port][/prefix]
 * or an unreadable --ca-cert. HTTPS certificates are verified against the
 * system store, or only against o->ca_cert; o->insecure turns verification
 * off and says so on stderr. */
ncpctl_client_t *ncpctl_client_new(ncpctl_creds_t *creds, const ncpctl_opts_t *o,
                                   ncpctl_err_t *err);
void ncpctl_client_free(ncpctl_client_t *cl); /* NULL-safe */

/* POSTs one signed request. `xml` asks for responseFormatType=xml.
 * 0: success or partial success (resp filled). -1: API error (exit 1, with
 * HTTP status and NCP codes in the message) or transport error (exit 3). */
int ncpctl_client_call(ncpctl_client_t *cl, const char *action, const ncp_kvs_t *kvs, bool xml,
                       ncpctl_resp_t *resp, ncpctl_err_t *err);
/* The same for an action of any API (POST {endpoint}{api->path}{action}). */
int ncpctl_client_call_api(ncpctl_client_t *cl, const ncp_api_t *api, const char *action,
                           const ncp_kvs_t *kvs, bool xml, ncpctl_resp_t *resp, ncpctl_err_t *err);
void ncpctl_resp_release(ncpctl_resp_t *r); /* NULL-safe, reusable after */

/* ---- print.c --------------------------------------------------------------- */

/* Writes the answer in the format of `o` (JSON, XML as received, table,
 * --query values). Usage error when --query names a field that is nowhere. */
int ncpctl_print(const ncpctl_opts_t *o, ncp_api_id_t api, const ncpctl_resp_t *r, FILE *out,
                 ncpctl_err_t *err);

/* Text of a scalar JSON value: strings raw, numbers, true/false; "" for
 * null. Objects and arrays as compact JSON. Caller frees. */
char *ncpctl_json_text(const json_t *v);

/* The value at a dotted path ("serverInstanceStatus.code"), or NULL. */
json_t *ncpctl_json_path(json_t *obj, const char *path);

/* ---- wait.c ---------------------------------------------------------------- */

/* True when --wait applies to the action (it has a D5 target state). */
bool ncpctl_wait_supported(const char *action);
/* One sentence (two lines) saying what --wait does for the action. */
void ncpctl_wait_describe(const char *action, char *buf, size_t cap);

/* Polls getServerInstanceList for the servers of `first` until each reaches
 * the target state of `action`; `final` gets the last list (in XML when
 * `xml`). Exit 1 on timeout or on a server that fails or vanishes. */
int ncpctl_wait_run(ncpctl_client_t *cl, const char *action, const ncpctl_resp_t *first,
                    int64_t timeout_ms, bool xml, ncp_arena_t *a, ncpctl_resp_t *final,
                    ncpctl_err_t *err);

/* ---- vwait.c: the same on the VPC APIs ---------------------------------------- */

/* True when --wait applies to the action of the vserver or vpc API. */
bool ncpctl_vwait_supported(const ncp_action_t *act);

/* Polls each object of `first` with its get...Detail until it reaches the
 * target state of `act`; `final` gets the last answer when there was one
 * object (in XML when `xml`). Exit 1 on timeout or on an object that fails
 * or vanishes. */
int ncpctl_vwait_run(ncpctl_client_t *cl, const ncp_action_t *act, const ncpctl_resp_t *first,
                     int64_t timeout_ms, bool xml, ncp_arena_t *a, ncpctl_resp_t *final,
                     ncpctl_err_t *err);

/* --wait for an action of any API */
static inline bool ncpctl_act_waits(const ncp_action_t *act)
{
    return act->api == NCP_API_SERVER ? ncpctl_wait_supported(act->name)
                                      : ncpctl_vwait_supported(act);
}

/* ---- help.c ---------------------------------------------------------------- */

void ncpctl_help_main(FILE *out);
void ncpctl_help_actions(const ncp_api_t *api, FILE *out);
void ncpctl_help_action(const ncp_action_t *act, FILE *out);
void ncpctl_help_configure(FILE *out);
/* Prints the completion script for `shell` ("bash"); usage error otherwise. */
int ncpctl_completion(const char *shell, FILE *out, ncpctl_err_t *err);

#endif
