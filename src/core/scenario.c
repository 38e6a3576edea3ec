/* scenario.c — see scenario.h. Proportions (household sizes, needs, mixed
 * households, consent) follow ../shared/research/evacuation-domain.md. */
#include "core/scenario.h"

#include "core/events.h"
#include "core/operation.h"
#include "core/registry.h"
#include "util/rng.h"
#include "util/timeutil.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* The first departure day when the caller gives none (start 0):
 * 2027-01-01 00:00 UTC. */
#define SCN_EPOCH 1798761600

struct name {
    const char *latin, *native;
};

static const struct name jp_surnames[] = {
    {"SATO", "佐藤"},      {"SUZUKI", "鈴木"},     {"TAKAHASHI", "高橋"}, {"TANAKA", "田中"},
    {"WATANABE", "渡辺"},  {"ITO", "伊藤"},        {"YAMAMOTO", "山本"},  {"NAKAMURA", "中村"},
    {"KOBAYASHI", "小林"}, {"KATO", "加藤"},       {"YOSHIDA", "吉田"},   {"YAMADA", "山田"},
    {"SASAKI", "佐々木"},  {"YAMAGUCHI", "山口"},  {"MATSUMOTO", "松本"}, {"INOUE", "井上"},
    {"KIMURA", "木村"},    {"HAYASHI", "林"},      {"SHIMIZU", "清水"},   {"YAMAZAKI", "山崎"},
    {"MORI", "森"},        {"ABE", "阿部"},        {"IKEDA", "池田"},     {"HASHIMOTO", "橋本"},
    {"ISHIKAWA", "石川"},  {"OGAWA", "小川"},      {"OHNO", "大野"},      {"GOTO", "後藤"},
    {"OKADA", "岡田"},     {"HASEGAWA", "長谷川"}, {"MURAKAMI", "村上"},  {"KONDO", "近藤"},
    {"ISHII", "石井"},     {"SAITO", "斎藤"},      {"SAKAMOTO", "坂本"},  {"ENDO", "遠藤"},
    {"AOKI", "青木"},      {"FUJII", "藤井"},      {"NISHIMURA", "西村"}, {"FUKUDA", "福田"},
};
static const struct name jp_male[] = {
    {"HIROSHI", "博"},  {"TAKASHI", "隆"},    {"KENJI", "健二"},   {"DAIKI", "大輝"},
    {"SHOTA", "翔太"},  {"YUTO", "悠斗"},     {"REN", "蓮"},       {"SOTA", "颯太"},
    {"KAITO", "海斗"},  {"SHINICHI", "伸一"}, {"JUNICHI", "純一"}, {"MAKOTO", "誠"},
    {"TAKUMI", "拓海"}, {"KAZUKI", "一輝"},   {"RIKU", "陸"},      {"HARUKI", "春樹"},
    {"NAOKI", "直樹"},  {"AKIRA", "明"},      {"SATOSHI", "聡"},   {"TSUBASA", "翼"},
};
static const struct name jp_female[] = {
    {"YUKO", "裕子"},   {"YUI", "結衣"},   {"AOI", "葵"},      {"SAKURA", "さくら"},
    {"HINA", "陽菜"},   {"MEI", "芽衣"},   {"YUNA", "結菜"},   {"AKIKO", "明子"},
    {"KEIKO", "恵子"},  {"NAOMI", "直美"}, {"MISAKI", "美咲"}, {"HARUKA", "遥"},
    {"AYAKA", "彩花"},  {"EMI", "恵美"},   {"RIN", "凛"},      {"MIO", "澪"},
    {"NANAMI", "七海"}, {"KAORI", "香織"}, {"TOMOKO", "智子"}, {"MEGUMI", "恵"},
};
static const struct name kr_surnames[] = {
    {"KIM", "김"},  {"LEE", "이"},  {"PARK", "박"}, {"CHOI", "최"},  {"JUNG", "정"}, {"KANG", "강"},
    {"CHO", "조"},  {"YOON", "윤"}, {"JANG", "장"}, {"LIM", "임"},   {"HAN", "한"},  {"OH", "오"},
    {"SEO", "서"},  {"SHIN", "신"}, {"KWON", "권"}, {"HWANG", "황"}, {"AHN", "안"},  {"SONG", "송"},
    {"JEON", "전"}, {"HONG", "홍"}, {"YOO", "유"},  {"KO", "고"},    {"MOON", "문"}, {"YANG", "양"},
    {"SON", "손"},  {"BAE", "배"},  {"BAEK", "백"}, {"HEO", "허"},   {"NAM", "남"},  {"NOH", "노"},
};
static const struct name kr_male[] = {
    {"MINJUN", "민준"},   {"SEOJUN", "서준"},  {"DOYUN", "도윤"},    {"YEJUN", "예준"},
    {"SIWOO", "시우"},    {"HAJUN", "하준"},   {"JIHO", "지호"},     {"JIHOON", "지훈"},
    {"JUNSEO", "준서"},   {"HYUNWOO", "현우"}, {"SUNGMIN", "성민"},  {"JAEHYUN", "재현"},
    {"DONGHYUN", "동현"}, {"YOUNGHO", "영호"}, {"SANGHOON", "상훈"}, {"MINSU", "민수"},
};
static const struct name kr_female[] = {
    {"SEOYEON", "서연"}, {"SEOYUN", "서윤"}, {"JIWOO", "지우"},  {"HAEUN", "하은"},
    {"HAYOON", "하윤"},  {"MINSEO", "민서"}, {"JIYOON", "지윤"}, {"YUNA", "유나"},
    {"SOYEON", "소연"},  {"EUNJI", "은지"},  {"MINJI", "민지"},  {"HYEJIN", "혜진"},
    {"SUJIN", "수진"},   {"JIYEON", "지연"}, {"YEJIN", "예진"},  {"SOOAH", "수아"},
};

