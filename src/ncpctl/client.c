/* client.c: one signed POST per call, and what the answer means.
 *
 * The request is what the Go SDK sends: POST {endpoint}/server/v2/{action},
 * an application/x-www-form-urlencoded body encoded by ncp_form_add (the
 * encoder whose output ncpd's ncp_form_parse decodes), and the signature of
 * "POST {path}" by ncp_auth_sign (the function ncpd verifies with). There
 * is no query, so the signed URI is the path alone, with any prefix the
 * endpoint carries: that is the path the gateway sees.
 *
 * Every answer is classified before anyone prints it:
 *   {action}Response, returnCode 0          success
 *   HTTP 200, returnCode 22001              partial success (printed, exit 1)
 *   responseError / other returnCode        API error, exit 1
 *   {"error": {...}} (gateway)              API error, exit 1
 *   anything else, or no answer at all      transport error, exit 3
 * so a proxy's HTML page or a wrong port never passes for an NCP answer. */
#include "ncpctl/ncpctl_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>

#include "proto/auth.h"
#include "util/clock.h"

#define BODY_MAX ((size_t)64 << 20) /* far above any list ncpd answers */
#define CONNECT_TIMEOUT_MS 10000L
#define REQUEST_TIMEOUT_MS 120000L

struct ncpctl_client {
    ncpctl_creds_t creds;
    char *base;   /* scheme://authority */
    char *prefix; /* path prefix without trailing '/', possibly "" */
    CURL *curl;
    char *ca_cert; /* NULL: the system store */
    bool insecure;
};

/* ---- endpoint --------------------------------------------------------------- */

static int endpoint_parse(ncpctl_client_t *cl, const char *url, ncpctl_err_t *err)
{
    char safe[160];
    ncp_err_sanitize(safe, sizeof(safe), url);
    size_t skip = 0;
    if (strncasecmp(url, "http://", 7) == 0)
        skip = 7;
    else if (strncasecmp(url, "https://", 8) == 0)
        skip = 8;
    if (!skip) {
        ncpctl_err_set(err, NCPCTL_EXIT_USAGE,
                       "endpoint '%s' (from %s) must start with http:// or https://", safe,
                       cl->creds.endpoint_source);
        return -1;
    }
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        if (*p <= 0x20 || *p == 0x7f || *p == '?' || *p == '#') {
            ncpctl_err_set(err, NCPCTL_EXIT_USAGE,
                           "endpoint '%s' (from %s): spaces, control characters, '?' and '#' "
                           "have no place in it",
                           safe, cl->creds.endpoint_source);
            return -1;
        }
    }
    const char *auth = url + skip, *slash = strchr(auth, '/');
    size_t alen = slash ? (size_t)(slash - auth) : strlen(auth);
    if (alen == 0) {
        ncpctl_err_set(err, NCPCTL_EXIT_USAGE, "endpoint '%s' (from %s) names no host", safe,
                       cl->creds.endpoint_source);
        return -1;
    }
    cl->base = strndup(url, skip + alen);
    const char *path = slash ? slash : "";
    size_t plen = strlen(path);
    while (plen && path[plen - 1] == '/')
        plen--;
    cl->prefix = strndup(path, plen);
    if (!cl->base || !cl->prefix)
        abort();
    return 0;
}

ncpctl_client_t *ncpctl_client_new(ncpctl_creds_t *creds, const ncpctl_opts_t *o,
                                   ncpctl_err_t *err)
{
    ncpctl_client_t *cl = calloc(1, sizeof(*cl));
    if (!cl)
        abort();
    cl->creds = *creds;
    memset(creds, 0, sizeof(*creds));
    if (o->ca_cert) {
        if (access(o->ca_cert, R_OK) != 0) {
            char safe[160];
            ncp_err_sanitize(safe, sizeof(safe), o->ca_cert);
            ncpctl_err_set(err, NCPCTL_EXIT_USAGE, "--ca-cert %s: %s", safe, strerror(errno));
            goto fail;
        }
        if (!(cl->ca_cert = strdup(o->ca_cert)))
            abort();
    }
    cl->insecure = o->insecure;
    if (cl->insecure)
        fputs("ncpctl: warning: --insecure: the server's certificate is NOT verified; anyone "
              "on the path can read and change this traffic, keys included\n",
              stderr);
    /* the key id travels in a header: no byte may end or fold that header */
    for (const unsigned char *p = (const unsigned char *)cl->creds.access_key; *p; p++) {
        if (*p <= 0x20 || *p >= 0x7f) {
            ncpctl_err_set(err, NCPCTL_EXIT_USAGE,
                           "the access key id (from %s) holds spaces or non-ASCII bytes",
                           cl->creds.key_source);
            goto fail;
        }
    }
    if (endpoint_parse(cl, cl->creds.endpoint, err) < 0)
        goto fail;
    if (!(cl->curl = curl_easy_init())) {
        ncpctl_err_set(err, NCPCTL_EXIT_TRANSPORT, "libcurl could not start");
        goto fail;
    }
    return cl;
fail:
    ncpctl_client_free(cl);
    return NULL;
}

