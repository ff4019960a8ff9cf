// Internal: the discrete-event simulation behind Generate(). Not part of the library's
// interface; included only by the generator's .cc files.
//
// The simulator walks an AppPlan query by query. Each stage attempt is a TaskSet scheduled on
// executor cores with an event heap (task finish, speculation, kill, executor loss); every
// Spark listener event is rendered into one reused line buffer and handed to the sink as it
// happens, so output order is event-time order. Failure kinds and their Spark consequences
// (retries, aborts, stage retries, Resubmitted, exclusion) follow docs/spark-facts.md C.
#ifndef SPARKMEDIC_TOOLS_GEN_EVENTLOG_SIMULATOR_H_
#define SPARKMEDIC_TOOLS_GEN_EVENTLOG_SIMULATOR_H_

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <queue>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "json_out.h"
#include "manifest.h"
#include "options.h"
#include "plan.h"
#include "rng.h"
#include "sink.h"

namespace sparkmedic::gen::internal {

inline constexpr const char* kQueryListener =
    "org.apache.spark.sql.streaming.StreamingQueryListener$";
inline constexpr const char* kSqlUi = "org.apache.spark.sql.execution.ui.";
inline constexpr int64_t kExecutorMemoryMb = 8192;

enum class Outcome : uint8_t {
  kSuccess,
  kException,
  kOom,
  kOomDirect,
  kFetchFailed,
  kResultLost,
  kUnknown,
  kCommitDenied,
  kExecutorLost,
  kKilledUi,
  kStraggler,
};

// Internal task-metric accumulators, in TaskMetrics registration order (ids follow it).
enum Slot : int {
  kDeserTime,
  kDeserCpu,
  kRunTime,
  kCpuTime,
  kResultSize,
  kGcTime,
  kResultSer,
  kMemSpill,
  kDiskSpill,
  kPeak,
  kPeakOn,
  kPeakOff,
  kUpdatedBlocks,
  kRdRemoteBlocks,
  kRdLocalBlocks,
  kRdRemoteBytes,
  kRdRemoteToDisk,
  kRdLocalBytes,
  kRdFetchWait,
  kRdRecords,
  kPushCorrupt,
  kPushFallback,
  kPushRemoteBlocks,
  kPushLocalBlocks,
  kPushRemoteChunks,
  kPushLocalChunks,
  kPushRemoteBytes,
  kPushLocalBytes,
  kRdRemoteReqsDur,
  kPushRemoteReqsDur,
  kWrBytes,
  kWrRecords,
  kWrTime,
  kInBytes,
  kInRecords,
  kOutBytes,
  kOutRecords,
  kSlotCount,
};

struct TaskVals {
  int64_t deser = 0, deser_cpu = 0, run = 0, cpu = 0, result_size = 0, gc = 0, ser = 0;
  int64_t mem_spill = 0, disk_spill = 0, peak = 0;
  int64_t rd_remote_blocks = 0, rd_local_blocks = 0, rd_remote_bytes = 0, rd_local_bytes = 0;
  int64_t rd_fetch_wait = 0, rd_records = 0, rd_reqs_dur = 0;
  int64_t wr_bytes = 0, wr_time = 0, wr_records = 0;
  int64_t in_bytes = 0, in_records = 0, out_bytes = 0, out_records = 0;
  int64_t duration = 0;
};

struct TaskRun {
  int64_t tid = 0;
  int index = 0;
  int attempt = 0;
  int exec = 0;
  int64_t launch = 0;
  int64_t finish = 0;
  Outcome outcome = Outcome::kSuccess;
  int spec = -1;    // index of the InjectSpec that chose the outcome, -1 if none
  std::string arg;  // exception key or executor-loss kind
  bool speculative = false;
  bool active = true;
  bool succeeded = false;
  bool resubmitted = false;
  bool late_start = false;  // 3.x: TaskStart written only when the task has finished (below)
  int peer = -1;            // the other copy of a speculated task
  uint8_t locality = 0;
  int fetch_exec = -1, fetch_map_index = -1;
  int64_t fetch_map_id = 0;
  TaskVals v;
  std::string saved_info;  // "Task Info" JSON of the Success line (for Resubmitted)
};

struct Exec {
  std::string id;
  std::string quoted_id;
  int host = 0;
  std::string host_name;
  std::string quoted_host;
  int port = 0;
  bool alive = false;
  bool dying = false;
  bool loss_scheduled = false;
  int64_t added = 0;
  int64_t max_memory = 0;
  int app_failures = 0;
  bool excluded = false;
  int64_t excluded_until = 0;
};

// A stage id: the logical stage it runs and its attempt counter. With adaptive execution a
// logical stage gets a new id in every later job (where it shows as skipped).
struct Instance {
  int id = 0;
  int logical = 0;
  int parent = -1;  // instance id
  int next_attempt = 0;
  int latest_tasks = 0;
  int fetch_failures = 0;
  bool submitted = false;
};

struct Job {
  int id = 0;
  int query = 0;
  std::vector<int> instances;  // instance ids, parents first
  std::string properties;      // the "Properties" JSON object
};

struct Event {
  int64_t time;
  uint64_t seq;
  uint8_t type;
  int run;
  bool operator>(const Event& o) const { return time != o.time ? time > o.time : seq > o.seq; }
};
enum EventType : uint8_t { kEvFinish, kEvSpeculate, kEvKill, kEvExecLoss };

struct TaskSet {
  int inst = 0;
  int logical = 0;
  int attempt = 0;
  int job = 0;
  bool first_run = false;  // the logical stage's first attempt (count-based sampling universe)
  std::vector<int> parts;
  std::vector<uint8_t> done;
  std::vector<uint16_t> failures;
  std::vector<uint16_t> next_attempt;
  std::vector<uint8_t> copies;
  std::vector<std::vector<int>> index_failed_execs;
  std::deque<int> pending;
  std::deque<int> spec_wait;
  std::vector<TaskRun> runs;
  std::vector<std::string> kill_reason;  // per run, for kEvKill
  int remaining = 0;
  int running = 0;
  bool zombie = false;
  bool completed = false;
  bool aborted = false;
  int64_t submitted = 0;
  int64_t completed_at = 0;
  int64_t internal_base = 0;
  int64_t totals[kSlotCount] = {};
  uint8_t touched[kSlotCount] = {};
  std::vector<uint8_t> sql_touched;  // parallel to the stage's sql_metric_index
  std::map<int, std::set<int>> exec_failed_indices;
  std::set<int> excluded_execs;
  std::map<int, std::set<int>> host_excluded;
  std::set<int> excluded_hosts;
  std::string failure_reason;
  std::string abort_message;
  int abort_partition = -1;
  int fetch_exec = -1;
  std::priority_queue<Event, std::vector<Event>, std::greater<Event>> heap;
};

struct SpecState {
  uint64_t fired = 0;
  uint64_t universe = 0;  // statically eligible first attempts not yet seen
  uint64_t debt = 0;      // selections deferred to the next eligible attempt
  uint64_t reserve = 0;   // tail of the universe kept free of fresh selections
};

// Thrown (and caught inside Simulator::Run) when an in-progress log reaches its cut point.
struct StopGeneration {};

class Simulator {
 public:
  Simulator(const Options& opts, LineSink* sink, Manifest* manifest);
  Status Run();

