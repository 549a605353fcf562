/* store.c: backend registry. */
#include "store/store.h"

#include <string.h>

const ncp_store_ops_t *ncp_store_backend(const char *name)
{
    if (!name || strcmp(name, "sqlite") == 0)
        return &ncp_store_sqlite_ops;
    return NULL;
}
