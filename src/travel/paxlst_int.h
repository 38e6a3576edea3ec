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

enum paxlst_century { CENT_FLIGHT, CENT_BIRTH, CENT_EXPIRY };

/* Reads a DTM C507 value by its format code (101, 102, 201, 203) or, without
 * one, by its length; two-digit years by the given rule. Returns 0 or -1. */
int paxlst_read_dtm(const struct edi_segment *s, int ref_year, enum paxlst_century cent,
                    struct paxlst_datetime *out);
/* Reads UNB S004 (YYMMDD:HHMM) into out; 0, or -1 when present but malformed. */
int paxlst_read_unb_time(const struct edi_segment *s, struct paxlst_datetime *out);
/* Writes TDT and its LOC/DTM group for one leg. */
void paxlst_w_leg(struct edi_writer *w, const struct paxlst_leg *l);
/* Writes the TDT carrier/number of a leg into a leg read back (shared by CUSRES). */
void paxlst_take_tdt(struct arena *a, const struct edi_segment *s, struct paxlst_leg *l);
/* Writes a UNB/UNG date-time element (YYMMDD:HHMM). */
void paxlst_w_unb_time(struct edi_writer *w, struct paxlst_datetime t);

/* JSON pieces shared with cusres.c: a string (or null), a date-time (or null),
 * a leg object, a diagnostic object. */
void paxlst_json_str(struct buf *b, const char *s);
void paxlst_json_time(struct buf *b, struct paxlst_datetime t);
void paxlst_json_leg(struct buf *b, const struct paxlst_leg *l);
void paxlst_json_diag(struct buf *b, const struct edi_diag *g);

#endif
