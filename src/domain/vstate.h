/* vstate.h: transitions of the VPC platform's network objects (vstate.c).
 *
 * VPC servers use the server state machine of state.h unchanged. Every
 * other object of the VPC platform with a timed state (VPC, subnet, network
 * ACL, ACG, network interface, block storage, public IP) moves along a path
 * of this table: the state shown at once in the action's answer, then one
 * step per --sim-step-ms applied by the scheduler (sched/sched_vpc.c).
 * Relations (which subnet, which server, which ACGs) change at once in the
 * action's own transaction; a path only moves the status the API shows,
 * and its last step may remove the object (GONE). Each path exists because
 * a client waits for its states (spec/vpc/terraform.md). */
#ifndef NCP_VSTATE_H
#define NCP_VSTATE_H
#include <stdbool.h>

#include "domain/model.h"

/* Transition kinds of vstate.c, stored in ncp_trans_t.kind. Numbered apart
 * from ncp_tr_kind_t (state.h) so that both can grow. Never renumber. */
typedef enum ncp_vtr_kind {
    NCP_VTR_VPC_CREATE = 100,    /* INIT -> CREATING -> RUN */
    NCP_VTR_VPC_DELETE = 101,    /* TERMTING -> gone (with its default objects) */
    NCP_VTR_SUBNET_CREATE = 102, /* CREATING -> RUN */
    NCP_VTR_SUBNET_DELETE = 103, /* TERMTING -> gone */
    NCP_VTR_NACL_CREATE = 104,   /* INIT -> RUN */
    NCP_VTR_NACL_SET = 105,      /* SET -> RUN (applied to a subnet) */
    NCP_VTR_NACL_DELETE = 106,   /* TERMTING -> gone */
    NCP_VTR_ACG_SET = 107,       /* SET -> RUN (rules changed) */
    NCP_VTR_NIC_ATTACH = 108,    /* SET -> USED */
    NCP_VTR_NIC_DETACH = 109,    /* UNSET -> NOTUSED */
    NCP_VTR_NIC_SET = 110,       /* SET -> the status before (ACGs changed) */
    NCP_VTR_BS_CREATE = 111,     /* INIT/NULL -> ATTAC/NULL (created attached) */
    NCP_VTR_BS_CREATE_FREE = 112,/* INIT/NULL -> CREAT/NULL (created detached) */
    NCP_VTR_BS_ATTACH = 113,     /* INIT/ATTAC -> ATTAC/NULL */
    NCP_VTR_BS_DETACH = 114,     /* ATTAC/DETAC -> CREAT/NULL */
    NCP_VTR_BS_CHANGE = 115,     /* (status)/CHNG -> (status)/NULL */
    NCP_VTR_PIP_CREATE = 116,    /* INIT/CREAT -> RUN/NULL */
    NCP_VTR_PIP_SET = 117,       /* RUN/SET -> RUN/NULL (associated or not) */
} ncp_vtr_kind_t;

#define NCP_VSTEP_GONE 0x1u        /* the object disappears */
#define NCP_VSTEP_KEEP_STATUS 0x2u /* only the operation moves */
#define NCP_VSTEP_RESTORE 0x4u     /* the status becomes the transition's arg */

typedef struct ncp_vstep {
    const char *status, *op; /* op NULL: the family has no operation */
    unsigned flags;
} ncp_vstep_t;

typedef struct ncp_vpath {
    int kind;                /* ncp_vtr_kind_t */
    ncp_kind_t res_kind;     /* the kind of resource it moves */
    ncp_vstep_t first;       /* shown in the action's own answer */
    const ncp_vstep_t *steps;
    int nsteps;
} ncp_vpath_t;

/* The path of a transition kind, or NULL when it is not one of vstate.c. */
const ncp_vpath_t *ncp_vstate_path(int kind);

/* codeNames of the VPC API's status codes (English doc spellings). */
const char *ncp_vstate_code_name(ncp_kind_t res_kind, const char *code);
/* blockStorageInstanceStatusName from (status, operation). */
const char *ncp_vstate_storage_label(const char *status, const char *op);
/* codeName of a block storage / public IP operation code. */
const char *ncp_vstate_op_name(ncp_kind_t res_kind, const char *op);
/* publicIpInstanceStatusName from (status, operation). */
const char *ncp_vstate_pip_label(const char *status, const char *op);

#endif
