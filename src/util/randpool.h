/* randpool.h — random bytes from libsodium's CSPRNG through a small
 * per-thread pool, for the many short draws of a bulk import (ids, data
 * keys, nonces): one system call per 16 KiB (a fresh seed expanded with
 * ChaCha20) rather than one per draw, which on a virtual machine is most of
 * an import's kernel time. Bytes handed out
 * are wiped from the pool; a forked child starts with an empty pool. Use it
 * wherever randombytes_buf would do. */
#ifndef MUSTER_UTIL_RANDPOOL_H
#define MUSTER_UTIL_RANDPOOL_H

#include <stddef.h>

/* Fills out with n random bytes. */
void rand_bytes(void *out, size_t n);

#endif
