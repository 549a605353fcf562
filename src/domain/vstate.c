/* vstate.c: the paths of the VPC platform's objects (see vstate.h).
 *
 *   VPC        createVpc INIT -> CREATING -> RUN      deleteVpc TERMTING -> (gone)
 *   subnet     createSubnet CREATING -> RUN           deleteSubnet TERMTING -> (gone)
 *   NACL       create INIT -> RUN    applied SET -> RUN    delete TERMTING -> (gone)
 *   ACG        rules changed SET -> RUN (created RUN; deleted at once)
 *   interface  attach SET -> USED    detach UNSET -> NOTUSED    ACGs SET -> (before)
 *   storage    created INIT/NULL -> ATTAC/NULL (or CREAT/NULL when detached)
 *              attach INIT/ATTAC -> ATTAC/NULL    detach ATTAC/DETAC -> CREAT/NULL
 *              resize x/CHNG -> x/NULL            (deleted at once)
 *   public IP  create INIT/CREAT -> RUN/NULL   (dis)associate RUN/SET -> RUN/NULL
 *
 * Every path is one step long after its first state but the VPC's, whose
 * answer shows INIT (DOC-createVpc) and whose CREATING the provider waits
 * through. One step is --sim-step-ms (1 s by default): shorter than the
 * provider's first poll (2 s), so a poll never meets a state it does not
 * expect (the block storage detach: spec/vpc/vserver.md §9.3). */
#include "domain/vstate.h"

#include <stddef.h>
#include <string.h>

static const ncp_vstep_t vpc_create[] = {{"CREATING", NULL, 0}, {"RUN", NULL, 0}};
static const ncp_vstep_t gone[] = {{"", NULL, NCP_VSTEP_GONE}};
static const ncp_vstep_t to_run[] = {{"RUN", NULL, 0}};
static const ncp_vstep_t nic_used[] = {{"USED", NULL, 0}};
static const ncp_vstep_t nic_notused[] = {{"NOTUSED", NULL, 0}};
static const ncp_vstep_t restore[] = {{"", NULL, NCP_VSTEP_RESTORE}};
static const ncp_vstep_t bs_attached[] = {{"ATTAC", "NULL", 0}};
static const ncp_vstep_t bs_detached[] = {{"CREAT", "NULL", 0}};
static const ncp_vstep_t op_null[] = {{"", "NULL", NCP_VSTEP_KEEP_STATUS}};
static const ncp_vstep_t pip_run[] = {{"RUN", "NULL", 0}};

#define N(a) (int)(sizeof(a) / sizeof((a)[0]))
#define PATH(k, rk, s, o, f, steps) {k, rk, {s, o, f}, steps, N(steps)}
static const ncp_vpath_t paths[] = {
    PATH(NCP_VTR_VPC_CREATE, NCP_KIND_VPC, "INIT", NULL, 0, vpc_create),
    PATH(NCP_VTR_VPC_DELETE, NCP_KIND_VPC, "TERMTING", NULL, 0, gone),
    PATH(NCP_VTR_SUBNET_CREATE, NCP_KIND_VSUBNET, "CREATING", NULL, 0, to_run),
    PATH(NCP_VTR_SUBNET_DELETE, NCP_KIND_VSUBNET, "TERMTING", NULL, 0, gone),
    PATH(NCP_VTR_NACL_CREATE, NCP_KIND_NACL, "INIT", NULL, 0, to_run),
    PATH(NCP_VTR_NACL_SET, NCP_KIND_NACL, "SET", NULL, 0, to_run),
    PATH(NCP_VTR_NACL_DELETE, NCP_KIND_NACL, "TERMTING", NULL, 0, gone),
    PATH(NCP_VTR_ACG_SET, NCP_KIND_VACG, "SET", NULL, 0, to_run),
    PATH(NCP_VTR_NIC_ATTACH, NCP_KIND_VNIC, "SET", NULL, 0, nic_used),
    PATH(NCP_VTR_NIC_DETACH, NCP_KIND_VNIC, "UNSET", NULL, 0, nic_notused),
    PATH(NCP_VTR_NIC_SET, NCP_KIND_VNIC, "SET", NULL, 0, restore),
    PATH(NCP_VTR_BS_CREATE, NCP_KIND_VSTORAGE, "INIT", "NULL", 0, bs_attached),
    PATH(NCP_VTR_BS_CREATE_FREE, NCP_KIND_VSTORAGE, "INIT", "NULL", 0, bs_detached),
    PATH(NCP_VTR_BS_ATTACH, NCP_KIND_VSTORAGE, "INIT", "ATTAC", 0, bs_attached),
    PATH(NCP_VTR_BS_DETACH, NCP_KIND_VSTORAGE, "ATTAC", "DETAC", 0, bs_detached),
    PATH(NCP_VTR_BS_CHANGE, NCP_KIND_VSTORAGE, "", "CHNG", NCP_VSTEP_KEEP_STATUS, op_null),
    PATH(NCP_VTR_PIP_CREATE, NCP_KIND_VPUBLIC_IP, "INIT", "CREAT", 0, pip_run),
    PATH(NCP_VTR_PIP_SET, NCP_KIND_VPUBLIC_IP, "RUN", "SET", 0, pip_run),
};

