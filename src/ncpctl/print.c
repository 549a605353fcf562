/* print.c: the answer, for people (JSON, tables) and for scripts (--query).
 *
 * JSON is re-dumped from the parsed document, indented by 2, members in the
 * order the server sent them (jansson keeps insertion order), so output is
 * stable and diffable. XML is printed exactly as received: it is the
 * server's own format and any rewrite could only lose something.
 *
 * "The list" of an answer is its first array member (serverInstanceList,
 * productList, zoneList ...): NCP answers carry at most one payload list. */
#include "ncpctl/ncpctl_int.h"

#include <stdlib.h>
#include <string.h>

json_t *ncpctl_json_path(json_t *obj, const char *path)
{
    json_t *cur = obj;
    const char *p = path;
    while (cur && *p) {
        size_t n = strcspn(p, ".");
        char seg[256];
        if (n == 0 || n >= sizeof(seg))
            return NULL;
        memcpy(seg, p, n);
        seg[n] = '\0';
        if (json_is_object(cur)) {
            cur = json_object_get(cur, seg);
        } else if (json_is_array(cur) && strspn(seg, "0123456789") == n && n < 10) {
            cur = json_array_get(cur, (size_t)strtoul(seg, NULL, 10));
        } else {
            return NULL;
        }
        p += n;
        if (*p == '.') {
            p++;
            if (!*p)
                return NULL; /* "a." names nothing */
        }
    }
    return cur;
}

char *ncpctl_json_text(const json_t *v)
{
    char *s = NULL;
    char num[64];
    switch (json_typeof(v)) {
    case JSON_STRING:
        s = strndup(json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v));
        s = strdup(num);
        break;
    case JSON_REAL:
        snprintf(num, sizeof(num), "%.17g", json_real_value(v));
        s = strdup(num);
        break;
    case JSON_TRUE:
        s = strdup("true");
        break;
    case JSON_FALSE:
        s = strdup("false");
        break;
    case JSON_NULL:
        s = strdup("");
        break;
    case JSON_OBJECT:
    case JSON_ARRAY:
        s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
        break;
    }
    if (!s)
        abort();
    return s;
}

static bool is_scalar(const json_t *v)
{
    return v && !json_is_object(v) && !json_is_array(v);
}

/* First array member of the answer (its payload list) and its name. */
static json_t *payload_list(json_t *inner, const char **name_out)
{
    const char *key;
    json_t *v;
    json_object_foreach(inner, key, v) {
        if (json_is_array(v)) {
            if (name_out)
                *name_out = key;
            return v;
        }
    }
    return NULL;
}

/* ---- tables ----------------------------------------------------------------- */

/* Terminal columns of UTF-8 text: East Asian wide characters (Hangul and CJK
 * appear in NCP descriptions) take two, combining marks none. */
static size_t text_width(const char *s)
{
    size_t w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned cp;
        size_t n;
        if (*p < 0x80) {
            cp = *p;
            n = 1;
        } else if ((*p & 0xe0) == 0xc0) {
            cp = *p & 0x1f;
            n = 2;
        } else if ((*p & 0xf0) == 0xe0) {
            cp = *p & 0x0f;
            n = 3;
        } else {
            cp = *p & 0x07;
            n = 4;
        }
        for (size_t k = 1; k < n; k++) {
            if ((p[k] & 0xc0) != 0x80) {
                n = k;
                break;
            }
            cp = cp << 6 | (p[k] & 0x3f);
        }
        p += n;
        if (cp >= 0x300 && cp <= 0x36f)
            continue;
        bool wide = (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
                    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
                    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
                    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) ||
                    (cp >= 0x20000 && cp <= 0x3fffd);
        w += wide ? 2 : 1;
    }
    return w;
}

typedef struct col {
    const char *title;
    const char *path; /* dotted path inside one item */
    size_t width;
} col_t;

/* Fixed columns for servers: what `ncloud server getServerInstanceList`
 * users look for first. */
