/* json_write.c — the instance and the plan output as JSON text (docs/plan.md).
 * Written straight into a buffer: a 2 M-person instance is ~200 MB and a
 * DOM would need several times that. */
#include "plan/internal.h"

#include "util/timeutil.h"

#include <math.h>
#include <string.h>

static void put_str(struct buf *b, const char *s)
{
    buf_putc(b, '"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            buf_putc(b, '\\');
            buf_putc(b, (char)c);
        } else if (c < 0x20) {
            buf_printf(b, "\\u%04x", c);
        } else {
            buf_putc(b, (char)c);
        }
    }
    buf_putc(b, '"');
}

/* Ids read as JSON numbers go back out as numbers. */
static void put_id(struct buf *b, const struct plan_instance *in, const char *id)
{
    bool digits = in->ids_numeric && *id && strlen(id) < 16;
    for (const char *p = id; digits && *p; p++)
        digits = (*p >= '0' && *p <= '9') || (p == id && *p == '-' && p[1]);
    if (digits && !(id[0] == '0' && id[1]))
        buf_puts(b, id);
    else
        put_str(b, id);
}

static void put_num(struct buf *b, double v)
{
    if (v == floor(v) && fabs(v) < 1e15)
        buf_printf(b, "%.0f", v);
    else
        buf_printf(b, "%.6g", v);
}

static void put_time(struct buf *b, int64_t t)
{
    char iso[21];
    time_format_iso(t, iso);
    buf_printf(b, "\"%s\"", iso);
}

static void put_settings(const struct plan_instance *in, struct buf *b)
{
    const struct plan_settings *s = &in->settings;
    buf_puts(b, "{\"settings\":{\"road_kmh\":");
    put_num(b, s->road_kmh);
    buf_puts(b, ",\"reach_km\":");
    put_num(b, s->reach_km);
    buf_printf(b,
               ",\"checkin_minutes\":%d,\"weights\":{\"critical\":%d,\"vulnerable\":%d,"
               "\"standard\":%d},\"move_threshold\":",
               s->checkin_minutes, s->weights[0], s->weights[1], s->weights[2]);
    put_num(b, s->move_threshold);
    buf_puts(b, "},\n\"points\":[");
    for (size_t i = 0; i < in->n_points; i++) {
        buf_puts(b, i ? ",\n{\"id\":" : "\n{\"id\":");
        put_id(b, in, in->points[i].id);
        buf_printf(b, ",\"lat\":%.6f,\"lon\":%.6f}", in->points[i].lat, in->points[i].lon);
    }
}

static void put_legs(const struct plan_instance *in, struct buf *b)
{
    buf_puts(b, "],\n\"legs\":[");
    for (size_t i = 0; i < in->n_legs; i++) {
        const struct plan_leg *l = &in->legs[i];
        buf_puts(b, i ? ",\n{\"id\":" : "\n{\"id\":");
        put_id(b, in, l->id);
        buf_puts(b, ",\"point\":");
        put_id(b, in, in->points[l->point].id);
        buf_puts(b, ",\"departs\":");
        put_time(b, l->departs);
        buf_printf(b, ",\"seats\":%d,\"stretchers\":%d,\"carries\":[", l->seats, l->stretchers);
        bool first = true;
        for (int k = 0; k < in->n_nationalities; k++)
            if (l->carries >> k & 1) {
                if (!first)
                    buf_putc(b, ',');
                put_str(b, in->nationality[k]);
                first = false;
            }
        buf_printf(b, "],\"cancelled\":%s}", l->cancelled ? "true" : "false");
    }
}

