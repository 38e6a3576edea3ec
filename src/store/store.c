/* store.c — picks the backend from the URI, and says where a store's
 * files are and how to show its URI, so that nothing above store/ needs to
 * know which backend runs. */
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
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

int store_destroy(const char *uri, struct muster_err *err)
{
    if (store_is_pg_uri(uri))
        return store_pg_destroy(uri, err);
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        char path[1100];
        snprintf(path, sizeof path, "%s%s", uri, suffixes[i]);
        if (unlink(path) != 0 && errno != ENOENT)
            return err_set(err, MUSTER_EIO, "cannot remove %s: %s", path, strerror(errno));
    }
    return 0;
}

void store_sidecar_path(const char *uri, const char *suffix, char *out, size_t cap)
{
    if (store_is_pg_uri(uri))
        store_pg_sidecar_path(uri, suffix, out, cap);
    else
        snprintf(out, cap, "%s%s", uri, suffix);
}

const char *store_display(const char *uri, char *out, size_t cap)
{
    if (store_is_pg_uri(uri))
        store_pg_display(uri, out, cap);
    else
        snprintf(out, cap, "%s", uri);
    return out;
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
