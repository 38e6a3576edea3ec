/* rules.c — the arrival country's rules table, read from JSON text.
 *
 * The table is edited by the immigration service, so every key is checked:
 * an unknown key or a malformed code is an error naming it, never silently
 * ignored (a typo in "visa_exempt" must not turn everyone into a referral
 * or, worse, into a clearance). */
#include "screen/screen.h"

#include <string.h>

static const char *const doc_names[SCREEN_DOC_TYPE_COUNT] = {
    "none", "passport", "id_card", "emergency", "refugee", "other",
};

const char *screen_doc_type_name(enum screen_doc_type t)
{
    return (unsigned)t < SCREEN_DOC_TYPE_COUNT ? doc_names[t] : "other";
}

int screen_doc_type_parse(const char *s)
{
    for (int i = 0; s && i < SCREEN_DOC_TYPE_COUNT; i++)
        if (strcmp(s, doc_names[i]) == 0)
            return i;
    return -1;
}

void screen_rules_default(struct screen_rules *r)
{
    memset(r, 0, sizeof *r);
    r->match_threshold = SCREEN_DEFAULT_THRESHOLD;
}

/* Copies a 3-letter nationality code (A-Z or '<'), upper-cased. */
static int read_code(const char *s, char out[4])
{
    size_t n = s ? strlen(s) : 0;
    if (n < 1 || n > 3)
        return -1;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'a' && c <= 'z')
            c -= 32;
        if (!((c >= 'A' && c <= 'Z') || c == '<'))
            return -1;
        out[i] = c;
    }
    out[n] = '\0';
    return 0;
}

static int read_codes(json_t *v, const char *key, char codes[][4], int *n, struct muster_err *err)
{
    size_t i;
    json_t *it;
    if (!json_is_array(v))
        return err_set(err, MUSTER_EINVAL, "rules: \"%s\" must be a list of country codes", key);
    if (json_array_size(v) > SCREEN_MAX_CODES)
        return err_set(err, MUSTER_EINVAL, "rules: \"%s\" holds more than %d codes", key,
                       SCREEN_MAX_CODES);
    *n = 0;
    json_array_foreach(v, i, it)
    {
        if (!json_is_string(it) || read_code(json_string_value(it), codes[*n]) != 0)
            return err_set(err, MUSTER_EINVAL, "rules: \"%s\" item %zu is not a 3-letter code", key,
                           i + 1);
        (*n)++;
    }
    return 0;
}

static int read_days(json_t *v, const char *key, int *out, struct muster_err *err)
{
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 3660)
        return err_set(err, MUSTER_EINVAL, "rules: \"%s\" must be a number of days (0..3660)", key);
    *out = (int)json_integer_value(v);
    return 0;
}

static int read_docs(json_t *v, unsigned *mask, struct muster_err *err)
{
    size_t i;
    json_t *it;
    if (!json_is_array(v))
        return err_set(err, MUSTER_EINVAL, "rules: \"lost_passport_documents\" must be a list");
    *mask = 0;
    json_array_foreach(v, i, it)
    {
        int t = json_is_string(it) ? screen_doc_type_parse(json_string_value(it)) : -1;
        if (t <= SCREEN_DOC_PASSPORT)
            return err_set(err, MUSTER_EINVAL,
                           "rules: \"lost_passport_documents\" item %zu is not one of id_card, "
                           "emergency, refugee, other",
                           i + 1);
        *mask |= 1u << t;
    }
    return 0;
}

static int read_humanitarian(json_t *v, struct screen_rules *r, struct muster_err *err)
{
    const char *key;
    json_t *it;
    if (!json_is_object(v))
        return err_set(err, MUSTER_EINVAL, "rules: \"humanitarian_entry\" must be an object");
    json_object_foreach(v, key, it)
    {
        int rc;
        if (strcmp(key, "partners") == 0)
            rc = read_codes(it, "humanitarian_entry.partners", r->humanitarian, &r->n_humanitarian,
                            err);
        else if (strcmp(key, "min_validity_days") == 0)
            rc = read_days(it, "humanitarian_entry.min_validity_days",
                           &r->humanitarian_min_validity_days, err);
        else
            rc = err_set(err, MUSTER_EINVAL, "rules: unknown key \"humanitarian_entry.%s\"", key);
        if (rc)
            return rc;
    }
    return 0;
}

static int read_key(const char *key, json_t *it, struct screen_rules *r, struct muster_err *err)
{
    if (strcmp(key, "country") == 0) {
        if (!json_is_string(it) || read_code(json_string_value(it), r->country) != 0)
            return err_set(err, MUSTER_EINVAL, "rules: \"country\" must be a 3-letter code");
        return 0;
    }
    if (strcmp(key, "visa_exempt") == 0)
        return read_codes(it, key, r->visa_exempt, &r->n_visa_exempt, err);
    if (strcmp(key, "humanitarian_entry") == 0)
        return read_humanitarian(it, r, err);
    if (strcmp(key, "min_validity_days") == 0)
        return read_days(it, key, &r->min_validity_days, err);
    if (strcmp(key, "lost_passport_documents") == 0)
        return read_docs(it, &r->lost_passport_docs, err);
    if (strcmp(key, "match_threshold") == 0) {
        if (!json_is_integer(it) || json_integer_value(it) < 1 || json_integer_value(it) > 100)
            return err_set(err, MUSTER_EINVAL, "rules: \"match_threshold\" must be 1..100");
        r->match_threshold = (int)json_integer_value(it);
        return 0;
    }
    if (key[0] == '_' || strcmp(key, "comment") == 0)
        return 0; /* notes for the people who edit the table */
    return err_set(err, MUSTER_EINVAL, "rules: unknown key \"%s\"", key);
}

int screen_rules_parse(const char *text, size_t len, struct screen_rules *r, struct muster_err *err)
{
    json_error_t je;
    const char *key;
    json_t *it;
    screen_rules_default(r);
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return err_set(err, MUSTER_EINVAL, "rules: line %d: %s", je.line, je.text);
    int rc = 0;
    if (!json_is_object(root))
        rc = err_set(err, MUSTER_EINVAL, "rules: the table must be a JSON object");
    else
        json_object_foreach(root, key, it)
        {
            rc = read_key(key, it, r, err);
            if (rc)
                break;
        }
    if (rc == 0 && !r->country[0])
        rc = err_set(err, MUSTER_EINVAL, "rules: \"country\" (the arrival country) is required");
    json_decref(root);
    return rc;
}
