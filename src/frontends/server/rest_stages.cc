// Stage and task endpoints: stages, stages/{id}, stages/{id}/{attempt}, taskSummary, taskList.
// Semantics: Spark's AppStatusListener (sums, counters), AppStatusStore (quantiles, task
// sorting) and StagesResource (parameters, errors).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <unordered_map>

#include "frontends/server/rest_cache.h"
#include "frontends/server/rest_internal.h"

namespace sparkmedic::server {
namespace {

std::optional<bool> ParseBool(const QueryParams& q, std::string_view name, bool dflt, bool* bad) {
  auto v = Param(q, name);
  if (!v) return dflt;
  std::string l = Lower(*v);
  if (l == "true") return true;
  if (l == "false") return false;
  *bad = true;
  return std::nullopt;
}

// Parses "0.05,0.25" (every value of the parameter, comma separated).
bool ParseQuantiles(const QueryParams& q, const char* dflt, std::vector<double>* out,
                    RestResponse* err) {
  std::vector<std::string> values = ParamAll(q, "quantiles");
  if (values.empty()) values.push_back(dflt);
  for (const std::string& v : values) {
    size_t i = 0;
    while (i <= v.size()) {
      size_t j = v.find(',', i);
      if (j == std::string::npos) j = v.size();
      std::string part = v.substr(i, j - i);
      char* end = nullptr;
      double d = part.empty() ? 0 : std::strtod(part.c_str(), &end);
      if (part.empty() || end != part.c_str() + part.size()) {
        *err = Error(
            400, "Bad value for parameter \"quantiles\".  Expected a double, got \"" + part + "\"");
        return false;
      }
      out->push_back(d);
      i = j + 1;
    }
  }
  return true;
}

struct Filters {
  bool details = false;
  bool with_summaries = false;
  std::vector<double> quantiles;
  std::set<std::string> task_status;  // upper case; empty: all
};

bool ParseTaskStatus(const std::vector<std::string>& values, std::set<std::string>* out) {
  for (const std::string& s : values) {
    std::string u = Upper(s);
    if (u != "RUNNING" && u != "SUCCESS" && u != "FAILED" && u != "KILLED" && u != "UNKNOWN")
      return false;
    out->insert(u);
  }
  return true;
}

bool TaskMatches(const TaskAttempt& t, const std::set<std::string>& want) {
  if (want.empty()) return true;
  std::string s = t.StatusString();
  if (s == "GET RESULT") s = "RUNNING";
  return want.count(s) > 0;
}

int64_t GettingResultTime(const TaskAttempt& t) {
  if (t.getting_result_time <= 0) return 0;
  auto d = t.duration();
  if (d && *d > 0) return t.launch_time + *d - t.getting_result_time;
  return 0;
}

int64_t SchedulerDelay(const TaskAttempt& t) {
  auto d = t.duration();
  if (!t.has_metrics || !d) return 0;
  const TaskMetrics& m = t.metrics;
  return std::max<int64_t>(0, *d - m.executor_run_time - m.executor_deserialize_time -
                                  m.result_serialization_time - GettingResultTime(t));
}

Json PushReadMetrics() {
  return Json{{"corruptMergedBlockChunks", 0},  {"mergedFetchFallbackCount", 0},
              {"remoteMergedBlocksFetched", 0}, {"localMergedBlocksFetched", 0},
              {"remoteMergedChunksFetched", 0}, {"localMergedChunksFetched", 0},
              {"remoteMergedBytesRead", 0},     {"localMergedBytesRead", 0},
              {"remoteMergedReqsDuration", 0}};
}

Json TaskMetricsJson(const TaskMetrics& m) {
  Json j = Json::object();
  j["executorDeserializeTime"] = m.executor_deserialize_time;
  j["executorDeserializeCpuTime"] = m.executor_deserialize_cpu_time;
  j["executorRunTime"] = m.executor_run_time;
  j["executorCpuTime"] = m.executor_cpu_time;
  j["resultSize"] = m.result_size;
  j["jvmGcTime"] = m.jvm_gc_time;
  j["resultSerializationTime"] = m.result_serialization_time;
  j["memoryBytesSpilled"] = m.memory_bytes_spilled;
  j["diskBytesSpilled"] = m.disk_bytes_spilled;
  j["peakExecutionMemory"] = m.peak_execution_memory;
  j["peakOnHeapExecutionMemory"] = m.peak_on_heap_execution_memory;
  j["peakOffHeapExecutionMemory"] = m.peak_off_heap_execution_memory;
  j["inputMetrics"] =
      Json{{"bytesRead", m.input_bytes_read}, {"recordsRead", m.input_records_read}};
  j["outputMetrics"] =
      Json{{"bytesWritten", m.output_bytes_written}, {"recordsWritten", m.output_records_written}};
  Json sr = Json::object();
  sr["remoteBlocksFetched"] = m.sr_remote_blocks_fetched;
  sr["localBlocksFetched"] = m.sr_local_blocks_fetched;
  sr["fetchWaitTime"] = m.sr_fetch_wait_time;
  sr["remoteBytesRead"] = m.sr_remote_bytes_read;
  sr["remoteBytesReadToDisk"] = m.sr_remote_bytes_read_to_disk;
  sr["localBytesRead"] = m.sr_local_bytes_read;
  sr["recordsRead"] = m.sr_records_read;
  sr["remoteReqsDuration"] = m.sr_remote_reqs_duration;
  sr["shufflePushReadMetrics"] = PushReadMetrics();
  j["shuffleReadMetrics"] = std::move(sr);
  j["shuffleWriteMetrics"] = Json{{"bytesWritten", m.sw_bytes_written},
                                  {"writeTime", m.sw_write_time},
                                  {"recordsWritten", m.sw_records_written}};
  return j;
}

// `index`: the task's position in Application::tasks.
Json TaskJson(const Application& app, const TaskAttempt& t, uint32_t index) {
  Json j = Json::object();
  j["taskId"] = t.task_id;
  j["index"] = t.index;
  j["attempt"] = t.attempt;
  j["partitionId"] = t.partition_id;
  j["launchTime"] = FormatRestDate(t.launch_time);
  if (t.getting_result_time > 0) j["resultFetchStart"] = FormatRestDate(t.getting_result_time);
  if (auto d = t.duration()) j["duration"] = *d;
  std::string_view exec = app.ExecutorOf(t);
  j["executorId"] = exec;
  j["host"] = app.HostOf(t);
  j["status"] = t.StatusString();
  j["taskLocality"] = LocalityName(t.locality);
  j["speculative"] = t.speculative;
  Json accs = Json::array();
  if (auto it = app.task_accumulables.find(index); it != app.task_accumulables.end()) {
    for (const Accumulable& a : it->second) {
      if (a.internal || a.sql) continue;
      Json e = Json::object();
      e["id"] = a.id;
      e["name"] = a.name;
      if (a.update) e["update"] = *a.update;
      e["value"] = a.value;
      accs.push_back(std::move(e));
    }
  }
  j["accumulatorUpdates"] = std::move(accs);
  if (const TaskFailure* f = app.FailureOf(t)) {
    j["errorMessage"] = t.end == TaskEndKind::kTaskKilled ? f->kill_reason : f->ErrorString();
  }
  if (t.has_metrics) j["taskMetrics"] = TaskMetricsJson(t.metrics);
  Json logs = Json::object();
  auto it = app.executors.find(std::string(exec));
  if (it != app.executors.end()) {
    for (const auto& [k, v] : it->second.log_urls) logs[k] = v;
  }
  j["executorLogs"] = std::move(logs);
  j["schedulerDelay"] = SchedulerDelay(t);
  j["gettingResultTime"] = GettingResultTime(t);
  return j;
}

// Per-executor numbers of one stage attempt (ExecutorStageSummary).
struct ExecStage {
  int64_t task_time = 0, failed = 0, succeeded = 0, killed = 0;
  int64_t input_bytes = 0, input_records = 0, output_bytes = 0, output_records = 0;
  int64_t shuffle_read = 0, shuffle_read_records = 0, shuffle_write = 0, shuffle_write_records = 0;
  int64_t memory_spilled = 0, disk_spilled = 0;
};

struct StageAgg {
  int64_t active = 0, complete = 0, failed = 0, killed = 0;
  int64_t completed_indices = 0;  // distinct indices of successful attempts
  TimeMs first_launch = kNoTime;
  TaskMetrics sum;  // 32-bit fields summed in the 64-bit ones below
  int64_t deser = 0, run = 0, gc = 0, ser = 0, fetch_wait = 0, remote_blocks = 0, local_blocks = 0,
          remote_reqs = 0;
  std::map<std::string, int64_t> killed_summary;
  std::map<std::string, ExecStage> executors;
  int64_t spec_tasks = 0, spec_active = 0, spec_completed = 0, spec_failed = 0, spec_killed = 0;
};

// PERF NOTES: this walks every task of the stage attempt (a million for `stages` of a large
// application), so per task it only indexes vectors: executors by their interned id (the
// string-keyed map is built once per stage at the end), completed indices in a bitmap.
constexpr int32_t kIndexBitmapLimit = 1 << 24;

StageAgg Aggregate(const Application& app, const StageAttempt& st) {
  StageAgg a;
  std::vector<ExecStage> by_exec(app.strings.size() + 1);  // last: tasks without an executor
  std::vector<bool> exec_seen(by_exec.size(), false);
  std::vector<bool> index_done;
  std::set<int32_t> odd_indices;
  // Tasks without an executor count under "", as do tasks of an executor named "".
  uint32_t no_exec = app.strings.Find("");
  for (uint32_t ti : st.tasks) {
    const TaskAttempt& t = app.tasks[ti];
    if (t.launch_time != kNoTime && (a.first_launch == kNoTime || t.launch_time < a.first_launch))
      a.first_launch = t.launch_time;
    uint32_t xid = t.executor == kNoIndex ? no_exec : t.executor;
    size_t ex = xid == kNoIndex ? by_exec.size() - 1 : xid;
    exec_seen[ex] = true;
    ExecStage& e = by_exec[ex];
    Outcome o = OutcomeOf(t);
    switch (o) {
      case Outcome::kActive:
        ++a.active;
        break;
      case Outcome::kCompleted: {
        ++a.complete;
        ++e.succeeded;
        // Distinct indices (an index may succeed twice: speculation): a bitmap for the
        // indices Spark gives (0 .. numTasks-1), a set for anything else.
        if (t.index >= 0 && t.index < kIndexBitmapLimit) {
          auto idx = static_cast<size_t>(t.index);
          if (idx >= index_done.size()) index_done.resize(std::max(idx + 1, index_done.size() * 2));
          if (!index_done[idx]) {
            index_done[idx] = true;
            ++a.completed_indices;
          }
        } else if (odd_indices.insert(t.index).second) {
          ++a.completed_indices;
        }
        break;
      }
      case Outcome::kKilled:
        ++a.killed;
        ++e.killed;
        ++a.killed_summary[KilledReason(app, t)];
        break;
      case Outcome::kFailed:
        ++a.failed;
        ++e.failed;
        break;
    }
    if (t.speculative) {
      ++a.spec_tasks;
      if (o == Outcome::kActive) ++a.spec_active;
      if (o == Outcome::kCompleted) ++a.spec_completed;
      if (o == Outcome::kFailed) ++a.spec_failed;
      if (o == Outcome::kKilled) ++a.spec_killed;
    }
    if (o != Outcome::kActive) {
      if (auto d = t.duration()) e.task_time += *d;
    }
    if (!t.has_metrics) continue;
    const TaskMetrics& m = t.metrics;
    TaskMetrics& s = a.sum;
    s.executor_deserialize_cpu_time += m.executor_deserialize_cpu_time;
    s.executor_cpu_time += m.executor_cpu_time;
    s.result_size += m.result_size;
    s.memory_bytes_spilled += m.memory_bytes_spilled;
    s.disk_bytes_spilled += m.disk_bytes_spilled;
    s.peak_execution_memory += m.peak_execution_memory;
    s.peak_on_heap_execution_memory += m.peak_on_heap_execution_memory;
    s.peak_off_heap_execution_memory += m.peak_off_heap_execution_memory;
    s.input_bytes_read += m.input_bytes_read;
    s.input_records_read += m.input_records_read;
    s.output_bytes_written += m.output_bytes_written;
    s.output_records_written += m.output_records_written;
    s.sr_remote_bytes_read += m.sr_remote_bytes_read;
    s.sr_remote_bytes_read_to_disk += m.sr_remote_bytes_read_to_disk;
    s.sr_local_bytes_read += m.sr_local_bytes_read;
    s.sr_records_read += m.sr_records_read;
    s.sw_bytes_written += m.sw_bytes_written;
    s.sw_write_time += m.sw_write_time;
    s.sw_records_written += m.sw_records_written;
    a.deser += m.executor_deserialize_time;
    a.run += m.executor_run_time;
    a.gc += m.jvm_gc_time;
    a.ser += m.result_serialization_time;
    a.fetch_wait += m.sr_fetch_wait_time;
    a.remote_blocks += m.sr_remote_blocks_fetched;
    a.local_blocks += m.sr_local_blocks_fetched;
    a.remote_reqs += m.sr_remote_reqs_duration;
    e.input_bytes += m.input_bytes_read;
    e.input_records += m.input_records_read;
    e.output_bytes += m.output_bytes_written;
    e.output_records += m.output_records_written;
    e.shuffle_read += m.sr_total_bytes_read();
    e.shuffle_read_records += m.sr_records_read;
    e.shuffle_write += m.sw_bytes_written;
    e.shuffle_write_records += m.sw_records_written;
    e.memory_spilled += m.memory_bytes_spilled;
    e.disk_spilled += m.disk_bytes_spilled;
  }
  for (size_t i = 0; i < by_exec.size(); ++i) {
    if (!exec_seen[i]) continue;
    std::string_view id =
        i + 1 == by_exec.size() ? std::string_view() : app.strings.Get(static_cast<uint32_t>(i));
    a.executors.emplace(std::string(id), by_exec[i]);
  }
  return a;
}

// True when the attempt is a row of TaskData (taskList, StageData.tasks, the taskStatus
// filter). A Resubmitted end re-reports a task that had already ended with Success: Spark's
// AppStatusListener.onTaskEnd updates a task's row only when liveTasks.remove finds it, which
// the second end never does, so the row stays the success. The end still counts as a failed
// task in the stage's and executors' counts (failedDelta), as in Aggregate.
bool HasTaskRow(const TaskAttempt& t) { return t.end != TaskEndKind::kResubmitted; }

// Task orders of taskList (and of StageData.tasks, by id).
enum TaskOrder { kById = 0, kIncreasingRuntime = 1, kDecreasingRuntime = 2 };

// Executor run time as taskList sorts by it: -1 for a task without metrics.
int64_t RunTimeKey(const TaskAttempt& t) {
  return t.has_metrics ? int64_t{t.metrics.executor_run_time} : -1;
}

// Per-application memo of what the stage endpoints derive from the tasks: each stage attempt's
// aggregate and its task orders, computed on first use (once, whatever the concurrency) and
// kept while the application is loaded.
//
// PERF NOTES: `stages` of a 1M-task application walks every task of every stage, and taskList
// sorted whole stages, on every request. With the memo a taskList page only steps through a
// kept order, and `stages` with other parameters (status, details, summaries) reuses the
// aggregates. Memory: an aggregate per stage attempt (a few KB: per-executor sums) and 4 bytes
// per task per order asked for.
class StageMemo {
 public:
  explicit StageMemo(const Application& app) : app_(app) {
    for (const auto& [key, st] : app.stages) slots_.emplace(&st, std::make_unique<Slot>());
  }