#define PICK(r, arr) (&(arr)[rng_below((r), sizeof(arr) / sizeof((arr)[0]))])

struct district {
    const char *name;
    double lat, lon, spread_km, weight;
};

static const struct district districts[] = {
    {"Old North, Tel Aviv", 32.0900, 34.7780, 1.2, 20},
    {"Florentin, Tel Aviv", 32.0560, 34.7700, 0.8, 10},
    {"Ramat Aviv, Tel Aviv", 32.1130, 34.8000, 1.0, 12},
    {"Neve Tzedek, Tel Aviv", 32.0610, 34.7650, 0.5, 6},
    {"Jaffa", 32.0500, 34.7550, 1.0, 8},
    {"Herzliya", 32.1660, 34.8440, 1.5, 14},
    {"Ramat Gan", 32.0680, 34.8240, 1.2, 12},
    {"Jerusalem", 31.7780, 35.2170, 2.5, 10},
    {"Haifa", 32.7940, 34.9896, 2.0, 8},
};

struct leg_template {
    const char *operator_nation, *kind, *vehicle, *point, *destination, *destination_country;
    int seats, stretchers;
    const char *carries[2];
    int ncarries;
    int block_min; /* departure to arrival, minutes */
};

/* Capacities from the domain research (per-sortie configuration). Block
 * times are estimates from the great-circle distance out of Tel Aviv at
 * each type's cruise speed, plus taxi, climb and descent: KC-330 to Seoul
 * ~8,500 km nonstop; the KC-767 (7,200 km range) to Haneda with one fuel
 * stop, as the October 2023 flights staged through Jordan; the C-130J and
 * C-2 short hops to Amman; a 777 charter to Narita nonstop; a chartered
 * ferry from Haifa to Limassol (~290 km at about 18 knots). */
static const struct leg_template templates[] = {
    {"KOR",
     "aircraft",
     "KC-330",
     "airport",
     "Seoul Air Base (RKSM)",
     "KOR",
     260,
     12,
     {"KOR", "JPN"},
     2,
     650},
    {"JPN",
     "aircraft",
     "KC-767",
     "airport",
     "Tokyo Haneda (RJTT)",
     "JPN",
     200,
     0,
     {"JPN", "KOR"},
     2,
     870},
    {"KOR", "aircraft", "C-130J", "airport", "Amman (OJAI)", "JOR", 90, 6, {"KOR", "JPN"}, 2, 50},
    {"JPN", "aircraft", "C-2", "airport", "Amman (OJAI)", "JOR", 110, 8, {"JPN", NULL}, 1, 45},
    {"JPN",
     "aircraft",
     "Boeing 777-300ER charter",
     "airport",
     "Tokyo Narita (RJAA)",
     "JPN",
     400,
     0,
     {"JPN", NULL},
     1,
     700},
    {"KOR",
     "ship",
     "Ferry (chartered)",
     "port",
     "Limassol (CYLMS)",
     "CYP",
     600,
     10,
     {"KOR", "JPN"},
     2,
     540},
};

struct gen_point {
    const char *name, *kind;
    double lat, lon;
    int64_t capacity;
    char id[33];
};

static struct gen_point points[] = {
    {"Ben Gurion Airport", "airport", 32.0055, 34.8854, 5000, ""},
    {"Haifa Port", "port", 32.8200, 35.0000, 2000, ""},
    {"Embassy of Japan, Tel Aviv", "embassy", 32.0770, 34.7870, 400, ""},
    {"Embassy of the Republic of Korea, Herzliya", "embassy", 32.1640, 34.8040, 400, ""},
    {"Hotel assembly point, Tel Aviv seafront", "other", 32.0880, 34.7700, 800, ""},
};

