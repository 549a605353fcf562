/* faultshim.c: an LD_PRELOAD library for fault-injection tests of ncpd.
 *
 * It makes the disk and the clock misbehave on command, so that tests can
 * check what ncpd does when an fsync fails or the wall clock is stepped.
 * The test and the daemon share a small control file, named by the
 * environment variable NCPD_FAULTS_CTL and mapped into both (the test writes
 * it with Python's mmap); without that variable the shim changes nothing.
 *
 * Layout of the control file (little-endian, 4096 bytes):
 *   0  int64  wall-clock offset in milliseconds added to CLOCK_REALTIME,
 *             time() and gettimeofday() (the monotonic clock is untouched)
 *   8  int32  when non-zero, fsync() and fdatasync() fail with EIO
 *  16  int64  fsync/fdatasync calls seen
 *  24  int64  fsync/fdatasync calls failed
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

typedef struct ctl {
    int64_t clock_offset_ms;
    int32_t fsync_fail;
    int32_t pad;
    int64_t fsync_calls;
    int64_t fsync_failed;
} ctl_t;

static ctl_t *ctl;
static int (*real_clock_gettime)(clockid_t, struct timespec *);

__attribute__((constructor)) static void shim_init(void)
{
    real_clock_gettime = (int (*)(clockid_t, struct timespec *))dlsym(RTLD_NEXT, "clock_gettime");
    const char *path = getenv("NCPD_FAULTS_CTL");
    if (!path || !*path)
        return;
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return;
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p != MAP_FAILED)
        ctl = p;
}

static int64_t offset_ms(void)
{
    return ctl ? __atomic_load_n(&ctl->clock_offset_ms, __ATOMIC_RELAXED) : 0;
}

static int sync_fault(void)
{
    if (!ctl)
        return 0;
    __atomic_add_fetch(&ctl->fsync_calls, 1, __ATOMIC_RELAXED);
    if (!__atomic_load_n(&ctl->fsync_fail, __ATOMIC_RELAXED))
        return 0;
    __atomic_add_fetch(&ctl->fsync_failed, 1, __ATOMIC_RELAXED);
    errno = EIO;
    return -1;
}

int fsync(int fd)
{
    if (sync_fault() < 0)
        return -1;
    return (int)syscall(SYS_fsync, fd);
}

int fdatasync(int fd)
{
    if (sync_fault() < 0)
        return -1;
    return (int)syscall(SYS_fdatasync, fd);
}

static void shift(struct timespec *ts, int64_t ms)
{
    int64_t ns = (int64_t)ts->tv_sec * 1000000000LL + ts->tv_nsec + ms * 1000000LL;
    ts->tv_sec = (time_t)(ns / 1000000000LL);
    ts->tv_nsec = (long)(ns % 1000000000LL);
}

int clock_gettime(clockid_t id, struct timespec *ts)
{
    int r = real_clock_gettime ? real_clock_gettime(id, ts)
                               : (int)syscall(SYS_clock_gettime, id, ts);
    int64_t off = offset_ms();
    if (r == 0 && off && (id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE))
        shift(ts, off);
    return r;
}

#pragma GCC diagnostic ignored "-Wnonnull-compare" /* glibc declares tv nonnull; callers pass NULL */
int gettimeofday(struct timeval *tv, void *tz)
{
    (void)tz;
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
        return -1;
    if (tv) {
        tv->tv_sec = ts.tv_sec;
        tv->tv_usec = ts.tv_nsec / 1000;
    }
    return 0;
}

time_t time(time_t *t)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (t)
        *t = ts.tv_sec;
    return ts.tv_sec;
}
