/* paxlst_int.h — helpers shared by the PAXLST files (not a public interface). */
#ifndef MUSTER_TRAVEL_PAXLST_INT_H
#define MUSTER_TRAVEL_PAXLST_INT_H

#include "travel/edifact.h"
#include "travel/paxlst.h"

/* Checks a finished message's people and control totals; adds diagnostics. */
void paxlst_check_message(const struct paxlst_message *m, struct edi_diags *d);

/* Splits a journey id without a carrier element ("OK688") into an airline
 * designator and a number when it has that shape; else carrier stays NULL
 * and number is the whole id. Strings are the arena's. */
void paxlst_split_flight(struct arena *a, const char *id, const char **carrier,
                         const char **number);

#endif
