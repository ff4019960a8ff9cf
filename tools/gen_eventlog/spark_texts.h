// Texts Spark writes into event logs for failures: exception stack traces (as JSON frames and
// as printStackTrace strings), Kubernetes executor-loss reasons, fetch-failure messages and
// the driver stack of a failed job.
//
// The exception catalogue is keyed by short names used in --inject (e.g. "NullPointerException",
// "BadRecord"). Texts are modelled on Spark 3.5 / 4.x executors on Kubernetes with the
// application's own package com.example.etl.
// Thread-safety: the catalogue is built once and read-only afterwards (static local).
#ifndef SPARKMEDIC_TOOLS_GEN_EVENTLOG_SPARK_TEXTS_H_
#define SPARKMEDIC_TOOLS_GEN_EVENTLOG_SPARK_TEXTS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sparkmedic::gen {

// An exception as an ExceptionFailure carries it, ready to splice into JSON.
struct RenderedException {
  std::string class_name;
  std::optional<std::string> description;  // nullopt = JSON null (Java getMessage() == null)
  std::string stack_json;                  // the "Stack Trace" array, e.g. [{"Declaring Class":..}]
  std::string full_trace;                  // "Full Stack Trace": printStackTrace() output
};

// Keys accepted by exception:KEY, in catalogue order.
std::vector<std::string> ExceptionKeys();
// True when `key` names a catalogue entry.
bool IsExceptionKey(std::string_view key);
// The fully qualified class name of catalogue entry `key` ("" if unknown).
std::string ExceptionClassName(std::string_view key);
// One-line description of each key for --help / --list-exceptions.
std::string ExceptionCatalogueHelp();

// The rendering of `key` for a task of the given type. `java17` selects JDK 17 messages
// (Spark 4.x images) over JDK 11 ones (Spark 3.5 images). The reference stays valid for the
// life of the process. REQUIRES: IsExceptionKey(key).
const RenderedException& RenderException(std::string_view key, bool result_task, bool java17);

// Kubernetes executor loss kinds accepted by executor-lost:ARG.
bool IsExecutorLossKind(std::string_view kind);
std::vector<std::string> ExecutorLossKinds();
// Whether Spark marks the loss as caused by the application (counts toward maxFailures).
bool LossCausedByApp(std::string_view kind);
// The reason text Spark on Kubernetes puts into ExecutorLostFailure "Loss Reason" and
// ExecutorRemoved "Removed Reason".
std::string LossReasonText(std::string_view kind, std::string_view exec_id, int64_t started_ms,
                           int64_t finished_ms, std::string_view spark_version,
                           int64_t heartbeat_ms);

// The FetchFailedException string Spark stores as FetchFailed "Message" and as the failed
// stage's "Failure Reason".
std::string FetchFailedMessage(std::string_view host, int port);

// The driver-side "Stack Trace" JSON array of a JobFailed result.
const std::string& JobFailedStackJson();
// The same frames as "\n\tat ..." lines, for exception strings that include them.
const std::string& JobFailedStackText();

// ISO-8601 UTC with seconds, e.g. 2024-06-01T10:05:12Z (Kubernetes timestamps).
std::string IsoSeconds(int64_t epoch_ms);
// ISO-8601 UTC with milliseconds, e.g. 2024-06-01T10:05:12.345Z (streaming progress).
std::string IsoMillis(int64_t epoch_ms);

}  // namespace sparkmedic::gen

#endif  // SPARKMEDIC_TOOLS_GEN_EVENTLOG_SPARK_TEXTS_H_
