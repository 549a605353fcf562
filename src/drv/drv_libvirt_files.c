/* drv_libvirt_files.c: the files of a libvirt machine and the texts that
 * describe it.
 *
 * A machine's files live in <vm-dir>/<serverInstanceNo>/: root.qcow2 (an
 * overlay on the image's base qcow2, or an empty disk for direct kernel
 * boot), seed.iso (NoCloud: volume label "cidata", files meta-data and
 * user-data, as cloud-init reads them) and console.log (the serial
 * console, written by QEMU or virtlogd). A block storage volume lives in
 * <vm-dir>/<storageNo>/volume.qcow2. Disk images are made with qemu-img,
 * the seed with genisoimage (or xorrisofs / mkisofs), run as child
 * processes. The domain XML is written here, and read back with libxml2
 * when disks are added or removed. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "drv/drv_libvirt_int.h"
#include "util/buf.h"
#include "util/rand.h"

extern char **environ;

#define TEXT_MAX (4u << 20)

int64_t lv_dom_no(const char *name)
{
    size_t plen = strlen(LV_DOM_PREFIX);
    if (!name || strncmp(name, LV_DOM_PREFIX, plen) != 0)
        return 0;
    const char *p = name + plen;
    if (*p < '1' || *p > '9')
        return 0;
    int64_t no = 0;
    for (int n = 0; *p; p++, n++) {
        if (*p < '0' || *p > '9' || n >= 18)
            return 0;
        no = no * 10 + (*p - '0');
    }
    return no;
}

/* Paths fit: open() keeps vm_dir below PATH_MAX - LV_PATH_SLACK. */
static void join(char *out, const char *a, const char *b)
{
    if (snprintf(out, PATH_MAX, "%s/%s", a, b) >= PATH_MAX)
        abort();
}

void lv_path(char *out, const char *vm_dir, int64_t no, const char *file)
{
    int n = file ? snprintf(out, PATH_MAX, "%s/%" PRId64 "/%s", vm_dir, no, file)
                 : snprintf(out, PATH_MAX, "%s/%" PRId64, vm_dir, no);
    if (n >= PATH_MAX)
        abort();
}

bool lv_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

int lv_mkdir_p(const char *path, ncp_err_t *err)
{
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof(tmp), "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0755) < 0 && errno != EEXIST) {
            ncp_err_internal(err, "libvirt: mkdir %s: %s", tmp, strerror(errno));
            return -1;
        }
        *p = '/';
    }
    /* 0711: QEMU (another user under qemu:///system) may reach its files
     * by name but not list the folder. */
    if (mkdir(tmp, 0711) < 0) {
        if (errno != EEXIST) {
            ncp_err_internal(err, "libvirt: mkdir %s: %s", tmp, strerror(errno));
            return -1;
        }
        return 0;
    }
    chmod(tmp, 0711); /* whatever the umask (the packaged unit's is 0077) */
    return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    int rc = (flag == FTW_DP) ? rmdir(path) : unlink(path);
    return rc < 0 && errno != ENOENT ? -1 : 0;
}

int lv_rm_rf(const char *path, ncp_err_t *err)
{
    if (!lv_exists(path))
        return 0;
    if (nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS) < 0) {
        ncp_err_internal(err, "libvirt: removing %s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

static int write_file(const char *path, const char *text, mode_t mode, ncp_err_t *err)
{
    int ret = -1;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) {
        ncp_err_internal(err, "libvirt: creating %s: %s", path, strerror(errno));
        return -1;
    }
    size_t len = strlen(text), off = 0;
    while (off < len) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            ncp_err_internal(err, "libvirt: writing %s: %s", path, strerror(errno));
            goto cleanup;
        }
        off += (size_t)w;
    }
    ret = 0;
cleanup:
    close(fd);
    return ret;
}

/* Spawns argv; 0 on exit status 0. *enoent tells that the program is not
 * installed (then nothing ran). */
