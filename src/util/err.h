/* err.h — the error a person reads.
 *
 * Library functions return an int status (0 ok, negative error) and fill a
 * caller-owned struct muster_err with a one-line reason. They never print. */
#ifndef MUSTER_UTIL_ERR_H
#define MUSTER_UTIL_ERR_H

#include <stdarg.h>

enum muster_errcode {
    MUSTER_OK = 0,
    MUSTER_EINVAL = -1, /* bad input: the caller or the user gave something wrong */
    MUSTER_ENOTFOUND = -2,
    MUSTER_ECONFLICT = -3, /* the state forbids it (transition, duplicate) */
    MUSTER_EIO = -4,       /* the store or the file system failed */
    MUSTER_ECRYPTO = -5,   /* a hash, signature or key check failed */
    MUSTER_ENOMEM = -6,
    MUSTER_EDENIED = -7, /* the caller may not see or do this */
};

struct muster_err {
    int code;
    char msg[256];
};

/* Sets err (if not NULL) to code and a printf-style message; returns code. */
int err_set(struct muster_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Clears err to MUSTER_OK and an empty message. */
void err_clear(struct muster_err *err);

#endif