 private:
  // ---- setup and application flow (simulator.cc)
  void Setup();
  void EmitHeader();
  void EmitEnvironment();
  void RunBatch();
  bool RunQuery(int q, const std::string& extra_props, bool adaptive);
  void RunContinuous();
  void RunMicroBatch();
  void EmitAppEnd();
  void EmitQueryStarted(const std::string& name);
  void EmitQueryProgress(int batch, int64_t start, const std::string& name);
  void EmitQueryTerminated(const std::string& exception);
  std::string Uuid();
  void FillManifest(bool stopped);
  void DynamicAllocationGap(int q);
  std::string JobProperties(int q, int job_id, const std::string& extra) const;
  void EmitJobStart(const Job& job);
  void EmitJobEnd(const Job& job, bool ok, const std::string& message);
  void EmitSqlStart(int q, bool adaptive);
  void EmitSqlEnd(int q, const std::string& error);
  void EmitAdaptiveUpdate(int q, bool final_plan);
  int NewInstance(int logical, int parent);

  // ---- executors (simulator.cc)
  int CreateExecutor(int host);
  void EmitExecutorAdded(int e, int64_t t);
  void EmitExecutorRemoved(int e, const std::string& reason, const std::string& kind, int64_t t);
  void ScheduleReplacement(int host, int64_t t);
  void ProcessClusterEvents(int64_t until, TaskSet* ts);
  int64_t NextClusterEvent() const;
  void EmitBlockManagerRemoved(int e, int64_t t);
  void RebuildFree();
  void KillRemaining(TaskSet* ts, const std::string& reason);
  std::string AccumUpdatesJson(const TaskSet& ts, const TaskRun& r) const;
  void FailRun(TaskSet* ts, TaskRun* r, const std::string& reason_json, const char* name,
               bool with_metrics, bool counted, const std::string& error_string);
  void ApplyUnexclusions(int64_t t);
  void EmitExclusion(const char* new_cls, const char* old_cls, const std::string& body);
  int AliveExecutors() const;

