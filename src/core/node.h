/* node.h — this node's identity and its open store.
 *
 * A node is one muster database plus its secret key file. `muster init`
 * makes a random origin id and an Ed25519 key pair; the 32-byte seed is kept
 * in "<db>.key" (mode 0600) next to the database, never in it. From the seed
 * comes the key-encryption key that wraps every per-person data key (see
 * core/pii.h), so a copy of the database alone reveals no personal field. */
#ifndef MUSTER_CORE_NODE_H
#define MUSTER_CORE_NODE_H

#include "store/store.h"
#include "util/err.h"

#include <stdbool.h>
#include <stdint.h>

struct node {
    struct store *st;
    char origin[33]; /* 32 hex chars */
    char nation[4];
    uint8_t pk[32], sk[64];
    uint8_t kek[32];
    struct store_head head; /* this node's own chain, kept in step with the store */
    bool in_tx;
    /* fields sealed for the event being appended, by subject, so that its
     * projection need not decrypt what was just encrypted; emptied by
     * ev_append (see core/pii.c) */
    struct json_t *pii_cache;
    int64_t appended; /* events appended through this handle (for metrics) */
};

/* Creates a new node: the database at db (must not exist yet), the key file
 * "<db>.key", and the first event (node.created). nation is ISO alpha-3. */
int node_init(const char *db, const char *nation, struct muster_err *err);
/* Opens an existing node; *out is freed with node_close(). */
int node_open(const char *db, struct node **out, struct muster_err *err);
/* Closes the store and wipes the keys from memory. */
void node_close(struct node *n);
/* 0 when the key file at path holds the secret key of the public key pk;
 * MUSTER_ECRYPTO when it is another node's or damaged, MUSTER_EIO when it
 * cannot be read. */
int node_key_matches(const char *path, const uint8_t pk[32], struct muster_err *err);
/* Writes the path of the key file of db into out. */
void node_key_path(const char *db, char *out, size_t cap);

#endif
