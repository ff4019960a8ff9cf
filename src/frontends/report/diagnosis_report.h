// Renderings of a Diagnosis: JSON (schema sparkmedic.diagnosis/v1, docs/json-output.md), text
// for people (verdict first, colour only when asked), Markdown for tickets. The REST server
// and the CLI share the JSON writer.
#ifndef SPARKMEDIC_FRONTENDS_REPORT_DIAGNOSIS_REPORT_H_
#define SPARKMEDIC_FRONTENDS_REPORT_DIAGNOSIS_REPORT_H_

#include <string>

#include <nlohmann/json.hpp>

#include "sparkmedic/diagnosis.h"

namespace sparkmedic::report {

nlohmann::ordered_json DiagnosisJson(const Diagnosis& d);
std::string DiagnosisText(const Diagnosis& d, bool color);
std::string DiagnosisMarkdown(const Diagnosis& d);

// A time as "2024-01-02 03:04:05 UTC"; "-" for kNoTime.
std::string FormatTime(TimeMs t);
// 1234567 ms → "20.6 min".
std::string FormatDuration(int64_t ms);

}  // namespace sparkmedic::report

#endif  // SPARKMEDIC_FRONTENDS_REPORT_DIAGNOSIS_REPORT_H_
