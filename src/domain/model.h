/* model.h: the resources ncpd manages, as plain structs.
 *
 * Strings are borrowed: they live in the arena of the request (or of the
 * scheduler pass) that loaded the row. Numbers that clients see as strings
 * (instance numbers, zone numbers) are int64 here and rendered as text. */
#ifndef NCP_MODEL_H
#define NCP_MODEL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum ncp_status {
    NCP_ST_INIT,
    NCP_ST_CREAT,
    NCP_ST_RUN,
    NCP_ST_NSTOP,
    NCP_ST_FSTOP,
    NCP_ST_TERMT,
    NCP_ST__N
} ncp_status_t;

typedef enum ncp_op {
    NCP_OP_NULL,
    NCP_OP_CREAT,
    NCP_OP_START,
    NCP_OP_SHTDN,
    NCP_OP_RESTA,
    NCP_OP_TERMT,
    NCP_OP_CHNG,
    NCP_OP_SETUP,
    NCP_OP_COPY, /* a member server image of it is being captured */
    NCP_OP__N
} ncp_op_t;

/* What kind of thing an instance number names (numbers are unique across kinds). */
typedef enum ncp_kind {
    NCP_KIND_NONE = 0,
    NCP_KIND_SERVER = 1,
    NCP_KIND_STORAGE = 2,
    NCP_KIND_PUBLIC_IP = 3,
    NCP_KIND_ACG = 4,
    /* the classic resources of issue 11 (values kept apart from other branches' kinds) */
    NCP_KIND_SNAPSHOT = 21,     /* block storage snapshot */
    NCP_KIND_NAS = 22,          /* NAS volume */
    NCP_KIND_MEMBER_IMAGE = 23, /* member server image */
    NCP_KIND_PF_CONFIG = 24,    /* port-forwarding configuration */
    NCP_KIND_NIC = 25,          /* network interface */
    NCP_KIND_SUBNET = 26,       /* private subnet */
    /* the VPC platform (vpc_model.h); numbered apart (60-69) so that kinds
     * added to the classic platform never collide with them (the value is
     * stored in instances.kind and transitions.res_kind) */
    NCP_KIND_VPC = 60,
    NCP_KIND_VSUBNET = 61,     /* a VPC subnet */
    NCP_KIND_NACL = 62,
    NCP_KIND_ROUTE_TABLE = 63,
    NCP_KIND_VACG = 64,        /* a VPC access control group */
    NCP_KIND_VNIC = 65,        /* a VPC network interface */
    NCP_KIND_VSERVER = 66,     /* a VPC server: a servers row plus its VPC fields */
    NCP_KIND_INIT_SCRIPT = 67,
    NCP_KIND_VSTORAGE = 68,    /* a VPC block storage */
    NCP_KIND_VPUBLIC_IP = 69,  /* a VPC public IP */
} ncp_kind_t;

/* Kinds of the VPC platform: no action of the classic API sees them (they
 * read as unknown numbers there), and the VPC APIs see nothing else. */
static inline bool ncp_kind_is_vpc(ncp_kind_t k)
{
    return k >= NCP_KIND_VPC && k <= NCP_KIND_VPUBLIC_IP;
}

typedef struct ncp_instance {
    int64_t no;
    ncp_kind_t kind;
    int64_t account_id;
    bool deleted;   /* terminated / returned: the number stays taken */
} ncp_instance_t;

typedef struct ncp_acg {
    int64_t no;
    int64_t account_id;
    const char *name, *description;
    bool is_default;
    int64_t create_ms;
} ncp_acg_t;

typedef struct ncp_acg_rule {
    int64_t no, acg_no;
    const char *protocol;        /* TCP / UDP / ICMP */
    const char *source_ip;       /* CIDR, or "" when the source is an ACG */
    int64_t source_acg_no;       /* 0: none */
    const char *source_acg_name;
    const char *port;            /* "22", "1-65535" */
    const char *description;
} ncp_acg_rule_t;

typedef struct ncp_login_key {
    int64_t account_id;
    const char *name, *fingerprint;
    int64_t create_ms;
} ncp_login_key_t;

typedef struct ncp_tag {
    const char *key, *value;
} ncp_tag_t;

typedef struct ncp_partition {
    const char *mount_point, *size;
} ncp_partition_t;

struct ncp_vserver;

