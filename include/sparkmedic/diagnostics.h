// Diagnostics: how the reader reports bad input without stopping.
//
// The reader finds problems; the caller sets the policy (leveldb's log::Reader::Reporter).
// Every problem is counted by kind; the first few of each kind keep their place (file, line,
// byte offset) and a message, so a user can open the file at that spot.
#ifndef SPARKMEDIC_DIAGNOSTICS_H_
#define SPARKMEDIC_DIAGNOSTICS_H_

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

namespace sparkmedic {

enum class DiagnosticKind : uint8_t {
  kMalformedLine,    // not valid JSON, or JSON without an "Event" string
  kUnknownEvent,     // an "Event" name we do not know (Spark drops these too)
  kMissingField,     // a known event without a field the model needs; the event is skipped
  kTruncatedTail,    // a log still being written ends mid-line or mid-block: expected, not an error
  kTruncatedStream,  // a finished log's compressed stream ends mid-block
  kCorruptStream,    // a compressed stream is damaged; the rest of that file is lost
  kNotAnEventLog,    // the file does not look like an event log at all (e.g. a driver's text log)
  kInconsistent,     // events that contradict each other (e.g. a task end for an unknown stage)
};
inline constexpr int kNumDiagnosticKinds = 8;

// "malformed-line", "unknown-event", ...
const char* DiagnosticKindName(DiagnosticKind kind);

// True for kinds that --strict turns into a failure. kTruncatedTail, kUnknownEvent and
// kInconsistent are not errors: Spark itself tolerates them (a JobEnd without its JobStart
// occurs in real, trimmed logs).
bool IsErrorKind(DiagnosticKind kind);

struct Diagnostic {
  DiagnosticKind kind = DiagnosticKind::kMalformedLine;
  std::string path;
  uint64_t line = 0;       // 1-based line in the decompressed stream; 0 if not line-bound
  uint64_t offset = 0;     // byte offset of that line in the decompressed stream
  std::string message;     // what was wrong, e.g. "TAPE_ERROR: ... near 'Task Info'"
  std::string event_name;  // for kUnknownEvent and kMissingField: the event's name

  std::string ToString() const;  // "path:line: byte N: kind: message"
};

// Receives diagnostics. Implementations must be thread-safe: parsing may run on several
// threads.
class DiagnosticSink {
 public:
  virtual ~DiagnosticSink() = default;
  virtual void Report(Diagnostic d) = 0;
};

// Counts everything; keeps the first `samples_per_kind` diagnostics of each kind.
class DiagnosticCollector final : public DiagnosticSink {
 public:
  explicit DiagnosticCollector(size_t samples_per_kind = 20) : max_samples_(samples_per_kind) {}
  void Report(Diagnostic d) override;

  uint64_t count(DiagnosticKind kind) const;
  uint64_t total_errors() const;  // sum over IsErrorKind kinds
  // Kept samples, in report order.
  std::vector<Diagnostic> samples() const;
  // Unknown event names with how often each occurred (name → count), sorted by name.
  std::vector<std::pair<std::string, uint64_t>> unknown_event_names() const;

 private:
  void NoteUnknownEvent(std::string_view name);

  mutable std::mutex mu_;
  size_t max_samples_;
  std::array<uint64_t, kNumDiagnosticKinds> counts_{};
  std::array<size_t, kNumDiagnosticKinds> kept_{};
  std::vector<Diagnostic> samples_;
  std::vector<std::pair<std::string, uint64_t>> unknown_names_;
};

}  // namespace sparkmedic

#endif  // SPARKMEDIC_DIAGNOSTICS_H_
