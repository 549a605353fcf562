/* clock.h: wall clock in milliseconds (injectable for tests) and NCP dates. */
#ifndef NCP_CLOCK_H
#define NCP_CLOCK_H
#include <stddef.h>
#include <stdint.h>

typedef int64_t (*ncp_clock_fn)(void);

int64_t ncp_clock_now_ms(void);
int64_t ncp_clock_mono_ms(void);
void ncp_clock_set(ncp_clock_fn fn);        /* NULL restores the real clock */
/* Offset of rendered dates from UTC in minutes (default +540, Asia/Seoul). */
void ncp_clock_set_offset_min(int minutes);
/* "yyyy-MM-ddTHH:mm:ss+0900" into out (>= 25 bytes). Returns out. */
char *ncp_clock_fmt(int64_t ms, char *out, size_t cap);

#define NCP_DATE_LEN 32

#endif