typedef struct ncp_server {
    int64_t no, account_id;
    const char *name, *description;
    int cpu;
    int64_t memory, base_size;
    const char *platform;        /* platformType code, e.g. LNX64 */
    const char *login_key;
    bool fee_monitoring;
    const char *public_ip, *private_ip;
    const char *image_name, *image_code, *product_code;
    ncp_status_t status;
    ncp_op_t op;
    int64_t create_ms, uptime_ms;
    bool protect;
    const char *pf_public_ip;
    int pf_ext_port, pf_int_port; /* 0: no port-forwarding rule */
    int64_t zone_no;
    const char *disk_type, *disk_detail, *instance_type;
    const char *user_data, *init_script_no;
    int64_t basic_storage_no;
    const char *root_password; /* sealed under the master key, hex; "" if none */
    int64_t version;           /* bumped by every change of the row (store-maintained) */
    bool stub;                 /* only no, account_id and version are set (see store.h) */
    ncp_acg_t *acgs;
    size_t n_acgs;
    ncp_tag_t *tags;
    size_t n_tags;
    ncp_partition_t *parts;
    size_t n_parts;
    /* a VPC server (NCP_KIND_VSERVER): its VPC fields, loaded with it; NULL for
     * a classic server. Claims, renderers and transitions follow it. */
    const struct ncp_vserver *vpc;
} ncp_server_t;

/* Kinds of timed transitions (DECISIONS D5). */
typedef enum ncp_tr_kind {
    NCP_TR_NONE,
    NCP_TR_CREATE,
    NCP_TR_STOP,
    NCP_TR_START,
    NCP_TR_REBOOT,
    NCP_TR_TERMINATE,
    NCP_TR_CHANGE_SPEC,
    NCP_TR_STORAGE, /* storage work on the server (op SETUP): the fault switch's, or
                     * arg NCP_TR_ARG_DISKS: as long as a block storage of it is in work */
    /* transitions of issue 11, kept apart from other branches' kinds (stored values) */
    NCP_TR_IMAGE_COPY = 32, /* server: op COPY while a member image of it is captured */
    NCP_TR_RECREATE,        /* server: rebuilt from an image (create's path) */
    NCP_TR_INTERRUPT,       /* server: diagnostic interrupt (reboot's path) */
    NCP_TR_DISK_CREATE,     /* block storage ... (domain/rstate.c has the paths) */
    NCP_TR_DISK_ATTACH,
    NCP_TR_DISK_DETACH,
    NCP_TR_DISK_RESIZE,
    NCP_TR_DISK_DELETE,        /* a detached one */
    NCP_TR_DISK_DETACH_DELETE, /* an attached one: detached, then deleted */
    NCP_TR_SNAP_CREATE,
    NCP_TR_SNAP_DELETE,
    NCP_TR_IP_ASSOCIATE,
    NCP_TR_IP_DISASSOCIATE,
    NCP_TR_IP_REPLACE,
    NCP_TR_NAS_CREATE,
    NCP_TR_NAS_DELETE,
    NCP_TR_NAS_RESIZE,
    NCP_TR_IMAGE_CREATE,
    NCP_TR_IMAGE_DELETE,
    NCP_TR__N
} ncp_tr_kind_t;

/* NCP_TR_STORAGE rows that last as long as block storage work on the server */
#define NCP_TR_ARG_DISKS "disks"

/* Phases of a transition row (claim, act, confirm: STYLE.md §6.3). */
typedef enum ncp_phase {
    NCP_PHASE_CLAIMED = 0, /* the state change is committed, the driver call is not confirmed
                            * yet: never due; recovered at start-up if its request died */
    NCP_PHASE_RUNNING = 1, /* the driver acted: steps are applied when due */
    NCP_PHASE_WAIT = 2,    /* the driver acted: the hypervisor's power reports complete it
                            * (a real driver, sched/hv.h); never due */
} ncp_phase_t;

/* A pending transition: one row per resource in transition, survives
 * restarts. `kind` is the operation (a path of state.c); `res_kind` the kind
 * of resource that `no` names (the engine dispatches on it, sched_int.h). */
typedef struct ncp_trans {
    int64_t no;
    ncp_kind_t res_kind;
    int64_t account_id;
    ncp_tr_kind_t kind;
    int step;        /* index of the next step to apply */
    int remaining;   /* NCP_TR_STORAGE: steps left */
    int64_t due_ms;  /* wall-clock time the next step is due */
    int64_t wait_ms; /* what due_ms was set for (now + wait_ms): a due time further than
                      * that from the clock (a step back, another node's skew) is clamped */
    ncp_phase_t phase;
    ncp_status_t prev_status; /* what a refused claim goes back to */
    ncp_op_t prev_op;
    const char *owner;        /* node that claimed it (claims of a dead node are recovered) */
    const char *arg; /* kind-specific (change spec: product code) */
} ncp_trans_t;

