// The application model: one attempt of one Spark application, as its event log tells it.
//
// Everything above the core (diagnosis, skew, the REST API, metrics) reads these structs.
// They are plain values with public fields: built once by the loader (loader.h), then read.
// Times are epoch milliseconds; kNoTime marks "not known / not happened".
//
// Memory: task attempts dominate (millions per large app), so TaskAttempt is kept compact
// (~250 bytes): executor and host are interned ids, small counters are 32-bit, and the
// details of a non-successful end live in a side table (`Application::task_failures`).
#ifndef SPARKMEDIC_MODEL_H_
#define SPARKMEDIC_MODEL_H_

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sparkmedic/chunked_vector.h"

namespace sparkmedic {

using TimeMs = int64_t;
inline constexpr TimeMs kNoTime = -1;
inline constexpr uint32_t kNoIndex = 0xFFFFFFFFu;

// Executor metrics (ExecutorMetricType, 4.x order); peaks are kept only when loading with
// LoadOptions::keep_executor_metrics.
inline constexpr int kNumExecutorMetrics = 23;
inline constexpr const char* kExecutorMetricNames[kNumExecutorMetrics] = {
    "JVMHeapMemory",
    "JVMOffHeapMemory",
    "OnHeapExecutionMemory",
    "OffHeapExecutionMemory",
    "OnHeapStorageMemory",
    "OffHeapStorageMemory",
    "OnHeapUnifiedMemory",
    "OffHeapUnifiedMemory",
    "DirectPoolMemory",
    "MappedPoolMemory",
    "ProcessTreeJVMVMemory",
    "ProcessTreeJVMRSSMemory",
    "ProcessTreePythonVMemory",
    "ProcessTreePythonRSSMemory",
    "ProcessTreeOtherVMemory",
    "ProcessTreeOtherRSSMemory",
    "MinorGCCount",
    "MinorGCTime",
    "MajorGCCount",
    "MajorGCTime",
    "TotalGCTime",
    "ConcurrentGCCount",
    "ConcurrentGCTime"};

// Peak executor metrics (metrics the log does not give are 0); `set` once any update came.
struct PeakExecutorMetrics {
  std::array<int64_t, kNumExecutorMetrics> values{};
  bool set = false;
  void Update(const PeakExecutorMetrics& o) {
    if (!o.set) return;
    for (int i = 0; i < kNumExecutorMetrics; ++i) {
      if (!set || o.values[i] > values[i]) values[i] = o.values[i];
    }
    set = true;
  }
};

// Interned strings (executor ids, hosts): stable ids, stable string_views.
class StringPool {
 public:
  uint32_t Intern(std::string_view s);
  std::string_view Get(uint32_t id) const {
    return id == kNoIndex ? std::string_view() : strings_[id];
  }
  size_t size() const { return strings_.size(); }
  // The id of `s` if interned, else kNoIndex.
  uint32_t Find(std::string_view s) const;

