/* rng.h — a small deterministic PRNG (xoshiro256**) for generators and
 * property tests: the same seed gives the same sequence on every machine.
 * Not for keys or tokens: those come from libsodium. */
#ifndef MUSTER_UTIL_RNG_H
#define MUSTER_UTIL_RNG_H

#include <stdint.h>

struct rng {
    uint64_t s[4];
};

/* Seeds the generator (splitmix64 expansion of seed). */
void rng_seed(struct rng *r, uint64_t seed);
/* The next 64 random bits. */
uint64_t rng_next(struct rng *r);
/* A uniform integer in [0, n) (n > 0). */
uint64_t rng_below(struct rng *r, uint64_t n);
/* A uniform double in [0, 1). */
double rng_unit(struct rng *r);
/* A normally distributed double (mean 0, sd 1). */
double rng_normal(struct rng *r);
/* Picks an index in [0, n) with the given non-negative weights. */
int rng_weighted(struct rng *r, const double *w, int n);

#endif
