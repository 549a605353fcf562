/* state.c: server lifecycle (DECISIONS D5, server-instance.md §2-§3).
 *
 *                create
 *                  |
 *              INIT/NULL --> INIT/CREAT --> CREAT/START --> RUN/SETUP --+
 *                                                                       v
 *        +-----------------------------  RUN/NULL  <--------------------+
 *        | stop                          ^   |  ^ reboot: RUN/RESTA
 *        v                     start     |   |  +------------+
 *    RUN/SHTDN --> NSTOP/NULL --> NSTOP/START  +-- storage work: RUN/SETUP (x N)
 *                                               +-- image capture: RUN/COPY (NSTOP/COPY)
 *                   |    ^  \
 *      changeSpec   |    |   terminate: NSTOP/TERMT --> (gone)
 *   NSTOP/CHNG -----+----+
 *
 * Every transition is a path: the state shown at once in the response,
 * then steps applied by the scheduler one per --sim-step-ms. recreate
 * follows create's path from INIT/NULL; interrupt follows reboot's. Invariant:
 * a server with an operation other than NULL has exactly one pending
 * transition row; the only pending row on a server whose operation is NULL
 * is a create's, while it shows INIT/NULL (checked by the dispatch fuzzer). */
#include "domain/state.h"

#include <string.h>

static const char *st_codes[NCP_ST__N] = {"INIT", "CREAT", "RUN", "NSTOP", "FSTOP", "TERMT"};
static const char *st_names[NCP_ST__N] = {
    "Server init state",          "Server Created State",
    "Server run state",           "Server normal stopped state",
    "Server failure stopped state", "Server terminated state"};
static const char *op_codes[NCP_OP__N] = {"NULL",  "CREAT", "START", "SHTDN", "RESTA",
                                          "TERMT", "CHNG",  "SETUP", "COPY"};
static const char *op_names[NCP_OP__N] = {
    "Server NULL OP",      "Server CREATE OP",    "Server START OP",
    "Server SHUTDOWN OP",  "Server RESTART OP",   "Server TERMINATE OP",
    "Server SPEC CHANGE OP", "Server SETUP OP",   "Server COPY OP"};

static const ncp_step_t create_steps[] = {
    {NCP_ST_INIT, NCP_OP_CREAT, 0},
    {NCP_ST_CREAT, NCP_OP_START, 0},
    {NCP_ST_RUN, NCP_OP_SETUP, NCP_STEP_UPTIME},
    {NCP_ST_RUN, NCP_OP_NULL, 0},
};
static const ncp_step_t stop_steps[] = {{NCP_ST_NSTOP, NCP_OP_NULL, 0}};
static const ncp_step_t start_steps[] = {{NCP_ST_RUN, NCP_OP_NULL, NCP_STEP_UPTIME}};
static const ncp_step_t reboot_steps[] = {{NCP_ST_RUN, NCP_OP_NULL, NCP_STEP_UPTIME}};
static const ncp_step_t terminate_steps[] = {{NCP_ST_TERMT, NCP_OP_NULL, NCP_STEP_GONE}};
static const ncp_step_t change_steps[] = {{NCP_ST_NSTOP, NCP_OP_NULL, NCP_STEP_APPLY_SPEC}};
static const ncp_step_t storage_steps[] = {{NCP_ST_RUN, NCP_OP_NULL, NCP_STEP_KEEP_STATUS}};
/* recreate: as create, the new image applied by the first step */
static const ncp_step_t recreate_steps[] = {
    {NCP_ST_INIT, NCP_OP_CREAT, NCP_STEP_APPLY_IMAGE},
    {NCP_ST_CREAT, NCP_OP_START, 0},
    {NCP_ST_RUN, NCP_OP_SETUP, NCP_STEP_UPTIME},
    {NCP_ST_RUN, NCP_OP_NULL, 0},
};

#define PATH(k, s, o, f, steps) {k, {s, o, f}, steps, (int)(sizeof(steps) / sizeof(steps[0]))}
static const ncp_path_t paths[NCP_TR__N] = {
    [NCP_TR_CREATE] = PATH(NCP_TR_CREATE, NCP_ST_INIT, NCP_OP_NULL, 0, create_steps),
    [NCP_TR_STOP] = PATH(NCP_TR_STOP, NCP_ST_RUN, NCP_OP_SHTDN, 0, stop_steps),
    [NCP_TR_START] = PATH(NCP_TR_START, NCP_ST_NSTOP, NCP_OP_START, 0, start_steps),
    [NCP_TR_REBOOT] = PATH(NCP_TR_REBOOT, NCP_ST_RUN, NCP_OP_RESTA, 0, reboot_steps),
    [NCP_TR_TERMINATE] = PATH(NCP_TR_TERMINATE, NCP_ST_NSTOP, NCP_OP_TERMT, 0, terminate_steps),
    [NCP_TR_CHANGE_SPEC] = PATH(NCP_TR_CHANGE_SPEC, NCP_ST_NSTOP, NCP_OP_CHNG, 0, change_steps),
    [NCP_TR_STORAGE] = PATH(NCP_TR_STORAGE, NCP_ST_RUN, NCP_OP_SETUP, NCP_STEP_KEEP_STATUS,
                            storage_steps),
    /* op COPY while a member image is captured: ends with the capture (sched_res.c) */
    [NCP_TR_IMAGE_COPY] = PATH(NCP_TR_IMAGE_COPY, NCP_ST_RUN, NCP_OP_COPY, NCP_STEP_KEEP_STATUS,
                               storage_steps),
    [NCP_TR_RECREATE] = PATH(NCP_TR_RECREATE, NCP_ST_INIT, NCP_OP_NULL, 0, recreate_steps),
    [NCP_TR_INTERRUPT] = PATH(NCP_TR_INTERRUPT, NCP_ST_RUN, NCP_OP_RESTA, 0, reboot_steps),
};

