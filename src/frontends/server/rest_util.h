// Helpers of the REST router: dates, parameters, errors.
#ifndef SPARKMEDIC_FRONTENDS_SERVER_REST_UTIL_H_
#define SPARKMEDIC_FRONTENDS_SERVER_REST_UTIL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sparkmedic/rest_api.h"
#include "sparkmedic/rest_date.h"

#include "frontends/server/jackson_json.h"

namespace sparkmedic::server {

// Every value of `name` (list parameters may repeat and hold commas? no: Jersey keeps them).
std::vector<std::string> ParamAll(const QueryParams& q, std::string_view name);
std::optional<std::string> Param(const QueryParams& q, std::string_view name);

RestResponse JsonResponse(const Json& j);
RestResponse Error(int status, std::string text);

// A whole decimal integer (Jersey's conversion of a path segment or parameter), or nullopt.
std::optional<int64_t> ParseInt(std::string_view s);

std::string Lower(std::string_view s);
std::string Upper(std::string_view s);

}  // namespace sparkmedic::server

#endif  // SPARKMEDIC_FRONTENDS_SERVER_REST_UTIL_H_