 private:
  std::deque<std::string> strings_;  // deque: views into it stay valid as it grows
  std::unordered_map<std::string_view, uint32_t> index_;
};

// A TaskEndReason kind (docs/spark-facts A.3). kRunning: no TaskEnd seen yet.
enum class TaskEndKind : uint8_t {
  kRunning,
  kSuccess,
  kResubmitted,
  kTaskResultLost,
  kUnknownReason,
  kFetchFailed,
  kExceptionFailure,
  kTaskCommitDenied,
  kExecutorLostFailure,
  kTaskKilled,
  kOther,  // a Reason string we do not know; its text is kept in TaskFailure::raw_reason
};
inline constexpr int kNumTaskEndKinds = 11;
// "Running", "Success", "Resubmitted", ... (Spark's own Reason names).
const char* TaskEndKindName(TaskEndKind kind);

enum class Locality : uint8_t { kProcessLocal, kNodeLocal, kNoPref, kRackLocal, kAny, kUnknown };
const char* LocalityName(Locality l);  // "PROCESS_LOCAL", ...
// The inverse of LocalityName; kUnknown for any other text.
Locality ParseLocalityName(std::string_view name);

// Task metrics as in the TaskEnd "Task Metrics" object. Units as Spark writes them:
// times in ms except *_cpu_time and shuffle_write_time (ns).
struct TaskMetrics {
  int64_t executor_deserialize_cpu_time = 0;
  int64_t executor_cpu_time = 0;
  int64_t result_size = 0;
  int64_t memory_bytes_spilled = 0;
  int64_t disk_bytes_spilled = 0;
  int64_t peak_execution_memory = 0;
  int64_t peak_on_heap_execution_memory = 0;
  int64_t peak_off_heap_execution_memory = 0;
  int64_t input_bytes_read = 0;
  int64_t input_records_read = 0;
  int64_t output_bytes_written = 0;
  int64_t output_records_written = 0;
  int64_t sr_remote_bytes_read = 0;
  int64_t sr_remote_bytes_read_to_disk = 0;
  int64_t sr_local_bytes_read = 0;
  int64_t sr_records_read = 0;
  int64_t sw_bytes_written = 0;
  int64_t sw_write_time = 0;  // ns
  int64_t sw_records_written = 0;
  uint32_t executor_deserialize_time = 0;
  uint32_t executor_run_time = 0;
  uint32_t jvm_gc_time = 0;
  uint32_t result_serialization_time = 0;
  uint32_t sr_fetch_wait_time = 0;
  uint32_t sr_remote_blocks_fetched = 0;
  uint32_t sr_local_blocks_fetched = 0;
  uint32_t sr_remote_reqs_duration = 0;

  int64_t sr_total_bytes_read() const { return sr_remote_bytes_read + sr_local_bytes_read; }
};

struct StackFrame {
  std::string declaring_class;
  std::string method_name;
  std::optional<std::string> file_name;  // null in the log → nullopt
  int32_t line_number = 0;
};

// Details of a non-successful task end (every field of the Task End Reason).
struct TaskFailure {
  TaskEndKind kind = TaskEndKind::kOther;
  // ExceptionFailure
  std::string class_name;
  std::string description;                      // the exception message; may be empty
  std::optional<std::string> full_stack_trace;  // includes "Caused by:" chains
  std::vector<StackFrame> stack_trace;  // kept only when full_stack_trace is absent (it says
                                        // the same, and is what Spark renders)
  // FetchFailed
  bool has_block_manager = false;  // false: metadata fetch failure ("null" address)
  std::string bm_executor_id, bm_host;
  int32_t bm_port = 0;
  int32_t shuffle_id = -1;
  int64_t map_id = -1;
  std::optional<int32_t> map_index;  // 3.0+
  int32_t reduce_id = -1;
  std::string message;  // FetchFailed message
  // ExecutorLostFailure
  std::string lost_executor_id;
  bool exit_caused_by_app = true;
  std::optional<std::string> loss_reason;
  // TaskKilled
  std::string kill_reason;
  // TaskCommitDenied
  int32_t commit_job_id = -1, commit_partition_id = -1, commit_attempt_number = -1;
  // kOther: the unknown Reason name
  std::string raw_reason;

  // Spark's TaskEndReason.toErrorString (what the History Server shows as errorMessage,
  // except that for TaskKilled the History Server shows only the kill reason).
  std::string ErrorString() const;
};

// The inverse of TaskFailure::ErrorString, for task ends known only by their text (the REST
// API's TaskData.errorMessage, a job or stage failure's "most recent failure"). `killed`: the
// task's status was KILLED, whose errorMessage the History Server gives as the kill reason
// alone (TaskCommitDenied excepted, which keeps its toErrorString). Never fails: text that is
// no other end's form is an ExceptionFailure whose full stack trace is the text ("Class:
// message" on the first line, as Throwable.toString writes it). For every end the event log
// gives, ParseTaskErrorString(f.ErrorString()).ErrorString() == f.ErrorString().
TaskFailure ParseTaskErrorString(std::string_view text, bool killed = false);

// Does this end count toward spark.task.maxFailures? (TaskSetManager.handleFailedTask)
bool CountsTowardTaskFailures(const TaskFailure& f);

// One task attempt (one TaskStart and/or one TaskEnd event).
struct TaskAttempt {
  int64_t task_id = -1;
  TimeMs launch_time = kNoTime;
  TimeMs finish_time = 0;          // 0 while running (as Spark writes it)
  TimeMs getting_result_time = 0;  // 0 if never
  int32_t stage_id = -1;
  int32_t stage_attempt = 0;
  int32_t index = -1;
  int32_t attempt = 0;
  int32_t partition_id = -1;     // 3.3+; -1 when absent
  uint32_t executor = kNoIndex;  // Application::strings
  uint32_t host = kNoIndex;      // Application::strings
  uint32_t failure = kNoIndex;   // Application::task_failures, for non-success ends
  TaskEndKind end = TaskEndKind::kRunning;
  Locality locality = Locality::kUnknown;
  bool speculative = false;
  bool failed = false;            // Task Info "Failed"
  bool killed = false;            // Task Info "Killed"
  bool shuffle_map_task = false;  // Task Type
  bool has_metrics = false;
  TaskMetrics metrics;

