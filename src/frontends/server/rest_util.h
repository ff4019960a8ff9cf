// Helpers of the REST router: dates, parameters, errors.
#ifndef SPARKMEDIC_FRONTENDS_SERVER_REST_UTIL_H_
#define SPARKMEDIC_FRONTENDS_SERVER_REST_UTIL_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sparkmedic/rest_api.h"

#include "frontends/server/jackson_json.h"

namespace sparkmedic::server {

// "2015-02-03T16:42:40.000GMT" (java.util.Date through Jackson with Spark's format).
std::string FormatDate(TimeMs ms);
// SimpleDateParam: "yyyy-MM-dd'T'HH:mm:ss.SSSz" or "yyyy-MM-dd" (GMT midnight).
std::optional<TimeMs> ParseDate(std::string_view s);

// Every value of `name` (list parameters may repeat and hold commas? no: Jersey keeps them).
std::vector<std::string> ParamAll(const QueryParams& q, std::string_view name);
std::optional<std::string> Param(const QueryParams& q, std::string_view name);

RestResponse JsonResponse(const Json& j);
RestResponse Error(int status, std::string text);

std::string Lower(std::string_view s);
std::string Upper(std::string_view s);

}  // namespace sparkmedic::server

#endif  // SPARKMEDIC_FRONTENDS_SERVER_REST_UTIL_H_
