// The ground truth the generator decided, written as JSON by --manifest and returned to
// in-process callers. Counts describe the lines actually written (for an in-progress log,
// the complete lines before the cut).
// Thread-safety: plain value.
#ifndef SPARKMEDIC_TOOLS_GEN_EVENTLOG_MANIFEST_H_
#define SPARKMEDIC_TOOLS_GEN_EVENTLOG_MANIFEST_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace sparkmedic::gen {

struct Manifest {
  // Identity of the run.
  uint64_t seed = 0;
  std::string scenario;
  std::string spark_version;
  std::string app_id;
  std::string app_name;
  bool in_progress = false;
  bool application_end = false;
  int exit_code = 0;
  uint64_t lines = 0;
  uint64_t uncompressed_bytes = 0;
  std::vector<std::string> files;
  std::map<std::string, uint64_t> events;  // lines by "Event" value

  // Tasks.
  uint64_t task_attempts = 0;  // TaskStart lines = distinct task ids
  uint64_t task_ends = 0;      // TaskEnd lines, including Resubmitted re-reports
  uint64_t speculative_attempts = 0;
  std::map<std::string, uint64_t> task_end_reasons;   // every Reason, zero when absent
  std::map<std::string, uint64_t> exception_classes;  // ExceptionFailure "Class Name"
  std::map<std::string, uint64_t> kill_reasons;       // TaskKilled "Kill Reason"
  uint64_t executor_lost_caused_by_app = 0;
  uint64_t executor_lost_not_caused_by_app = 0;
  uint64_t shs_completed = 0;                // AppStatusListener: Success
  uint64_t shs_failed = 0;                   // every other reason but TaskKilled / TaskCommitDenied
  uint64_t shs_killed = 0;                   // TaskKilled + TaskCommitDenied
  std::map<std::string, uint64_t> injected;  // --inject item -> times it fired

  // Jobs, stages, SQL.
  uint64_t jobs = 0, jobs_succeeded = 0, jobs_failed = 0;
  uint64_t stage_ids = 0;              // distinct stage ids in JobStart "Stage Infos"
  uint64_t stages_submitted = 0;       // distinct stage ids with a StageSubmitted
  uint64_t stages_skipped = 0;         // stage ids never submitted
  uint64_t stage_attempts = 0;         // StageSubmitted lines
  uint64_t stage_attempts_failed = 0;  // StageCompleted with "Failure Reason"
  uint64_t stages_retried = 0;         // stage ids with an attempt > 0
  uint64_t sql_executions = 0;

  // Executors.
  uint64_t executors_added = 0;
  uint64_t executors_removed = 0;
  std::map<std::string, uint64_t> executors_removed_by_kind;
  std::map<std::string, uint64_t> exclusion_events;  // by full "Event" class name

  // Per (stage id, partition id): attempts with Failed=true and their reasons.
  struct PartitionFailures {
    uint64_t failed_attempts = 0;
    std::map<std::string, uint64_t> reasons;
  };
  std::map<std::pair<int, int>, PartitionFailures> partitions;

  struct Skewed {
    int stage = 0;
    int partition = 0;
    int64_t shuffle_read_bytes = 0;
    int64_t median_shuffle_read_bytes = 0;
    int64_t duration_ms = 0;
  };
  std::vector<Skewed> skewed;

  struct Abort {
    int job = 0;
    int stage = 0;
    int stage_attempt = 0;
    int partition = -1;
    std::string message;
  };
  std::vector<Abort> aborts;

  // Structured Streaming.
  uint64_t queries_started = 0;
  uint64_t query_progress_events = 0;
  uint64_t queries_terminated = 0;
  uint64_t queries_terminated_with_exception = 0;
};

// The manifest as pretty-printed JSON (schema in docs/generator.md).
std::string ManifestJson(const Manifest& m);

}  // namespace sparkmedic::gen

#endif  // SPARKMEDIC_TOOLS_GEN_EVENTLOG_MANIFEST_H_