  const StageAgg& Agg(const StageAttempt& st) {
    Slot& s = *slots_.at(&st);
    std::call_once(s.agg_once, [&] { s.agg = Aggregate(app_, st); });
    return s.agg;
  }

  // Every task of the stage attempt (indexes into Application::tasks) in `order`: by task id,
  // or by executor run time with ties by task id in the same direction (AppStatusStore).
  const std::vector<uint32_t>& Order(const StageAttempt& st, TaskOrder order) {
    Slot& s = *slots_.at(&st);
    std::call_once(s.order_once[order], [&] {
      std::vector<uint32_t>& ts = s.order[order];
      const Application& app = app_;
      for (uint32_t ti : st.tasks) {
        if (HasTaskRow(app.tasks[ti])) ts.push_back(ti);
      }
      std::sort(ts.begin(), ts.end(), [&](uint32_t x, uint32_t y) {
        const TaskAttempt& a = app.tasks[x];
        const TaskAttempt& b = app.tasks[y];
        if (order != kById) {
          int64_t ra = RunTimeKey(a), rb = RunTimeKey(b);
          if (ra != rb) return order == kIncreasingRuntime ? ra < rb : ra > rb;
        }
        return order == kDecreasingRuntime ? a.task_id > b.task_id : a.task_id < b.task_id;
      });
    });
    return s.order[order];
  }

