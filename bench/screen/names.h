/* names.h — name material for the screening benchmark: Korean surnames and
 * given-name syllables, Japanese surnames and given-name morphemes, each
 * with the spellings the romanisation systems and passports produce
 * (v[0] the usual one), and Western names. Included once, by
 * bench_screen.c. */
#ifndef BENCH_SCREEN_NAMES_H
#define BENCH_SCREEN_NAMES_H

struct morph {
    const char *v[5];
};

/* clang-format off */

static const struct morph kor_sur[] = {
    {{"KIM", "GIM"}},          {{"LEE", "YI", "RHEE", "I"}}, {{"PARK", "PAK", "BAK"}},
    {{"CHOI", "CHOE"}},        {{"JEONG", "JUNG", "CHUNG"}}, {{"KANG", "GANG"}},
    {{"CHO", "JO"}},           {{"YOON", "YUN"}},            {{"JANG", "CHANG"}},
    {{"LIM", "IM", "RIM"}},    {{"HAN"}},                    {{"OH"}},
    {{"SEO", "SUH"}},          {{"SHIN", "SIN"}},            {{"KWON", "GWON"}},
    {{"HWANG"}},               {{"AHN", "AN"}},              {{"SONG"}},
    {{"JEON", "JUN", "CHUN"}}, {{"HONG"}},                   {{"YOO", "YU", "RYU"}},
    {{"KO", "GO"}},            {{"MOON", "MUN"}},            {{"YANG"}},
    {{"SON"}},                 {{"BAE", "PAE"}},             {{"BAEK", "BAEG"}},
    {{"HEO", "HUH"}},          {{"NAM"}},                    {{"SIM", "SHIM"}},
    {{"NOH", "NO"}},           {{"HA"}},                     {{"KWAK", "GWAK"}},
    {{"SUNG", "SEONG"}},       {{"CHA"}},                    {{"JOO", "JU", "CHU"}},
    {{"KOO", "GU", "KU"}},     {{"MIN"}},                    {{"JIN", "CHIN"}},
    {{"CHEON", "CHUN"}},
};

static const struct morph kor_syl[] = {
    {{"MIN"}},  {{"JUN", "JOON"}},   {{"SEO"}},          {{"YEON"}},  {{"JI"}},
    {{"HOON", "HUN"}}, {{"WOO"}},    {{"HYUN", "HYEON"}}, {{"SU", "SOO"}}, {{"YOUNG", "YEONG"}},
    {{"EUN"}},  {{"HA"}},            {{"JIN"}},          {{"SEONG", "SUNG"}}, {{"HO"}},
    {{"YOON", "YUN"}}, {{"JAE"}},    {{"DONG"}},         {{"HEE"}},   {{"KYUNG", "GYEONG"}},
    {{"CHUL", "CHEOL"}}, {{"SANG"}}, {{"TAE"}},          {{"YE"}},    {{"GI", "KI"}},
    {{"NA"}},   {{"HYE"}},           {{"KYU", "GYU"}},   {{"SEOK", "SUK"}}, {{"WON"}},
    {{"IL"}},   {{"IN"}},            {{"MI"}},           {{"SOL"}},   {{"BIN"}},
    {{"A"}},    {{"YUL"}},           {{"DA"}},           {{"CHAN"}},  {{"HWA"}},
    {{"JOO", "JU"}}, {{"MYUNG", "MYEONG"}}, {{"SIK", "SHIK"}}, {{"SUN"}}, {{"OK"}},
    {{"RIN"}},  {{"TAEK", "TAEG"}},  {{"BOK"}},          {{"GEUN", "KEUN"}}, {{"HAN"}},
    {{"SE"}},   {{"BOM"}},           {{"RAN"}},          {{"CHANG"}}, {{"KWANG", "GWANG"}},
    {{"PYO"}},  {{"MUN"}},           {{"HUI"}},          {{"JONG"}},  {{"BEOM", "BUM"}},
};

