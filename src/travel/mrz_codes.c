/* mrz_codes.c — the ICAO list of state and organisation codes, the check
 * digit, and the names of formats. */
#include "travel/mrz.h"
#include "travel/mrz_internal.h"

#include <stdlib.h>
#include <string.h>

/* ISO 3166-1 alpha-3 followed by the codes of ICAO Doc 9303 Part 3 (written
 * space-separated, sorted; checked by the unit tests). */
static const char codes[] =
    "ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE BDI BEL BEN BES BFA "
    "BGD BGR BHR BHS BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA CAF CAN CCK CHE CHL CHN "
    "CIV CMR COD COG COK COL COM CPV CRI CUB CUW CXR CYM CYP CZE D<< DEU DJI DMA DNK DOM DZA "
    "ECU EGY ERI ESH ESP EST ETH EUE FIN FJI FLK FRA FRO FSM GAB GBD GBN GBO GBP GBR GBS GEO "
    "GGY GHA GIB GIN GLP GMB GNB GNQ GRC GRD GRL GTM GUF GUM GUY HKG HMD HND HRV HTI HUN IDN "
    "IMN IND IOT IRL IRN IRQ ISL ISR ITA JAM JEY JOR JPN KAZ KEN KGZ KHM KIR KNA KOR KWT LAO "
    "LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA MAC MAF MAR MCO MDA MDG MDV MEX MHL MKD MLI MLT "
    "MMR MNE MNG MNP MOZ MRT MSR MTQ MUS MWI MYS MYT NAM NCL NER NFK NGA NIC NIU NLD NOR NPL "
    "NRU NZL OMN PAK PAN PCN PER PHL PLW PNG POL PRI PRK PRT PRY PSE PYF QAT REU RKS ROU RUS "
    "RWA SAU SDN SEN SGP SGS SHN SJM SLB SLE SLV SMR SOM SPM SRB SSD STP SUR SVK SVN SWE SWZ "
    "SXM SYC SYR TCA TCD TGO THA TJK TKL TKM TLS TON TTO TUN TUR TUV TWN TZA UGA UKR UMI UNA "
    "UNK UNO URY USA UTO UZB VAT VCT VEN VGB VIR VNM VUT WLF WSM XBA XCC XCE XCO XDC XEC XES "
    "XIM XOM XPO XXA XXB XXC XXK XXX YEM ZAF ZMB ZWE";

#define NCODES ((sizeof codes) / 4)

const char *mrz_codes_list(size_t *n)
{
    *n = NCODES;
    return codes;
}

/* code3: exactly three characters as printed (letters and '<' fillers). */
bool mrz_known_code3(const char *code3)
{
    size_t lo = 0, hi = NCODES;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = memcmp(codes + mid * 4, code3, 3);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

bool mrz_known_code(const char *code)
{
    size_t n = code ? strlen(code) : 0;
    if (n == 0 || n > 3)
        return false;
    char c3[3] = {'<', '<', '<'};
    memcpy(c3, code, n);
    return mrz_known_code3(c3);
}

/* Value of each MRZ character in a check digit ('<' and bytes outside the
 * alphabet are 0: callers check the alphabet first). */
const unsigned char mrz_value[256] = {
    ['0'] = 0, ['1'] = 1, ['2'] = 2, ['3'] = 3, ['4'] = 4,
    ['5'] = 5, ['6'] = 6, ['7'] = 7, ['8'] = 8, ['9'] = 9,
    ['A'] = 10, ['B'] = 11, ['C'] = 12, ['D'] = 13, ['E'] = 14, ['F'] = 15, ['G'] = 16,
    ['H'] = 17, ['I'] = 18, ['J'] = 19, ['K'] = 20, ['L'] = 21, ['M'] = 22, ['N'] = 23,
    ['O'] = 24, ['P'] = 25, ['Q'] = 26, ['R'] = 27, ['S'] = 28, ['T'] = 29, ['U'] = 30,
    ['V'] = 31, ['W'] = 32, ['X'] = 33, ['Y'] = 34, ['Z'] = 35,
};

/* Sum of weighted values, weights starting at phase (0 -> 7, 1 -> 3, 2 -> 1).
 * Callers have already checked the characters. */
unsigned mrz_weighted_sum(const char *s, size_t n, unsigned phase)
{
    static const unsigned char w[3] = {7, 3, 1};
    unsigned sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += mrz_value[(unsigned char)s[i]] * w[(i + phase) % 3];
    return sum;
}

int mrz_check_digit(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == '<'))
            return -1;
    }
    return (int)(mrz_weighted_sum(s, n, 0) % 10);
}

const char *mrz_format_name(enum mrz_format f)
{
    switch (f) {
    case MRZ_TD1:
        return "TD1";
    case MRZ_TD2:
        return "TD2";
    case MRZ_TD3:
        return "TD3";
    case MRZ_MRVA:
        return "MRVA";
    case MRZ_MRVB:
        return "MRVB";
    default:
        return NULL;
    }
}
