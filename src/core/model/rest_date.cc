// The REST API's dates: java.util.Date through Jackson with Spark's format, and Spark's
// SimpleDateParam.
#include "sparkmedic/rest_date.h"

#include <cstdio>
#include <ctime>

namespace sparkmedic {

std::string FormatRestDate(TimeMs ms) {
  TimeMs secs = ms / 1000, milli = ms % 1000;
  if (milli < 0) {
    milli += 1000;
    secs -= 1;
  }
  std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dGMT", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(milli));
  return buf;
}

namespace {
bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}
int64_t DaysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<int64_t>(era) * 146097 + static_cast<int64_t>(doe) - 719468;
}
}  // namespace

std::optional<TimeMs> ParseRestDate(std::string_view s) {
  int y, mo, d, h = 0, mi = 0, se = 0, ms = 0;
  if (!Digits(s, 0, 4, &y) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2, &mo) ||
      s[7] != '-' || !Digits(s, 8, 2, &d))
    return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
  int64_t offset_min = 0;
  if (s.size() != 10) {
    if (s.size() < 23 || s[10] != 'T' || !Digits(s, 11, 2, &h) || s[13] != ':' ||
        !Digits(s, 14, 2, &mi) || s[16] != ':' || !Digits(s, 17, 2, &se) || s[19] != '.' ||
        !Digits(s, 20, 3, &ms))
      return std::nullopt;
    std::string_view z = s.substr(23);
    if (z == "GMT" || z == "UTC" || z == "Z") {
      offset_min = 0;
    } else {
      // GMT+hh:mm or +hhmm
      std::string_view r = z;
      if (r.substr(0, 3) == "GMT" || r.substr(0, 3) == "UTC") r.remove_prefix(3);
      if (r.empty() || (r[0] != '+' && r[0] != '-')) return std::nullopt;
      int sign = r[0] == '-' ? -1 : 1;
      r.remove_prefix(1);
      int hh, mm = 0;
      if (!Digits(r, 0, 2, &hh)) return std::nullopt;
      r.remove_prefix(2);
      if (!r.empty() && r[0] == ':') r.remove_prefix(1);
      if (!r.empty() && (!Digits(r, 0, 2, &mm) || r.size() != 2)) return std::nullopt;
      offset_min = sign * (hh * 60 + mm);
    }
  }
  int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  int64_t t = ((days * 24 + h) * 60 + mi) * 60 + se;
  t -= offset_min * 60;
  return t * 1000 + ms;
}

}  // namespace sparkmedic
