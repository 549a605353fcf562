/* hv_int.h: shared by the two files of sched/hv.h only:
 *   sched_hv.c      the completion engine (what is known of the machines,
 *                   the sink, the confirm hook, the reconciliation, its thread)
 *   sched_hv_drv.c  the machine adapter (the driver the dispatcher calls)
 *
 * Locks: h->mu guards the machines, the queue and the presses to retry;
 * it is taken last (inside the driver's report lock when the sink runs,
 * inside the committer's transaction when a job runs) and never held
 * during a driver call or a store call. h->st_mu guards the engine's own
 * store connection (reads of the adapter and of the reconciliation). */
#ifndef NCP_HV_INT_H
#define NCP_HV_INT_H
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "sched/hv.h"
#include "util/arena.h"

typedef struct mach {
    int64_t no;
    ncp_drv_power_t power; /* newest known; 0: not known yet */
    uint64_t seq;          /* h->seq when power was last set */
    uint32_t starts;       /* ON reports: a restart shows as one */
    uint32_t mark;         /* starts when a start, create or reboot was asked */
    bool marked;           /* one was asked in this process */
    bool pressed;          /* a stop was asked in this process (the driver's timeout runs) */
    bool queued;
    bool stray_said;       /* "a machine without a server" was logged */
} mach_t;

/* The adapter's driver instance (drv.h's opaque type, defined per driver). */
struct ncp_drv {
    struct ncp_hv *h;
};

typedef struct press {
    int64_t no;
    int64_t due_ms; /* monotonic */
} press_t;

struct ncp_hv {
    struct ncp_drv self;
    const ncp_store_ops_t *so;
    ncp_store_t *st;
    pthread_mutex_t st_mu;
    uint8_t master_key[NCP_MASTER_KEY_LEN];
    const ncp_drv_ops_t *ops; /* the real driver */
    ncp_drv_t *d;
    ncp_committer_t *committer;
    ncp_arena_t *arena;       /* jobs (one at a time: the engine waits for each) */

    pthread_mutex_t mu;
    pthread_cond_t cv;        /* CLOCK_MONOTONIC */
    mach_t *m;                /* sorted by number */
    size_t n_m, cap_m;
    uint64_t seq;
    int64_t *q;               /* queued servers, oldest first */
    size_t n_q, cap_q;
    press_t *pr;              /* stops to press (again) */
    size_t n_pr, cap_pr;
    bool stopping, started, failing, list_failing;
    pthread_t thread;
    int64_t reconciled;       /* -1 until the start-up reconciliation has queued everything */
};

/* Before our own call: a start, create or reboot completes with a (re)start
 * reported after this point; a stop's timeout now runs in the driver. */
void ncp_hv_note_asked(ncp_hv_t *h, int64_t no, bool stop);
/* Our own call returned: the machine is `p` now (see sched_hv.c). */
void ncp_hv_note_done(ncp_hv_t *h, int64_t no, ncp_drv_power_t p);
const char *ncp_hv_power_name(ncp_drv_power_t p);

/* The adapter's ops (sched_hv_drv.c). */
extern const ncp_drv_ops_t ncp_hv_adapter_ops;

#endif