const ncp_path_t *ncp_state_path(ncp_tr_kind_t kind)
{
    if (kind <= NCP_TR_NONE || kind >= NCP_TR__N || !paths[kind].nsteps)
        return NULL; /* resources other than servers: domain/rstate.c */
    return &paths[kind];
}

int ncp_state_check(ncp_tr_kind_t kind, ncp_status_t st, ncp_op_t op, bool storage_busy,
                    ncp_err_t *err)
{
    if (storage_busy) {
        ncp_err_set(err, NCP_E_STORAGE_BUSY);
        return -1;
    }
    switch (kind) {
    case NCP_TR_STOP:
        if (op != NCP_OP_NULL)
            break;
        if (st == NCP_ST_NSTOP) {
            ncp_err_set(err, NCP_E_ALREADY_STOPPED);
            return -1;
        }
        if (st == NCP_ST_RUN)
            return 0;
        break;
    case NCP_TR_START:
        if (op == NCP_OP_NULL && st == NCP_ST_NSTOP)
            return 0;
        break;
    case NCP_TR_REBOOT:
    case NCP_TR_INTERRUPT:
        if (op == NCP_OP_NULL && st == NCP_ST_RUN)
            return 0;
        break;
    case NCP_TR_RECREATE:
        if (op == NCP_OP_NULL && (st == NCP_ST_RUN || st == NCP_ST_NSTOP))
            return 0;
        break;
    case NCP_TR_TERMINATE:
        if (st != NCP_ST_NSTOP && st != NCP_ST_FSTOP) {
            ncp_err_set(err, NCP_E_TERMINATE_STATE);
            return -1;
        }
        if (op != NCP_OP_NULL) {
            ncp_err_set(err, NCP_E_TERMINATE_BUSY);
            return -1;
        }
        return 0;
    case NCP_TR_CHANGE_SPEC:
        if (op != NCP_OP_NULL) {
            ncp_err_set(err, NCP_E_OBJECT_BUSY);
            return -1;
        }
        if (st == NCP_ST_NSTOP)
            return 0;
        break;
    case NCP_TR_STORAGE:
        if (op == NCP_OP_NULL && (st == NCP_ST_RUN || st == NCP_ST_NSTOP))
            return 0;
        break;
    default:
        break;
    }
    ncp_err_set(err, NCP_E_SERVER_BUSY);
    return -1;
}

bool ncp_state_valid(ncp_status_t st, ncp_op_t op)
{
    switch (st) {
    case NCP_ST_INIT: return op == NCP_OP_NULL || op == NCP_OP_CREAT;
    case NCP_ST_CREAT: return op == NCP_OP_START;
    case NCP_ST_RUN:
        return op == NCP_OP_NULL || op == NCP_OP_SETUP || op == NCP_OP_SHTDN ||
               op == NCP_OP_RESTA || op == NCP_OP_COPY;
    case NCP_ST_NSTOP:
        return op == NCP_OP_NULL || op == NCP_OP_START || op == NCP_OP_TERMT ||
               op == NCP_OP_CHNG || op == NCP_OP_SETUP || op == NCP_OP_COPY;
    case NCP_ST_FSTOP: return op == NCP_OP_NULL;
    case NCP_ST_TERMT: return op == NCP_OP_NULL;
    default: return false;
    }
}

const char *ncp_state_status_code(ncp_status_t st)
{
    return st < NCP_ST__N ? st_codes[st] : "?";
}

const char *ncp_state_status_code_name(ncp_status_t st)
{
    return st < NCP_ST__N ? st_names[st] : "?";
}

const char *ncp_state_op_code(ncp_op_t op)
{
    return op < NCP_OP__N ? op_codes[op] : "?";
}

const char *ncp_state_op_code_name(ncp_op_t op)
{
    return op < NCP_OP__N ? op_names[op] : "?";
}

const char *ncp_state_label(ncp_status_t st, ncp_op_t op)
{
    switch (op) {
    case NCP_OP_CREAT: return "creating";
    case NCP_OP_START: return "booting";
    case NCP_OP_SETUP: return "setting up";
    case NCP_OP_SHTDN: return "shutting down";
    case NCP_OP_RESTA: return "rebooting";
    case NCP_OP_TERMT: return "terminating";
    case NCP_OP_CHNG: return "changingSpec";
    case NCP_OP_COPY: return "copying";
    case NCP_OP_NULL:
    case NCP_OP__N: break;
    }
    switch (st) {
    case NCP_ST_INIT: return "init";
    case NCP_ST_CREAT: return "creating";
    case NCP_ST_RUN: return "running";
    case NCP_ST_NSTOP: return "stopped";
    case NCP_ST_FSTOP: return "repairing";
    case NCP_ST_TERMT: return "terminated";
    case NCP_ST__N: break;
    }
    return "";
}

int ncp_state_status_parse(const char *code)
{
    for (int i = 0; i < NCP_ST__N; i++)
        if (strcmp(st_codes[i], code) == 0)
            return i;
    return -1;
}

