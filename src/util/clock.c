/* clock.c: see clock.h. */
#include "util/clock.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static ncp_clock_fn clock_fn;
static int offset_min = 540;

int64_t ncp_clock_now_ms(void)
{
    if (clock_fn)
        return clock_fn();
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t ncp_clock_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void ncp_clock_set(ncp_clock_fn fn)
{
    clock_fn = fn;
}

void ncp_clock_set_offset_min(int minutes)
{
    offset_min = minutes;
}

char *ncp_clock_fmt(int64_t ms, char *out, size_t cap)
{
    time_t t = (time_t)(ms / 1000) + (time_t)offset_min * 60;
    struct tm tm;
    gmtime_r(&t, &tm);
    int off = offset_min < 0 ? -offset_min : offset_min;
    snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d%02d", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
             offset_min < 0 ? '-' : '+', off / 60, off % 60);
    return out;
}