static int make_operation(struct node *n, struct scn_result *res, struct muster_err *err)
{
    double lat[] = {31.60, 33.05, 33.05, 31.60}, lon[] = {34.45, 34.45, 35.60, 35.60};
    const char *partners[] = {"JPN", "KOR"};
    struct op_operation o = {
        "KOR", "Joint evacuation, Israel (exercise)", "ISR", lat, lon, 4, partners, 2};
    int rc = op_create(n, "gen", &o, res->operation, err);
    for (size_t i = 0; i < sizeof points / sizeof points[0] && !rc; i++) {
        struct op_point p = {res->operation, points[i].name, points[i].kind,
                             points[i].lat,  points[i].lon,  points[i].capacity};
        rc = op_add_point(n, "gen", &p, points[i].id, err);
        res->points++;
    }
    return rc;
}

static const char *point_of_kind(const char *kind)
{
    for (size_t i = 0; i < sizeof points / sizeof points[0]; i++)
        if (strcmp(points[i].kind, kind) == 0)
            return points[i].id;
    return points[0].id;
}

/* Legs cycle through the templates, spread over three days, until they
 * offer about 85% of the people a seat: planning stays a real choice. */
static int make_legs(struct node *n, struct rng *r, const struct scn_options *o,
                     struct scn_result *res, struct muster_err *err)
{
    int64_t want = o->people * 85 / 100, offered = 0;
    int rc = 0;
    for (int i = 0; offered < want && !rc; i++) {
        const struct leg_template *t =
            &templates[rng_below(r, sizeof templates / sizeof templates[0])];
        int64_t departs = o->start + 6 * 3600 + (int64_t)rng_below(r, 72) * 3600;
        struct op_leg l = {res->operation,
                           t->operator_nation,
                           t->kind,
                           t->vehicle,
                           t->seats,
                           t->stretchers,
                           point_of_kind(t->point),
                           departs,
                           t->destination,
                           t->destination_country,
                           t->carries,
                           (size_t)t->ncarries,
                           departs + (int64_t)t->block_min * 60};
        char id[33];
        rc = op_add_leg(n, "gen", &l, id, err);
        offered += t->seats;
        res->legs++;
        res->seats += t->seats;
    }
    return rc;
}

struct member_text {
    char birth[11], expiry[11], doc[16], phone[24], email[64], native[64], given[40];
};

static void make_date(int64_t days, char out[11])
{
    int64_t t = days * 86400;
    time_format_date(t, out);
}

/* One member: role 0 = first adult, 1 = partner, 2+ = child or relative. */
static void make_member(struct rng *r, bool jp, const struct name *surname, int role, int64_t idx,
                        int64_t today, struct reg_person *p, struct member_text *t)
{
    bool female = role == 1 ? true : rng_unit(r) < 0.5;
    if (role == 0)
        female = rng_unit(r) < 0.4;
    const struct name *given = jp ? (female ? PICK(r, jp_female) : PICK(r, jp_male))
                                  : (female ? PICK(r, kr_female) : PICK(r, kr_male));
    int age = role < 2 ? 25 + (int)rng_below(r, 50) : (int)rng_below(r, 18);
    if (role >= 2 && rng_unit(r) < 0.15)
        age = 70 + (int)rng_below(r, 20); /* a grandparent */
    make_date(today / 86400 - age * 365 - (int64_t)rng_below(r, 365), t->birth);
    make_date(today / 86400 - 180 + (int64_t)rng_below(r, 3650), t->expiry);
    /* document numbers look random but never repeat: idx times a generator
     * modulo a prime is a bijection on [0, prime) */
    uint64_t x = (uint64_t)(idx + 1) * 48271u % 99999989u;
    if (jp)
        snprintf(t->doc, sizeof t->doc, "T%c%07u", 'A' + (int)(x / 10000000 % 26),
                 (unsigned)(x % 10000000));
    else
        snprintf(t->doc, sizeof t->doc, "M%08u", (unsigned)x);
    snprintf(t->phone, sizeof t->phone, jp ? "+81 90-%04u-%04u" : "+82 10-%04u-%04u",
             (unsigned)rng_below(r, 10000), (unsigned)rng_below(r, 10000));
    snprintf(t->native, sizeof t->native, jp ? "%s %s" : "%s%s", surname->native, given->native);
    /* Korean passports often split the given name in two syllables */
    snprintf(t->given, sizeof t->given, "%s", given->latin);
    char lower[40];
    size_t k = 0;
    for (const char *c = given->latin; *c && k < sizeof lower - 1; c++)
        lower[k++] = (char)tolower((unsigned char)*c);
    lower[k] = '\0';
    snprintf(t->email, sizeof t->email, "%s.%u@example.%s", lower, (unsigned)rng_below(r, 1000),
             jp ? "jp" : "kr");
    p->nationality = jp ? "JPN" : "KOR";
    p->surname = surname->latin;
    p->given_names = t->given;
    p->native_name = t->native;
    p->sex = female ? "F" : "M";
    p->birth_date = t->birth;
    p->doc_type = "P";
    p->doc_number = t->doc;
    p->doc_state = p->nationality;
    p->doc_expiry = t->expiry;
    p->phone = role < 2 ? t->phone : NULL;
    p->email = role == 0 ? t->email : NULL;
    p->consent = rng_unit(r) < 0.92;
    p->needs = 0;
    if (rng_unit(r) < 0.006)
        p->needs |= NEED_STRETCHER;
    if (rng_unit(r) < 0.03 || age >= 80)
        p->needs |= NEED_ASSISTED;
    if (female && age >= 20 && age <= 42 && rng_unit(r) < 0.04)
        p->needs |= NEED_PREGNANT;
}

