#include "frontends/server/jackson_json.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace sparkmedic::server {

std::string JavaDoubleString(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0) return std::signbit(d) ? "-0.0" : "0.0";
  double a = std::fabs(d);
  char buf[64];
  if (a >= 1e-3 && a < 1e7) {
    auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
    std::string s(buf, r.ptr);
    if (s.find('.') == std::string::npos) s += ".0";
    return s;
  }
  auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string s(buf, r.ptr);  // e.g. "1e+07", "1.2345e-04"
  size_t e = s.find('e');
  std::string mant = s.substr(0, e);
  if (mant.find('.') == std::string::npos) mant += ".0";
  int exp = std::stoi(s.substr(e + 1));
  return mant + "E" + std::to_string(exp);
}

namespace {

// PERF NOTES: answers are mostly key and value strings (20% of the time of an uncached
// `stages` answer went to appending them a byte at a time); runs without anything to escape
// are appended whole.
void AppendString(std::string* out, const std::string& s) {
  out->push_back('"');
  const char* run = s.data();
  const char* end = s.data() + s.size();
  for (const char* p = run; p != end; ++p) {
    auto c = static_cast<unsigned char>(*p);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(run, p);
    run = p + 1;
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      default: {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04X", c);
        out->append(buf);
      }
    }
  }
  out->append(run, end);
  out->push_back('"');
}

void Indent(std::string* out, int level) {
  out->push_back('\n');
  out->append(static_cast<size_t>(level) * 2, ' ');
}

void Print(std::string* out, const Json& v, int level) {
  switch (v.type()) {
    case Json::value_t::object: {
      if (v.empty()) {
        out->append("{ }");
        return;
      }
      out->push_back('{');
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!first) out->push_back(',');
        first = false;
        Indent(out, level + 1);
        AppendString(out, it.key());
        out->append(" : ");
        Print(out, it.value(), level + 1);
      }
      Indent(out, level);
      out->push_back('}');
      return;
    }
    case Json::value_t::array: {
      if (v.empty()) {
        out->append("[ ]");
        return;
      }
      out->append("[ ");
      bool first = true;
      for (const auto& e : v) {
        if (!first) out->append(", ");
        first = false;
        Print(out, e, level);
      }
      out->append(" ]");
      return;
    }
    case Json::value_t::string:
      AppendString(out, v.get_ref<const std::string&>());
      return;
    case Json::value_t::boolean:
      out->append(v.get<bool>() ? "true" : "false");
      return;
    case Json::value_t::number_integer:
      out->append(std::to_string(v.get<int64_t>()));
      return;
    case Json::value_t::number_unsigned:
      out->append(std::to_string(v.get<uint64_t>()));
      return;
    case Json::value_t::number_float:
      out->append(JavaDoubleString(v.get<double>()));
      return;
    case Json::value_t::null:
    default:
      out->append("null");
      return;
  }
}

}  // namespace

std::string JacksonPretty(const Json& value) {
  std::string out;
  Print(&out, value, 0);
  return out;
}

}  // namespace sparkmedic::server
