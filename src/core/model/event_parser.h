// EventParser: one JSON line → one typed Event, with simdjson On-Demand.
//
// Only the fields the model needs are read; everything else (accumulables of tasks, executor
// metrics, SQL plans) is skipped by the structural index without being materialised.
#ifndef SPARKMEDIC_CORE_MODEL_EVENT_PARSER_H_
#define SPARKMEDIC_CORE_MODEL_EVENT_PARSER_H_

#include <cstddef>
#include <memory>
#include <string>

#include "sparkmedic/events.h"

namespace sparkmedic {

// Bytes that must be readable after the end of a line handed to Parse (simdjson's padding).
inline constexpr size_t kJsonPadding = 64;

enum class ParseOutcome {
  kOk,            // *out holds the event (possibly IgnoredEvent/UnknownEvent)
  kMalformed,     // not JSON, or no "Event" string; *error says what
  kMissingField,  // a known event lacks a field the model needs; *error names it
};

// Not thread-safe; use one parser per thread. Reuses its buffers across lines.
class EventParser {
 public:
  EventParser();
  ~EventParser();
  EventParser(const EventParser&) = delete;
  EventParser& operator=(const EventParser&) = delete;

  // Parses the line [data, data+len). Strings that must outlive the call are copied into
  // `arena` (task executor ids and hosts) or owned by the event.
  // REQUIRES: capacity >= len + kJsonPadding (bytes after the line must be readable).
  ParseOutcome Parse(const char* data, size_t len, size_t capacity, Arena* arena, EventPayload* out,
                     std::string* error);

  // Also read TaskEnd's Task Info "Accumulables" into TaskEndEvent::accumulables.
  void set_keep_task_accumulables(bool keep) { keep_task_accumulables_ = keep; }
  // Also read executor metrics: StageExecutorMetrics events (else ignored) and TaskEnd's
  // "Task Executor Metrics" into TaskEndEvent::executor_metrics.
  void set_keep_executor_metrics(bool keep) { keep_executor_metrics_ = keep; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  bool keep_task_accumulables_ = false;
  bool keep_executor_metrics_ = false;
};

// Parses "2021-06-10T12:34:56.789Z" (ISO-8601 UTC, as Structured Streaming writes
// timestamps) into epoch ms; kNoTime when it does not parse.
TimeMs ParseIsoUtcMillis(std::string_view s);

}  // namespace sparkmedic

#endif  // SPARKMEDIC_CORE_MODEL_EVENT_PARSER_H_
