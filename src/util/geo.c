/* geo.c — see geo.h. Mean Earth radius 6371.0088 km (IUGG). */
#include "util/geo.h"

#include <math.h>

double geo_km(double lat1, double lon1, double lat2, double lon2)
{
    const double r = 6371.0088, rad = M_PI / 180.0;
    double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
    double a = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
    return 2 * r * asin(fmin(1.0, sqrt(a)));
}

bool geo_valid(double lat, double lon)
{
    return isfinite(lat) && isfinite(lon) && fabs(lat) <= 90 && fabs(lon) <= 180;
}

bool geo_in_polygon(double lat, double lon, const double *plat, const double *plon, size_t n)
{
    bool in = false;
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
        if ((plat[i] > lat) != (plat[j] > lat) &&
            lon < (plon[j] - plon[i]) * (lat - plat[i]) / (plat[j] - plat[i]) + plon[i])
            in = !in;
    }
    return in;
}