static const col_t server_cols[] = {
    {"NUMBER", "serverInstanceNo", 0},
    {"NAME", "serverName", 0},
    {"STATUS", "serverInstanceStatus.code", 0},
    {"OPERATION", "serverInstanceOperation.code", 0},
    {"PRIVATE_IP", "privateIp", 0},
    {"PUBLIC_IP", "publicIp", 0},
    {"ZONE", "zone.zoneCode", 0},
};

/* The other lists with columns of their own (issue 11): what a user of each
 * resource looks for first. Any other list shows every scalar field. */
#define COL(t, p) {t, p, 0}
static const col_t disk_cols[] = {
    COL("NUMBER", "blockStorageInstanceNo"), COL("NAME", "blockStorageName"),
    COL("TYPE", "blockStorageType.code"), COL("SIZE", "blockStorageSize"),
    COL("STATUS", "blockStorageInstanceStatus.code"),
    COL("OPERATION", "blockStorageInstanceOperation.code"), COL("SERVER", "serverInstanceNo"),
    COL("DEVICE", "deviceName"), COL("ZONE", "zone.zoneCode"),
};
static const col_t snapshot_cols[] = {
    COL("NUMBER", "blockStorageSnapshotInstanceNo"), COL("NAME", "blockStorageSnapshotName"),
    COL("SIZE", "blockStorageSnapshotVolumeSize"),
    COL("STATUS", "blockStorageSnapshotInstanceStatus.code"),
    COL("OPERATION", "blockStorageSnapshotInstanceOperation.code"),
    COL("ORIGINAL", "originalBlockStorageInstanceNo"),
};
static const col_t ip_cols[] = {
    COL("NUMBER", "publicIpInstanceNo"), COL("PUBLIC_IP", "publicIp"),
    COL("STATUS", "publicIpInstanceStatus.code"), COL("OPERATION", "publicIpInstanceOperation.code"),
    COL("SERVER", "serverInstanceAssociatedWithPublicIp.serverInstanceNo"),
    COL("SERVER_NAME", "serverInstanceAssociatedWithPublicIp.serverName"),
    COL("ZONE", "zone.zoneCode"),
};
static const col_t rule_cols[] = {
    COL("CONFIGURATION", "portForwardingConfigurationNo"), COL("PUBLIC_IP", "portForwardingPublicIp"),
    COL("EXTERNAL_PORT", "portForwardingExternalPort"),
    COL("INTERNAL_PORT", "portForwardingInternalPort"), COL("SERVER", "serverInstance.serverInstanceNo"),
    COL("SERVER_NAME", "serverInstance.serverName"),
};
static const col_t nas_cols[] = {
    COL("NUMBER", "nasVolumeInstanceNo"), COL("NAME", "volumeName"),
    COL("PROTOCOL", "volumeAllotmentProtocolType.code"), COL("SIZE", "volumeSize"),
    COL("STATUS", "nasVolumeInstanceStatus.code"), COL("OPERATION", "nasVolumeInstanceOperation.code"),
    COL("MOUNT", "mountInformation"), COL("ZONE", "zone.zoneCode"),
};
static const col_t image_cols[] = {
    COL("NUMBER", "memberServerImageNo"), COL("NAME", "memberServerImageName"),
    COL("STATUS", "memberServerImageStatus.code"), COL("OPERATION", "memberServerImageOperation.code"),
    COL("PLATFORM", "memberServerImagePlatformType.code"),
    COL("ORIGINAL_SERVER", "originalServerInstanceNo"), COL("SHARE", "shareStatus.code"),
};
static const col_t tag_cols[] = {
    COL("INSTANCE", "instanceNo"), COL("KEY", "tagKey"), COL("VALUE", "tagValue"),
};
static const col_t nic_cols[] = {
    COL("NUMBER", "networkInterfaceNo"), COL("NAME", "networkInterfaceName"),
    COL("IP", "networkInterfaceIp"), COL("STATUS", "statusCode"), COL("SERVER", "serverInstanceNo"),
    COL("ZONE", "zone.zoneCode"),
};
#undef COL

