/* sqlite_sync.c — flushing and checkpoints away from the writer (the
 * server's group commit): the writer's commits are written to the WAL but
 * not flushed (synchronous=NORMAL) and never checkpoint; another thread
 * makes them durable with one fdatasync of the WAL, while the writer goes
 * on with the next batch, and a third copies the WAL into the database.
 *
 * Why it is as safe as synchronous=FULL: in WAL mode a FULL commit is the
 * same write of the frames followed by an fsync of the WAL; the fsync here
 * comes later, from another file descriptor of the same file, and whoever
 * waits for durability waits for it. A checkpoint flushes the WAL before
 * it copies a page. */
#include "store/sqlite_int.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int sq_defer_sync(struct store *s, struct muster_err *err)
{
    if (sqlite3_exec(sq(s)->db, "PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0", NULL,
                     NULL, NULL) != SQLITE_OK)
        return sq_error(sq(s), err, "defer_sync");
    return 0;
}

/* fsyncs the folder of path, so that a file made in it stays. */
static int sync_dir(const char *path, struct muster_err *err)
{
    char copy[sizeof((struct store *)0)->path];
    snprintf(copy, sizeof copy, "%s", path);
    int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc = fd >= 0 && fsync(fd) == 0 ? 0 : -1;
    if (fd >= 0)
        close(fd);
    return rc ? err_set(err, MUSTER_EIO, "cannot flush the folder of %s: %s", path, strerror(errno))
              : 0;
}

static int sq_sync(struct store *s, struct muster_err *err)
{
    struct sqlite_store *ss = sq(s);
    struct stat sb;
    /* a WAL removed and made again (every handle closed meanwhile) is
     * another file: open the new one */
    if (ss->wal_fd >= 0 && (fstat(ss->wal_fd, &sb) != 0 || sb.st_nlink == 0)) {
        close(ss->wal_fd);
        ss->wal_fd = -1;
    }
    if (ss->wal_fd < 0) {
        char path[sizeof s->path + 8];
        snprintf(path, sizeof path, "%s-wal", s->path);
        ss->wal_fd = open(path, O_RDONLY | O_CLOEXEC);
        if (ss->wal_fd < 0)
            return err_set(err, MUSTER_EIO, "cannot open %s: %s", path, strerror(errno));
        int rc = sync_dir(s->path, err);
        if (rc) {
            close(ss->wal_fd);
            ss->wal_fd = -1;
            return rc;
        }
    }
    if (fdatasync(ss->wal_fd) != 0)
        return err_set(err, MUSTER_EIO, "cannot flush %s-wal: %s", s->path, strerror(errno));
    return 0;
}

static int sq_checkpoint(struct store *s, struct muster_err *err)
{
    int log = 0, copied = 0;
    int rc = sqlite3_wal_checkpoint_v2(sq(s)->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY)
        return sq_error(sq(s), err, "checkpoint");
    return 0;
}

void sq_sync_ops(struct store_ops *o)
{
    o->defer_sync = sq_defer_sync;
    o->sync = sq_sync;
    o->checkpoint = sq_checkpoint;
}
