/* spec.h: the action table and the generic parameter validator.
 *
 * actions.def is THE table (redis/git style): every action, its flags and
 * its parameters. ncpd binds handlers to it (act/dispatch.c); ncpctl reads
 * it for help, argument checks and completion. The dispatcher validates
 * every request against it, so handlers get typed, checked arguments. */
#ifndef NCP_SPEC_H
#define NCP_SPEC_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/form.h"
#include "util/arena.h"
#include "util/err.h"

/* action flags */
#define NCP_A_READ 0x1u   /* read-only: runs in a read transaction */
#define NCP_A_WRITE 0x2u  /* mutates: runs in one write transaction */
#define NCP_A_ASYNC 0x4u  /* starts timed transitions: wakes the scheduler */
#define NCP_A_NOAUTH 0x8u /* no signature needed */
#define NCP_A_PREP 0x10u  /* has a preparation step (act_prep_<name>) run before the
                           * transaction: slow work such as key generation never holds
                           * the write lock or delays the group-commit batch */
#define NCP_A_SECRET 0x20u /* answers a secret (private key, root password): the request's
                            * memory and its response are wiped once sent */
#define NCP_A_UNSUPPORTED 0x40u /* an action of the API this ncpd does not serve: listed so
                                 * that it answers a clear error (NCP_E_V_UNSUPPORTED) rather
                                 * than a 404 gateway body; it has no parameters or handler */

/* The APIs ncpd serves, each with its own action table (its own .def file)
 * and path prefix; the same validator, dispatcher and engine serve them all. */
typedef enum ncp_api_id {
    NCP_API_SERVER = 0,  /* classic /server/v2 (actions.def) */
    NCP_API_VSERVER = 1, /* VPC compute /vserver/v2 (vserver.def) */
    NCP_API_VPC = 2,     /* VPC network /vpc/v2 (vpc.def) */
    NCP_API__N
} ncp_api_id_t;

typedef enum ncp_ptype {
    NCP_T_STR,      /* UTF-8 text, length in characters within [min,max] */
    NCP_T_INT,      /* decimal integer within [min,max] */
    NCP_T_BOOL,     /* true/false, any case (the Python SDK sends True/False) */
    NCP_T_ENUM,     /* one of `enums` ("a|b|c"), any case; stored canonical */
    NCP_T_NO,       /* instance number: 1..19 decimal digits */
    NCP_T_LIST_STR, /* name.N list of strings, [min,max] items */
    NCP_T_LIST_NO,  /* name.N list of instance numbers */
    NCP_T_LIST_ENUM,/* name.N list of enum values */
    NCP_T_OBJLIST,  /* name.N.field list of objects; fields listed in `enums` */
} ncp_ptype_t;

/* parameter flags */
#define NCP_P_REQ 0x1u  /* required: 900 when absent */
#define NCP_P_RAW 0x2u  /* list items checked by the handler, in order (D2) */

typedef struct ncp_param {
    const char *name;
    ncp_ptype_t type;
    unsigned flags;
    int64_t min, max;  /* STR: length; INT: value; lists: item count (max) */
    const char *enums; /* ENUM values or OBJLIST field names, '|'-separated */
    const char *help;
} ncp_param_t;

typedef struct ncp_action {
    const char *name;
    unsigned flags;
    const char *help;
    const ncp_param_t *params;
    size_t nparams;
    ncp_api_id_t api;   /* the table the action belongs to */
} ncp_action_t;

typedef struct ncp_api {
    ncp_api_id_t id;
    const char *name;   /* "server", "vserver", "vpc": the ncpctl command */
    const char *path;   /* "/server/v2/": the path prefix of its actions */
    const ncp_action_t *actions; /* sorted by name */
    size_t n;
} ncp_api_t;

typedef struct ncp_arg {
    bool present;
    const char *s;      /* scalar text (ENUM: canonical spelling) */
    size_t len;
    int64_t i;          /* INT */
    bool b;             /* BOOL */
    size_t n;           /* list: number of items */
    const char **items; /* list items in index order; OBJLIST: n * nfields, NULL = absent */
    size_t *lens;
    size_t nfields;     /* OBJLIST */
} ncp_arg_t;

typedef struct ncp_args {
    const ncp_action_t *act;
    ncp_arg_t *v;       /* parallel to act->params */
} ncp_args_t;

#define NCP_LIST_MAX 1000

/* The classic table (NCP_API_SERVER). */
const ncp_action_t *ncp_spec_find(const char *name, size_t len);
const ncp_action_t *ncp_spec_actions(size_t *n_out);
/* 0 when every table is sorted and unique, else -1 (checked at start-up). */
int ncp_spec_check_table(void);

/* The table of an API; by its ncpctl name ("server", "vserver", "vpc"), or
 * NULL; and an action of that table (NULL when it has none of that name). */
const ncp_api_t *ncp_spec_api(ncp_api_id_t id);
const ncp_api_t *ncp_spec_api_named(const char *name);
const ncp_action_t *ncp_spec_api_find(const ncp_api_t *api, const char *name, size_t len);
const ncp_param_t *ncp_spec_param(const ncp_action_t *act, const char *name);

/* Validates `kvs` against `act`. `responseFormatType` is skipped (the
 * dispatcher reads it). Errors: 900 missing, 910 unknown/repeated/invalid.
 * The VPC APIs (vserver, vpc) differ in two ways (spec/vpc/README.md §1.4,
 * §1.5): an empty value means the parameter is absent (Terraform sends
 * `vpcName=` for an unset name), and an invalid one is 1100000
 * `Parameter is invalid. {name}` instead of 910. OBJLIST fields named
 * `field.N` in `enums` are lists inside each item (`list.1.field.2=x`, or
 * the Python SDK's `list.1.field=['x', 'y']`); their items are joined with
 * ',' in index order (numbers only: nested lists hold instance numbers). */
int ncp_spec_validate(const ncp_action_t *act, const ncp_kvs_t *kvs, ncp_arena_t *a,
                      ncp_args_t *out, ncp_err_t *err);

/* Argument by parameter name; never NULL (absent parameters read as empty).
 * Aborts on a name the action does not declare: a typo is a bug. */
const ncp_arg_t *ncp_arg(const ncp_args_t *args, const char *name);
/* OBJLIST field `field` of item k, or NULL. */
const char *ncp_arg_field(const ncp_args_t *args, const char *list, size_t k, const char *field);

/* Helpers shared with handlers and ncpctl. */
bool ncp_spec_is_no(const char *s, size_t len);
int ncp_spec_parse_int(const char *s, size_t len, int64_t *out);
int ncp_spec_parse_bool(const char *s, size_t len, bool *out);
const char *ncp_spec_type_name(ncp_ptype_t t);

#endif