static int household_size(struct rng *r)
{
    static const double w[] = {30, 25, 18, 15, 7, 3, 2};
    return 1 + rng_weighted(r, w, 7);
}

static int make_households(struct node *n, struct rng *r, const struct scn_options *o,
                           struct scn_result *res, struct muster_err *err)
{
    double dw[sizeof districts / sizeof districts[0]];
    for (size_t i = 0; i < sizeof districts / sizeof districts[0]; i++)
        dw[i] = districts[i].weight;
    /* "today" is the day before the first departures, never the clock: the
     * same seed and start give the same birth dates, passport expiries and
     * priority classes on any day */
    int64_t today = o->start - 86400;
    int rc = 0;
    while (res->people < o->people && !rc) {
        int size = household_size(r);
        if (res->people + size > o->people)
            size = (int)(o->people - res->people);
        bool jp = rng_unit(r) < 0.55;
        const struct name *surname = jp ? PICK(r, jp_surnames) : PICK(r, kr_surnames);
        const struct district *d = &districts[rng_weighted(r, dw, (int)(sizeof dw / sizeof dw[0]))];
        double lat = d->lat + rng_normal(r) * d->spread_km / 111.0;
        double lon = d->lon + rng_normal(r) * d->spread_km / 94.0;
        struct reg_person people[7];
        struct member_text text[7];
        for (int i = 0; i < size; i++) {
            /* about 3% of partners hold the other nationality */
            bool mixed = i == 1 && rng_unit(r) < 0.03;
            bool member_jp = mixed ? !jp : jp;
            const struct name *sn =
                mixed ? (member_jp ? PICK(r, jp_surnames) : PICK(r, kr_surnames)) : surname;
            memset(&people[i], 0, sizeof people[i]);
            make_member(r, member_jp, sn, i, res->people + i, today, &people[i], &text[i]);
            people[i].lat = lat;
            people[i].lon = lon;
            people[i].address = d->name;
        }
        if (size == 1 && rng_unit(r) < 0.01) {
            make_date(today / 86400 - 16 * 365 - (int64_t)rng_below(r, 300), text[0].birth);
            people[0].needs |= NEED_UNACCOMPANIED_MINOR;
        }
        char hid[33];
        rc = reg_register_household_at(n, "gen", people[0].nationality, res->operation, people,
                                       size, today, hid, err);
        res->people += size;
        res->households++;
        if (o->progress && (res->households & 255) == 0)
            o->progress(o->ctx, res->people, o->people);
    }
    return rc;
}

int scn_generate(struct node *n, const struct scn_options *o, struct scn_result *res,
                 struct muster_err *err)
{
    memset(res, 0, sizeof *res);
    if (o->people < 1)
        return err_set(err, MUSTER_EINVAL, "a scenario needs at least one person");
    struct scn_options at = *o;
    if (at.start <= 0)
        at.start = SCN_EPOCH;
    o = &at;
    struct rng r;
    rng_seed(&r, o->seed);
    int rc = ev_begin(n, err);
    if (rc)
        return rc;
    rc = make_operation(n, res, err);
    if (!rc)
        rc = make_legs(n, &r, o, res, err);
    if (!rc)
        rc = make_households(n, &r, o, res, err);
    if (rc) {
        ev_rollback(n);
        return rc;
    }
    return ev_commit(n, err);
}
