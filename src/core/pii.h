/* pii.h — personal fields encrypted with a key of their own person.
 *
 * Every person has a random 32-byte data key. It is stored wrapped
 * (XChaCha20-Poly1305 under the node's key-encryption key) in the store's key
 * table, outside the log. Personal fields travel in event bodies as one
 * sealed string: base64(nonce || XChaCha20-Poly1305(JSON fields)), with the
 * person's id as associated data, so a sealed blob cannot be moved to another
 * person. Destroying the key (pii_destroy) makes every copy unreadable while
 * the hash chain, which covers the ciphertext, still verifies. */
#ifndef MUSTER_CORE_PII_H
#define MUSTER_CORE_PII_H

#include "core/node.h"
#include "util/err.h"

#include <jansson.h>

/* Makes and stores a new data key for subject (inside a transaction). */
int pii_new_key(struct node *n, const char *subject, struct muster_err *err);
/* Seals fields (a JSON object) for subject; *out is a malloc'd string. */
int pii_seal(struct node *n, const char *subject, json_t *fields, char **out,
             struct muster_err *err);
/* Opens a sealed string of subject; returns a new JSON object, or NULL with
 * err MUSTER_ENOTFOUND when the key is destroyed, MUSTER_ECRYPTO when the
 * blob does not authenticate. */
json_t *pii_open(struct node *n, const char *subject, const char *sealed, struct muster_err *err);
/* Destroys subject's key on this node (crypto-shredding). */
int pii_destroy(struct node *n, const char *subject, struct muster_err *err);

#endif