static const struct {
    const char *list;
    const col_t *cols;
    size_t n;
} list_cols[] = {
#define L(name, cols) {name, cols, sizeof(cols) / sizeof(cols[0])}
    L("blockStorageInstanceList", disk_cols),
    L("blockStorageSnapshotInstanceList", snapshot_cols),
    L("publicIpInstanceList", ip_cols),
    L("portForwardingRuleList", rule_cols),
    L("nasVolumeInstanceList", nas_cols),
    L("memberServerImageList", image_cols),
    L("instanceTagList", tag_cols),
    L("networkInterfaceList", nic_cols),
#undef L
};

/* The same for VPC servers (/vserver/v2): flat zoneCode, the VPC and subnet. */
static const col_t vserver_cols[] = {
    {"NUMBER", "serverInstanceNo", 0},
    {"NAME", "serverName", 0},
    {"STATUS", "serverInstanceStatus.code", 0},
    {"OPERATION", "serverInstanceOperation.code", 0},
    {"PUBLIC_IP", "publicIp", 0},
    {"ZONE", "zoneCode", 0},
    {"VPC", "vpcNo", 0},
    {"SUBNET", "subnetNo", 0},
};

/* Cell text: one line, "-" for absent or empty values. Caller frees. */
static char *cell(json_t *item, const char *path)
{
    json_t *v = path ? ncpctl_json_path(item, path) : item;
    char *s = v ? ncpctl_json_text(v) : strdup("-");
    if (!s)
        abort();
    if (!*s) {
        free(s);
        s = strdup("-");
        if (!s)
            abort();
    }
    for (char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = ' ';
    return s;
}

static void put_padded(FILE *out, const char *s, size_t width, bool last)
{
    fputs(s, out);
    if (last) {
        fputc('\n', out);
        return;
    }
    for (size_t w = text_width(s); w < width + 2; w++)
        fputc(' ', out);
}

static void table_rows(FILE *out, col_t *cols, size_t ncols, json_t *rows)
{
    size_t nrows = json_array_size(rows);
    char **cells = calloc(nrows * ncols + 1, sizeof(char *));
    if (!cells)
        abort();
    for (size_t c = 0; c < ncols; c++)
        cols[c].width = text_width(cols[c].title);
    for (size_t r = 0; r < nrows; r++) {
        json_t *item = json_array_get(rows, r);
        for (size_t c = 0; c < ncols; c++) {
            char *s = cell(item, json_is_object(item) ? cols[c].path : NULL);
            size_t w = text_width(s);
            if (w > cols[c].width)
                cols[c].width = w;
            cells[r * ncols + c] = s;
        }
    }
    for (size_t c = 0; c < ncols; c++)
        put_padded(out, cols[c].title, cols[c].width, c + 1 == ncols);
    for (size_t r = 0; r < nrows; r++)
        for (size_t c = 0; c < ncols; c++)
            put_padded(out, cells[r * ncols + c], cols[c].width, c + 1 == ncols);
    for (size_t k = 0; k < nrows * ncols; k++)
        free(cells[k]);
    free(cells);
}

static void print_table(json_t *inner, bool classic, FILE *out)
{
    const char *name = NULL;
    json_t *list = payload_list(inner, &name);
    if (!list) {
        /* no list (createLoginKey, getRootPassword ...): the scalar members */
        json_t *one = json_array();
        json_array_append(one, inner);
        size_t n = 0;
        col_t cols[64];
        const char *key;
        json_t *v;
        json_object_foreach(inner, key, v) {
            if (is_scalar(v) && n < 64)
                cols[n++] = (col_t){key, key, 0};
        }
        if (n)
            table_rows(out, cols, n, one);
        json_decref(one);
        return;
    }
    if (strcmp(name, "serverInstanceList") == 0 &&
        json_object_get(json_array_get(list, 0), "vpcNo")) {
        col_t cols[sizeof(vserver_cols) / sizeof(vserver_cols[0])];
        memcpy(cols, vserver_cols, sizeof(cols));
        table_rows(out, cols, sizeof(cols) / sizeof(cols[0]), list);
        return;
    }
    if (strcmp(name, "serverInstanceList") == 0) {
        col_t cols[sizeof(server_cols) / sizeof(server_cols[0])];
        memcpy(cols, server_cols, sizeof(cols));
        table_rows(out, cols, sizeof(cols) / sizeof(cols[0]), list);
        return;
    }
    /* the classic resources' columns (the VPC APIs' lists of the same names have
     * other fields: every scalar field below) */
    for (size_t i = 0; classic && i < sizeof(list_cols) / sizeof(list_cols[0]); i++)
        if (strcmp(name, list_cols[i].list) == 0) {
            col_t cols[16];
            memcpy(cols, list_cols[i].cols, list_cols[i].n * sizeof(col_t));
            table_rows(out, cols, list_cols[i].n, list);
            return;
        }
    /* other lists: every scalar field, in first-seen order across items */
    col_t cols[64];
    size_t n = 0;
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item) {
        const char *key;
        json_t *v;
        if (!json_is_object(item))
            continue;
        json_object_foreach(item, key, v) {
            if (!is_scalar(v))
                continue;
            size_t k = 0;
            while (k < n && strcmp(cols[k].path, key) != 0)
                k++;
            if (k == n && n < 64)
                cols[n++] = (col_t){key, key, 0};
        }
    }
    if (n == 0 && json_array_size(list)) {
        cols[0] = (col_t){"VALUE", NULL, 0};
        n = 1;
    }
    if (n)
        table_rows(out, cols, n, list);
}