 private:
  struct Slot {
    std::once_flag agg_once;
    StageAgg agg;
    std::once_flag order_once[3];
    std::vector<uint32_t> order[3];
  };
  const Application& app_;
  std::unordered_map<const StageAttempt*, std::unique_ptr<Slot>> slots_;
};

StageMemo& MemoOf(const std::shared_ptr<const Application>& app,
                  std::shared_ptr<StageMemo>* holder) {
  static PerApplication<StageMemo>* memos = new PerApplication<StageMemo>();  // never destroyed
  *holder = memos->Get(app);
  return **holder;
}

// Spark's quantile rule: sorted values, element min(floor(q × n), n − 1); doubles.
Json Quantiles(std::vector<int64_t> values, const std::vector<double>& qs) {
  std::sort(values.begin(), values.end());
  Json out = Json::array();
  for (double q : qs) {
    if (values.empty()) {
      out.push_back(0.0);
      continue;
    }
    auto n = static_cast<int64_t>(values.size());
    auto i = std::min<int64_t>(static_cast<int64_t>(q * static_cast<double>(n)), n - 1);
    out.push_back(static_cast<double>(values[static_cast<size_t>(std::max<int64_t>(0, i))]));
  }
  return out;
}

// TaskMetricDistributions over the successful tasks that reported metrics; null when none.
std::optional<Json> TaskDistributions(const Application& app, const StageAttempt& st,
                                      const std::vector<double>& qs) {
  std::vector<const TaskAttempt*> ts;
  for (uint32_t ti : st.tasks) {
    const TaskAttempt& t = app.tasks[ti];
    if (t.has_metrics && t.end == TaskEndKind::kSuccess) ts.push_back(&t);
  }
  if (ts.empty()) return std::nullopt;
  auto q = [&](const std::function<int64_t(const TaskAttempt&)>& f) {
    std::vector<int64_t> v;
    v.reserve(ts.size());
    for (const TaskAttempt* t : ts) v.push_back(f(*t));
    return Quantiles(std::move(v), qs);
  };
#define SM_Q(expr) q([](const TaskAttempt& t) -> int64_t { return (expr); })
  Json j = Json::object();
  j["quantiles"] = qs;
  j["duration"] = SM_Q(t.duration().value_or(0));
  j["executorDeserializeTime"] = SM_Q(t.metrics.executor_deserialize_time);
  j["executorDeserializeCpuTime"] = SM_Q(t.metrics.executor_deserialize_cpu_time);
  j["executorRunTime"] = SM_Q(t.metrics.executor_run_time);
  j["executorCpuTime"] = SM_Q(t.metrics.executor_cpu_time);
  j["resultSize"] = SM_Q(t.metrics.result_size);
  j["jvmGcTime"] = SM_Q(t.metrics.jvm_gc_time);
  j["resultSerializationTime"] = SM_Q(t.metrics.result_serialization_time);
  j["gettingResultTime"] = SM_Q(GettingResultTime(t));
  j["schedulerDelay"] = SM_Q(SchedulerDelay(t));
  j["peakExecutionMemory"] = SM_Q(t.metrics.peak_execution_memory);
  j["peakOnHeapExecutionMemory"] = SM_Q(t.metrics.peak_on_heap_execution_memory);
  j["peakOffHeapExecutionMemory"] = SM_Q(t.metrics.peak_off_heap_execution_memory);
  j["memoryBytesSpilled"] = SM_Q(t.metrics.memory_bytes_spilled);
  j["diskBytesSpilled"] = SM_Q(t.metrics.disk_bytes_spilled);
  j["inputMetrics"] = Json{{"bytesRead", SM_Q(t.metrics.input_bytes_read)},
                           {"recordsRead", SM_Q(t.metrics.input_records_read)}};
  j["outputMetrics"] = Json{{"bytesWritten", SM_Q(t.metrics.output_bytes_written)},
                            {"recordsWritten", SM_Q(t.metrics.output_records_written)}};
  Json zeros = Quantiles(std::vector<int64_t>(ts.size(), 0), qs);
  Json push = Json::object();
  for (const char* k :
       {"corruptMergedBlockChunks", "mergedFetchFallbackCount", "remoteMergedBlocksFetched",
        "localMergedBlocksFetched", "remoteMergedChunksFetched", "localMergedChunksFetched",
        "remoteMergedBytesRead", "localMergedBytesRead", "remoteMergedReqsDuration"})
    push[k] = zeros;
  Json sr = Json::object();
  sr["readBytes"] = SM_Q(t.metrics.sr_total_bytes_read());
  sr["readRecords"] = SM_Q(t.metrics.sr_records_read);
  sr["remoteBlocksFetched"] = SM_Q(t.metrics.sr_remote_blocks_fetched);
  sr["localBlocksFetched"] = SM_Q(t.metrics.sr_local_blocks_fetched);
  sr["fetchWaitTime"] = SM_Q(t.metrics.sr_fetch_wait_time);
  sr["remoteBytesRead"] = SM_Q(t.metrics.sr_remote_bytes_read);
  sr["remoteBytesReadToDisk"] = SM_Q(t.metrics.sr_remote_bytes_read_to_disk);
  sr["totalBlocksFetched"] =
      SM_Q(int64_t{t.metrics.sr_remote_blocks_fetched} + t.metrics.sr_local_blocks_fetched);
  sr["remoteReqsDuration"] = SM_Q(t.metrics.sr_remote_reqs_duration);
  sr["shufflePushReadMetricsDist"] = std::move(push);
  j["shuffleReadMetrics"] = std::move(sr);
  j["shuffleWriteMetrics"] = Json{{"writeBytes", SM_Q(t.metrics.sw_bytes_written)},
                                  {"writeRecords", SM_Q(t.metrics.sw_records_written)},
                                  {"writeTime", SM_Q(t.metrics.sw_write_time)}};
#undef SM_Q
  return j;
}

bool ExcludedForStage(const Application& app, const StageAttempt& st, const std::string& exec,
                      std::string_view host) {
  for (const ExclusionEvent& e : app.exclusions) {
    if (e.stage_id != st.stage_id || e.stage_attempt != st.attempt_id) continue;
    if (e.kind == ExclusionKind::kExecutorExcludedForStage && e.target == exec) return true;
    if (e.kind == ExclusionKind::kNodeExcludedForStage && e.target == host) return true;
  }
  return false;
}

Json PeakJson(const PeakExecutorMetrics& m) {
  Json j = Json::object();
  for (int i = 0; i < kNumExecutorMetrics; ++i)
    j[kExecutorMetricNames[i]] = m.values[static_cast<size_t>(i)];
  return j;
}

Json ExecStageJson(const ExecStage& e, bool excluded, const PeakExecutorMetrics* peak) {
  Json j = Json::object();
  j["taskTime"] = e.task_time;
  j["failedTasks"] = e.failed;
  j["succeededTasks"] = e.succeeded;
  j["killedTasks"] = e.killed;
  j["inputBytes"] = e.input_bytes;
  j["inputRecords"] = e.input_records;
  j["outputBytes"] = e.output_bytes;
  j["outputRecords"] = e.output_records;
  j["shuffleRead"] = e.shuffle_read;
  j["shuffleReadRecords"] = e.shuffle_read_records;
  j["shuffleWrite"] = e.shuffle_write;
  j["shuffleWriteRecords"] = e.shuffle_write_records;
  j["memoryBytesSpilled"] = e.memory_spilled;
  j["diskBytesSpilled"] = e.disk_spilled;
  j["isBlacklistedForStage"] = excluded;
  if (peak && peak->set) j["peakMemoryMetrics"] = PeakJson(*peak);
  j["isExcludedForStage"] = excluded;
  return j;
}

Json ExecutorDistributions(const StageAgg& a, const std::vector<double>& qs) {
  auto q = [&](int64_t ExecStage::*field) {
    std::vector<int64_t> v;
    for (const auto& [id, e] : a.executors) v.push_back(e.*field);
    return Quantiles(std::move(v), qs);
  };
  Json j = Json::object();
  j["quantiles"] = qs;
  j["taskTime"] = q(&ExecStage::task_time);
  j["failedTasks"] = q(&ExecStage::failed);
  j["succeededTasks"] = q(&ExecStage::succeeded);
  j["killedTasks"] = q(&ExecStage::killed);
  j["inputBytes"] = q(&ExecStage::input_bytes);
  j["inputRecords"] = q(&ExecStage::input_records);
  j["outputBytes"] = q(&ExecStage::output_bytes);
  j["outputRecords"] = q(&ExecStage::output_records);
  j["shuffleRead"] = q(&ExecStage::shuffle_read);
  j["shuffleReadRecords"] = q(&ExecStage::shuffle_read_records);
  j["shuffleWrite"] = q(&ExecStage::shuffle_write);
  j["shuffleWriteRecords"] = q(&ExecStage::shuffle_write_records);
  j["memoryBytesSpilled"] = q(&ExecStage::memory_spilled);
  j["diskBytesSpilled"] = q(&ExecStage::disk_spilled);
  return j;
}

Json StageJson(const Application& app, StageMemo& memo, const StageAttempt& st, const Filters& f) {
  const StageAgg& a = memo.Agg(st);
  const TaskMetrics& s = a.sum;
  Json j = Json::object();
  j["status"] = StageStatusName(st.status);
  j["stageId"] = st.stage_id;
  j["attemptId"] = st.attempt_id;
  j["numTasks"] = st.num_tasks;
  j["numActiveTasks"] = a.active;
  j["numCompleteTasks"] = a.complete;
  j["numFailedTasks"] = a.failed;
  j["numKilledTasks"] = a.killed;
  j["numCompletedIndices"] = a.completed_indices;
  if (st.submission_time != kNoTime) j["submissionTime"] = FormatRestDate(st.submission_time);
  if (a.first_launch != kNoTime) j["firstTaskLaunchedTime"] = FormatRestDate(a.first_launch);
  if (st.completion_time != kNoTime) j["completionTime"] = FormatRestDate(st.completion_time);
  if (st.failure_reason) j["failureReason"] = *st.failure_reason;
  j["executorDeserializeTime"] = a.deser;
  j["executorDeserializeCpuTime"] = s.executor_deserialize_cpu_time;
  j["executorRunTime"] = a.run;
  j["executorCpuTime"] = s.executor_cpu_time;
  j["resultSize"] = s.result_size;
  j["jvmGcTime"] = a.gc;
  j["resultSerializationTime"] = a.ser;
  j["memoryBytesSpilled"] = s.memory_bytes_spilled;
  j["diskBytesSpilled"] = s.disk_bytes_spilled;
  j["peakExecutionMemory"] = s.peak_execution_memory;
  j["peakOnHeapExecutionMemory"] = s.peak_on_heap_execution_memory;
  j["peakOffHeapExecutionMemory"] = s.peak_off_heap_execution_memory;
  j["inputBytes"] = s.input_bytes_read;
  j["inputRecords"] = s.input_records_read;
  j["outputBytes"] = s.output_bytes_written;
  j["outputRecords"] = s.output_records_written;
  j["shuffleRemoteBlocksFetched"] = a.remote_blocks;
  j["shuffleLocalBlocksFetched"] = a.local_blocks;
  j["shuffleFetchWaitTime"] = a.fetch_wait;
  j["shuffleRemoteBytesRead"] = s.sr_remote_bytes_read;
  j["shuffleRemoteBytesReadToDisk"] = s.sr_remote_bytes_read_to_disk;
  j["shuffleLocalBytesRead"] = s.sr_local_bytes_read;
  j["shuffleReadBytes"] = s.sr_total_bytes_read();
  j["shuffleReadRecords"] = s.sr_records_read;
  for (const char* k : {"shuffleCorruptMergedBlockChunks", "shuffleMergedFetchFallbackCount",
                        "shuffleMergedRemoteBlocksFetched", "shuffleMergedLocalBlocksFetched",
                        "shuffleMergedRemoteChunksFetched", "shuffleMergedLocalChunksFetched",
                        "shuffleMergedRemoteBytesRead", "shuffleMergedLocalBytesRead"})
    j[k] = 0;
  j["shuffleRemoteReqsDuration"] = a.remote_reqs;
  j["shuffleMergedRemoteReqsDuration"] = 0;
  j["shuffleWriteBytes"] = s.sw_bytes_written;
  j["shuffleWriteTime"] = s.sw_write_time;
  j["shuffleWriteRecords"] = s.sw_records_written;
  j["name"] = st.name;
  if (st.description) j["description"] = *st.description;
  j["details"] = st.details;
  j["schedulingPool"] = st.scheduling_pool.empty() ? "default" : st.scheduling_pool;
  j["rddIds"] = st.rdd_ids;
  Json accs = Json::array();
  std::vector<const Accumulable*> acc_list;
  for (const Accumulable& acc : st.accumulables) {
    if (!acc.internal && !acc.sql) acc_list.push_back(&acc);
  }
  std::sort(acc_list.begin(), acc_list.end(),
            [](const Accumulable* x, const Accumulable* y) { return x->id < y->id; });
  for (const Accumulable* acc : acc_list) {
    accs.push_back(Json{{"id", acc->id}, {"name", acc->name}, {"value", acc->value}});
  }
  j["accumulatorUpdates"] = std::move(accs);
  if (f.details) {
    Json tasks = Json::object();
    for (uint32_t ti : memo.Order(st, kById)) {
      if (TaskMatches(app.tasks[ti], f.task_status))
        tasks[std::to_string(app.tasks[ti].task_id)] = TaskJson(app, app.tasks[ti], ti);
    }
    j["tasks"] = std::move(tasks);
    Json es = Json::object();
    for (const auto& [id, e] : a.executors) {
      std::string_view host;
      auto it = app.executors.find(id);
      if (it != app.executors.end()) host = it->second.host;
      auto pit = st.executor_peak_metrics.find(id);
      es[id] = ExecStageJson(e, ExcludedForStage(app, st, id, host),
                             pit == st.executor_peak_metrics.end() ? nullptr : &pit->second);
    }
    j["executorSummary"] = std::move(es);
    j["speculationSummary"] = Json{{"numTasks", a.spec_tasks},
                                   {"numActiveTasks", a.spec_active},
                                   {"numCompletedTasks", a.spec_completed},
                                   {"numFailedTasks", a.spec_failed},
                                   {"numKilledTasks", a.spec_killed}};
  }
  Json ks = Json::object();
  for (const auto& [k, v] : a.killed_summary) ks[k] = v;
  j["killedTasksSummary"] = std::move(ks);
  j["resourceProfileId"] = st.resource_profile_id;
  if (st.peak_metrics.set) j["peakExecutorMetrics"] = PeakJson(st.peak_metrics);
  if (f.with_summaries) {
    if (auto d = TaskDistributions(app, st, f.quantiles)) j["taskMetricsDistributions"] = *d;
    j["executorMetricsDistributions"] = ExecutorDistributions(a, f.quantiles);
  }
  j["isShufflePushEnabled"] = false;
  j["shuffleMergersCount"] = 0;
  return j;
}

bool HasTaskIn(const Application& app, const StageAttempt& st, const std::set<std::string>& want) {
  for (uint32_t ti : st.tasks) {
    if (HasTaskRow(app.tasks[ti]) && TaskMatches(app.tasks[ti], want)) return true;
  }
  return false;
}

bool ParseFilters(const QueryParams& q, bool details_default, Filters* f, RestResponse* err) {
  bool bad = false;
  auto d = ParseBool(q, "details", details_default, &bad);
  auto w = ParseBool(q, "withSummaries", false, &bad);
  if (bad) {
    *err = Error(404, "");
    return false;
  }
  f->details = *d;
  f->with_summaries = *w;
  if (!ParseQuantiles(q, "0.0,0.25,0.5,0.75,1.0", &f->quantiles, err)) return false;
  if (!ParseTaskStatus(ParamAll(q, "taskStatus"), &f->task_status)) {
    *err = Error(404, "");
    return false;
  }
  return true;
}

RestResponse TaskList(const Application& app, StageMemo& memo, const StageAttempt& st,
                      const QueryParams& q) {
  int64_t offset = 0, length = 20;
  if (auto v = Param(q, "offset")) {
    auto n = ParseInt(*v);
    if (!n) return Error(404, "");
    offset = *n;
  }
  if (auto v = Param(q, "length")) {
    auto n = ParseInt(*v);
    if (!n) return Error(404, "");
    length = *n;
  }
  TaskOrder order = kById;
  if (auto v = Param(q, "sortBy")) {
    std::string u = Upper(*v);
    if (u == "ID")
      order = kById;
    else if (u == "INCREASING_RUNTIME" || u == "RUNTIME")
      order = kIncreasingRuntime;
    else if (u == "DECREASING_RUNTIME" || u == "-RUNTIME")
      order = kDecreasingRuntime;
    else
      return Error(404, "");
  }
  std::set<std::string> want;
  if (!ParseTaskStatus(ParamAll(q, "status"), &want)) return Error(404, "");
  // Positions [max(0, offset), offset + length) of the matching tasks in order.
  int64_t begin = std::max<int64_t>(0, offset);
  int64_t end = length <= 0 ? offset : offset > INT64_MAX - length ? INT64_MAX : offset + length;
  Json out = Json::array();
  if (begin < end) {
    const std::vector<uint32_t>& ts = memo.Order(st, order);
    if (want.empty()) {  // every task matches: go straight to the page
      int64_t stop = std::min(end, static_cast<int64_t>(ts.size()));
      for (int64_t i = begin; i < stop; ++i) {
        uint32_t ti = ts[static_cast<size_t>(i)];
        out.push_back(TaskJson(app, app.tasks[ti], ti));
      }
    } else {
      int64_t pos = 0;  // among the matching tasks
      for (uint32_t ti : ts) {
        if (pos >= end) break;
        if (!TaskMatches(app.tasks[ti], want)) continue;
        if (pos >= begin) out.push_back(TaskJson(app, app.tasks[ti], ti));
        ++pos;
      }
    }
  }
  return JsonResponse(out);
}

}  // namespace

RestResponse HandleStages(const std::shared_ptr<const Application>& app_ptr,
                          const std::vector<std::string>& rest, const QueryParams& q) {
  const Application& app = *app_ptr;
  std::shared_ptr<StageMemo> memo_holder;
  StageMemo& memo = MemoOf(app_ptr, &memo_holder);
  RestResponse err;
  if (rest.empty()) {
    Filters f;
    if (!ParseFilters(q, false, &f, &err)) return err;
    std::set<std::string> want;
    for (const std::string& s : ParamAll(q, "status")) {
      std::string u = Upper(s);
      if (u != "ACTIVE" && u != "COMPLETE" && u != "PENDING" && u != "FAILED" && u != "SKIPPED")
        return Error(404, "");
      want.insert(u);
    }
    Json out = Json::array();
    for (auto it = app.stages.rbegin(); it != app.stages.rend(); ++it) {
      const StageAttempt& st = it->second;
      if (!want.empty() && !want.count(StageStatusName(st.status))) continue;
      if (f.details && !f.task_status.empty() && !HasTaskIn(app, st, f.task_status)) continue;
      out.push_back(StageJson(app, memo, st, f));
    }
    return JsonResponse(out);
  }
  auto sid = ParseInt(rest[0]);
  if (!sid || *sid < INT32_MIN || *sid > INT32_MAX) return Error(404, "");
  auto stage_id = static_cast<int32_t>(*sid);
  std::vector<const StageAttempt*> attempts;
  for (auto it = app.stages.lower_bound({stage_id, INT32_MIN});
       it != app.stages.end() && it->first.first == stage_id; ++it)
    attempts.push_back(&it->second);
  if (rest.size() == 1) {
    Filters f;
    if (!ParseFilters(q, true, &f, &err)) return err;
    if (attempts.empty()) return Error(404, "unknown stage: " + rest[0]);
    Json out = Json::array();
    for (const StageAttempt* st : attempts) out.push_back(StageJson(app, memo, *st, f));
    return JsonResponse(out);
  }
  auto aid = ParseInt(rest[1]);
  if (!aid || *aid < INT32_MIN || *aid > INT32_MAX) return Error(404, "");
  const StageAttempt* st = nullptr;
  for (const StageAttempt* s : attempts) {
    if (s->attempt_id == *aid) st = s;
  }
  if (!st) {
    if (attempts.empty()) return Error(404, "unknown stage: " + rest[0]);
    std::string ids;
    for (const StageAttempt* s : attempts) {
      if (!ids.empty()) ids += ",";
      ids += std::to_string(s->attempt_id);
    }
    return Error(404, "unknown attempt for stage " + rest[0] + ".  Found attempts: [" + ids + "]");
  }
  if (rest.size() == 2) {
    Filters f;
    if (!ParseFilters(q, true, &f, &err)) return err;
    return JsonResponse(StageJson(app, memo, *st, f));
  }
  if (rest.size() == 3 && rest[2] == "taskSummary") {
    std::vector<double> qs;
    if (!ParseQuantiles(q, "0.05,0.25,0.5,0.75,0.95", &qs, &err)) return err;
    auto d = TaskDistributions(app, *st, qs);
    if (!d) {
      return Error(404, "No tasks reported metrics for " + rest[0] + " / " + rest[1] + " yet.");
    }
    return JsonResponse(*d);
  }
  if (rest.size() == 3 && rest[2] == "taskList") return TaskList(app, memo, *st, q);
  return Error(404, "");
}

}  // namespace sparkmedic::server