  // Task Info.Finish Time − Launch Time, or nullopt while running.
  std::optional<int64_t> duration() const {
    if (finish_time == 0 || launch_time == kNoTime) return std::nullopt;
    return finish_time - launch_time;
  }
  // The History Server's status string: RUNNING, GET RESULT, FAILED, KILLED, SUCCESS.
  const char* StatusString() const;
};

struct Accumulable {
  int64_t id = 0;
  std::string name;
  std::string value;                  // as text (numbers rendered as in the log)
  std::optional<std::string> update;  // a task's own contribution ("Update"), when given
  bool internal = false;
  bool sql = false;  // "Metadata": "sql" (a SQL metric; the REST API leaves these out)
};

enum class StageStatus : uint8_t { kPending, kActive, kComplete, kFailed, kSkipped };
const char* StageStatusName(StageStatus s);  // "PENDING", "ACTIVE", "COMPLETE", ...

// One attempt of one stage.
struct StageAttempt {
  int32_t stage_id = -1;
  int32_t attempt_id = 0;
  std::string name;
  std::string details;
  int32_t num_tasks = 0;
  std::vector<int32_t> parent_ids;
  std::vector<int32_t> rdd_ids;
  TimeMs submission_time = kNoTime;
  TimeMs completion_time = kNoTime;
  std::optional<std::string> failure_reason;
  StageStatus status = StageStatus::kPending;
  int32_t resource_profile_id = 0;
  std::vector<Accumulable> accumulables;
  // From the StageSubmitted / JobStart properties.
  std::string scheduling_pool;
  std::optional<std::string> description;  // spark.job.description
  std::optional<std::string> job_group;
  std::vector<int32_t> job_ids;  // jobs that include this stage
  std::vector<uint32_t> tasks;   // indexes into Application::tasks, in launch order
  // With LoadOptions::keep_executor_metrics: peaks from StageExecutorMetrics events and task
  // ends, for the stage and per executor id.
  PeakExecutorMetrics peak_metrics;
  std::map<std::string, PeakExecutorMetrics> executor_peak_metrics;
};

enum class JobStatus : uint8_t { kRunning, kSucceeded, kFailed, kUnknown };
const char* JobStatusName(JobStatus s);  // "RUNNING", "SUCCEEDED", "FAILED", "UNKNOWN"

struct Job {
  int32_t job_id = -1;
  TimeMs submission_time = kNoTime;
  TimeMs completion_time = kNoTime;
  std::vector<int32_t> stage_ids;
  // Sum of numTasks of the JobStart's stages that had not completed yet (AppStatusListener's
  // possibly over-estimated numTasks of the job).
  int32_t num_tasks = 0;
  JobStatus status = JobStatus::kRunning;
  std::optional<std::string> failure_message;  // Job Result.Exception.Message
  std::optional<int64_t> sql_execution_id;     // spark.sql.execution.id property
  std::optional<std::string> job_group;        // spark.jobGroup.id
  std::optional<std::string> description;      // spark.job.description
  std::string name;                            // the name of the stage with the highest id
  std::map<std::string, std::string> streaming_properties;  // sql.streaming.* / epoch keys
};

enum class ExclusionKind : uint8_t {
  kExecutorExcluded,
  kExecutorUnexcluded,
  kExecutorExcludedForStage,
  kNodeExcluded,
  kNodeUnexcluded,
  kNodeExcludedForStage,
};
const char* ExclusionKindName(ExclusionKind k);

struct ExclusionEvent {
  TimeMs time = kNoTime;
  ExclusionKind kind = ExclusionKind::kExecutorExcluded;
  std::string target;                         // executor id or host
  int32_t stage_id = -1, stage_attempt = -1;  // for the per-stage kinds
  int32_t failures = 0;                       // taskFailures / executorFailures
};

// A Spark StorageLevel (JsonProtocol's "Storage Level" object).
struct StorageLevel {
  bool use_disk = false;
  bool use_memory = false;
  bool use_off_heap = false;  // "Use Off Heap": absent before Spark 3.4 (false)
  bool deserialized = false;
  int32_t replication = 1;
  // StorageLevel.isValid: (useMemory || useDisk) && replication > 0.
  bool IsValid() const { return (use_memory || use_disk) && replication > 0; }
  // StorageLevel.description, e.g. "Disk Memory Deserialized 1x Replicated".
  std::string Description() const;
};

// The storage/rdd view of one cached RDD at the end of the log (Spark's RDDStorageInfo, as
// AppStatusListener leaves it), from SparkListenerBlockUpdated events (written only with
// spark.eventLog.logBlockUpdates.enabled). See docs/rest-api.md.
struct RddPartitionInfo {
  std::string block_name;     // rdd_<rddId>_<split>
  std::string storage_level;  // the effective level's description
  int64_t memory_used = 0;
  int64_t disk_used = 0;
  std::vector<std::string> executors;  // in the order they stored the block
};
struct RddDataDistribution {
  std::optional<std::string> address;  // the executor's host:port (or host)
  int64_t memory_used = 0;
  int64_t memory_remaining = 0;
  int64_t disk_used = 0;
  // Set only when the executor's block manager reported on/off-heap sizes.
  std::optional<int64_t> on_heap_memory_used, off_heap_memory_used;
  std::optional<int64_t> on_heap_memory_remaining, off_heap_memory_remaining;
};
struct RddStorage {
  int32_t id = -1;
  std::string name;
  int32_t num_partitions = 0;
  std::string storage_level;  // description of the level the RDD was persisted with
  int64_t memory_used = 0;
  int64_t disk_used = 0;
  std::vector<RddDataDistribution> distributions;  // empty: Spark's None (field absent)
  std::vector<RddPartitionInfo> partitions;        // cached partitions, first stored first
};

struct Executor {
  std::string id;
  std::string host;
  int32_t total_cores = 0;
  TimeMs add_time = kNoTime;
  TimeMs remove_time = kNoTime;
  std::optional<std::string> remove_reason;
  int32_t resource_profile_id = 0;
  std::map<std::string, std::string> log_urls;
  std::map<std::string, std::string> attributes;
  int64_t max_memory = 0;  // BlockManagerAdded "Maximum Memory"
  std::optional<int64_t> max_onheap_memory, max_offheap_memory;
  int32_t block_manager_port = 0;
  TimeMs block_manager_removed_time = kNoTime;
  PeakExecutorMetrics peak_metrics;  // with LoadOptions::keep_executor_metrics
  // Block storage (BlockUpdated events; 0 without them), as the executor's last LiveExecutor
  // ended: at its removal, else at the end of the log.
  int32_t rdd_blocks = 0;
  int64_t memory_used = 0;
  int64_t disk_used = 0;
  int64_t used_on_heap_storage = 0;
  int64_t used_off_heap_storage = 0;
  bool is_driver() const { return id == "driver" || id == "<driver>"; }
};

struct SqlExecution {
  int64_t execution_id = -1;
  std::string description;
  std::string details;
  TimeMs start_time = kNoTime;
  TimeMs end_time = kNoTime;
  std::optional<std::string> error_message;
  std::vector<int32_t> job_ids;
  // Distinct physical-plan node names (e.g. "SortMergeJoin", "Exchange"), from the initial
  // plan and every adaptive re-plan.
  std::vector<std::string> plan_nodes;
};

struct StreamingQuery {
  std::string id;
  std::string run_id;
  std::optional<std::string> name;
  TimeMs start_time = kNoTime;
  TimeMs end_time = kNoTime;
  std::optional<std::string> exception;  // QueryTerminatedEvent.exception
  int64_t progress_events = 0;
  int64_t last_batch_id = -1;
  int64_t jobs = 0;                    // jobs whose properties name this query
  bool continuous_epoch_jobs = false;  // jobs carried __continuous_start_epoch
  bool micro_batch_jobs = false;       // jobs carried streaming.sql.batchId
  // Continuous iff jobs carried epoch properties, or (no such evidence either way) the query
  // ran jobs but never reported progress. See docs/spark-facts A.4.
  bool IsContinuous() const;
};

struct ResourceProfile {
  int32_t id = 0;
  std::map<std::string, std::string> executor_requests;  // "cores" → "4", "memory" → "8192"
  std::map<std::string, std::string> task_requests;
  // Executor requests' "Discovery Script" and "Vendor" (name → (script, vendor)).
  std::map<std::string, std::pair<std::string, std::string>> executor_request_details;
};

// One attempt of one application: everything one event log says.
struct Application {
  std::string app_id;
  std::string attempt_id;  // empty when the app has none
  std::string name;
  std::string user;
  std::string spark_version;  // SparkListenerLogStart; empty for Spark 1.2-era logs
  TimeMs start_time = kNoTime;
  TimeMs end_time = kNoTime;
  std::optional<int32_t> exit_code;  // ApplicationEnd ExitCode (4.x)
  bool completed = false;            // an ApplicationEnd was seen (and the log is finished)
  bool has_application_start = false;
  TimeMs last_event_time = kNoTime;  // the latest timestamp seen in any event

