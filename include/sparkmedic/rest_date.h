// Dates as Spark's REST API writes and reads them (shared by the REST server and the live-source
// client).
#ifndef SPARKMEDIC_REST_DATE_H_
#define SPARKMEDIC_REST_DATE_H_

#include <optional>
#include <string>
#include <string_view>

#include "sparkmedic/model.h"

namespace sparkmedic {

// "2015-02-03T16:42:40.000GMT" (java.util.Date through Jackson with Spark's format).
std::string FormatRestDate(TimeMs ms);
// "yyyy-MM-dd'T'HH:mm:ss.SSSz" (z: GMT, UTC, Z, GMT+hh:mm, +hhmm) or "yyyy-MM-dd" (GMT
// midnight), as Spark's SimpleDateParam; nullopt when malformed.
std::optional<TimeMs> ParseRestDate(std::string_view s);

}  // namespace sparkmedic

#endif  // SPARKMEDIC_REST_DATE_H_