  // ---- stages and tasks (stage_run.cc)
  bool EnsureStage(int inst, Job* job);
  enum class AttemptEnd { kSuccess, kFetchFailed, kAborted };
  AttemptEnd RunAttempt(int inst, const std::vector<int>& parts, Job* job);
  std::vector<int> MissingPartitions(int logical) const;
  void InitTaskSet(TaskSet* ts);
  void Schedule(TaskSet* ts, int64_t now);
  int PickTask(TaskSet* ts, int exec, bool* speculative, int* original);
  bool Allowed(const TaskSet& ts, int index, int exec, bool relaxed) const;
  bool ExecUsable(const TaskSet& ts, int exec, bool relaxed) const;
  void Launch(TaskSet* ts, int index, int exec, int64_t t, bool speculative, int original);
  void Decide(TaskSet* ts, TaskRun* r);
  bool SpecEligible(const TaskSet& ts, const TaskRun& r, const InjectSpec& s) const;
  static bool StageEligible(const LogicalStage& st, const InjectSpec& s);
  bool DynamicEligible(const TaskSet& ts, const TaskRun& r, const InjectSpec& s) const;
  void ApplyOutcome(TaskSet* ts, TaskRun* r, int spec);
  TaskVals MakeVals(const TaskSet& ts, int partition, bool partial);
  void Push(TaskSet* ts, int64_t t, uint8_t type, int run);
  void HandleEvent(TaskSet* ts, const Event& ev);
  void Finish(TaskSet* ts, int run);
  void Succeed(TaskSet* ts, TaskRun* r);
  void Requeue(TaskSet* ts, int index, bool front);
  void KillRun(TaskSet* ts, int run, const std::string& reason, int64_t t);
  void LoseExecutor(TaskSet* ts, int exec, const std::string& kind, int64_t t);
  void FetchFail(TaskSet* ts, TaskRun* r);
  void Abort(TaskSet* ts, const std::string& message, int partition);
  void CompleteTaskSet(TaskSet* ts);
  void StageExclusion(TaskSet* ts, TaskRun* r);
  void AppExclusion(TaskSet* ts);
  void UnregisterOutputsOn(int exec);
  std::string LostTaskString(const TaskSet& ts, const TaskRun& r, const std::string& err) const;

