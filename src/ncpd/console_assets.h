/* console_assets.h: the web console's files (src/console/), compiled into
 * the binary by cmake/embed_console.cmake at build time. */
#ifndef NCPD_CONSOLE_ASSETS_H
#define NCPD_CONSOLE_ASSETS_H
#include <stddef.h>

typedef struct ncpd_asset {
    const char *name;          /* path below src/console/, e.g. "app.js" */
    const unsigned char *data; /* NUL-terminated (the NUL is not counted) */
    size_t len;
} ncpd_asset_t;

extern const ncpd_asset_t ncpd_console_assets[];
extern const size_t ncpd_console_n_assets;

#endif
