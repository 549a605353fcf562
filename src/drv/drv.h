/* drv.h: the hypervisor driver vtable (libvirt virHypervisorDriver style).
 *
 * A driver starts operations on machines; the scheduler completes the
 * timed transitions the store records. Each driver fills only the slots it
 * implements; a NULL slot means "unsupported" and the wrappers below turn
 * it into an error. Drivers never touch the store. Thread-safe: handlers
 * call a driver from several threads at once.
 *
 * ABI 2 appends the slots a real hypervisor needs (drv_libvirt.c): open
 * with options and an event sink, create from a full machine description,
 * force off, spec change by numbers, power state, listing, block storage.
 * ABI 1 slots are unchanged; a real driver fills start/stop/reboot/
 * terminate (reading only `s->no`), leaves create and change_spec NULL
 * (the engine calls create_vm and set_spec instead) and its open() only
 * says that it needs open_opts(). */
#ifndef NCP_DRV_H
#define NCP_DRV_H
#include <stdint.h>

#include "domain/model.h"
#include "util/err.h"

#define NCP_DRV_ABI 2

typedef struct ncp_drv ncp_drv_t;

typedef enum ncp_drv_op {
    NCP_DRV_CREATE,
    NCP_DRV_START,
    NCP_DRV_STOP,
    NCP_DRV_REBOOT,
    NCP_DRV_TERMINATE,
    NCP_DRV_CHANGE_SPEC,
    NCP_DRV__N
} ncp_drv_op_t;

/* Driver flags. */
#define NCP_DRV_F_TXN 0x1u /* the driver keeps no state of its own beyond the store's
                            * (the simulator): its calls may run inside the request's
                            * transaction, so claim, act and confirm share one commit.
                            * Without it, a call happens only after the claim is
                            * committed, and its outcome is recorded in a second commit
                            * (act/dispatch.c, sched/sched.c). */
#define NCP_DRV_F_BOOT 0x2u /* machines really boot: a server's image needs a boot source
                             * (catalogue "boot"); creating one from an image without
                             * it is refused before anything is claimed */

/* Power of a machine as the hypervisor sees it. */
typedef enum ncp_drv_power {
    NCP_DRV_POWER_OFF = 1,  /* defined, not running */
    NCP_DRV_POWER_ON = 2,   /* running (paused and being shut down count as running) */
    NCP_DRV_POWER_GONE = 3, /* no such machine */
} ncp_drv_power_t;

/* Where a driver reports power changes of its machines, whatever caused
 * them (our calls, the guest itself, an operator with virsh).
 *   power(ctx, no, p) is called from the driver's own threads (libvirt's
 *   event loop, or its reconnect thread after a reconnection), never from
 *   the thread of a driver call, and with no driver lock held. It must
 *   return quickly (queue the work); it may call driver functions. Reports
 *   can repeat: ON is reported whenever a machine (re)starts running,
 *   including after a reboot (that is how a reboot's completion shows),
 *   OFF whenever it stops, GONE when its definition disappears. After a
 *   reconnection the driver reports every machine it has (reconcile), and
 *   GONE for those it knew before and no longer finds. Calls are
 *   serialised (with each other and with list()'s callbacks), so a later
 *   report is always the newer state. No call happens after close() has
 *   returned. */
typedef struct ncp_drv_sink {
    void *ctx;
    void (*power)(void *ctx, int64_t server_no, ncp_drv_power_t power);
} ncp_drv_sink_t;

/* open_opts() options. Strings are copied; the sink is kept. */
typedef struct ncp_drv_opts {
    const char *uri;         /* e.g. qemu:///system; NULL: the driver's default */
    const char *vm_dir;      /* per-machine files go to <vm_dir>/<no>/ (created if missing) */
    const char *domain_type; /* "kvm", "qemu" (TCG), "test" (test:///), NULL: probe */
    int stop_timeout_s;      /* > 0: a machine still running this long after stop()
                              * is forced off (after reboot(): reset), and that is
                              * logged; 0: never (the engine calls force_off) */
    ncp_drv_sink_t sink;     /* power == NULL: no reports */
} ncp_drv_opts_t;

/* What a machine boots: exactly one of `disk` or `kernel`. */
typedef struct ncp_drv_boot {
    const char *disk;      /* base qcow2: the machine gets a qcow2 overlay on it */
    const char *kernel;    /* direct kernel boot (plus an empty qcow2 root disk) */
    const char *initrd;    /* with kernel: optional */
    const char *cmdline;   /* with kernel: optional */
} ncp_drv_boot_t;

/* create_vm() input; borrowed for the duration of the call. */
typedef struct ncp_drv_vm {
    int64_t no, account_id;
    const char *name;          /* hostname (meta-data local-hostname) */
    int cpus;
    int64_t memory;            /* bytes */
    int64_t root_bytes;        /* root disk; 0: the base's size, or 10 GiB when empty */
    const char *user_data;     /* the request's user data, verbatim; NULL: none */
    const char *ssh_key;       /* one OpenSSH public key line for root; NULL: none */
    const char *root_password; /* plaintext; NULL: none */
    ncp_drv_boot_t boot;
} ncp_drv_vm_t;

