/* store.c — picks the backend from the URI. */
#include "store/store.h"

#include <string.h>

int store_open(const char *uri, bool create, struct store **out, struct muster_err *err)
{
    if (strncmp(uri, "postgres://", 11) == 0 || strncmp(uri, "postgresql://", 13) == 0)
        return err_set(err, MUSTER_EINVAL, "the PostgreSQL store is not built yet");
    return store_sqlite_open(uri, create, out, err);
}

void store_close(struct store *s)
{
    if (s)
        s->ops->close(s);
}
