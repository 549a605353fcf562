/* rstate.h: the state machines of the classic resources other than servers
 * (block storage, snapshots, public IPs, NAS volumes, member server images).
 *
 * Like state.h for servers: one table of paths, code tables, and the status
 * names derived from (status, operation). Every kind uses one code space
 * (ncp_rstatus_t / ncp_rop_t, the values stored in the store); what the codes
 * are called depends on the kind (network-storage.md §1.2, §3.2, §4.1, §5.1,
 * images-tags.md §1.2). The diagrams are in rstate.c. */
#ifndef NCP_RSTATE_H
#define NCP_RSTATE_H
#include <stdbool.h>

#include "domain/model.h"

typedef enum ncp_rstatus {
    NCP_RS_INIT,
    NCP_RS_CREAT,
    NCP_RS_ATTAC,
    NCP_RS_USED,
    NCP_RS_TERMT,
    NCP_RS__N
} ncp_rstatus_t;

typedef enum ncp_rop {
    NCP_RO_NULL,
    NCP_RO_CREAT,
    NCP_RO_ATTAC,
    NCP_RO_DETAC,
    NCP_RO_CHNG,
    NCP_RO_TERMT,
    NCP_RO_USE,
    NCP_RO_DISUS,
    NCP_RO__N
} ncp_rop_t;

/* step flags */
#define NCP_RSTEP_GONE 0x1u        /* the resource disappears (its number is retired) */
#define NCP_RSTEP_KEEP_STATUS 0x2u /* only the operation moves */

/* What a step does besides its codes; carried out by the kind's table in sched/. */
typedef enum ncp_rfx {
    NCP_FX_NONE,
    NCP_FX_ATTACHED,  /* block storage: a device name; the server's disk work may end */
    NCP_FX_DETACHED,  /* block storage: no server, no device; the server's disk work may end */
    NCP_FX_RESIZED,   /* block storage / NAS: the new size (in the transition's arg) */
    NCP_FX_RELEASED,  /* public IP: the server lets it go (publicIp "") */
    NCP_FX_CAPTURED,  /* member image: disks counted; the server's copy ends */
} ncp_rfx_t;

typedef struct ncp_rstep {
    ncp_rstatus_t status;
    ncp_rop_t op;
    unsigned flags;
    ncp_rfx_t fx;
} ncp_rstep_t;

typedef struct ncp_rpath {
    ncp_tr_kind_t kind;
    ncp_kind_t res;           /* the kind of resource it moves */
    ncp_rstep_t first;        /* shown in the action's own response */
    const ncp_rstep_t *steps; /* then one per scheduler step */
    int nsteps;
    bool creates;             /* a refused claim makes the resource disappear */
} ncp_rpath_t;

/* The path of a resource transition kind, or NULL (server kinds: state.h). */
const ncp_rpath_t *ncp_rstate_path(ncp_tr_kind_t kind);

const char *ncp_rstate_status_code(ncp_rstatus_t st);
const char *ncp_rstate_op_code(ncp_rop_t op);
/* codeName of a status / operation code for resources of `kind` */
const char *ncp_rstate_status_name(ncp_kind_t kind, ncp_rstatus_t st);
const char *ncp_rstate_op_name(ncp_kind_t kind, ncp_rop_t op);
/* ...InstanceStatusName of a resource of `kind` at (st, op) */
const char *ncp_rstate_label(ncp_kind_t kind, ncp_rstatus_t st, ncp_rop_t op);
/* -1 when unknown */
int ncp_rstate_status_parse(const char *code);
/* True when (st, op) is a state a resource of `kind` can be in (fuzz invariants). */
bool ncp_rstate_valid(ncp_kind_t kind, ncp_rstatus_t st, ncp_rop_t op);

#endif