  std::vector<std::pair<std::string, std::string>> spark_properties;  // log order
  std::vector<std::pair<std::string, std::string>> hadoop_properties;
  std::vector<std::pair<std::string, std::string>> system_properties;
  std::vector<std::pair<std::string, std::string>> jvm_information;
  std::vector<std::pair<std::string, std::string>> classpath_entries;
  std::vector<std::pair<std::string, std::string>> metrics_properties;
  // A Spark property's value, or nullopt.
  std::optional<std::string_view> SparkConf(std::string_view key) const;

  StringPool strings;                // executor ids and hosts of tasks
  ChunkedVector<TaskAttempt> tasks;  // launch order; no 2x peak when growing, stable addresses
  std::deque<TaskFailure> task_failures;
  std::map<std::pair<int32_t, int32_t>, StageAttempt> stages;  // (stage id, attempt)
  std::map<int32_t, Job> jobs;
  std::map<std::string, Executor> executors;  // by executor id (including the driver)
  std::vector<std::string> executor_order;    // ids in order of first appearance
  std::vector<ExclusionEvent> exclusions;     // de-duplicated (Blacklisted + Excluded pairs)
  std::map<int64_t, SqlExecution> sql_executions;
  std::map<std::string, StreamingQuery> streaming_queries;  // by query id
  std::map<int32_t, ResourceProfile> resource_profiles;
  // Persisted RDDs still tracked at the end of the log (not unpersisted), by id; includes
  // those with no cached partition (storage/rdd/{id} shows them, the list does not).
  std::map<int32_t, RddStorage> rdds;
  // Task Info "Accumulables" of ended tasks that are neither internal nor SQL metrics, by index
  // into `tasks`; only filled when loaded with LoadOptions::keep_task_accumulables (the REST
  // API's TaskData.accumulatorUpdates).
  std::unordered_map<uint32_t, std::vector<Accumulable>> task_accumulables;

  const TaskFailure* FailureOf(const TaskAttempt& t) const {
    return t.failure == kNoIndex ? nullptr : &task_failures[t.failure];
  }
  std::string_view ExecutorOf(const TaskAttempt& t) const { return strings.Get(t.executor); }
  std::string_view HostOf(const TaskAttempt& t) const { return strings.Get(t.host); }
  const StageAttempt* FindStage(int32_t stage_id, int32_t attempt) const;
};

}  // namespace sparkmedic

#endif  // SPARKMEDIC_MODEL_H_
