// Renderings of a SkewReport: JSON (schema sparkmedic.skew/v1), text, Markdown.
#ifndef SPARKMEDIC_FRONTENDS_REPORT_SKEW_REPORT_H_
#define SPARKMEDIC_FRONTENDS_REPORT_SKEW_REPORT_H_

#include <string>

#include <nlohmann/json.hpp>

#include "sparkmedic/skew.h"

namespace sparkmedic::report {

// `all_stages`: every judged stage with its quantiles; otherwise only skewed stages.
nlohmann::ordered_json SkewJson(const SkewReport& r, bool all_stages);
std::string SkewText(const SkewReport& r, bool all_stages, bool color);
std::string SkewMarkdown(const SkewReport& r);

// 1536 → "1.5 KiB".
std::string FormatBytes(int64_t bytes);

}  // namespace sparkmedic::report

#endif  // SPARKMEDIC_FRONTENDS_REPORT_SKEW_REPORT_H_
