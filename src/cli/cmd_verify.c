/* cmd_verify.c — `muster verify`: re-hash every chain, check every signature. */
#include "cli/cli.h"
#include "cli/cmd.h"
#include "core/events.h"
#include "store/store.h"
#include "util/timeutil.h"

#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

static const char usage[] =
    "usage: muster verify [--db PATH] [--threads N] [--json]\n\n"
    "Re-hashes the event log of the node at PATH (default $MUSTER_DB), chain\n"
    "by chain, and checks every event's Ed25519 signature against its origin\n"
    "node's public key.\n"
    "Names the first bad event and exits 1 if anything was edited; 0 if sound.\n"
    "Needs no key file: anyone holding the database can check it.\n";

int cmd_verify(int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        fputs(usage, stdout);
        return 0;
    }
    const char *db = cli_db_default();
    int json = 0, threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
    long long num;
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"threads", required_argument, NULL, 't'},
        {"json", no_argument, NULL, 'j'},
        {0, 0, 0, 0},
    };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 't') {
            if (cli_int("verify", "--threads", optarg, 1, 1024, &num))
                return 2;
            threads = (int)num;
        } else if (c == 'j')
            json = 1;
        else
            return cli_fail("verify", 2, "unknown option %s (muster verify --help)",
                            argv[optind - 1]);
    }
    if (!db)
        return cli_fail("verify", 2, "--db (or MUSTER_DB) is required (muster verify --help)");
    if (!store_exists(db))
        return cli_fail("verify", 2, "no database at %s", STORE_SHOWN(db));
    struct muster_err err;
    struct store *st;
    if (store_open(db, false, &st, &err))
        return cli_fail("verify", 2, "%s", err.msg);
    struct ev_verify_result res;
    struct progress pg;
    progress_begin(&pg, "verifying", 0);
    double t0 = time_mono();
    int rc = ev_verify_progress(st, threads, progress_report, &pg, &res, &err);
    double secs = time_mono() - t0;
    progress_end(&pg);
    store_close(st);
    if (json) {
        printf("{\"ok\":%s,\"events\":%lld,\"chains\":%lld,\"seconds\":%.3f", rc ? "false" : "true",
               (long long)res.events, (long long)res.origins, secs);
        if (res.bad_id)
            printf(",\"bad_event\":{\"id\":%lld,\"origin\":\"%s\",\"seq\":%lld,\"reason\":\"%s\"}",
                   (long long)res.bad_id, res.bad_origin, (long long)res.bad_seq, res.reason);
        printf("}\n");
    }
    if (rc == MUSTER_ECRYPTO)
        return json ? 1 : cli_fail("verify", 1, "%s", err.msg);
    if (rc)
        return cli_fail("verify", 2, "%s", err.msg);
    if (!json)
        printf("ok: %lld events in %lld chain(s) verified in %.2f s\n", (long long)res.events,
               (long long)res.origins, secs);
    return 0;
}