typedef void (*ncp_drv_list_cb)(void *ctx, int64_t server_no, ncp_drv_power_t power);

typedef struct ncp_drv_ops {
    int abi;
    const char *name;
    unsigned flags;
    /* uri: driver-specific (sim: NULL, or "external" and/or "delay=MS", comma-separated:
     * behave like a driver with state of its own, each call taking MS milliseconds;
     * for tests of the claim, act, confirm path) */
    ncp_drv_t *(*open)(const char *uri, ncp_err_t *err);
    /* flags of this instance (NCP_DRV_F_*); NULL: the ops' flags */
    unsigned (*instance_flags)(const ncp_drv_t *d);
    void (*close)(ncp_drv_t *d);
    int (*create)(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err);
    int (*start)(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err);
    int (*stop)(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err);
    int (*reboot)(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err);
    int (*terminate)(ncp_drv_t *d, const ncp_server_t *s, ncp_err_t *err);
    int (*change_spec)(ncp_drv_t *d, const ncp_server_t *s, const char *product, ncp_err_t *err);
    /* ---- ABI 2 --------------------------------------------------------
     * Every call may block for as long as the hypervisor takes (seconds):
     * never call one inside a store transaction or on the committer
     * thread. None holds a lock other calls need while it waits. When the
     * hypervisor is unreachable they fail at once (1300, the detail names
     * the URI) while the driver reconnects by itself; a hung (not dead)
     * libvirtd makes calls wait until the keepalive gives up (~7 s).
     * create_vm, start, force_off and terminate have finished when they
     * return (ON, ON, OFF, GONE is reported too); stop and reboot return
     * once the ACPI button is pressed and finish with the report (OFF;
     * ON when the guest restarted). */
    ncp_drv_t *(*open_opts)(const ncp_drv_opts_t *o, ncp_err_t *err);
    /* Files under <vm_dir>/<no>/, machine defined and started. On failure
     * nothing is left (no machine, no files). */
    int (*create_vm)(ncp_drv_t *d, const ncp_drv_vm_t *vm, ncp_err_t *err);
    /* Pulls the plug (stop's fallback). A machine already off is not an error. */
    int (*force_off)(ncp_drv_t *d, int64_t no, ncp_err_t *err);
    /* vCPUs and memory (bytes) of a stopped machine, for its next start. */
    int (*set_spec)(ncp_drv_t *d, int64_t no, int cpus, int64_t memory, ncp_err_t *err);
    int (*state)(ncp_drv_t *d, int64_t no, ncp_drv_power_t *out, ncp_err_t *err);
    /* Calls cb for every machine of this driver (reconcile at start-up);
     * returns how many, or -1. A listed power is never older than a report
     * the sink already had; cb runs under the lock that serialises the
     * sink, so it must not wait for the sink (and list() must not be
     * called from the sink). */
    int (*list)(ncp_drv_t *d, ncp_drv_list_cb cb, void *ctx, ncp_err_t *err);
    /* Block storage volumes: files under <vm_dir>/<disk_no>/ (instance
     * numbers are unique across kinds). attach/detach work on running
     * machines (hotplug) and on stopped ones; detach returns when the
     * guest has let go of the disk. resize needs the volume detached and
     * only grows it. */
    int (*disk_create)(ncp_drv_t *d, int64_t disk_no, int64_t bytes, ncp_err_t *err);
    int (*disk_attach)(ncp_drv_t *d, int64_t server_no, int64_t disk_no, ncp_err_t *err);
    int (*disk_detach)(ncp_drv_t *d, int64_t server_no, int64_t disk_no, ncp_err_t *err);
    int (*disk_delete)(ncp_drv_t *d, int64_t disk_no, ncp_err_t *err);
    int (*disk_resize)(ncp_drv_t *d, int64_t disk_no, int64_t bytes, ncp_err_t *err);
} ncp_drv_ops_t;

/* A driver instance: its ops and its private state. */
typedef struct ncp_driver {
    const ncp_drv_ops_t *ops;
    ncp_drv_t *d;
} ncp_driver_t;

extern const ncp_drv_ops_t ncp_drv_sim_ops;
extern const ncp_drv_ops_t ncp_drv_libvirt_ops;

const ncp_drv_ops_t *ncp_drv_backend(const char *name);
/* Flags of an opened driver. */
unsigned ncp_drv_flags(const ncp_driver_t *drv);
/* The driver operation that carries out a transition kind, or -1 (storage work). */
int ncp_drv_op_of(ncp_tr_kind_t kind);
/* Calls the slot of `op`, or reports "unsupported" (1300) when it is NULL. */
int ncp_drv_call(const ncp_driver_t *drv, ncp_drv_op_t op, const ncp_server_t *s,
                 const char *arg, ncp_err_t *err);
int ncp_drv_op_parse(const char *action); /* action name -> op, -1 if none */

#endif
