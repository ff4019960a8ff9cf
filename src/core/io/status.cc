#include "sparkmedic/status.h"

#include <fmt/format.h>

namespace sparkmedic {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kNotFound:
      return "not found";
    case StatusCode::kInvalidArgument:
      return "invalid argument";
    case StatusCode::kCorruption:
      return "corruption";
    case StatusCode::kTruncated:
      return "truncated";
    case StatusCode::kIOError:
      return "I/O error";
    case StatusCode::kNotSupported:
      return "not supported";
  }
  return "unknown";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out;
  if (!path_.empty()) {
    out += path_;
    if (line_ > 0) out += fmt::format(":{}", line_);
    out += ": ";
  } else if (line_ > 0) {
    out += fmt::format("line {}: ", line_);
  }
  if (offset_) out += fmt::format("byte {}: ", *offset_);
  out += message_;
  return out;
}

}  // namespace sparkmedic