void ncpctl_client_free(ncpctl_client_t *cl)
{
    if (!cl)
        return;
    if (cl->curl)
        curl_easy_cleanup(cl->curl);
    ncpctl_creds_release(&cl->creds);
    free(cl->ca_cert);
    free(cl->base);
    free(cl->prefix);
    free(cl);
}

void ncpctl_resp_release(ncpctl_resp_t *r)
{
    if (!r)
        return;
    ncp_buf_release(&r->body);
    json_decref(r->json);
    memset(r, 0, sizeof(*r));
}

/* ---- answers ---------------------------------------------------------------- */

/* s as one printable line of at most cap-1 bytes (control bytes -> ' '). */
static void one_line(char *out, size_t cap, const char *s, size_t len)
{
    size_t j = 0;
    for (size_t i = 0; i < len && j + 1 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        out[j++] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
    }
    out[j] = '\0';
}

/* Text of a JSON member that may be a string or a number ("210" or 210). */
static void member_text(json_t *obj, const char *key, char *out, size_t cap)
{
    json_t *v = json_object_get(obj, key);
    out[0] = '\0';
    if (json_is_string(v))
        one_line(out, cap, json_string_value(v), json_string_length(v));
    else if (json_is_integer(v))
        snprintf(out, cap, "%lld", (long long)json_integer_value(v));
}

/* Skips whitespace, a UTF-8 BOM, the XML declaration and comments; returns
 * the root element's name in out (empty when there is none). Stops at the
 * root's '>' and returns the position after it, or NULL. */
static const char *xml_root(const char *s, char *out, size_t cap)
{
    out[0] = '\0';
    if (strncmp(s, "\xEF\xBB\xBF", 3) == 0)
        s += 3;
    for (;;) {
        while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
            s++;
        if (strncmp(s, "<?", 2) == 0) {
            const char *e = strstr(s, "?>");
            if (!e)
                return NULL;
            s = e + 2;
        } else if (strncmp(s, "<!--", 4) == 0) {
            const char *e = strstr(s, "-->");
            if (!e)
                return NULL;
            s = e + 3;
        } else {
            break;
        }
    }
    if (*s != '<')
        return NULL;
    s++;
    size_t n = strcspn(s, " \t\r\n/>");
    if (n == 0 || n >= cap || (s[n] != '>' && s[n] != ' ' && s[n] != '\t' && s[n] != '\r' &&
                               s[n] != '\n'))
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '.' || c == ':'))
            return NULL;
    }
    memcpy(out, s, n);
    out[n] = '\0';
    const char *gt = strchr(s + n, '>');
    return gt ? gt + 1 : NULL;
}