static const struct morph jpn_sur[] = {
    {{"SATO", "SATOU", "SATOH", "SATŌ"}}, {{"SUZUKI"}}, {{"TAKAHASHI", "TAKAHASI"}},
    {{"TANAKA"}}, {{"ITO", "ITOU", "ITOH", "ITŌ"}}, {{"WATANABE"}}, {{"YAMAMOTO"}},
    {{"NAKAMURA"}}, {{"KOBAYASHI", "KOBAYASI"}}, {{"KATO", "KATOU", "KATOH"}},
    {{"YOSHIDA", "YOSIDA"}}, {{"YAMADA"}}, {{"SASAKI"}}, {{"YAMAGUCHI", "YAMAGUTI"}},
    {{"MATSUMOTO", "MATUMOTO"}}, {{"INOUE"}}, {{"KIMURA"}}, {{"HAYASHI", "HAYASI"}},
    {{"SHIMIZU", "SIMIZU"}}, {{"YAMAZAKI"}}, {{"MORI"}}, {{"ABE"}}, {{"IKEDA"}},
    {{"HASHIMOTO", "HASIMOTO"}}, {{"YAMASHITA", "YAMASITA"}}, {{"ISHIKAWA", "ISIKAWA"}},
    {{"NAKAJIMA", "NAKAZIMA"}}, {{"MAEDA"}}, {{"FUJITA", "HUZITA"}}, {{"OGAWA"}},
    {{"GOTO", "GOTOU", "GOTOH"}}, {{"OKADA"}}, {{"HASEGAWA"}}, {{"MURAKAMI"}},
    {{"KONDO", "KONDOU", "KONDOH"}}, {{"ISHII", "ISII"}}, {{"SAITO", "SAITOU", "SAITOH"}},
    {{"SAKAMOTO"}}, {{"ENDO", "ENDOU", "ENDOH"}}, {{"AOKI"}}, {{"FUJII", "HUZII"}},
    {{"NISHIMURA", "NISIMURA"}}, {{"FUKUDA", "HUKUDA"}}, {{"OTA", "OHTA", "OOTA", "ŌTA"}},
    {{"MIURA"}}, {{"FUJIWARA", "HUZIWARA"}}, {{"OKAMOTO"}}, {{"MATSUDA", "MATUDA"}},
    {{"NAKAGAWA"}}, {{"NAKANO"}}, {{"HARADA"}}, {{"ONO", "OHNO", "OONO", "OH-NO", "ŌNO"}},
    {{"TAMURA"}}, {{"TAKEUCHI", "TAKEUTI"}}, {{"KANEKO"}}, {{"WADA"}}, {{"NAKAYAMA"}},
    {{"ISHIDA", "ISIDA"}}, {{"UEDA"}}, {{"MORITA"}}, {{"HARA"}}, {{"SHIBATA", "SIBATA"}},
    {{"SAKAI"}}, {{"KUDO", "KUDOU", "KUDOH"}}, {{"YOKOYAMA"}}, {{"MIYAZAKI"}},
    {{"MIYAMOTO"}}, {{"UCHIDA", "UTIDA"}}, {{"TAKAGI"}}, {{"ANDO", "ANDOU", "ANDOH"}},
    {{"TANIGUCHI", "TANIGUTI"}}, {{"ONISHI", "OHNISHI", "ONISI"}}, {{"MARUYAMA"}},
    {{"IMAI"}}, {{"TAKADA"}}, {{"FUJIMOTO", "HUZIMOTO"}}, {{"TAKEDA"}}, {{"MURATA"}},
    {{"UENO"}}, {{"SUGIYAMA"}}, {{"MASUDA"}}, {{"SUGAWARA"}}, {{"HIRANO"}},
    {{"OTSUKA", "OHTSUKA", "OTUKA"}}, {{"KOJIMA", "KOZIMA"}}, {{"CHIBA", "TIBA"}},
    {{"KUBO"}}, {{"MATSUI", "MATUI"}}, {{"IWASAKI"}}, {{"SAKURAI"}},
    {{"KINOSHITA", "KINOSITA"}}, {{"NOGUCHI", "NOGUTI"}}, {{"MATSUO", "MATUO"}},
    {{"NOMURA"}}, {{"KIKUCHI", "KIKUTI"}}, {{"SANO"}},
};

/* More surnames: two morphemes (Yama-moto, Naka-mura), with the Kunrei
 * spellings where they differ. */
static const struct morph jpn_sur_a[] = {
    {{"YAMA"}}, {{"NAKA"}}, {{"TA"}},  {{"MATSU", "MATU"}}, {{"KI"}},   {{"I"}},
    {{"HAYA"}}, {{"ISHI", "ISI"}}, {{"KATA"}}, {{"MIYA"}}, {{"TAKA"}}, {{"FUJI", "HUZI"}},
    {{"NISHI", "NISI"}}, {{"KITA"}}, {{"MINAMI"}}, {{"HIGASHI", "HIGASI"}}, {{"OKA"}},
    {{"KAWA"}}, {{"MORI"}}, {{"SHIMO", "SIMO"}}, {{"KAMI"}}, {{"O", "OH", "OO"}},
    {{"KO", "KOH"}}, {{"HIRA"}}, {{"SUGI"}}, {{"TSUKI", "TUKI"}}, {{"AKA"}}, {{"KURO"}},
    {{"SHIRA", "SIRA"}}, {{"AO"}},
};
static const struct morph jpn_sur_b[] = {
    {{"MOTO"}}, {{"MURA"}}, {{"DA"}}, {{"TA"}}, {{"NAKA"}}, {{"KAWA"}}, {{"ZAKI"}}, {{"SAKI"}},
    {{"SHITA", "SITA"}}, {{"GUCHI", "GUTI"}}, {{"HARA"}}, {{"NO"}}, {{"SHIMA", "SIMA"}},
    {{"OKA"}}, {{"MORI"}}, {{"YAMA"}}, {{"UE"}}, {{"SAWA"}}, {{"HASHI", "HASI"}},
    {{"NISHI", "NISI"}}, {{"KUBO"}}, {{"TANI"}}, {{"NAGA"}}, {{"BAYASHI", "BAYASI"}},
};

