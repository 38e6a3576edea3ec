/* store.c — picks the backend from the URI. */
#include "store/store.h"

#include <string.h>
#include <unistd.h>

bool store_is_pg_uri(const char *uri)
{
    return strncmp(uri, "postgres://", 11) == 0 || strncmp(uri, "postgresql://", 13) == 0;
}

bool store_exists(const char *uri)
{
    if (store_is_pg_uri(uri))
        return store_pg_exists(uri);
    return access(uri, F_OK) == 0;
}

int store_open(const char *uri, bool create, struct store **out, struct muster_err *err)
{
    if (store_is_pg_uri(uri))
        return store_pg_open(uri, create, out, err);
    return store_sqlite_open(uri, create, out, err);
}

void store_close(struct store *s)
{
    if (s)
        s->ops->close(s);
}
