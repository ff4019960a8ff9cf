#include "sparkmedic/diagnostics.h"

#include <algorithm>

#include <fmt/format.h>

namespace sparkmedic {

const char* DiagnosticKindName(DiagnosticKind kind) {
  switch (kind) {
    case DiagnosticKind::kMalformedLine:
      return "malformed-line";
    case DiagnosticKind::kUnknownEvent:
      return "unknown-event";
    case DiagnosticKind::kMissingField:
      return "missing-field";
    case DiagnosticKind::kTruncatedTail:
      return "truncated-tail";
    case DiagnosticKind::kTruncatedStream:
      return "truncated-stream";
    case DiagnosticKind::kCorruptStream:
      return "corrupt-stream";
    case DiagnosticKind::kNotAnEventLog:
      return "not-an-event-log";
    case DiagnosticKind::kInconsistent:
      return "inconsistent";
  }
  return "unknown";
}

bool IsErrorKind(DiagnosticKind kind) {
  return kind != DiagnosticKind::kTruncatedTail && kind != DiagnosticKind::kUnknownEvent &&
         kind != DiagnosticKind::kInconsistent;
}

std::string Diagnostic::ToString() const {
  std::string where = path;
  if (line > 0) where += fmt::format(":{}", line);
  if (line > 0 || offset > 0) where += fmt::format(": byte {}", offset);
  return fmt::format("{}: {}: {}", where, DiagnosticKindName(kind), message);
}

void DiagnosticCollector::Report(Diagnostic d) {
  std::lock_guard<std::mutex> lock(mu_);
  size_t k = static_cast<size_t>(d.kind);
  ++counts_[k];
  if (d.kind == DiagnosticKind::kUnknownEvent) NoteUnknownEvent(d.event_name);
  if (kept_[k] < max_samples_) {
    ++kept_[k];
    samples_.push_back(std::move(d));
  }
}

uint64_t DiagnosticCollector::count(DiagnosticKind kind) const {
  std::lock_guard<std::mutex> lock(mu_);
  return counts_[static_cast<size_t>(kind)];
}

uint64_t DiagnosticCollector::total_errors() const {
  std::lock_guard<std::mutex> lock(mu_);
  uint64_t n = 0;
  for (int i = 0; i < kNumDiagnosticKinds; ++i) {
    if (IsErrorKind(static_cast<DiagnosticKind>(i))) n += counts_[i];
  }
  return n;
}

std::vector<Diagnostic> DiagnosticCollector::samples() const {
  std::lock_guard<std::mutex> lock(mu_);
  return samples_;
}

std::vector<std::pair<std::string, uint64_t>> DiagnosticCollector::unknown_event_names() const {
  std::lock_guard<std::mutex> lock(mu_);
  auto out = unknown_names_;
  std::sort(out.begin(), out.end());
  return out;
}

void DiagnosticCollector::NoteUnknownEvent(std::string_view name) {
  for (auto& [n, c] : unknown_names_) {
    if (n == name) {
      ++c;
      return;
    }
  }
  unknown_names_.emplace_back(std::string(name), 1);
}

}  // namespace sparkmedic