static int run_ex(const char *const argv[], bool *enoent, ncp_err_t *err)
{
    int ret = -1, pfd[2] = {-1, -1};
    bool fa_ok = false, at_ok = false;
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    if (enoent)
        *enoent = false;
    if (pipe2(pfd, O_CLOEXEC) < 0) {
        ncp_err_internal(err, "libvirt: pipe: %s", strerror(errno));
        return -1;
    }
    posix_spawn_file_actions_init(&fa);
    fa_ok = true;
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
    posix_spawn_file_actions_adddup2(&fa, pfd[1], 2);
    posix_spawn_file_actions_addclosefrom_np(&fa, 3);
    /* ncpd blocks its signals for sigwait() and ignores SIGPIPE; the tool
     * gets the defaults. */
    posix_spawnattr_init(&at);
    at_ok = true;
    sigset_t none, dfl;
    sigemptyset(&none);
    sigemptyset(&dfl);
    sigaddset(&dfl, SIGPIPE);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setsigdefault(&at, &dfl);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, &at, (char *const *)argv, environ);
    close(pfd[1]);
    pfd[1] = -1;
    if (rc != 0) {
        if (rc == ENOENT && enoent)
            *enoent = true;
        ncp_err_internal(err, "libvirt: cannot run %s: %s", argv[0], strerror(rc));
        goto cleanup;
    }
    char out[512];
    size_t n = 0;
    for (;;) {
        char chunk[512];
        ssize_t r = read(pfd[0], chunk, sizeof(chunk));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        size_t take = (size_t)r < sizeof(out) - 1 - n ? (size_t)r : sizeof(out) - 1 - n;
        memcpy(out + n, chunk, take);
        n += take;
    }
    out[n] = '\0';
    for (char *p = out; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            ncp_err_internal(err, "libvirt: waitpid %s: %s", argv[0], strerror(errno));
            goto cleanup;
        }
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        ncp_err_internal(err, "libvirt: %s failed (status %d): %s", argv[0], status, out);
        goto cleanup;
    }
    ret = 0;
cleanup:
    if (fa_ok)
        posix_spawn_file_actions_destroy(&fa);
    if (at_ok)
        posix_spawnattr_destroy(&at);
    if (pfd[0] >= 0)
        close(pfd[0]);
    if (pfd[1] >= 0)
        close(pfd[1]);
    return ret;
}

int lv_run(const char *const argv[], ncp_err_t *err)
{
    return run_ex(argv, NULL, err);
}

int lv_make_root(const char *dir, const ncp_drv_vm_t *vm, ncp_err_t *err)
{
    char root[PATH_MAX], size[32] = "", base[PATH_MAX];
    join(root, dir, "root.qcow2");
    if (vm->root_bytes > 0)
        snprintf(size, sizeof(size), "%" PRId64, vm->root_bytes);
    if (vm->boot.disk) {
        if (!realpath(vm->boot.disk, base)) {
            ncp_err_internal(err, "libvirt: base image %s: %s", vm->boot.disk, strerror(errno));
            return -1;
        }
        const char *argv[] = {"qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2",
                              "-b", base, root, size[0] ? size : NULL, NULL};
        return lv_run(argv, err);
    }
    if (!size[0])
        snprintf(size, sizeof(size), "%lld", LV_EMPTY_ROOT_BYTES);
    const char *argv[] = {"qemu-img", "create", "-q", "-f", "qcow2", root, size, NULL};
    return lv_run(argv, err);
}

/* A YAML double-quoted scalar. */
static void yaml_str(ncp_buf_t *b, const char *s)
{
    ncp_buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            ncp_buf_printf(b, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            ncp_buf_printf(b, "\\x%02x", *p);
        else
            ncp_buf_putc(b, (char)*p);
    }
    ncp_buf_putc(b, '"');
}

char *lv_meta_data(const ncp_drv_vm_t *vm)
{
    ncp_buf_t b;
    ncp_buf_init(&b, TEXT_MAX);
    ncp_buf_printf(&b, "instance-id: " LV_DOM_PREFIX "%" PRId64 "\nlocal-hostname: ", vm->no);
    yaml_str(&b, vm->name);
    ncp_buf_putc(&b, '\n');
    if (vm->ssh_key && vm->ssh_key[0]) {
        ncp_buf_puts(&b, "public-keys:\n  - ");
        yaml_str(&b, vm->ssh_key);
        ncp_buf_putc(&b, '\n');
    }
    return ncp_buf_take(&b, NULL);
}

