#include "line_text.h"

#include <algorithm>
#include <array>

namespace sparkmedic::exlogs {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool IsAlnum(char c) { return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Length of the valid UTF-8 sequence starting s[0] (1-4), or 0 when invalid or cut.
size_t Utf8Length(std::string_view s) {
  auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char c = b(0);
  if (c < 0x80) return 1;
  size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
  if (n == 0 || n > s.size()) return 0;
  for (size_t i = 1; i < n; ++i) {
    if ((b(i) & 0xC0) != 0x80) return 0;
  }
  if (n == 3 && ((c == 0xE0 && b(1) < 0xA0) || (c == 0xED && b(1) >= 0xA0))) return 0;
  if (n == 4 && ((c == 0xF0 && b(1) < 0x90) || (c == 0xF4 && b(1) >= 0x90))) return 0;
  return n;
}

// A token of a log4j date or time: starts with a digit, has one of ":/-" and only digits and
// "-/:.,TZ+" (so "24/06/01", "10:00:01,123", "2024-06-01T10:00:01.123456789Z").
bool IsTimestampToken(std::string_view t) {
  if (t.empty() || !IsDigit(t[0])) return false;
  bool sep = false;
  for (char c : t) {
    if (c == ':' || c == '/' || c == '-') sep = true;
    if (!IsDigit(c) && std::string_view("-/:.,TZ+").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return sep;
}

void SkipBlanks(std::string_view* s) {
  while (!s->empty() && (s->front() == ' ' || s->front() == '\t')) s->remove_prefix(1);
}

// Removes a "[...]" group (brackets nested) at the start of *s, and the blanks after it.
void SkipBracketGroup(std::string_view* s) {
  if (s->empty() || s->front() != '[') return;
  int depth = 0;
  for (size_t i = 0; i < s->size(); ++i) {
    if ((*s)[i] == '[') ++depth;
    if ((*s)[i] == ']' && --depth == 0) {
      s->remove_prefix(i + 1);
      SkipBlanks(s);
      return;
    }
  }
}

bool StartsWithLevel(std::string_view s, size_t* len) {
  for (std::string_view level : {"TRACE", "DEBUG", "INFO", "WARN", "WARNING", "ERROR", "FATAL"}) {
    if (s.starts_with(level) && s.size() > level.size() && s[level.size()] == ' ') {
      *len = level.size() + 1;
      return true;
    }
  }
  return false;
}

// The line without its timestamp and thread prefix.
std::string_view StripPrefix(std::string_view s) {
  SkipBlanks(&s);
  for (int k = 0; k < 3; ++k) {
    size_t end = s.find(' ');
    if (end == std::string_view::npos || !IsTimestampToken(s.substr(0, end))) break;
    s.remove_prefix(end);
    SkipBlanks(&s);
  }
  SkipBracketGroup(&s);
  return s;
}

// True when a UUID (8-4-4-4-12 hex digits) starts s.
bool IsUuidAt(std::string_view s) {
  static constexpr std::array<int, 5> kGroups = {8, 4, 4, 4, 12};
  size_t i = 0;
  for (size_t g = 0; g < kGroups.size(); ++g) {
    for (int k = 0; k < kGroups[g]; ++k, ++i) {
      if (i >= s.size() || !IsHex(s[i])) return false;
    }
    if (g + 1 < kGroups.size() && (i >= s.size() || s[i++] != '-')) return false;
  }
  return i == s.size() || !IsAlnum(s[i]);
}

// Appends the placeholder form of the alphanumeric run `t`.
void AppendToken(std::string_view t, std::string* out) {
  bool digits = true, hex = true, has_digit = false;
  for (char c : t) {
    digits = digits && IsDigit(c);
    hex = hex && IsHex(c);
    has_digit = has_digit || IsDigit(c);
  }
  bool prefixed_hex = t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X');
  for (size_t i = 2; prefixed_hex && i < t.size(); ++i) prefixed_hex = IsHex(t[i]);
  if (digits) {
    out->append("<n>");
  } else if (prefixed_hex || (hex && has_digit && t.size() >= 8)) {
    out->append("<hex>");
  } else {
    out->append(t);
  }
}

}  // namespace

std::string EvidenceText(std::string_view line, size_t max_bytes) {
  std::string out;
  out.reserve(std::min(line.size(), max_bytes));
  size_t i = 0;
  while (i < line.size()) {
    size_t n = Utf8Length(line.substr(i));
    if (out.size() + std::max<size_t>(n, 1) > max_bytes) break;
    unsigned char c = static_cast<unsigned char>(line[i]);
    if (n == 0 || (n == 1 && ((c < 0x20 && c != '\t') || c == 0x7F))) {
      out.push_back('?');
      ++i;
      continue;
    }
    out.append(line.substr(i, n));
    i += n;
  }
  return out;
}

// PERF NOTES: runs only for lines that contain "exception" (a few in a hundred in a failing
// executor's log); allocation-free once `out` has grown.
void NormaliseExceptionLine(std::string_view line, size_t max_bytes, std::string* out) {
  std::string_view s = StripPrefix(line);
  out->clear();
  size_t level = 0;
  if (StartsWithLevel(s, &level)) {
    out->append(s.substr(0, level));
    s.remove_prefix(level);
    SkipBracketGroup(&s);
  }
  // Placeholders can make the text longer than the line; stop once far enough past the limit.
  size_t stop = max_bytes * 2;
  size_t i = 0;
  while (i < s.size() && out->size() < stop) {
    if (!IsAlnum(s[i])) {
      out->push_back(s[i++]);
      continue;
    }
    if (IsUuidAt(s.substr(i))) {
      out->append("<hex>");
      i += 36;
      continue;
    }
    size_t j = i;
    while (j < s.size() && IsAlnum(s[j])) ++j;
    AppendToken(s.substr(i, j - i), out);
    i = j;
  }
  while (!out->empty() && (out->back() == ' ' || out->back() == '\t')) out->pop_back();
  *out = EvidenceText(*out, max_bytes);
}

}  // namespace sparkmedic::exlogs
