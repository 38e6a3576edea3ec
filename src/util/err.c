/* err.c — see err.h. */
#include "util/err.h"

#include <stdio.h>

int err_set(struct muster_err *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        err->code = code;
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

void err_clear(struct muster_err *err)
{
    if (err) {
        err->code = MUSTER_OK;
        err->msg[0] = '\0';
    }
}