/* ---- the classic resources of issue 11 (network-storage.md, images-tags.md) ----
 * Their status and operation are codes of domain/rstate.h (one code space for
 * every kind; the code names depend on the kind). */

typedef struct ncp_disk {      /* block storage; BASIC ones are the servers' own disks */
    int64_t no, account_id;
    int64_t server_no;         /* 0: detached */
    const char *server_name;   /* "" when detached (read with the row) */
    bool basic;                /* BASIC: made from its server's row, never stored */
    const char *name, *description;
    int64_t size;              /* bytes */
    const char *device;        /* "" unless attached */
    const char *detail;        /* HDD / SSD */
    const char *disk_type;     /* NET / LOCAL */
    int status, op;
    int64_t zone_no, create_ms;
    int64_t image_no;          /* memberServerImageNo of an image's storage (0: none) */
} ncp_disk_t;

typedef struct ncp_snapshot {  /* block storage snapshot */
    int64_t no, account_id;
    const char *name, *description;
    int64_t size;              /* bytes */
    int64_t orig_no;
    const char *orig_name, *image_code, *os_info;
    int status, op;
    int64_t zone_no, create_ms;
} ncp_snapshot_t;

typedef struct ncp_public_ip {
    int64_t no, account_id;
    const char *ip, *description;
    const char *line;          /* internet line PUBLC / GLBL */
    int64_t server_no;         /* 0: free */
    int status, op;
    int64_t zone_no, create_ms;
} ncp_public_ip_t;

typedef struct ncp_pf_config { /* one per account and zone (DECISIONS D11) */
    int64_t no, account_id, zone_no;
    const char *ip;
} ncp_pf_config_t;

typedef struct ncp_pf_rule {
    int64_t config_no, server_no;
    int ext_port, int_port;
} ncp_pf_rule_t;

typedef struct ncp_nas_acl {   /* exactly one of server_no / custom_ip */
    int64_t server_no;
    const char *custom_ip;
    bool write;
} ncp_nas_acl_t;

typedef struct ncp_nas {
    int64_t no, account_id;
    const char *name;          /* volumeName: n<6-digit account>_<name> */
    const char *description;
    const char *protocol;      /* NFS / CIFS */
    const char *cifs_user;
    int64_t size;              /* bytes */
    int snap_ratio;            /* percent of size set aside for snapshots */
    const char *snap_day;      /* "" or MON..SUN */
    int snap_time;             /* hour 0..23, -1 unset */
    bool event, protect;
    int status, op;
    int64_t zone_no, create_ms;
    ncp_nas_acl_t *acl;
    size_t n_acl;
} ncp_nas_t;

typedef struct ncp_nas_snapshot {
    int64_t nas_no;
    const char *name;
    int64_t create_ms, size;
} ncp_nas_snapshot_t;

typedef struct ncp_nas_history {
    int64_t nas_no, seq;
    int ratio;
    const char *day;           /* "" or MON..SUN */
    int time;                  /* -1 unset */
    int64_t register_ms;
} ncp_nas_history_t;

typedef struct ncp_member_image {
    int64_t no, account_id;
    const char *name, *description;
    int64_t server_no;         /* the original server (may be gone since) */
    const char *server_name, *product_code, *disk_type;
    const char *image_code, *image_name, *os_info, *platform;
    int64_t base_size;         /* the boot disk's size */
    int status, op;
    int64_t zone_no, create_ms;
    int n_disks;               /* disks captured (0 while capturing) */
    int64_t total_size;        /* their bytes */
    const char **shares;       /* login IDs it is shared with */
    size_t n_shares;
} ncp_member_image_t;

typedef struct ncp_subnet {    /* private subnet (bare metal; classic cannot create them) */
    int64_t no, account_id;
    const char *subnet, *description;
    int64_t zone_no, create_ms;
} ncp_subnet_t;

typedef struct ncp_nic {       /* network interface */
    int64_t no, account_id;
    const char *name, *ip, *description;
    int64_t subnet_no, server_no, zone_no, create_ms;
} ncp_nic_t;

#endif