/* Without a login key or a password: the request's user data, verbatim.
 * With them: a MIME multipart whose first part is our cloud-config (root
 * may log in with the key, root's password set, password logins allowed)
 * and whose second part is the user data, which cloud-init then handles
 * by its first line as if it came alone. */
char *lv_user_data(const ncp_drv_vm_t *vm)
{
    const char *ud = vm->user_data ? vm->user_data : "";
    bool key = vm->ssh_key && vm->ssh_key[0];
    bool pw = vm->root_password && vm->root_password[0];
    if (!key && !pw)
        return strdup(ud);
    char boundary[48], rnd[17];
    do {
        ncp_rand_string(rnd, 16, "0123456789abcdef");
        snprintf(boundary, sizeof(boundary), "==ncpd-%s==", rnd);
    } while (strstr(ud, boundary));
    ncp_buf_t b;
    ncp_buf_init(&b, TEXT_MAX);
    ncp_buf_printf(&b,
                   "Content-Type: multipart/mixed; boundary=\"%s\"\n"
                   "MIME-Version: 1.0\n\n"
                   "--%s\n"
                   "Content-Type: text/cloud-config; charset=\"utf-8\"\n"
                   "MIME-Version: 1.0\n"
                   "Content-Disposition: attachment; filename=\"ncpd-access.cfg\"\n\n"
                   "#cloud-config\n"
                   "disable_root: false\n",
                   boundary, boundary);
    if (pw) {
        ncp_buf_puts(&b, "ssh_pwauth: true\n"
                         "chpasswd:\n"
                         "  expire: false\n"
                         "  users:\n"
                         "    - name: root\n"
                         "      type: text\n"
                         "      password: ");
        yaml_str(&b, vm->root_password);
        ncp_buf_putc(&b, '\n');
    }
    if (ud[0])
        ncp_buf_printf(&b,
                       "\n--%s\n"
                       "Content-Type: text/plain; charset=\"utf-8\"\n"
                       "MIME-Version: 1.0\n"
                       "Content-Disposition: attachment; filename=\"user-data\"\n\n"
                       "%s%s",
                       boundary, ud, ud[strlen(ud) - 1] == '\n' ? "" : "\n");
    ncp_buf_printf(&b, "\n--%s--\n", boundary);
    return ncp_buf_take(&b, NULL);
}

int lv_make_seed(const char *dir, const ncp_drv_vm_t *vm, ncp_err_t *err)
{
    int ret = -1;
    char sdir[PATH_MAX], meta[PATH_MAX], user[PATH_MAX], iso[PATH_MAX];
    char *md = lv_meta_data(vm), *ud = lv_user_data(vm);
    join(sdir, dir, "seed");
    join(meta, sdir, "meta-data");
    join(user, sdir, "user-data");
    join(iso, dir, "seed.iso");
    if (!md || !ud) {
        ncp_err_internal(err, "libvirt: seed texts too large");
        goto cleanup;
    }
    if (lv_rm_rf(sdir, err) < 0)
        goto cleanup;
    if (mkdir(sdir, 0700) < 0) {
        ncp_err_internal(err, "libvirt: mkdir %s: %s", sdir, strerror(errno));
        goto cleanup;
    }
    if (write_file(meta, md, 0600, err) < 0 || write_file(user, ud, 0600, err) < 0)
        goto cleanup;
    /* The first ISO 9660 maker installed (genisoimage is Debian's). */
    static const char *const tools[] = {"genisoimage", "xorrisofs", "mkisofs"};
    for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
        const char *argv[] = {tools[i], "-quiet", "-output", iso, "-volid", "cidata",
                              "-joliet", "-rock", meta, user, NULL};
        bool enoent;
        ncp_err_t e;
        ncp_err_init(&e);
        if (run_ex(argv, &enoent, &e) == 0) {
            ret = 0;
            break;
        }
        if (!enoent) {
            *err = e;
            break;
        }
        if (i + 1 == sizeof(tools) / sizeof(tools[0]))
            ncp_err_internal(err, "libvirt: no ISO 9660 maker for the NoCloud seed "
                                  "(install genisoimage)");
    }
    if (ret == 0)
        chmod(iso, 0600);
