/* node.c — see node.h. */
#include "core/node.h"

#include "core/events.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_MAGIC "muster-node-key-v1 "

/* The store says where its files go (store_sidecar_path). */
void node_key_path(const char *db, char *out, size_t cap)
{
    store_sidecar_path(db, ".key", out, cap);
}

static void derive_keys(struct node *n, const uint8_t seed[32])
{
    crypto_sign_seed_keypair(n->pk, n->sk, seed);
    crypto_kdf_derive_from_key(n->kek, sizeof n->kek, 1, "musterKK", seed);
}

static int write_key_file(const char *path, const uint8_t seed[32], struct muster_err *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0)
        return err_set(err, MUSTER_EIO, "cannot create key file %s: %s", path, strerror(errno));
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, seed, 32);
    char line[128];
    int len = snprintf(line, sizeof line, "%s%s\n", KEY_MAGIC, hex);
    bool ok = write(fd, line, (size_t)len) == len && fsync(fd) == 0;
    close(fd);
    sodium_memzero(line, sizeof line);
    sodium_memzero(hex, sizeof hex);
    if (!ok)
        return err_set(err, MUSTER_EIO, "cannot write key file %s", path);
    return 0;
}

static int read_key_file(const char *path, uint8_t seed[32], struct muster_err *err)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return err_set(err, MUSTER_EIO, "cannot read key file %s: %s", path, strerror(errno));
    if (sb.st_mode & 077)
        return err_set(err, MUSTER_ECRYPTO, "key file %s is readable by others (chmod 600 it)",
                       path);
    FILE *f = fopen(path, "r");
    if (!f)
        return err_set(err, MUSTER_EIO, "cannot read key file %s: %s", path, strerror(errno));
    char line[128] = {0};
    bool ok = fgets(line, sizeof line, f) != NULL;
    fclose(f);
    size_t n = 0;
    ok = ok && strncmp(line, KEY_MAGIC, strlen(KEY_MAGIC)) == 0 &&
         sodium_hex2bin(seed, 32, line + strlen(KEY_MAGIC), 64, NULL, &n, NULL) == 0 && n == 32;
    sodium_memzero(line, sizeof line);
    if (!ok)
        return err_set(err, MUSTER_ECRYPTO, "key file %s is damaged", path);
    return 0;
}

int node_key_matches(const char *path, const uint8_t pk[32], struct muster_err *err)
{
    uint8_t seed[32];
    int rc = read_key_file(path, seed, err);
    if (rc)
        return rc;
    struct node n;
    derive_keys(&n, seed);
    sodium_memzero(seed, sizeof seed);
    if (sodium_memcmp(n.pk, pk, 32) != 0)
        rc = err_set(err, MUSTER_ECRYPTO, "key file %s does not belong to this node", path);
    sodium_memzero(&n, sizeof n);
    return rc;
}

static bool valid_nation(const char *s)
{
    if (strlen(s) != 3)
        return false;
    for (int i = 0; i < 3; i++)
        if (s[i] < 'A' || s[i] > 'Z')
            return false;
    return true;
}

int node_init(const char *db, const char *nation, struct muster_err *err)
{
    if (sodium_init() < 0)
        return err_set(err, MUSTER_ECRYPTO, "libsodium failed to start");
    if (!valid_nation(nation))
        return err_set(err, MUSTER_EINVAL, "nation '%s' is not an ISO 3166-1 alpha-3 code", nation);
    char shown[512];
    if (store_exists(db))
        return err_set(err, MUSTER_ECONFLICT, "%s already exists",
                       store_display(db, shown, sizeof shown));
    char keypath[1100];
    node_key_path(db, keypath, sizeof keypath);
    uint8_t seed[32];
    randombytes_buf(seed, sizeof seed);
    int rc = write_key_file(keypath, seed, err);
    if (rc)
        return rc;

    struct node n = {0};
    derive_keys(&n, seed);
    sodium_memzero(seed, sizeof seed);
    uint8_t id[16];
    randombytes_buf(id, sizeof id);
    sodium_bin2hex(n.origin, sizeof n.origin, id, sizeof id);
    snprintf(n.nation, sizeof n.nation, "%s", nation);

    rc = store_open(db, true, &n.st, err);
    if (rc) {
        unlink(keypath);
        return rc;
    }
    char pkhex[65];
    sodium_bin2hex(pkhex, sizeof pkhex, n.pk, 32);
    json_t *body =
        json_pack("{s:s, s:s, s:s}", "origin", n.origin, "nation", nation, "public_key", pkhex);
    rc = n.st->ops->begin(n.st, err);
    if (!rc)
        rc = n.st->ops->meta_put(n.st, "origin", n.origin, err);
    if (!rc)
        rc = n.st->ops->meta_put(n.st, "nation", nation, err);
    if (!rc)
        rc = n.st->ops->node_put(n.st, n.origin, nation, n.pk, err);
    if (!rc) {
        n.in_tx = true;
        rc = ev_append(&n, "system", NULL, "node.created", body, err);
        n.in_tx = false;
    }
    if (!rc)
        rc = n.st->ops->commit(n.st, err);
    else
        n.st->ops->rollback(n.st);
    json_decref(body);
    store_close(n.st);
    sodium_memzero(&n, sizeof n);
    if (rc) {
        struct muster_err ignored;
        unlink(keypath);
        store_destroy(db, &ignored);
    }
    return rc;
}

int node_open(const char *db, struct node **out, struct muster_err *err)
{
    if (sodium_init() < 0)
        return err_set(err, MUSTER_ECRYPTO, "libsodium failed to start");
    char shown[512];
    store_display(db, shown, sizeof shown);
    if (!store_exists(db))
        return err_set(err, MUSTER_ENOTFOUND, "no database at %s (muster init --db %s makes one)",
                       shown, shown);
    char keypath[1100];
    node_key_path(db, keypath, sizeof keypath);
    uint8_t seed[32];
    int rc = read_key_file(keypath, seed, err);
    if (rc)
        return rc;
    struct node *n = sodium_malloc(sizeof *n);
    memset(n, 0, sizeof *n);
    derive_keys(n, seed);
    sodium_memzero(seed, sizeof seed);
    rc = store_open(db, false, &n->st, err);
    if (!rc)
        rc = n->st->ops->meta_get(n->st, "origin", n->origin, sizeof n->origin, err);
    if (!rc)
        rc = n->st->ops->meta_get(n->st, "nation", n->nation, sizeof n->nation, err);
    if (!rc) {
        uint8_t pk[32];
        rc = n->st->ops->node_key(n->st, n->origin, pk, err);
        if (!rc && sodium_memcmp(pk, n->pk, 32) != 0)
            rc = err_set(err, MUSTER_ECRYPTO, "key file %s does not belong to %s", keypath, shown);
    }
    if (!rc)
        rc = n->st->ops->event_head(n->st, n->origin, &n->head, err);
    if (!rc)
        rc = ev_rebuild_if_asked(n, err);
    if (rc) {
        node_close(n);
        return rc;
    }
    *out = n;
    return 0;
}

void node_close(struct node *n)
{
    if (!n)
        return;
    store_close(n->st);
    json_decref(n->pii_cache);
    sodium_free(n);
}
