// The loader: an event log (any layout, any codec) → the Application model.
//
// One call reads every file of a LogSource in order, decodes it, splits lines, parses each
// line and applies it to the model. Bad input is reported to a DiagnosticSink with its place
// and skipped; the rest of the log is still read (docs/event-log-format.md, "Bad input").
#ifndef SPARKMEDIC_LOADER_H_
#define SPARKMEDIC_LOADER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "sparkmedic/diagnostics.h"
#include "sparkmedic/discovery.h"
#include "sparkmedic/model.h"
#include "sparkmedic/status.h"

namespace sparkmedic {

// Receives progress in bytes of the files underneath (compressed size). Called from the
// loading thread; implementations must be cheap.
class ProgressListener {
 public:
  virtual ~ProgressListener() = default;
  virtual void Update(uint64_t done_bytes, uint64_t total_bytes) = 0;
  virtual void Finish() = 0;
};

struct LoadOptions {
  // Fail (kCorruption, with the first problem's place) on any diagnostic of an error kind
  // (IsErrorKind), instead of counting it and reading on.
  bool strict = false;
  // Threads for parsing; 1 parses on the calling thread, 0 uses every core. Rolling logs and
  // large files are parsed in parallel; the model is identical for any thread count.
  int threads = 1;
  ProgressListener* progress = nullptr;  // may be null
  // The longest line accepted, in bytes; longer lines are reported as malformed and skipped.
  size_t max_line_bytes = size_t{1} << 30;
  // Keep ended tasks' Task Info "Accumulables" that are neither internal nor SQL metrics in
  // Application::task_accumulables (the REST API shows them; costs parse time).
  bool keep_task_accumulables = false;
  // Read executor metric peaks (SparkListenerStageExecutorMetrics, TaskEnd "Task Executor
  // Metrics") into Executor/StageAttempt::peak_metrics (the REST API needs them).
  bool keep_executor_metrics = false;
};

struct ReadStats {
  uint64_t files = 0;
  uint64_t raw_bytes = 0;           // bytes read from disk
  uint64_t decompressed_bytes = 0;  // bytes of JSON lines after decoding
  uint64_t lines = 0;               // non-empty lines
  uint64_t events = 0;              // lines that parsed as events (including unknown ones)
  uint64_t ignored_events = 0;      // known events the model does not use
  uint64_t unknown_events = 0;
  uint64_t malformed_lines = 0;
  uint64_t missing_field_events = 0;
  bool truncated_tail = false;  // an in-progress log ended mid-line or mid-block (expected)
  double seconds = 0;

  void Add(const ReadStats& o);
};

// Loads one application attempt's log.
// Errors: kNotFound / kIOError when a file cannot be opened or read; kCorruption when the
// first file is not an event log at all (the message says what it looks like and what to
// do); with options.strict, kCorruption at the first error-kind diagnostic. Without strict,
// damaged lines and streams are reported to `sink` (may be null) and counted in `stats`.
Result<Application> LoadApplication(const LogSource& source, const LoadOptions& options,
                                    DiagnosticSink* sink, ReadStats* stats);

// Discovers the logs at `path` (discovery.h) and loads each.
struct LoadedLog {
  LogSource source;
  Status status;    // OK, or why this log could not be loaded
  Application app;  // valid when status.ok()
  ReadStats stats;
};
Result<std::vector<LoadedLog>> LoadPath(const std::string& path, const LoadOptions& options,
                                        DiagnosticSink* sink);

}  // namespace sparkmedic

#endif  // SPARKMEDIC_LOADER_H_