cleanup:
    if (lv_exists(sdir)) {
        ncp_err_t e;
        ncp_err_init(&e);
        lv_rm_rf(sdir, &e);
    }
    free(md);
    free(ud);
    return ret;
}

static void xml_esc(ncp_buf_t *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': ncp_buf_puts(b, "&amp;"); break;
        case '<': ncp_buf_puts(b, "&lt;"); break;
        case '>': ncp_buf_puts(b, "&gt;"); break;
        case '\'': ncp_buf_puts(b, "&apos;"); break;
        case '"': ncp_buf_puts(b, "&quot;"); break;
        default: ncp_buf_putc(b, *s);
        }
    }
}

char *lv_domain_xml(const char *dom_type, const char *dir, const ncp_drv_vm_t *vm)
{
    bool test = strcmp(dom_type, "test") == 0;
    ncp_buf_t b;
    ncp_buf_init(&b, TEXT_MAX);
    ncp_buf_printf(&b, "<domain type='%s'>\n  <name>" LV_DOM_PREFIX "%" PRId64 "</name>\n",
                   dom_type, vm->no);
    ncp_buf_puts(&b, "  <title>");
    xml_esc(&b, vm->name);
    ncp_buf_puts(&b, "</title>\n");
    ncp_buf_printf(&b,
                   "  <metadata>\n"
                   "    <ncpd:server xmlns:ncpd='" LV_META_NS "'>\n"
                   "      <ncpd:no>%" PRId64 "</ncpd:no>\n"
                   "      <ncpd:account>%" PRId64 "</ncpd:account>\n"
                   "    </ncpd:server>\n"
                   "  </metadata>\n",
                   vm->no, vm->account_id);
    ncp_buf_printf(&b, "  <memory unit='KiB'>%" PRId64 "</memory>\n  <vcpu>%d</vcpu>\n",
                   (vm->memory + 1023) / 1024, vm->cpus);
    ncp_buf_printf(&b, "  <os>\n    <type arch='x86_64'%s>hvm</type>\n",
                   test ? "" : " machine='pc'");
    if (vm->boot.kernel) {
        ncp_buf_puts(&b, "    <kernel>");
        xml_esc(&b, vm->boot.kernel);
        ncp_buf_puts(&b, "</kernel>\n");
        if (vm->boot.initrd) {
            ncp_buf_puts(&b, "    <initrd>");
            xml_esc(&b, vm->boot.initrd);
            ncp_buf_puts(&b, "</initrd>\n");
        }
        if (vm->boot.cmdline) {
            ncp_buf_puts(&b, "    <cmdline>");
            xml_esc(&b, vm->boot.cmdline);
            ncp_buf_puts(&b, "</cmdline>\n");
        }
    }
    ncp_buf_puts(&b, "    <boot dev='hd'/>\n  </os>\n"
                     "  <features><acpi/><apic/></features>\n"
                     "  <clock offset='utc'/>\n"
                     "  <on_poweroff>destroy</on_poweroff>\n"
                     "  <on_reboot>restart</on_reboot>\n"
                     "  <on_crash>destroy</on_crash>\n"
                     "  <devices>\n");
    /* The seed is a read-only virtio disk: every cloud kernel has
     * virtio_blk (Debian's has no AHCI driver for a SATA cdrom). */
    ncp_buf_puts(&b, "    <disk type='file' device='disk'>\n"
                     "      <driver name='qemu' type='qcow2'/>\n      <source file='");
    xml_esc(&b, dir);
    ncp_buf_puts(&b, "/root.qcow2'/>\n      <target dev='vda' bus='virtio'/>\n    </disk>\n"
                     "    <disk type='file' device='disk'>\n"
                     "      <driver name='qemu' type='raw'/>\n      <source file='");
    xml_esc(&b, dir);
    ncp_buf_puts(&b, "/seed.iso'/>\n      <target dev='vdb' bus='virtio'/>\n      <readonly/>\n"
                     "    </disk>\n"
                     "    <serial type='file'>\n      <source path='");
    xml_esc(&b, dir);
    ncp_buf_puts(&b, "/console.log' append='on'/>\n      <target port='0'/>\n    </serial>\n");
    if (!test)
        ncp_buf_puts(&b, "    <memballoon model='none'/>\n"
                         "    <rng model='virtio'>\n"
                         "      <backend model='random'>/dev/urandom</backend>\n"
                         "    </rng>\n");
    ncp_buf_puts(&b, "  </devices>\n</domain>\n");
    return ncp_buf_take(&b, NULL);
}