/* Text of the first <tag>...</tag> after s, entities decoded; false when absent. */
static bool xml_text(const char *s, const char *tag, char *out, size_t cap)
{
    char open[64], close[64];
    snprintf(open, sizeof(open), "<%s>", tag);
    snprintf(close, sizeof(close), "</%s>", tag);
    const char *a = strstr(s, open);
    if (!a)
        return false;
    a += strlen(open);
    const char *b = strstr(a, close);
    if (!b)
        return false;
    static const struct { const char *ent; char c; } ents[] = {
        {"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}, {"&apos;", '\''},
    };
    size_t j = 0;
    while (a < b && j + 1 < cap) {
        char c = *a;
        size_t adv = 1;
        if (c == '&') {
            for (size_t k = 0; k < sizeof(ents) / sizeof(ents[0]); k++) {
                size_t el = strlen(ents[k].ent);
                if ((size_t)(b - a) >= el && strncmp(a, ents[k].ent, el) == 0) {
                    c = ents[k].c;
                    adv = el;
                    break;
                }
            }
        }
        out[j++] = ((unsigned char)c < 0x20) ? ' ' : c;
        a += adv;
    }
    out[j] = '\0';
    return true;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && strcmp(s + n - t, tail) == 0;
}

/* Success / partial / API error from the status and the NCP codes. */
static int judge(ncpctl_resp_t *r, ncpctl_err_t *err)
{
    bool ok_code = r->return_code[0] == '\0' || strcmp(r->return_code, "0") == 0;
    if (r->status >= 200 && r->status < 300 && ok_code)
        return 0;
    if (r->status == 200 && strcmp(r->return_code, "22001") == 0) {
        r->partial = true;
        return 0;
    }
    ncpctl_err_set(err, NCPCTL_EXIT_API, "API error: HTTP %ld, returnCode %s: %s", r->status,
                   r->return_code[0] ? r->return_code : "(none)", r->return_message);
    return -1;
}

static void not_ncp(const ncpctl_resp_t *r, const char *ctype, const char *why,
                    ncpctl_err_t *err)
{
    char head[81];
    one_line(head, sizeof(head), r->body.data, r->body.len);
    ncpctl_err_set(err, NCPCTL_EXIT_TRANSPORT,
                   "the endpoint answered HTTP %ld with %s (%s, %zu bytes): %s%s", r->status,
                   why, ctype && *ctype ? ctype : "no content type", r->body.len,
                   r->body.len ? "" : "(empty)", head);
}

static int classify(ncpctl_resp_t *r, bool want_xml, const char *ctype, ncpctl_err_t *err)
{
    const char *s = r->body.data ? r->body.data : "";
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    if (*s == '{') {
        json_error_t jerr;
        json_t *doc = json_loadb(r->body.data, r->body.len, 0, &jerr);
        if (!json_is_object(doc) || json_object_size(doc) != 1) {
            json_decref(doc);
            not_ncp(r, ctype, "a body that is not NCP JSON", err);
            return -1;
        }
        r->json = doc;
        const char *root = json_object_iter_key(json_object_iter(doc));
        json_t *inner = json_object_get(doc, root);
        if (!json_is_object(inner)) {
            not_ncp(r, ctype, "a body that is not NCP JSON", err);
            return -1;
        }
        if (strcmp(root, "error") == 0) {
            char code[32], msg[256], details[512];
            member_text(inner, "errorCode", code, sizeof(code));
            member_text(inner, "message", msg, sizeof(msg));
            member_text(inner, "details", details, sizeof(details));
            ncpctl_err_set(err, NCPCTL_EXIT_API,
                           "gateway error: HTTP %ld, errorCode %s (%s): %s", r->status,
                           code[0] ? code : "(none)", msg, details);
            return -1;
        }
        if (strcmp(root, "responseError") != 0 && !ends_with(root, "Response")) {
            not_ncp(r, ctype, "JSON that is not an NCP answer", err);
            return -1;
        }
        member_text(inner, "returnCode", r->return_code, sizeof(r->return_code));
        member_text(inner, "returnMessage", r->return_message, sizeof(r->return_message));
        if (strcmp(root, "responseError") == 0) {
            ncpctl_err_set(err, NCPCTL_EXIT_API, "API error: HTTP %ld, returnCode %s: %s",
                           r->status, r->return_code[0] ? r->return_code : "(none)",
                           r->return_message);
            return -1;
        }
        r->inner = inner;
        if (judge(r, err) < 0)
            return -1;
        if (want_xml) {
            not_ncp(r, ctype, "JSON to a request for XML", err);
            return -1;
        }
        return 0;
    }
    char root[128];
    const char *after = xml_root(s, root, sizeof(root));
    if (!after || (strcmp(root, "responseError") != 0 && !ends_with(root, "Response"))) {
        not_ncp(r, ctype, "a body that is neither NCP JSON nor NCP XML", err);
        return -1;
    }
    char closing[140];
    snprintf(closing, sizeof(closing), "</%s>", root);
    if (!strstr(after, closing)) {
        not_ncp(r, ctype, "truncated XML", err);
        return -1;
    }
    r->is_xml = true;
    xml_text(after, "returnCode", r->return_code, sizeof(r->return_code));
    xml_text(after, "returnMessage", r->return_message, sizeof(r->return_message));
    if (strcmp(root, "responseError") == 0) {
        ncpctl_err_set(err, NCPCTL_EXIT_API, "API error: HTTP %ld, returnCode %s: %s", r->status,
                       r->return_code[0] ? r->return_code : "(none)", r->return_message);
        return -1;
    }
    if (judge(r, err) < 0)
        return -1;
    if (!want_xml) {
        not_ncp(r, ctype, "XML to a request for JSON", err);
        return -1;
    }
    return 0;
}

/* ---- the request -------------------------------------------------------------- */

static size_t on_body(char *data, size_t size, size_t n, void *userp)
{
    ncp_buf_t *b = userp;
    if (ncp_buf_append(b, data, size * n) < 0)
        return 0; /* libcurl stops with CURLE_WRITE_ERROR */
    return size * n;
}

static struct curl_slist *add_header(struct curl_slist *h, const char *fmt, const char *v)
{
    char line[512];
    snprintf(line, sizeof(line), fmt, v);
    struct curl_slist *n = curl_slist_append(h, line);
    if (!n)
        abort();
    return n;
}

int ncpctl_client_call(ncpctl_client_t *cl, const char *action, const ncp_kvs_t *kvs, bool xml,
                       ncpctl_resp_t *resp, ncpctl_err_t *err)
{
    return ncpctl_client_call_api(cl, ncp_spec_api(NCP_API_SERVER), action, kvs, xml, resp, err);
}

int ncpctl_client_call_api(ncpctl_client_t *cl, const ncp_api_t *api, const char *action,
                           const ncp_kvs_t *kvs, bool xml, ncpctl_resp_t *resp, ncpctl_err_t *err)
{
    int ret = -1;
    struct curl_slist *hdrs = NULL;
    ncp_buf_t body, path, url;
    ncp_buf_init(&body, 0);
    ncp_buf_init(&path, 0);
    ncp_buf_init(&url, 0);
    memset(resp, 0, sizeof(*resp));
    ncp_buf_init(&resp->body, BODY_MAX);

    ncp_form_add(&body, "responseFormatType", xml ? "xml" : "json");
    for (size_t i = 0; kvs && i < kvs->n; i++)
        ncp_form_add(&body, kvs->v[i].name, kvs->v[i].val);
    ncp_buf_printf(&path, "%s%s%s", cl->prefix, api->path, action);
    ncp_buf_printf(&url, "%s%s", cl->base, path.data);

    char ts[24], sig[45];
    snprintf(ts, sizeof(ts), "%lld", (long long)ncp_clock_now_ms());
    ncp_auth_sign(cl->creds.secret_key, "POST", path.data, ts, cl->creds.access_key, sig);
    hdrs = add_header(hdrs, "%s", "Content-Type: application/x-www-form-urlencoded");
    hdrs = add_header(hdrs, "Accept: %s", xml ? "application/xml" : "application/json");
    hdrs = add_header(hdrs, "x-ncp-apigw-timestamp: %s", ts);
    hdrs = add_header(hdrs, "x-ncp-iam-access-key: %s", cl->creds.access_key);
    hdrs = add_header(hdrs, "x-ncp-apigw-signature-v2: %s", sig);
    hdrs = add_header(hdrs, "%s", "Expect:"); /* no 100-continue round trip */

    char ebuf[CURL_ERROR_SIZE] = "";
    CURL *c = cl->curl;
    curl_easy_reset(c); /* options are per call; the connection stays cached */
    curl_easy_setopt(c, CURLOPT_URL, url.data);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L); /* send the very path that was signed */
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body.len);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "ncpctl/1.0");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, CONNECT_TIMEOUT_MS);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, REQUEST_TIMEOUT_MS);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &resp->body);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
    /* HTTPS: verified (libcurl's default) against the system store or --ca-cert only */
    if (cl->ca_cert) {
        curl_easy_setopt(c, CURLOPT_CAINFO, cl->ca_cert);
        curl_easy_setopt(c, CURLOPT_CAPATH, NULL);
    }
    if (cl->insecure) {
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    curl_easy_setopt(c, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);

    CURLcode rc = curl_easy_perform(c);
    if (rc != CURLE_OK) {
        char why[CURL_ERROR_SIZE + 64];
        if (rc == CURLE_WRITE_ERROR && resp->body.over)
            snprintf(why, sizeof(why), "the answer is larger than %zu bytes", BODY_MAX);
        else
            one_line(why, sizeof(why), ebuf[0] ? ebuf : curl_easy_strerror(rc),
                     strlen(ebuf[0] ? ebuf : curl_easy_strerror(rc)));
        ncpctl_err_set(err, NCPCTL_EXIT_TRANSPORT, "transport error: POST %s: %s", url.data,
                       why);
        goto cleanup;
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
    char *ctype = NULL;
    curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ctype);
    if (classify(resp, xml, ctype, err) < 0)
        goto cleanup;
    ret = 0;
cleanup:
    curl_slist_free_all(hdrs);
    ncp_buf_release(&body);
    ncp_buf_release(&path);
    ncp_buf_release(&url);
    return ret;
}
