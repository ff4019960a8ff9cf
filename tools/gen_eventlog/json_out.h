// Appending JSON fragments to a reused fmt::memory_buffer, the way Spark's writers print them.
//
// PERF NOTES: every event line is built in one buffer that is cleared, not freed, between
// lines. Constant fragments (keys, punctuation) are appended as string literals; integers go
// through fmt::format_int, which needs no locale and no allocation. Strings are escaped with
// a fast path that copies runs of ordinary bytes in one append.
#ifndef SPARKMEDIC_TOOLS_GEN_EVENTLOG_JSON_OUT_H_
#define SPARKMEDIC_TOOLS_GEN_EVENTLOG_JSON_OUT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace sparkmedic::gen {

using Buf = fmt::memory_buffer;

inline void Raw(Buf& b, std::string_view s) { b.append(s.data(), s.data() + s.size()); }
inline void Int(Buf& b, int64_t v) {
  fmt::format_int f(v);
  b.append(f.data(), f.data() + f.size());
}
inline void Bool(Buf& b, bool v) {
  Raw(b, v ? std::string_view("true") : std::string_view("false"));
}

// Appends `s` escaped as Jackson does: quote, backslash and control characters; everything
// else (including non-ASCII UTF-8) verbatim.
inline void Escaped(Buf& b, std::string_view s) {
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    b.append(s.data() + run, s.data() + i);
    run = i + 1;
    switch (c) {
      case '"':
        Raw(b, "\\\"");
        break;
      case '\\':
        Raw(b, "\\\\");
        break;
      case '\n':
        Raw(b, "\\n");
        break;
      case '\t':
        Raw(b, "\\t");
        break;
      case '\r':
        Raw(b, "\\r");
        break;
      case '\b':
        Raw(b, "\\b");
        break;
      case '\f':
        Raw(b, "\\f");
        break;
      default:
        fmt::format_to(fmt::appender(b), "\\u{:04X}", c);
        break;
    }
  }
  b.append(s.data() + run, s.data() + s.size());
}
inline void Str(Buf& b, std::string_view s) {
  b.push_back('"');
  Escaped(b, s);
  b.push_back('"');
}
// "key":"value" without the leading comma.
inline void KeyStr(Buf& b, std::string_view key, std::string_view value) {
  Str(b, key);
  b.push_back(':');
  Str(b, value);
}

// A JSON string literal of `s`, for precomputed fragments.
inline std::string Quoted(std::string_view s) {
  Buf b;
  Str(b, s);
  return std::string(b.data(), b.size());
}

// Java's Double.toString for the moderate values the generator writes: always has a
// fractional part ("1.0", "26.45"). REQUIRES: |v| < 1e7 and v finite.
inline void JavaDouble(Buf& b, double v) {
  if (v == static_cast<double>(static_cast<int64_t>(v))) {
    fmt::format_to(fmt::appender(b), "{:.1f}", v);
  } else {
    fmt::format_to(fmt::appender(b), "{}", v);
  }
}

}  // namespace sparkmedic::gen

#endif  // SPARKMEDIC_TOOLS_GEN_EVENTLOG_JSON_OUT_H_
