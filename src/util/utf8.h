/* utf8.h: strict UTF-8 validation (no overlongs, no surrogates, <= U+10FFFF). */
#ifndef NCP_UTF8_H
#define NCP_UTF8_H
#include <stdbool.h>
#include <stddef.h>

bool ncp_utf8_valid(const char *s, size_t len);
/* Length of the valid sequence at s (1..4), or 0 if invalid/truncated. */
size_t ncp_utf8_seq(const unsigned char *s, size_t len);
/* Number of code points of a valid string. */
size_t ncp_utf8_chars(const char *s, size_t len);

#endif
