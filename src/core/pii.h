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

#include "util/buf.h"

#include <jansson.h>

#include <stdint.h>

/* A wrapped data key: nonce, the key under the node's KEK, tag. */
#define PII_WRAPPED (24 + 32 + 16)

/* Makes and stores a new data key for subject (inside a transaction). */
int pii_new_key(struct node *n, const char *subject, struct muster_err *err);
/* Makes a new data key for subject and its wrapped form, without the store
 * (any thread: bulk imports make keys and seal on worker threads). */
void pii_make_key(const struct node *n, const char *subject, uint8_t key[32],
                  uint8_t wrapped[PII_WRAPPED]);
/* Stores a key made by pii_make_key (inside a transaction). fields, when not
 * NULL, are the person's fields in clear: the projection of the event that
 * carries them then needs no decryption. */
int pii_put_key(struct node *n, const char *subject, const uint8_t wrapped[PII_WRAPPED],
                json_t *fields, struct muster_err *err);
/* Seals fields with key, without the store (any thread); *out is malloc'd. */
/* pii_seal_with for fields already in canonical text: appends the sealed
 * string (base64) to out. */
void pii_seal_text(const char *subject, const uint8_t key[32], const char *plain, size_t plen,
                   struct buf *out);
int pii_seal_with(const char *subject, const uint8_t key[32], json_t *fields, char **out,
                  struct muster_err *err);
/* Seals fields (a JSON object) for subject; *out is a malloc'd string. */
int pii_seal(struct node *n, const char *subject, json_t *fields, char **out,
             struct muster_err *err);
/* Opens a sealed string of subject; returns a JSON object the caller
 * json_decrefs and does not change (it may be shared), or NULL with
 * err MUSTER_ENOTFOUND when the key is destroyed, MUSTER_ECRYPTO when the
 * blob does not authenticate. */
json_t *pii_open(struct node *n, const char *subject, const char *sealed, struct muster_err *err);
/* The data key of subject in clear, for sealing it to a peer (core/share.h);
 * MUSTER_ENOTFOUND when destroyed. The caller wipes key after use. */
int pii_key(struct node *n, const char *subject, uint8_t key[32], struct muster_err *err);
/* Wraps a key received from a peer under this node's key-encryption key. */
void pii_wrap(const struct node *n, const char *subject, const uint8_t key[32],
              uint8_t wrapped[PII_WRAPPED]);
/* pii_open with a key in hand (no store, no cache). */
json_t *pii_open_with(const char *subject, const uint8_t key[32], const char *sealed,
                      struct muster_err *err);
/* Destroys subject's key on this node (crypto-shredding). */
int pii_destroy(struct node *n, const char *subject, struct muster_err *err);

#endif