/* Given names: a prefix and a suffix; an N before a vowel may be written
 * with an apostrophe or a hyphen (Jun'ichi, Shin-ichi). */
static const struct morph jpn_pre[] = {
    {{"YU", "YUU", "YŪ"}}, {{"SHO", "SHOU", "SYO"}}, {{"SHIN", "SIN"}}, {{"JUN", "ZYUN"}},
    {{"RYO", "RYOU"}},     {{"KO", "KOU"}},          {{"YO", "YOU"}},   {{"TAKA"}},
    {{"HIRO"}},            {{"MASA"}},               {{"KAZU"}},        {{"KEN"}},
    {{"YOSHI", "YOSI"}},   {{"TOMO"}},               {{"HARU"}},        {{"NAO"}},
    {{"AKI"}},             {{"YASU"}},               {{"NOBU"}},        {{"TOSHI", "TOSI"}},
    {{"DAI"}},             {{"SHU", "SHUU", "SYU"}}, {{"KEI"}},         {{"MI"}},
    {{"SA"}},              {{"CHI", "TI"}},          {{"MA"}},          {{"E"}},
};

static const struct morph jpn_suf[] = {
    {{"KI"}},   {{"TO"}},         {{"YA"}},       {{"TA"}},   {{"SUKE"}}, {{"HIRO"}},
    {{"ICHI", "ITI"}}, {{"JI", "ZI"}}, {{"KO"}},  {{"MI"}},   {{"NA"}},   {{"KA"}},
    {{"E"}},    {{"RI"}},         {{"NORI"}},     {{"YUKI"}}, {{"HEI"}},  {{"O"}},
    {{"SHI", "SI"}}, {{"FUMI", "HUMI"}}, {{"TSUGU", "TUGU"}}, {{"HO"}},
};

static const char *const west_first[] = {
    "JOHN",    "MICHAEL", "DAVID",   "JAMES",    "ROBERT",  "WILLIAM", "RICHARD", "THOMAS",
    "CHARLES", "DANIEL",  "MATTHEW", "ANTHONY",  "MARK",    "PAUL",    "STEVEN",  "ANDREW",
    "KEVIN",   "BRIAN",   "GEORGE",  "EDWARD",   "RONALD",  "TIMOTHY", "JASON",   "JEFFREY",
    "RYAN",    "JACOB",   "GARY",    "NICHOLAS", "ERIC",    "JONATHAN", "STEPHEN", "LARRY",
    "JUSTIN",  "SCOTT",   "BRANDON", "BENJAMIN", "SAMUEL",  "GREGORY", "PATRICK", "PETER",
    "MARY",    "PATRICIA", "JENNIFER", "LINDA",  "ELIZABETH", "BARBARA", "SUSAN", "JESSICA",
    "SARAH",   "KAREN",   "NANCY",   "LISA",     "BETTY",   "MARGARET", "SANDRA", "ASHLEY",
    "EMILY",   "DONNA",   "MICHELLE", "CAROL",   "AMANDA",  "MELISSA", "DEBORAH", "LAURA",
    "REBECCA", "SHARON",  "CYNTHIA", "KATHLEEN", "AMY",     "ANGELA",  "HELEN",   "ANNA",
    "BRENDA",  "PAMELA",  "NICOLE",  "EMMA",     "SAMANTHA", "CHRISTINE", "RACHEL", "CLAIRE",
    "OLIVIA",  "SOPHIE",  "LUCAS",   "HUGO",     "LOUIS",   "MAXIME",  "JULIEN",  "PIERRE",
    "HANS",    "KLAUS",   "JURGEN",  "STEFAN",   "ANDREAS", "MARKUS",  "TOBIAS",  "FELIX",
};

static const char *const west_a[] = {
    "ANDER", "BRAD",  "CARL",  "DAVID", "EVER",  "FAIR",  "GOLD",  "HARD",  "ISAAC", "JACK",
    "KING",  "LAMB",  "MORRI", "NEW",   "OAK",   "PETER", "QUIN",  "RICH",  "STAN",  "THOM",
    "UPTON", "VAN",   "WEST",  "YOUNG", "ZIMMER", "BLACK", "WHITE", "GREEN", "BROWN", "ROBIN",
    "HOL",   "ASH",   "BERN",  "CROM",  "DUN",   "ELLIS", "FITZ",  "GRAY",  "HAM",   "LANG",
};

static const char *const west_b[] = {
    "SON", "FORD", "MAN", "LEY", "TON", "WOOD", "BURG", "FIELD", "STEIN", "WELL", "BY", "HURST",
    "ER", "INGTON", "BERG", "DALE", "MORE", "WICK", "SHAW", "LAND",
};

/* clang-format on */

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

#endif
