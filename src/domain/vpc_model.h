/* vpc_model.h: the resources of the VPC platform (/vpc/v2, /vserver/v2), as
 * plain structs (spec/vpc/vpc.md, vserver.md).
 *
 * Same conventions as model.h: strings are borrowed from the arena of the
 * request (or scheduler pass) that loaded the row; numbers are int64 and
 * rendered as text. Statuses are the API's own codes (text), since each
 * family has its own vocabulary; vstate.c holds their transitions. Every
 * object belongs to one account and, but for login keys (shared with the
 * classic API, as on the platform), only the VPC APIs see it. */
#ifndef NCP_VPC_MODEL_H
#define NCP_VPC_MODEL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/model.h"

typedef struct ncp_vpc {
    int64_t no, account_id;
    const char *name, *cidr, *region;
    const char *status;       /* INIT CREATING RUN TERMTING */
    int64_t create_ms;
} ncp_vpc_t;

typedef struct ncp_vsubnet {
    int64_t no, account_id, vpc_no;
    const char *zone, *name, *cidr;
    const char *status;       /* INIT CREATING RUN TERMTING */
    const char *type;         /* PUBLIC / PRIVATE */
    const char *usage;        /* GEN LOADB BM NATGW */
    int64_t nacl_no, route_table_no;
    int64_t create_ms;
} ncp_vsubnet_t;

typedef struct ncp_nacl {
    int64_t no, account_id, vpc_no;
    const char *name, *description;
    const char *status;       /* INIT SET RUN TERMTING */
    bool is_default;
    int64_t create_ms;
} ncp_nacl_t;

typedef struct ncp_route_table {
    int64_t no, account_id, vpc_no;
    const char *name, *description, *region;
    const char *subnet_type;  /* PUBLIC / PRIVATE */
    const char *status;       /* RUN */
    bool is_default;
    int64_t create_ms;
} ncp_route_table_t;

typedef struct ncp_vacg {
    int64_t no, account_id, vpc_no;
    const char *name, *description;
    const char *status;       /* RUN SET (TERMT only in a delete answer) */
    bool is_default;
    int64_t create_ms;
} ncp_vacg_t;

typedef struct ncp_vacg_rule {
    int64_t no, acg_no;
    bool inbound;             /* INBND, else OTBND */
    const char *protocol;     /* TCP UDP ICMP, or an IP protocol number "2".."254" */
    const char *ip_block;     /* CIDR, "" when the peer is an ACG */
    int64_t peer_acg_no;      /* accessControlGroupSequence, 0: none */
    const char *port_range;   /* "22", "1-65535", "" for ICMP and numbered protocols */
    const char *description;
} ncp_vacg_rule_t;

#define NCP_NIC_MAX_ACGS 3

typedef struct ncp_vnic {
    int64_t no, account_id, vpc_no, subnet_no;
    const char *name, *description, *ip, *mac;
    const char *status;       /* NOTUSED SET USED UNSET */
    int64_t server_no;        /* 0: not attached */
    int device;               /* eth<device> while attached, -1 otherwise */
    bool is_default;          /* the eth0 made with its server */
    bool delete_on_termination;
    int64_t acgs[NCP_NIC_MAX_ACGS];
    size_t n_acgs;
    int64_t create_ms;
} ncp_vnic_t;

/* The VPC fields of a server (the rest is its ncp_server_t row). */
typedef struct ncp_vserver {
    int64_t vpc_no, subnet_no;
    const char *region, *zone;
    const char *spec_code;    /* serverSpecCode (c2-g3, c2-g2-s50) */
    const char *image_no;     /* serverImageNo */
    const char *hypervisor;   /* XEN / KVM */
    bool encrypted;           /* isEncryptedBaseBlockStorageVolume */
    const int64_t *nics;      /* its interfaces, eth0 first */
    size_t n_nics;
    int64_t public_ip_no;     /* 0: none */
    const char *public_ip;    /* "" when none */
} ncp_vserver_t;

typedef struct ncp_vscript {
    int64_t no, account_id;
    const char *name, *description, *content;
    const char *os_type;      /* LNX / WND */
    int64_t create_ms;
} ncp_vscript_t;

typedef struct ncp_vstorage {
    int64_t no, account_id;
    int64_t server_no;        /* 0: detached */
    const char *name, *description;
    const char *type;         /* BASIC (a server's root disk) / SVRBS (additional) */
    int64_t size;             /* bytes */
    const char *device;       /* /dev/xvda ..., "" when detached */
    const char *product_code;
    const char *status, *op;  /* INIT CREAT ATTAC / NULL ATTAC DETAC CHNG TERMT */
    const char *disk_detail;  /* SSD / HDD */
    const char *volume_type;  /* HDD SSD FB1 CB1 FB2 CB2 */
    const char *hypervisor;   /* XEN / KVM */
    const char *zone, *region;
    int64_t max_iops;
    bool encrypted, return_protection;
    int64_t create_ms;
} ncp_vstorage_t;

typedef struct ncp_vpip {
    int64_t no, account_id;
    const char *ip, *description;
    const char *status, *op;  /* INIT RUN / CREAT SET NULL TERMT */
    int64_t server_no;        /* 0: free */
    int64_t create_ms, modify_ms;
} ncp_vpip_t;

#endif
