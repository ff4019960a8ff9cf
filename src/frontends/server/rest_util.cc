#include "frontends/server/rest_util.h"

#include <cctype>
#include <charconv>

namespace sparkmedic::server {

std::optional<int64_t> ParseInt(std::string_view s) {
  int64_t v = 0;
  if (s.empty()) return std::nullopt;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

std::vector<std::string> ParamAll(const QueryParams& q, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& [k, v] : q) {
    if (k == name) out.push_back(v);
  }
  return out;
}

std::optional<std::string> Param(const QueryParams& q, std::string_view name) {
  for (const auto& [k, v] : q) {
    if (k == name) return v;
  }
  return std::nullopt;
}

RestResponse JsonResponse(const Json& j) {
  RestResponse r;
  r.body = JacksonPretty(j);
  return r;
}

RestResponse Error(int status, std::string text) {
  RestResponse r;
  r.status = status;
  r.content_type = "text/plain;charset=utf-8";
  r.body = std::move(text);
  return r;
}

std::string Lower(std::string_view s) {
  std::string o(s);
  for (char& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return o;
}
std::string Upper(std::string_view s) {
  std::string o(s);
  for (char& c : o) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return o;
}

}  // namespace sparkmedic::server
