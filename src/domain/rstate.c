/* rstate.c: state machines of block storage, snapshots, public IPs, NAS
 * volumes and member server images (see rstate.h).
 *
 * Block storage (network-storage.md §3.2, Terraform's waits in interactions.md §3):
 *
 *   create    INIT/NULL --> CREAT/ATTAC --> ATTAC/NULL (device named)
 *   attach    CREAT/ATTAC --> ATTAC/NULL (device named)
 *   detach    ATTAC/DETAC --> CREAT/NULL (no server, no device)
 *   resize    CREAT/CHNG --> CREAT/NULL (new size); on a stopped server ATTAC/CHNG -->
 *             ATTAC/NULL
 *   delete    CREAT/TERMT --> (gone)
 *             attached: ATTAC/DETAC --> CREAT/TERMT --> (gone)
 *
 * A deleted disk never shows status TERMT in a list: Terraform waits on
 * CREAT, INIT, ATTAC until it is gone and fails on any other status.
 *
 * Snapshots:  INIT/NULL --> CREAT/NULL;   delete CREAT/TERMT --> (gone)
 * Public IPs: associate CREAT/USE --> USED/NULL; disassociate USED/DISUS -->
 *             CREAT/NULL (released); replace USED/USE --> USED/NULL; delete is
 *             immediate (the answer shows TERMT/NULL, then it is gone)
 * NAS:        create INIT/CREAT --> CREAT/NULL; resize CREAT/CHNG --> CREAT/NULL;
 *             delete CREAT/TERMT --> (gone)
 * Images:     create INIT/CREAT --> CREAT/NULL (disks counted);
 *             delete CREAT/TERMT --> (gone)
 *
 * Invariant (checked by the dispatch fuzzer): a resource with an operation
 * other than NULL, or at the first state of a create (INIT), has exactly one
 * pending transition row; no other resource has one. */
#include "domain/rstate.h"

#include <string.h>

static const char *st_codes[NCP_RS__N] = {"INIT", "CREAT", "ATTAC", "USED", "TERMT"};
static const char *op_codes[NCP_RO__N] = {"NULL", "CREAT", "ATTAC", "DETAC",
                                          "CHNG", "TERMT", "USE",   "DISUS"};

#define S(st, op, fl, fx) {NCP_RS_##st, NCP_RO_##op, fl, NCP_FX_##fx}

static const ncp_rstep_t disk_create[] = {S(CREAT, ATTAC, 0, NONE), S(ATTAC, NULL, 0, ATTACHED)};
static const ncp_rstep_t disk_attach[] = {S(ATTAC, NULL, 0, ATTACHED)};
static const ncp_rstep_t disk_detach[] = {S(CREAT, NULL, 0, DETACHED)};
static const ncp_rstep_t disk_resize[] = {S(CREAT, NULL, NCP_RSTEP_KEEP_STATUS, RESIZED)};
static const ncp_rstep_t gone[] = {S(TERMT, NULL, NCP_RSTEP_GONE, NONE)};
static const ncp_rstep_t disk_detach_delete[] = {S(CREAT, TERMT, 0, DETACHED),
                                                 S(TERMT, NULL, NCP_RSTEP_GONE, NONE)};
static const ncp_rstep_t snap_create[] = {S(CREAT, NULL, 0, NONE)};
static const ncp_rstep_t ip_associate[] = {S(USED, NULL, 0, NONE)};
static const ncp_rstep_t ip_disassociate[] = {S(CREAT, NULL, 0, RELEASED)};
static const ncp_rstep_t nas_create[] = {S(CREAT, NULL, 0, NONE)};
static const ncp_rstep_t nas_resize[] = {S(CREAT, NULL, 0, RESIZED)};
static const ncp_rstep_t image_create[] = {S(CREAT, NULL, 0, CAPTURED)};

/* st and op are whole constants here: NULL would be expanded before pasting */
#define PATH(k, res, st, op, steps, creates)                                                 \
    [k - NCP_TR_DISK_CREATE] = {k, res, {st, op, 0, NCP_FX_NONE}, steps,                    \
                                (int)(sizeof(steps) / sizeof(steps[0])), creates}

