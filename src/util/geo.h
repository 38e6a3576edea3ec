/* geo.h — great-circle distance and point-in-polygon on WGS-84 degrees. */
#ifndef MUSTER_UTIL_GEO_H
#define MUSTER_UTIL_GEO_H

#include <stdbool.h>
#include <stddef.h>

/* Great-circle (haversine) distance in km between two lat/lon points. */
double geo_km(double lat1, double lon1, double lat2, double lon2);
/* True when lat/lon is a plausible coordinate (|lat| <= 90, |lon| <= 180). */
bool geo_valid(double lat, double lon);
/* True when (lat, lon) lies inside the polygon of n vertices given as
 * lat[i], lon[i] (even-odd rule; small areas, no date-line wrap). */
bool geo_in_polygon(double lat, double lon, const double *plat, const double *plon, size_t n);

#endif
