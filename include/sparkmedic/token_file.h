// Bearer tokens kept in files: what `serve --token-file` requires of clients and what live
// sources send (`diagnose --token-file`).
#ifndef SPARKMEDIC_TOKEN_FILE_H_
#define SPARKMEDIC_TOKEN_FILE_H_

#include <string>

#include "sparkmedic/status.h"

namespace sparkmedic {

// Reads a bearer token from `path`: the file's text without its trailing line break(s).
// Errors: kNotFound/kIOError when the file cannot be read; kInvalidArgument when the token is
// empty or holds whitespace or control characters (a token is one header word).
Result<std::string> ReadBearerTokenFile(const std::string& path);

}  // namespace sparkmedic

#endif  // SPARKMEDIC_TOKEN_FILE_H_