static const ncp_rpath_t paths[NCP_TR__N - NCP_TR_DISK_CREATE] = {
    PATH(NCP_TR_DISK_CREATE, NCP_KIND_STORAGE, NCP_RS_INIT, NCP_RO_NULL, disk_create, true),
    PATH(NCP_TR_DISK_ATTACH, NCP_KIND_STORAGE, NCP_RS_CREAT, NCP_RO_ATTAC, disk_attach, false),
    PATH(NCP_TR_DISK_DETACH, NCP_KIND_STORAGE, NCP_RS_ATTAC, NCP_RO_DETAC, disk_detach, false),
    /* resize keeps the status: an attached disk of a stopped server stays ATTAC */
    [NCP_TR_DISK_RESIZE - NCP_TR_DISK_CREATE] = {NCP_TR_DISK_RESIZE, NCP_KIND_STORAGE,
                                                 {NCP_RS_CREAT, NCP_RO_CHNG,
                                                  NCP_RSTEP_KEEP_STATUS, NCP_FX_NONE},
                                                 disk_resize, 1, false},
    PATH(NCP_TR_DISK_DELETE, NCP_KIND_STORAGE, NCP_RS_CREAT, NCP_RO_TERMT, gone, false),
    PATH(NCP_TR_DISK_DETACH_DELETE, NCP_KIND_STORAGE, NCP_RS_ATTAC, NCP_RO_DETAC, disk_detach_delete, false),
    PATH(NCP_TR_SNAP_CREATE, NCP_KIND_SNAPSHOT, NCP_RS_INIT, NCP_RO_NULL, snap_create, true),
    PATH(NCP_TR_SNAP_DELETE, NCP_KIND_SNAPSHOT, NCP_RS_CREAT, NCP_RO_TERMT, gone, false),
    PATH(NCP_TR_IP_ASSOCIATE, NCP_KIND_PUBLIC_IP, NCP_RS_CREAT, NCP_RO_USE, ip_associate, false),
    PATH(NCP_TR_IP_DISASSOCIATE, NCP_KIND_PUBLIC_IP, NCP_RS_USED, NCP_RO_DISUS, ip_disassociate, false),
    PATH(NCP_TR_IP_REPLACE, NCP_KIND_PUBLIC_IP, NCP_RS_USED, NCP_RO_USE, ip_associate, false),
    PATH(NCP_TR_NAS_CREATE, NCP_KIND_NAS, NCP_RS_INIT, NCP_RO_CREAT, nas_create, true),
    PATH(NCP_TR_NAS_DELETE, NCP_KIND_NAS, NCP_RS_CREAT, NCP_RO_TERMT, gone, false),
    PATH(NCP_TR_NAS_RESIZE, NCP_KIND_NAS, NCP_RS_CREAT, NCP_RO_CHNG, nas_resize, false),
    PATH(NCP_TR_IMAGE_CREATE, NCP_KIND_MEMBER_IMAGE, NCP_RS_INIT, NCP_RO_CREAT, image_create, true),
    PATH(NCP_TR_IMAGE_DELETE, NCP_KIND_MEMBER_IMAGE, NCP_RS_CREAT, NCP_RO_TERMT, gone, false),
};

const ncp_rpath_t *ncp_rstate_path(ncp_tr_kind_t kind)
{
    if (kind < NCP_TR_DISK_CREATE || kind >= NCP_TR__N)
        return NULL;
    const ncp_rpath_t *p = &paths[kind - NCP_TR_DISK_CREATE];
    return p->nsteps ? p : NULL;
}

const char *ncp_rstate_status_code(ncp_rstatus_t st)
{
    return st < NCP_RS__N ? st_codes[st] : "?";
}

const char *ncp_rstate_op_code(ncp_rop_t op)
{
    return op < NCP_RO__N ? op_codes[op] : "?";
}

int ncp_rstate_status_parse(const char *code)
{
    for (int i = 0; i < NCP_RS__N; i++)
        if (strcmp(st_codes[i], code) == 0)
            return i;
    return -1;
}

/* ---- code names ----------------------------------------------------------- */

/* Block storage and its snapshots share their names (network-storage.md §3.2, §4.1;
 * the operation names "STOP OP" / "RESTART OP" are the documented ones, sic). */
static const char *disk_st[NCP_RS__N] = {
    [NCP_RS_INIT] = "Block storage INIT state", [NCP_RS_CREAT] = "Block storage CREATED state",
    [NCP_RS_ATTAC] = "Block storage ATTACHED state",
    [NCP_RS_TERMT] = "Block storage TERMINATED state"};
static const char *disk_op[NCP_RO__N] = {
    [NCP_RO_NULL] = "Block Storage NULLOP",     [NCP_RO_ATTAC] = "Block Storage STOP OP",
    [NCP_RO_DETAC] = "Block Storage RESTART OP", [NCP_RO_CHNG] = "Block Storage CHANGE OP",
    [NCP_RO_TERMT] = "Block Storage TERMINATE OP"};
static const char *ip_st[NCP_RS__N] = {[NCP_RS_CREAT] = "NET CREATE state",
                                       [NCP_RS_USED] = "NET USED state",
                                       [NCP_RS_TERMT] = "NET TERMINATED state"};
static const char *ip_op[NCP_RO__N] = {[NCP_RO_NULL] = "NET NULL OP", [NCP_RO_USE] = "NET USE OP",
                                       [NCP_RO_DISUS] = "NET DISUSE OP"};
static const char *nas_st[NCP_RS__N] = {[NCP_RS_INIT] = "NAS init",
                                        [NCP_RS_CREAT] = "NAS create",
                                        [NCP_RS_TERMT] = "NAS terminate"};
