// What the event-log generator is asked to produce: the Options value, the --inject
// mini-language and the --scenario presets.
//
// Options is a plain value validated by Validate(); the generator never reads flags.
// Thread-safety: values only.
#ifndef SPARKMEDIC_TOOLS_GEN_EVENTLOG_OPTIONS_H_
#define SPARKMEDIC_TOOLS_GEN_EVENTLOG_OPTIONS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sparkmedic/status.h"

namespace sparkmedic::gen {

// One kind of injected failure. Each maps to the TaskEndReason Spark writes for it.
enum class FailureKind {
  kException,     // ExceptionFailure; `arg` names an entry of the exception catalogue
  kOom,           // ExceptionFailure java.lang.OutOfMemoryError (heap), then executor exit 52
  kOomDirect,     // ExceptionFailure OutOfMemoryError (direct buffer), then executor exit 52
  kFetchFailed,   // FetchFailed on a shuffle-reading task -> stage attempt fails and retries
  kResultLost,    // TaskResultLost (ResultTask)
  kUnknown,       // UnknownReason
  kCommitDenied,  // TaskCommitDenied (ResultTask)
  kExecutorLost,  // the task's executor dies; `arg` is 137|143|52|53|decommission|heartbeat|deleted
  kKilled,        // TaskKilled "killed via the Web UI"; the task is retried
  kSpeculation,   // a straggler gets a speculative copy; the loser is killed
};

// Where an injected failure may land.
struct InjectTarget {
  int host = -1;       // @host:H   host index (0-based)
  std::string exec;    // @exec:E   executor id
  int stage = -1;      // @stage:S  stage id; -2 = the last stage of the app ("last")
  int partition = -1;  // @stage:S.P partition id
  int task_type = 0;   // @map = 1 (ShuffleMapTask only), @result = 2, @reduce = 3 (reads shuffle)
  bool any() const { return host >= 0 || !exec.empty() || stage != -1 || task_type != 0; }
};

// One --inject item: KIND[:ARG]=AMOUNT[@TARGET].
struct InjectSpec {
  enum class Amount { kCount, kRate, kAll };
  FailureKind kind = FailureKind::kException;
  std::string arg;
  Amount amount = Amount::kCount;
  uint64_t count = 0;  // kCount
  double rate = 0;     // kRate, as a fraction (the text says percent)
  InjectTarget target;
  std::string text;  // the item as written, normalised; manifest key
};

enum class Codec { kNone, kZstd, kGzip };
enum class Streaming { kNone, kContinuous, kMicroBatch };

struct Options {
  // Application shape.
  std::string spark_version = "3.5.1";
  uint64_t seed = 1;
  std::string scenario;          // informational once applied
  uint64_t tasks = 2000;         // target number of first task attempts
  int stages = 0;                // 0: derived from tasks / partitions_per_stage
  int partitions_per_stage = 0;  // 0: derived (200 or fewer)
  int stages_per_query = 3;      // stages in each SQL query (scan, shuffle, result)
  int executors = 8;
  int hosts = 0;  // 0: every executor has its own pod IP (Kubernetes)
  int cores = 4;
  int max_failures = 4;             // spark.task.maxFailures
  bool max_failures_set = false;    // write spark.task.maxFailures into the environment
  bool exclude_on_failure = false;  // spark.excludeOnFailure.enabled
  bool dynamic_allocation = false;
  bool aqe = true;            // one job per query stage, as adaptive execution runs them
  bool aqe_conf_set = false;  // write spark.sql.adaptive.* into the environment
  int skew_partitions = 0;
  double skew_factor = 30;
  Streaming streaming = Streaming::kNone;
  int micro_batches = 6;
  std::vector<InjectSpec> injects;

  // Names and clock.
  std::string app_name;                   // default depends on the scenario
  std::string app_id;                     // default: spark-<32 hex> from the seed
  int64_t start_time_ms = 1717236000000;  // 2024-06-01T10:00:00Z

  // Output.
  std::string output = "-";  // file, directory or "-" for stdout
  Codec codec = Codec::kNone;
  int64_t flush_every = 0;        // 0: Spark's policy (frame closed on each flushing event)
  int64_t rolling_max_bytes = 0;  // 0: a single file
  bool in_progress = false;
  double stop_at = 0.85;      // in-progress: stop after this fraction of task attempts
  bool cut_last_line = true;  // in-progress: leave half of one more line
  std::string manifest_path;
};

// Parses a comma-separated list of inject items and appends them to `out`.
// Errors: kInvalidArgument naming the bad item.
Status ParseInjectList(std::string_view text, std::vector<InjectSpec>* out);

// Parses one item, e.g. "exception:NullPointerException=20", "oom=0.5%",
// "executor-lost:137=2@host:1", "exception:BadRecord=all@stage:last.3".
Status ParseInjectSpec(std::string_view text, InjectSpec* out);

// Names of the presets, in the order --help lists them.
const std::vector<std::string>& ScenarioNames();
// One-paragraph description of a preset for --help and docs.
std::string ScenarioDescription(std::string_view name);
// Sets the preset's fields on `opts` (before explicit flags are applied).
// Errors: kInvalidArgument for an unknown name.
Status ApplyScenario(std::string_view name, Options* opts);

// Checks ranges and combinations. Errors: kInvalidArgument with the reason.
Status Validate(const Options& opts);

// The help text for --inject (kinds, amounts, targets, exception keys).
std::string InjectHelp();

}  // namespace sparkmedic::gen

#endif  // SPARKMEDIC_TOOLS_GEN_EVENTLOG_OPTIONS_H_