const ncp_vpath_t *ncp_vstate_path(int kind)
{
    for (int i = 0; i < N(paths); i++)
        if (paths[i].kind == kind)
            return &paths[i];
    return NULL;
}

typedef struct code_name {
    const char *code, *name;
} code_name_t;

static const char *lookup(const code_name_t *t, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i].code, code) == 0)
            return t[i].name;
    return code;
}

/* doc examples: `init`, `run`; the others by analogy (spec/vpc/README.md §4.10) */
static const code_name_t net_states[] = {
    {"INIT", "init"}, {"CREATING", "creating"}, {"RUN", "run"}, {"SET", "set"},
    {"TERMTING", "terminating"}, {"TERMT", "terminate"},
};
static const code_name_t nic_states[] = {
    {"NOTUSED", "not used"}, {"SET", "set"}, {"USED", "used"}, {"UNSET", "unset"},
};
static const code_name_t bs_states[] = {
    {"INIT", "Block storage INIT state"}, {"CREAT", "Block storage CREATED state"},
    {"ATTAC", "Block storage ATTACHED state"}, {"TERMT", "Block storage TERMINATED state"},
};
static const code_name_t bs_ops[] = {
    {"NULL", "Block Storage NULLOP"}, {"ATTAC", "Block Storage ATTACH OP"},
    {"DETAC", "Block Storage DETACH OP"}, {"CHNG", "Block Storage Resize OP"},
    {"TERMT", "Block Storage TERMINATE OP"},
};
static const code_name_t pip_ops[] = {
    {"NULL", "NULL OP"}, {"CREAT", "CREATE OP"}, {"SET", "SETTING OP"},
    {"TERMT", "TERMINATE OP"},
};

const char *ncp_vstate_code_name(ncp_kind_t res_kind, const char *code)
{
    switch (res_kind) {
    case NCP_KIND_VNIC: return lookup(nic_states, N(nic_states), code);
    case NCP_KIND_VSTORAGE: return lookup(bs_states, N(bs_states), code);
    default: return lookup(net_states, N(net_states), code);
    }
}

const char *ncp_vstate_op_name(ncp_kind_t res_kind, const char *op)
{
    if (res_kind == NCP_KIND_VSTORAGE)
        return lookup(bs_ops, N(bs_ops), op);
    return lookup(pip_ops, N(pip_ops), op);
}

const char *ncp_vstate_storage_label(const char *status, const char *op)
{
    if (strcmp(op, "TERMT") == 0)
        return "terminating";
    if (strcmp(op, "CHNG") == 0)
        return "changingSpec";
    if (strcmp(op, "ATTAC") == 0)
        return "attaching";
    if (strcmp(op, "DETAC") == 0)
        return "detaching";
    if (strcmp(status, "INIT") == 0)
        return "initialized";
    if (strcmp(status, "ATTAC") == 0)
        return "attached";
    if (strcmp(status, "CREAT") == 0)
        return "detached";
    return "terminated";
}

const char *ncp_vstate_pip_label(const char *status, const char *op)
{
    if (strcmp(op, "TERMT") == 0)
        return "terminating";
    if (strcmp(op, "SET") == 0)
        return "setting";
    if (strcmp(status, "INIT") == 0 || strcmp(op, "CREAT") == 0)
        return "creating";
    return "running";
}
