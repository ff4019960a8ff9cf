// Turning raw log lines into text a report can show: evidence lines and the normalised form
// of the runbook's `grep -i exception | sort | uniq -c`.
#ifndef SPARKMEDIC_ANALYSIS_EXECUTOR_LOGS_LINE_TEXT_H_
#define SPARKMEDIC_ANALYSIS_EXECUTOR_LOGS_LINE_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace sparkmedic::exlogs {

// `line` cut to at most `max_bytes` bytes at a character boundary, as valid UTF-8 that a
// terminal can show: invalid UTF-8 bytes and control characters other than tab become '?'.
// (Executor logs can hold binary garbage; JSON writers reject invalid UTF-8.)
std::string EvidenceText(std::string_view line, size_t max_bytes);

// The normalised form of an exception line into *out (replacing its content): leading blanks,
// up to three timestamp tokens ("24/06/01", "10:00:01", "2024-06-01T10:00:01.123Z",
// "10:00:01,123") and a bracketed thread name before or after the level are removed; numbers
// become "<n>", hexadecimal ids (0x..., 8+ hex digits with a digit, UUIDs) "<hex>"; the result
// is EvidenceText'ed to `max_bytes`. E.g. "24/06/01 10:00:01 ERROR Executor: Exception in task
// 3.0 in stage 2.0 (TID 17)" → "ERROR Executor: Exception in task <n>.<n> in stage <n>.<n> (TID
// <n>)".
void NormaliseExceptionLine(std::string_view line, size_t max_bytes, std::string* out);

}  // namespace sparkmedic::exlogs

#endif  // SPARKMEDIC_ANALYSIS_EXECUTOR_LOGS_LINE_TEXT_H_