char *lv_disk_xml(const char *path, const char *target, int64_t disk_no)
{
    ncp_buf_t b;
    ncp_buf_init(&b, TEXT_MAX);
    ncp_buf_puts(&b, "<disk type='file' device='disk'>\n"
                     "  <driver name='qemu' type='qcow2'/>\n  <source file='");
    xml_esc(&b, path);
    ncp_buf_printf(&b,
                   "'/>\n  <target dev='%s' bus='virtio'/>\n"
                   "  <serial>" LV_DOM_PREFIX "%" PRId64 "</serial>\n</disk>\n",
                   target, disk_no);
    return ncp_buf_take(&b, NULL);
}

static xmlDocPtr parse(const char *xml, ncp_err_t *err)
{
    xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "domain.xml", NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc)
        ncp_err_internal(err, "libvirt: unreadable domain XML");
    return doc;
}

static bool named(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, (const xmlChar *)name) == 0;
}

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (named(c, name))
            return c;
    return NULL;
}

/* Whether disk element `disk` has source file `path`; its target into tgt. */
static bool disk_is(xmlNodePtr disk, const char *path, char *tgt, size_t cap)
{
    bool yes = false;
    xmlChar *file = xmlGetProp(child(disk, "source"), (const xmlChar *)"file");
    xmlChar *dev = xmlGetProp(child(disk, "target"), (const xmlChar *)"dev");
    if (tgt && cap)
        snprintf(tgt, cap, "%s", dev ? (const char *)dev : "");
    if (file && path && strcmp((const char *)file, path) == 0)
        yes = true;
    xmlFree(file);
    xmlFree(dev);
    return yes;
}

int lv_scan_disks(const char *dom_xml, const char *path, lv_disk_scan_t *out, ncp_err_t *err)
{
    memset(out, 0, sizeof(*out));
    xmlDocPtr doc = parse(dom_xml, err);
    if (!doc)
        return -1;
    unsigned used = 0; /* bit i: vd<'a'+i> */
    xmlNodePtr devs = child(xmlDocGetRootElement(doc), "devices");
    for (xmlNodePtr n = devs ? devs->children : NULL; n; n = n->next) {
        if (!named(n, "disk"))
            continue;
        char tgt[16];
        if (disk_is(n, path, tgt, sizeof(tgt))) {
            out->found = true;
            snprintf(out->target, sizeof(out->target), "%s", tgt);
        }
        if (strlen(tgt) == 3 && tgt[0] == 'v' && tgt[1] == 'd' && tgt[2] >= 'a' && tgt[2] <= 'z')
            used |= 1u << (tgt[2] - 'a');
    }
    for (int i = 2; i < 26; i++)
        if (!(used & (1u << i))) {
            snprintf(out->free_target, sizeof(out->free_target), "vd%c", 'a' + i);
            break;
        }
    xmlFreeDoc(doc);
    return 0;
}

int lv_volume_nos(const char *dom_xml, int64_t *out, int cap, ncp_err_t *err)
{
    xmlDocPtr doc = parse(dom_xml, err);
    if (!doc)
        return -1;
    int n = 0;
    xmlNodePtr devs = child(xmlDocGetRootElement(doc), "devices");
    for (xmlNodePtr d = devs ? devs->children : NULL; d && n < cap; d = d->next) {
        xmlNodePtr serial = named(d, "disk") ? child(d, "serial") : NULL;
        xmlChar *text = serial ? xmlNodeGetContent(serial) : NULL;
        int64_t no = text ? lv_dom_no((const char *)text) : 0;
        xmlFree(text);
        if (no > 0)
            out[n++] = no;
    }
    xmlFreeDoc(doc);
    return n;
}

