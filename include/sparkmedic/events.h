// Typed events: one JSON line of an event log, parsed into the fields the model needs.
//
// EventParser (one per thread) turns a line into an Event; the loader applies Events to the
// Application model in log order (model_builder). Strings in hot events (task executor/host)
// are string_views into an Arena owned by whoever owns the Event batch; rare events own their
// strings.
#ifndef SPARKMEDIC_EVENTS_H_
#define SPARKMEDIC_EVENTS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "sparkmedic/model.h"

namespace sparkmedic {

// Bump allocator for short strings; frees everything at once. Not thread-safe.
class Arena {
 public:
  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  Arena(Arena&&) = default;
  Arena& operator=(Arena&&) = default;
  // Copies `s` into the arena; the view lives until Reset() or destruction.
  std::string_view Copy(std::string_view s);
  void Reset();

 private:
  static constexpr size_t kBlockSize = 65536;
  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t first_size_ = 0;
  char* cur_ = nullptr;
  size_t left_ = 0;
};

using Properties = std::vector<std::pair<std::string, std::string>>;

// An "RDD Info" of a stage info whose storage level is valid (a persisted RDD); the others,
// most of them, are not kept.
struct CachedRddInfo {
  int32_t id = -1;
  std::string name;
  int32_t num_partitions = 0;
  StorageLevel level;
};

struct StageInfoData {
  int32_t stage_id = -1;
  int32_t attempt_id = 0;
  std::string name;
  std::string details;
  int32_t num_tasks = 0;
  std::vector<int32_t> parent_ids;
  std::vector<int32_t> rdd_ids;
  std::vector<CachedRddInfo> cached_rdds;  // RDD Infos with a valid storage level
  std::optional<TimeMs> submission_time, completion_time;
  std::optional<std::string> failure_reason;
  std::vector<Accumulable> accumulables;
  int32_t resource_profile_id = 0;
};

// The job/stage "Properties" keys the model keeps.
struct JobProperties {
  std::optional<int64_t> sql_execution_id;
  std::optional<std::string> job_group;
  std::optional<std::string> description;
  std::optional<std::string> scheduling_pool;
  std::vector<std::pair<std::string, std::string>> streaming;  // sql.streaming.queryId, ...
};

struct TaskInfoData {
  int64_t task_id = -1;
  int32_t index = -1;
  int32_t attempt = 0;
  int32_t partition_id = -1;
  TimeMs launch_time = kNoTime;
  std::string_view executor_id;  // in the batch arena
  std::string_view host;         // in the batch arena
  Locality locality = Locality::kUnknown;
  bool speculative = false;
  TimeMs getting_result_time = 0;
  TimeMs finish_time = 0;
  bool failed = false;
  bool killed = false;
};

struct LogStartEvent {
  std::string spark_version;
};
struct AppStartEvent {
  std::string name;
  std::optional<std::string> app_id;
  TimeMs time = kNoTime;
  std::string user;
  std::optional<std::string> attempt_id;
};
struct AppEndEvent {
  TimeMs time = kNoTime;
  std::optional<int32_t> exit_code;
};
struct EnvUpdateEvent {
  Properties jvm, spark, hadoop, system, classpath, metrics;
};
struct ResourceProfileEvent {
  int32_t id = 0;
  std::vector<std::pair<std::string, std::string>> executor_requests, task_requests;
  // Executor request name → (Discovery Script, Vendor).
  std::vector<std::pair<std::string, std::pair<std::string, std::string>>> executor_details;
};
struct ExecutorAddedEvent {
  TimeMs time = kNoTime;
  std::string executor_id, host;
  int32_t total_cores = 0;
  int32_t resource_profile_id = 0;
  Properties log_urls, attributes;
};
struct ExecutorRemovedEvent {
  TimeMs time = kNoTime;
  std::string executor_id, reason;
};
struct BlockManagerAddedEvent {
  TimeMs time = kNoTime;
  std::string executor_id, host;
  int32_t port = 0;
  int64_t max_memory = 0;
  std::optional<int64_t> max_onheap, max_offheap;
};
// SparkListenerBlockUpdated of an RDD block (rdd_<rdd>_<split>) or a broadcast block
// (broadcast_<id>...); other block kinds do not reach the model.
struct BlockUpdatedEvent {
  enum class BlockKind : uint8_t { kRdd, kBroadcast };
  BlockKind kind = BlockKind::kRdd;
  std::string executor_id;          // "Block Manager ID"."Executor ID"
  int32_t rdd_id = -1, split = -1;  // for kRdd
  StorageLevel level;
  int64_t memory_size = 0, disk_size = 0;
};
struct UnpersistRddEvent {
  int32_t rdd_id = -1;
};
struct BlockManagerRemovedEvent {
  TimeMs time = kNoTime;
  std::string executor_id, host;
};
struct JobStartEvent {
  int32_t job_id = -1;
  TimeMs time = kNoTime;
  std::vector<StageInfoData> stage_infos;
  std::vector<int32_t> stage_ids;
  JobProperties properties;
};
struct JobEndEvent {
  int32_t job_id = -1;
  TimeMs time = kNoTime;
  bool succeeded = false;
  std::string result;  // "JobSucceeded", "JobFailed"
  std::optional<std::string> exception_message;
};
struct StageSubmittedEvent {
  StageInfoData info;
  JobProperties properties;
};
struct StageCompletedEvent {
  StageInfoData info;
};
struct TaskStartEvent {
  int32_t stage_id = -1, stage_attempt = 0;
  TaskInfoData info;
};
struct TaskGettingResultEvent {
  TaskInfoData info;
};
struct TaskEndEvent {
  int32_t stage_id = -1, stage_attempt = 0;
  bool shuffle_map_task = false;
  TaskEndKind kind = TaskEndKind::kOther;
  std::unique_ptr<TaskFailure> failure;  // null for Success
  TaskInfoData info;
  bool has_metrics = false;
  TaskMetrics metrics;
  // Task Info "Accumulables"; parsed only when the parser keeps them (empty otherwise).
  std::vector<Accumulable> accumulables;
  // "Task Executor Metrics" (zeros when absent); only when the parser keeps executor metrics
  // (a pointer: the event stays small on the default path).
  std::unique_ptr<PeakExecutorMetrics> executor_metrics;
};
// SparkListenerStageExecutorMetrics (parsed only when the parser keeps executor metrics).
struct StageExecutorMetricsEvent {
  int32_t stage_id = -1, stage_attempt = 0;
  std::string executor_id;
  PeakExecutorMetrics metrics;
};
struct ExclusionEventData {
  ExclusionEvent e;
  bool legacy_name = false;
};
struct SqlStartEvent {
  int64_t execution_id = -1;
  std::string description, details;
  TimeMs time = kNoTime;
  std::vector<std::string> plan_nodes;  // distinct sparkPlanInfo node names
};
// SparkListenerSQLAdaptiveExecutionUpdate: only the new plan's node names are kept.
struct SqlPlanUpdateEvent {
  int64_t execution_id = -1;
  std::vector<std::string> plan_nodes;
};
struct SqlEndEvent {
  int64_t execution_id = -1;
  TimeMs time = kNoTime;
  std::optional<std::string> error;
};
struct QueryStartedEvent {
  std::string id, run_id;
  std::optional<std::string> name;
  TimeMs time = kNoTime;
};
struct QueryProgressEvent {
  std::string id, run_id;
  int64_t batch_id = -1;
  TimeMs time = kNoTime;
};
struct QueryTerminatedEvent {
  std::string id, run_id;
  std::optional<std::string> exception;
};
// A known event the model does not use (e.g. ExecutorMetricsUpdate, a shuffle block update).
struct IgnoredEvent {};
// An "Event" name we do not know; `name` is in the batch arena.
struct UnknownEvent {
  std::string_view name;
};

using EventPayload =
    std::variant<IgnoredEvent, UnknownEvent, LogStartEvent, AppStartEvent, AppEndEvent,
                 EnvUpdateEvent, ResourceProfileEvent, ExecutorAddedEvent, ExecutorRemovedEvent,
                 BlockManagerAddedEvent, BlockManagerRemovedEvent, JobStartEvent, JobEndEvent,
                 StageSubmittedEvent, StageCompletedEvent, TaskStartEvent, TaskGettingResultEvent,
                 TaskEndEvent, ExclusionEventData, SqlStartEvent, SqlPlanUpdateEvent, SqlEndEvent,
                 QueryStartedEvent, QueryProgressEvent, QueryTerminatedEvent,
                 StageExecutorMetricsEvent, BlockUpdatedEvent, UnpersistRddEvent>;

struct Event {
  uint64_t line = 0;    // 1-based line in the file's decompressed stream
  uint64_t offset = 0;  // byte offset of the line
  EventPayload payload;
};

}  // namespace sparkmedic

#endif  // SPARKMEDIC_EVENTS_H_