/* ---- --query ---------------------------------------------------------------- */

static void put_value(FILE *out, json_t *v)
{
    char *s = ncpctl_json_text(v);
    fputs(s, out);
    fputc('\n', out);
    free(s);
}

static int print_query(const char *q, json_t *inner, FILE *out, ncpctl_err_t *err)
{
    json_t *v = ncpctl_json_path(inner, q);
    if (v) {
        if (json_is_array(v)) {
            size_t i;
            json_t *e;
            json_array_foreach(v, i, e)
                put_value(out, e);
        } else {
            put_value(out, v);
        }
        return 0;
    }
    json_t *list = payload_list(inner, NULL);
    size_t found = 0;
    if (list) {
        size_t i;
        json_t *item;
        json_array_foreach(list, i, item) {
            json_t *iv = ncpctl_json_path(item, q);
            found += iv != NULL;
        }
        if (found || json_array_size(list) == 0) {
            json_array_foreach(list, i, item) {
                json_t *iv = ncpctl_json_path(item, q);
                if (iv)
                    put_value(out, iv);
                else
                    fputc('\n', out); /* one line per item, always */
            }
            return 0;
        }
    }
    /* nowhere: name the closest field for the typo */
    const char *cands[128];
    size_t n = 0;
    const char *key;
    json_t *m;
    json_object_foreach(inner, key, m) {
        if (n < 64)
            cands[n++] = key;
    }
    json_t *first = list ? json_array_get(list, 0) : NULL;
    if (json_is_object(first)) {
        json_object_foreach(first, key, m) {
            if (n < 128)
                cands[n++] = key;
        }
    }
    char safe[160];
    ncp_err_sanitize(safe, sizeof(safe), q);
    const char *best = ncpctl_closest(q, cands, n);
    ncpctl_err_set(err, NCPCTL_EXIT_USAGE, "--query: the answer has no field '%s'%s%s%s", safe,
                   best ? "; did you mean '" : "", best ? best : "", best ? "'?" : "");
    return -1;
}

int ncpctl_print(const ncpctl_opts_t *o, ncp_api_id_t api, const ncpctl_resp_t *r, FILE *out,
                 ncpctl_err_t *err)
{
    if (r->is_xml) {
        fwrite(r->body.data, 1, r->body.len, out);
        if (!r->body.len || r->body.data[r->body.len - 1] != '\n')
            fputc('\n', out);
        return 0;
    }
    if (o->query)
        return print_query(o->query, r->inner, out, err);
    if (o->output == NCPCTL_OUT_TABLE) {
        print_table(r->inner, api == NCP_API_SERVER, out);
        return 0;
    }
    char *s = json_dumps(r->json, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (!s) {
        ncpctl_err_set(err, NCPCTL_EXIT_TRANSPORT, "cannot re-encode the answer as JSON");
        return -1;
    }
    fputs(s, out);
    fputc('\n', out);
    free(s);
    return 0;
}
