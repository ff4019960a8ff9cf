// Prints JSON exactly like Jackson's DefaultPrettyPrinter as the History Server uses it:
// two-space indentation per object level, `"key" : value`, arrays inline (`[ 1, 2 ]`,
// `[ {` ... `} ]`), `{ }` and `[ ]` when empty, doubles as Java's Double.toString.
#ifndef SPARKMEDIC_FRONTENDS_SERVER_JACKSON_JSON_H_
#define SPARKMEDIC_FRONTENDS_SERVER_JACKSON_JSON_H_

#include <string>

#include <nlohmann/json.hpp>

namespace sparkmedic::server {

using Json = nlohmann::ordered_json;

// Java's Double.toString(d): "2.0", "0.05", "1.0E7", "1.2345E-4", "NaN", "Infinity".
std::string JavaDoubleString(double d);

// Jackson's pretty printing of `value` (no trailing newline).
std::string JacksonPretty(const Json& value);

}  // namespace sparkmedic::server

#endif  // SPARKMEDIC_FRONTENDS_SERVER_JACKSON_JSON_H_