char *lv_edit_disks(const char *dom_xml, const char *disk_xml, const char *path, ncp_err_t *err)
{
    char *ret = NULL;
    xmlDocPtr frag = NULL, doc = parse(dom_xml, err);
    if (!doc)
        return NULL;
    xmlNodePtr devs = child(xmlDocGetRootElement(doc), "devices");
    if (!devs) {
        ncp_err_internal(err, "libvirt: domain XML without devices");
        goto cleanup;
    }
    if (disk_xml) {
        if (!(frag = parse(disk_xml, err)))
            goto cleanup;
        xmlNodePtr copy = xmlDocCopyNode(xmlDocGetRootElement(frag), doc, 1);
        if (!copy || !xmlAddChild(devs, copy)) {
            xmlFreeNode(copy);
            ncp_err_internal(err, "libvirt: cannot add the disk to the domain XML");
            goto cleanup;
        }
    } else {
        xmlNodePtr hit = NULL;
        for (xmlNodePtr n = devs->children; n && !hit; n = n->next)
            if (named(n, "disk") && disk_is(n, path, NULL, 0))
                hit = n;
        if (!hit) {
            ncp_err_internal(err, "libvirt: disk %s is not in the domain XML", path);
            goto cleanup;
        }
        xmlUnlinkNode(hit);
        xmlFreeNode(hit);
    }
    xmlChar *mem = NULL;
    int size = 0;
    xmlDocDumpMemory(doc, &mem, &size);
    if (mem) {
        ret = strndup((const char *)mem, (size_t)size);
        xmlFree(mem);
    }
    if (!ret)
        ncp_err_internal(err, "libvirt: cannot write the domain XML");
cleanup:
    xmlFreeDoc(frag);
    xmlFreeDoc(doc);
    return ret;
}

/* KVM is usable when libvirt offers it and its host CPU model keeps the
 * x86-64 baseline: a stub /dev/kvm (as on nested sandboxes) answers the
 * capability query but masks SSE3 and the like, and a Debian kernel hangs
 * while booting on it. */
const char *lv_pick_domain_type(const char *caps, char *why, size_t why_cap)
{
    static const char *const baseline[] = {"pni", "ssse3", "sse4.1", "sse4.2", "cx16", "popcnt"};
    const char *ret = "qemu";
    snprintf(why, why_cap, "no KVM");
    if (!caps)
        return ret;
    ncp_err_t e;
    ncp_err_init(&e);
    xmlDocPtr doc = parse(caps, &e);
    if (!doc)
        return ret;
    xmlNodePtr root = xmlDocGetRootElement(doc), cpu = child(root, "cpu"), host = NULL;
    for (xmlNodePtr n = cpu ? cpu->children : NULL; n && !host; n = n->next) {
        if (!named(n, "mode"))
            continue;
        xmlChar *name = xmlGetProp(n, (const xmlChar *)"name");
        if (name && strcmp((const char *)name, "host-model") == 0)
            host = n;
        xmlFree(name);
    }
    ret = "kvm";
    snprintf(why, why_cap, "KVM available");
    for (xmlNodePtr n = host ? host->children : NULL; n; n = n->next) {
        if (!named(n, "feature"))
            continue;
        xmlChar *pol = xmlGetProp(n, (const xmlChar *)"policy");
        xmlChar *name = xmlGetProp(n, (const xmlChar *)"name");
        if (pol && name && strcmp((const char *)pol, "disable") == 0)
            for (size_t i = 0; i < sizeof(baseline) / sizeof(baseline[0]); i++)
                if (strcmp((const char *)name, baseline[i]) == 0) {
                    ret = "qemu";
                    snprintf(why, why_cap, "KVM lacks the CPU feature %s", baseline[i]);
                }
        xmlFree(pol);
        xmlFree(name);
    }
    xmlFreeDoc(doc);
    return ret;
}
