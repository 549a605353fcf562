/* fixture.c: see fixture.h. Values of 1021003 are the seed's, verbatim. */
#include "domain/fixture.h"

#include "domain/rstate.h"

#define GiB 1073741824LL

static ncp_acg_t seed_acg[] = {
    {39995, 0, "ncloud-default-acg", "Default AccessControlGroup", true,
     1523239974000LL /* 2018-04-09T11:12:54+0900 */},
};
static ncp_tag_t tags_prod[] = {{"env", "prod"}};
static ncp_tag_t tags_dev[] = {{"env", "dev"}};

static const ncp_server_t servers[] = {
    {.no = 1021003, .name = "s1669aa4e78c", .description = "내서버이미지 카피 오류테스트",
     .cpu = 2, .memory = 4 * GiB, .base_size = 50 * GiB, .platform = "LNX64",
     .login_key = "juhoon-kim", .public_ip = "106.10.46.237", .private_ip = "10.41.3.81",
     .image_name = "tensorflow-centos-7.3-64", .image_code = "SPSW0LINUX000066",
     .product_code = "SPSVRSSD00000003", .status = NCP_ST_RUN, .op = NCP_OP_NULL,
     .create_ms = 1540192790000LL /* 2018-10-22T16:19:50+0900 */,
     .uptime_ms = 1542962324000LL /* 2018-11-23T17:38:44+0900 */,
     .pf_public_ip = "106.10.51.90", .zone_no = 3, .disk_type = "NET", .disk_detail = "SSD",
     .instance_type = "STAND", .user_data = "", .init_script_no = "",
     .basic_storage_no = 1021103, .acgs = seed_acg, .n_acgs = 1},
    {.no = 1021004, .name = "web-01", .description = "web server", .cpu = 2, .memory = 4 * GiB,
     .base_size = 50 * GiB, .platform = "LNX64", .login_key = "juhoon-kim", .public_ip = "",
     .private_ip = "10.41.0.12", .image_name = "centos-7.3-64", .image_code = "SPSW0LINUX000046",
     .product_code = "SPSVRSTAND000004", .status = NCP_ST_RUN, .op = NCP_OP_NULL,
     .create_ms = 1542962324000LL, .uptime_ms = 1542962324000LL, .pf_public_ip = "106.10.51.91",
     .zone_no = 2, .disk_type = "NET", .disk_detail = "HDD", .instance_type = "STAND",
     .user_data = "", .init_script_no = "", .basic_storage_no = 1021104, .acgs = seed_acg,
     .n_acgs = 1, .tags = tags_prod, .n_tags = 1},
    {.no = 1021005, .name = "web-02", .description = "web server", .cpu = 2, .memory = 4 * GiB,
     .base_size = 50 * GiB, .platform = "LNX64", .login_key = "juhoon-kim", .public_ip = "",
     .private_ip = "10.41.0.13", .image_name = "centos-7.3-64", .image_code = "SPSW0LINUX000046",
     .product_code = "SPSVRSTAND000004", .status = NCP_ST_NSTOP, .op = NCP_OP_NULL,
     .create_ms = 1542962324000LL, .uptime_ms = 1542962324000LL, .pf_public_ip = "106.10.51.91",
     .zone_no = 2, .disk_type = "NET", .disk_detail = "HDD", .instance_type = "STAND",
     .user_data = "", .init_script_no = "", .basic_storage_no = 1021105, .acgs = seed_acg,
     .n_acgs = 1, .tags = tags_dev, .n_tags = 1},
    {.no = 1021006, .name = "db-01", .description = "", .cpu = 2, .memory = 4 * GiB,
     .base_size = 50 * GiB, .platform = "LNX64", .login_key = "juhoon-kim", .public_ip = "",
     .private_ip = "10.41.3.82", .image_name = "centos-7.3-64", .image_code = "SPSW0LINUX000046",
     .product_code = "SPSVRSSD00000003", .status = NCP_ST_NSTOP, .op = NCP_OP_NULL,
     .create_ms = 1542962324000LL, .uptime_ms = 1542962324000LL, .pf_public_ip = "106.10.51.90",
     .zone_no = 3, .disk_type = "NET", .disk_detail = "SSD", .instance_type = "STAND",
     .user_data = "", .init_script_no = "", .basic_storage_no = 1021106, .acgs = seed_acg,
     .n_acgs = 1},
};

/* The seed's key name; its private half is unknown, so the fingerprint is
 * a placeholder that no real key matches. */
static const ncp_login_key_t keys[] = {
    {0, "juhoon-kim", "00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00", 1540192000000LL},
};

/* The seed's publicIp of 1021003 is a public IP instance of its own. */
static const ncp_public_ip_t public_ips[] = {
    {.no = 1021203, .ip = "106.10.46.237", .description = "", .line = "PUBLC",
     .server_no = 1021003, .status = NCP_RS_USED, .op = NCP_RO_NULL, .zone_no = 3,
     .create_ms = 1540192790000LL},
};

/* One port-forwarding configuration per zone (D11): KR-2's is the seed's
 * address and the documented configuration number 31260. */
static const ncp_pf_config_t pf_configs[] = {
    {31260, 0, 3, "106.10.51.90"},
    {31259, 0, 2, "106.10.51.91"},
};

/* Bare-metal private subnets (classic has no action that makes them). */
static const ncp_subnet_t subnets[] = {
    {1021301, 0, "10.200.3.0/24", "KR-2 private subnet", 3, 1540192000000LL},
    {1021302, 0, "10.200.2.0/24", "KR-1 private subnet", 2, 1540192000000LL},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const ncp_fixture_t seed = {seed_acg,   1,           servers, N(servers), keys,
                                   1,          1030000,     public_ips, N(public_ips),
                                   pf_configs, N(pf_configs), subnets, N(subnets)};

const ncp_fixture_t *ncp_fixture_seed(void)
{
    return &seed;
}
