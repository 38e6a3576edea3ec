/* randpool.c — see randpool.h. */
#include "util/randpool.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

#define POOL 16384

static _Thread_local unsigned char pool[POOL];
static _Thread_local size_t left; /* the unused bytes are pool[0, left) */
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Only the forking thread lives on in the child: emptying its pool is enough
 * for the child never to repeat the parent's bytes. */
static void forget(void)
{
    sodium_memzero(pool, sizeof pool);
    left = 0;
}

static void setup(void)
{
    pthread_atfork(NULL, NULL, forget);
}

void rand_bytes(void *out, size_t n)
{
    pthread_once(&once, setup);
    if (n > POOL / 16) {
        randombytes_buf(out, n);
        return;
    }
    if (left < n) {
        /* a fresh 32-byte seed from the system, expanded with ChaCha20
         * (libsodium's own construction): one system call a refill, where
         * randombytes_buf asks the kernel 256 bytes at a time */
        unsigned char seed[randombytes_SEEDBYTES];
        randombytes_buf(seed, sizeof seed);
        randombytes_buf_deterministic(pool, POOL, seed);
        sodium_memzero(seed, sizeof seed);
        left = POOL;
    }
    left -= n;
    memcpy(out, pool + left, n);
    sodium_memzero(pool + left, n);
}