static void put_household(const struct plan_instance *in, size_t i, struct buf *b)
{
    static const char *const prio[] = {"critical", "vulnerable", "standard"};
    const struct plan_household *h = &in->households[i];
    buf_puts(b, i ? ",\n{\"id\":" : "\n{\"id\":");
    put_id(b, in, h->id);
    buf_printf(b, ",\"lat\":%.6f,\"lon\":%.6f,\"ready\":", h->lat, h->lon);
    put_time(b, h->ready);
    buf_puts(b, ",\"reach_km\":");
    if (h->reach_km >= 0)
        put_num(b, h->reach_km);
    else
        buf_puts(b, "null");
    buf_puts(b, ",\"members\":[");
    for (int k = 0; k < h->n_members; k++) {
        const struct plan_member *m = &in->members[h->first_member + k];
        buf_puts(b, k ? ",{\"id\":" : "{\"id\":");
        put_id(b, in, m->id);
        buf_puts(b, ",\"nationality\":");
        put_str(b, in->nationality[m->nationality]);
        buf_printf(b, ",\"priority\":\"%s\",\"stretcher\":%s}", prio[m->priority],
                   m->stretcher ? "true" : "false");
    }
    buf_puts(b, "],\"current\":");
    if (h->current_leg >= 0) {
        buf_puts(b, "{\"leg\":");
        put_id(b, in, in->legs[h->current_leg].id);
        buf_printf(b, ",\"state\":\"%s\"}",
                   h->current_state == PLAN_PINNED ? "pinned" : "notified");
    } else {
        buf_puts(b, "null");
    }
    buf_putc(b, '}');
}

void plan_instance_to_json(const struct plan_instance *in, struct buf *b)
{
    put_settings(in, b);
    put_legs(in, b);
    buf_puts(b, "],\n\"households\":[");
    for (size_t i = 0; i < in->n_households; i++)
        put_household(in, i, b);
    buf_puts(b, "]}\n");
}

static void put_result_lists(const struct plan_instance *in, const struct plan_result *r,
                             struct buf *b)
{
    buf_puts(b, ",\n\"assignments\":[");
    bool first = true;
    for (size_t h = 0; h < r->n_households; h++) {
        if (r->leg_of[h] < 0)
            continue;
        buf_puts(b, first ? "\n{\"household\":" : ",\n{\"household\":");
        put_id(b, in, in->households[h].id);
        buf_puts(b, ",\"leg\":");
        put_id(b, in, in->legs[r->leg_of[h]].id);
        buf_putc(b, '}');
        first = false;
    }
    buf_puts(b, "],\n\"unassigned\":[");
    first = true;
    for (size_t h = 0; h < r->n_households; h++) {
        if (r->leg_of[h] >= 0)
            continue;
        buf_puts(b, first ? "\n{\"household\":" : ",\n{\"household\":");
        put_id(b, in, in->households[h].id);
        buf_printf(b, ",\"reason\":\"%s\"}", plan_reason_name(r->reason[h]));
        first = false;
    }
    buf_puts(b, "],\n\"moved\":[");
    for (size_t i = 0; i < r->n_moved; i++) {
        const struct plan_move *mv = &r->moved[i];
        buf_puts(b, i ? ",\n{\"household\":" : "\n{\"household\":");
        put_id(b, in, in->households[mv->household].id);
        buf_puts(b, ",\"from\":");
        put_id(b, in, in->legs[mv->from_leg].id);
        buf_puts(b, ",\"to\":");
        if (mv->to_leg >= 0)
            put_id(b, in, in->legs[mv->to_leg].id);
        else
            buf_puts(b, "null");
        buf_puts(b, ",\"reason\":");
        put_str(b, mv->reason);
        buf_putc(b, '}');
    }
    buf_putc(b, ']');
}

void plan_result_to_json(const struct plan_instance *in, const struct plan_result *r, struct buf *b)
{
    buf_printf(b,
               "{\"objective\":{\"weighted_people\":%lld,\"person_hours\":%.3f,\"people\":%lld},\n"
               "\"bound\":{\"weighted_people\":",
               r->weighted_people, r->person_hours, r->people);
    put_num(b, r->bound);
    buf_printf(b, ",\"method\":\"%s\"},\n\"gap\":%.6g,\"method\":\"%s\",\"optimal\":%s",
               r->bound_method ? r->bound_method : "lp-flow", r->gap,
               r->method ? r->method : "fast", r->proved_optimal ? "true" : "false");
    put_result_lists(in, r, b);
    buf_printf(b, ",\n\"seconds\":%.3f}\n", r->seconds);
}
