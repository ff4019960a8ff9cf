#include "sparkmedic/token_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string_view>

#include <fmt/format.h>

namespace sparkmedic {
namespace {

bool HasSpaceOrControl(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return true;
  }
  return false;
}

}  // namespace

Result<std::string> ReadBearerTokenFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    int err = errno;
    std::string msg = fmt::format("cannot read the token file: {}", std::strerror(err));
    return (err == ENOENT ? Status::NotFound(msg) : Status::IOError(msg)).WithPath(path);
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IOError("cannot read the token file").WithPath(path);
  std::string token = ss.str();
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  if (token.empty()) {
    return Status::InvalidArgument("the token file is empty").WithPath(path);
  }
  if (HasSpaceOrControl(token)) {
    return Status::InvalidArgument(
               "the token file holds whitespace or control characters; a bearer token is one "
               "word (letters, digits, -._~+/=)")
        .WithPath(path);
  }
  return token;
}

}  // namespace sparkmedic