  // ---- rendering (task_lines.cc)
  void Begin();
  void Emit(bool flush, const char* event_name);
  void WriteStageInfo(int inst, int attempt, int num_tasks, const TaskSet* ts, bool completed);
  void EmitStageSubmitted(TaskSet* ts, const Job& job);
  void EmitStageCompleted(TaskSet* ts);
  void WriteTaskInfoHead(const TaskSet& ts, const TaskRun& r);
  void EmitTaskStart(const TaskSet& ts, const TaskRun& r);
  void EmitLateTaskStart(const TaskSet& ts, TaskRun* r, size_t info_start);
  void EmitTaskEndSuccess(TaskSet* ts, TaskRun* r);
  void EmitTaskEndFailure(TaskSet* ts, TaskRun* r, const std::string& reason_json,
                          const char* reason_name, bool with_metrics, bool killed);
  void EmitResubmitted(TaskSet* ts, TaskRun* r);
  void WriteTaskMetrics(const TaskVals& v, bool full);
  void WriteAccum(int64_t id, const char* name, int64_t update, int64_t value, bool sql);
  void CountTaskEnd(const TaskSet& ts, const TaskRun& r, const char* reason, bool failed);
  int64_t SlotId(const TaskSet& ts, int slot) const;
  bool SlotActive(int slot) const;
  int64_t SqlValue(const LogicalStage& st, SqlSrc src, const TaskVals& v) const;

  const Options& o_;
  LineSink* sink_;
  Manifest* m_;
  Rng rng_;
  bool v4_ = false;
  bool java17_ = false;
  std::string app_id_, app_name_, driver_host_, pod_prefix_, run_id_, query_id_;
  AppPlan plan_;
  int partitions_ = 0;
  int64_t now_ = 0;
  int64_t next_tid_ = 0;
  int64_t next_accum_ = 1;
  int next_job_ = 0;
  int next_exec_id_ = 1;
  int next_pod_ip_ = 0;
  int host_count_ = 0;
  uint64_t seq_ = 0;
  std::vector<Exec> execs_;
  std::deque<int> free_;  // one entry per free core: the executor index
  std::multimap<std::pair<int64_t, uint64_t>, int> exec_adds_;  // (time, seq) -> host
  std::multimap<std::pair<int64_t, uint64_t>, int>
      exec_losses_;  // (time, seq) -> executor (exit 52)
  std::map<int, int64_t> node_excluded_until_;
  std::vector<uint8_t> logical_ran_;
  std::vector<uint64_t>
      first_launched_;  // first attempts launched in each logical stage's first run
  std::unique_ptr<TaskSet> ts_;
  std::vector<Instance> instances_;
  std::vector<std::vector<int>> out_exec_;      // per logical map stage: executor per partition
  std::vector<std::vector<int64_t>> out_tid_;   // map task id per partition
  std::vector<std::vector<int>> out_lost_;      // executor whose loss removed the output
  std::vector<std::vector<uint8_t>> finished_;  // per logical result stage
  std::vector<int> registered_outputs_;         // per logical map stage
  std::vector<int> lost_outputs_;               // outputs missing because an executor went away
  std::vector<int64_t> sql_totals_;             // current query's SQL metric values
  std::vector<SpecState> spec_state_;
  std::vector<int> skewed_;  // skewed partitions of skew_stage_
  int skew_stage_ = -1;
  std::map<int, std::pair<int64_t, int64_t>> skew_obs_;  // partition -> (read bytes, duration)
  int skew_stage_id_ = -1;
  int last_stage_logical_ = -1;
  bool save_infos_ = false;
  bool any_job_failed_ = false;
  uint64_t stop_after_tasks_ = UINT64_MAX;
  std::set<int> stage_ids_seen_, stage_ids_submitted_, stage_ids_retried_;
  std::map<std::string_view, uint64_t> event_counts_;
  std::vector<std::string> quoted_stage_name_, quoted_stage_details_;
  std::map<std::string, uint64_t> injected_;
  std::string streaming_terminate_error_;
  Buf line_;
};

}  // namespace sparkmedic::gen::internal

#endif  // SPARKMEDIC_TOOLS_GEN_EVENTLOG_SIMULATOR_H_
