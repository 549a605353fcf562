/* state.h: the server state machine (sqlite pager style: one table, one checker).
 *
 * Code never compares status strings ad hoc: it asks this module whether an
 * action may start, what the server shows at once, and what each timed
 * step does. See state.c for the diagram. */
#ifndef NCP_STATE_H
#define NCP_STATE_H
#include <stdbool.h>

#include "domain/model.h"
#include "util/err.h"

/* step flags */
#define NCP_STEP_UPTIME 0x1u      /* uptime = now */
#define NCP_STEP_GONE 0x2u        /* the server disappears (terminate) */
#define NCP_STEP_APPLY_SPEC 0x4u  /* take the new product (change spec) */
#define NCP_STEP_KEEP_STATUS 0x8u /* status unchanged, only the operation moves */
#define NCP_STEP_APPLY_IMAGE 0x10u /* take the image of a recreate (sched_res.c) */

typedef struct ncp_step {
    ncp_status_t status;
    ncp_op_t op;
    unsigned flags;
} ncp_step_t;

typedef struct ncp_path {
    ncp_tr_kind_t kind;
    ncp_step_t first;         /* shown in the action's own response */
    const ncp_step_t *steps;  /* then one per scheduler step */
    int nsteps;
} ncp_path_t;

const ncp_path_t *ncp_state_path(ncp_tr_kind_t kind);

/* May `kind` start on a server at (st, op)? `storage_busy` is true while a
 * storage transition is pending on it. Sets the D1 error on refusal. */
int ncp_state_check(ncp_tr_kind_t kind, ncp_status_t st, ncp_op_t op, bool storage_busy,
                    ncp_err_t *err);
/* Asserts (st, op) is a state the machine can reach; false otherwise. */
bool ncp_state_valid(ncp_status_t st, ncp_op_t op);

const char *ncp_state_status_code(ncp_status_t st);
const char *ncp_state_status_code_name(ncp_status_t st);
const char *ncp_state_op_code(ncp_op_t op);
const char *ncp_state_op_code_name(ncp_op_t op);
/* serverInstanceStatusName, derived from (status, operation). */
const char *ncp_state_label(ncp_status_t st, ncp_op_t op);
int ncp_state_status_parse(const char *code); /* -1 if unknown */

#endif
