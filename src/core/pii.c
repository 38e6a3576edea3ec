/* pii.c — see pii.h. */
#include "core/pii.h"

#include "util/buf.h"
#include "util/jcanon.h"
#include "util/randpool.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define NONCE crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG   crypto_aead_xchacha20poly1305_ietf_ABYTES

/* The AEAD and the randomness of keys and nonces, in one place so that
 * bench/bench_crypto.sh can build a second binary without them
 * (-DMUSTER_BENCH_NO_AEAD: the AEAD becomes a copy, keys and nonces zero)
 * and measure what encryption costs. The Makefile never defines it: that
 * binary lives in build/bench/ only and must never hold real data. */
#ifndef MUSTER_BENCH_NO_AEAD
static void fill_random(uint8_t *p, size_t n)
{
    rand_bytes(p, n);
}

static void aead_seal(uint8_t *c, const uint8_t *m, size_t mlen, const char *ad,
                      const uint8_t *nonce, const uint8_t *key)
{
    crypto_aead_xchacha20poly1305_ietf_encrypt(c, NULL, m, mlen, (const uint8_t *)ad, strlen(ad),
                                               NULL, nonce, key);
}

static int aead_open(uint8_t *m, const uint8_t *c, size_t clen, const char *ad,
                     const uint8_t *nonce, const uint8_t *key)
{
    return crypto_aead_xchacha20poly1305_ietf_decrypt(m, NULL, NULL, c, clen, (const uint8_t *)ad,
                                                      strlen(ad), nonce, key);
}
#else
static void fill_random(uint8_t *p, size_t n)
{
    memset(p, 0, n);
}

static void aead_seal(uint8_t *c, const uint8_t *m, size_t mlen, const char *ad,
                      const uint8_t *nonce, const uint8_t *key)
{
    memcpy(c, m, mlen);
    memset(c + mlen, 0, TAG);
}

static int aead_open(uint8_t *m, const uint8_t *c, size_t clen, const char *ad,
                     const uint8_t *nonce, const uint8_t *key)
{
    memcpy(m, c, clen - TAG);
    return 0;
}
#endif

void pii_make_key(const struct node *n, const char *subject, uint8_t key[32],
                  uint8_t wrapped[PII_WRAPPED])
{
    fill_random(key, 32);
    pii_wrap(n, subject, key, wrapped);
}

int pii_put_key(struct node *n, const char *subject, const uint8_t wrapped[PII_WRAPPED],
                json_t *fields, struct muster_err *err)
{
    int rc = n->st->ops->key_put(n->st, subject, wrapped, PII_WRAPPED, err);
    if (!rc && fields && n->in_tx) {
        if (!n->pii_cache)
            n->pii_cache = json_object();
        json_object_set(n->pii_cache, subject, fields);
    }
    return rc;
}

int pii_new_key(struct node *n, const char *subject, struct muster_err *err)
{
    uint8_t key[32], wrapped[PII_WRAPPED];
    pii_make_key(n, subject, key, wrapped);
    sodium_memzero(key, sizeof key);
    return pii_put_key(n, subject, wrapped, NULL, err);
}

static int load_key(struct node *n, const char *subject, uint8_t key[32], struct muster_err *err)
{
    uint8_t wrapped[PII_WRAPPED];
    size_t len = 0;
    int rc = n->st->ops->key_get(n->st, subject, wrapped, sizeof wrapped, &len, err);
    if (rc)
        return rc;
    if (len != PII_WRAPPED ||
        aead_open(key, wrapped + NONCE, len - NONCE, subject, wrapped, n->kek))
        return err_set(err, MUSTER_ECRYPTO, "the data key of %s does not unwrap", subject);
    return 0;
}

void pii_seal_text(const char *subject, const uint8_t key[32], const char *plain, size_t plen,
                   struct buf *out)
{
    size_t clen = NONCE + plen + TAG;
    uint8_t small[1024], *blob = clen <= sizeof small ? small : malloc(clen);
    fill_random(blob, NONCE);
    aead_seal(blob + NONCE, (const uint8_t *)plain, plen, subject, blob, key);
    buf_base64(out, blob, clen); /* ciphertext is public: no constant-time encoder needed */
    if (blob != small)
        free(blob);
}

int pii_seal_with(const char *subject, const uint8_t key[32], json_t *fields, char **out,
                  struct muster_err *err)
{
    size_t plen = 0;
    char *plain = jcanon_dumps(fields, &plen);
    if (!plain)
        return err_set(err, MUSTER_EINVAL, "the fields of %s are not valid UTF-8", subject);
    struct buf b64 = {0};
    pii_seal_text(subject, key, plain, plen, &b64);
    sodium_memzero(plain, plen);
    free(plain);
    *out = b64.data; /* a buf is always NUL-terminated */
    return 0;
}

int pii_seal(struct node *n, const char *subject, json_t *fields, char **out,
             struct muster_err *err)
{
    uint8_t key[32];
    int rc = load_key(n, subject, key, err);
    if (rc)
        return rc;
    if (n->in_tx) {
        if (!n->pii_cache)
            n->pii_cache = json_object();
        json_object_set(n->pii_cache, subject, fields);
    }
    rc = pii_seal_with(subject, key, fields, out, err);
    sodium_memzero(key, sizeof key);
    return rc;
}

json_t *pii_open_with(const char *subject, const uint8_t key[32], const char *sealed,
                      struct muster_err *err)
{
    size_t cap = strlen(sealed), clen = 0;
    uint8_t *blob = malloc(cap + 1);
    json_t *out = NULL;
    if (sodium_base642bin(blob, cap, sealed, cap, NULL, &clen, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        clen < NONCE + TAG) {
        err_set(err, MUSTER_ECRYPTO, "sealed fields of %s are not base64", subject);
        free(blob);
        return NULL;
    }
    size_t plen = clen - NONCE - TAG;
    char *plain = malloc(plen + 1);
    if (aead_open((uint8_t *)plain, blob + NONCE, clen - NONCE, subject, blob, key) != 0) {
        err_set(err, MUSTER_ECRYPTO, "sealed fields of %s do not authenticate", subject);
    } else {
        json_error_t jerr;
        out = json_loadb(plain, plen, 0, &jerr);
        if (!out)
            err_set(err, MUSTER_ECRYPTO, "sealed fields of %s are not JSON", subject);
    }
    sodium_memzero(plain, plen);
    free(plain);
    free(blob);
    return out;
}

json_t *pii_open(struct node *n, const char *subject, const char *sealed, struct muster_err *err)
{
    json_t *cached = n->pii_cache ? json_object_get(n->pii_cache, subject) : NULL;
    if (cached)
        return json_incref(cached);
    uint8_t key[32];
    if (load_key(n, subject, key, err))
        return NULL;
    json_t *out = pii_open_with(subject, key, sealed, err);
    sodium_memzero(key, sizeof key);
    return out;
}

int pii_key(struct node *n, const char *subject, uint8_t key[32], struct muster_err *err)
{
    return load_key(n, subject, key, err);
}

void pii_wrap(const struct node *n, const char *subject, const uint8_t key[32],
              uint8_t wrapped[PII_WRAPPED])
{
    fill_random(wrapped, NONCE);
    aead_seal(wrapped + NONCE, key, 32, subject, wrapped, n->kek);
}

int pii_destroy(struct node *n, const char *subject, struct muster_err *err)
{
    return n->st->ops->key_destroy(n->st, subject, err);
}