static const char *nas_op[NCP_RO__N] = {
    [NCP_RO_NULL] = "NAS NULL OP", [NCP_RO_CREAT] = "NAS CREATE OP",
    [NCP_RO_CHNG] = "NAS CHANGE OP", [NCP_RO_TERMT] = "NAS TERMINATE OP"};
static const char *nsi_st[NCP_RS__N] = {[NCP_RS_INIT] = "NSI INIT state",
                                        [NCP_RS_CREAT] = "NSI CREATED state",
                                        [NCP_RS_TERMT] = "NSI TERMINATED state"};
static const char *nsi_op[NCP_RO__N] = {[NCP_RO_NULL] = "NSI NULLOP",
                                        [NCP_RO_CREAT] = "NSI CREAT OP",
                                        [NCP_RO_TERMT] = "NSI TERMINATE OP"};

static const char *pick(const char *const *names, int i, int n, const char *code)
{
    return i >= 0 && i < n && names[i] ? names[i] : code;
}

const char *ncp_rstate_status_name(ncp_kind_t kind, ncp_rstatus_t st)
{
    const char *const *t = kind == NCP_KIND_PUBLIC_IP      ? ip_st
                           : kind == NCP_KIND_NAS          ? nas_st
                           : kind == NCP_KIND_MEMBER_IMAGE ? nsi_st
                                                           : disk_st;
    return pick(t, (int)st, NCP_RS__N, ncp_rstate_status_code(st));
}

const char *ncp_rstate_op_name(ncp_kind_t kind, ncp_rop_t op)
{
    const char *const *t = kind == NCP_KIND_PUBLIC_IP      ? ip_op
                           : kind == NCP_KIND_NAS          ? nas_op
                           : kind == NCP_KIND_MEMBER_IMAGE ? nsi_op
                                                           : disk_op;
    return pick(t, (int)op, NCP_RO__N, ncp_rstate_op_code(op));
}

const char *ncp_rstate_label(ncp_kind_t kind, ncp_rstatus_t st, ncp_rop_t op)
{
    if (st == NCP_RS_TERMT)
        return "terminated";
    if (op == NCP_RO_TERMT)
        return "terminating";
    switch (kind) {
    case NCP_KIND_STORAGE:
        if (st == NCP_RS_INIT)
            return "initialized";
        if (op == NCP_RO_ATTAC)
            return "attaching";
        if (op == NCP_RO_DETAC)
            return "detaching";
        if (op == NCP_RO_CHNG)
            return "optimizing";
        return st == NCP_RS_ATTAC ? "attached" : "detached";
    case NCP_KIND_SNAPSHOT:
        return st == NCP_RS_INIT ? "initialized" : "created";
    case NCP_KIND_PUBLIC_IP:
        if (op == NCP_RO_USE)
            return "using";
        if (op == NCP_RO_DISUS)
            return "disusing";
        return st == NCP_RS_USED ? "used" : "created";
    case NCP_KIND_NAS:
        if (st == NCP_RS_INIT || op == NCP_RO_CREAT)
            return "creating";
        return op == NCP_RO_CHNG ? "changing" : "created";
    case NCP_KIND_MEMBER_IMAGE:
        return st == NCP_RS_INIT || op == NCP_RO_CREAT ? "creating" : "created";
    default:
        return "";
    }
}

bool ncp_rstate_valid(ncp_kind_t kind, ncp_rstatus_t st, ncp_rop_t op)
{
    switch (kind) {
    case NCP_KIND_STORAGE:
        return (st == NCP_RS_INIT && op == NCP_RO_NULL) ||
               (st == NCP_RS_CREAT && (op == NCP_RO_ATTAC || op == NCP_RO_NULL ||
                                       op == NCP_RO_CHNG || op == NCP_RO_TERMT)) ||
               (st == NCP_RS_ATTAC &&
                (op == NCP_RO_NULL || op == NCP_RO_DETAC || op == NCP_RO_CHNG));
    case NCP_KIND_SNAPSHOT:
        return (st == NCP_RS_INIT && op == NCP_RO_NULL) ||
               (st == NCP_RS_CREAT && (op == NCP_RO_NULL || op == NCP_RO_TERMT));
    case NCP_KIND_PUBLIC_IP:
        return (st == NCP_RS_CREAT && (op == NCP_RO_NULL || op == NCP_RO_USE)) ||
               (st == NCP_RS_USED &&
                (op == NCP_RO_NULL || op == NCP_RO_DISUS || op == NCP_RO_USE));
    case NCP_KIND_NAS:
        return (st == NCP_RS_INIT && op == NCP_RO_CREAT) ||
               (st == NCP_RS_CREAT &&
                (op == NCP_RO_NULL || op == NCP_RO_CHNG || op == NCP_RO_TERMT));
    case NCP_KIND_MEMBER_IMAGE:
        return (st == NCP_RS_INIT && op == NCP_RO_CREAT) ||
               (st == NCP_RS_CREAT && (op == NCP_RO_NULL || op == NCP_RO_TERMT));
    default:
        return false;
    }
}
