// LoadLiveApplication: the model of one attempt from a Spark REST API (include/sparkmedic/
// live_source.h says what is fetched and what the REST API cannot say).
//
// PERF NOTES: a 1 M-task attempt is ~100 taskList pages of 10,000 tasks (a few hundred MB of
// JSON); pages are fetched `concurrency` at a time, each worker with its own connection and
// simdjson parser, and turned into compact page results at once so no page's JSON outlives
// its parse. The model is assembled on the calling thread (the string pool is not shared).
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <simdjson.h>

#include "sparkmedic/live_source.h"
#include "sparkmedic/rest_date.h"

#include "live/rest_fetcher.h"

namespace sparkmedic {

namespace dom = simdjson::dom;

bool IsLiveSource(std::string_view source) {
  return source.substr(0, 7) == "http://" || source.substr(0, 8) == "https://";
}

namespace {

using live::BaseUrl;
using live::FetchResult;
using live::RestFetcher;

// --- reading simdjson DOM values with defaults ----------------------------------------------

std::optional<std::string> OptStr(dom::object o, std::string_view key) {
  std::string_view v;
  if (o.at_key(key).get_string().get(v) != simdjson::SUCCESS) return std::nullopt;
  return std::string(v);
}
std::string Str(dom::object o, std::string_view key) { return OptStr(o, key).value_or(""); }
int64_t Int(dom::object o, std::string_view key, int64_t def = 0) {
  dom::element e;
  if (o.at_key(key).get(e) != simdjson::SUCCESS) return def;
  int64_t i;
  if (e.get_int64().get(i) == simdjson::SUCCESS) return i;
  double d;
  if (e.get_double().get(d) == simdjson::SUCCESS) return static_cast<int64_t>(d);
  return def;
}
bool Bool(dom::object o, std::string_view key) {
  bool b = false;
  return o.at_key(key).get_bool().get(b) == simdjson::SUCCESS && b;
}
TimeMs Date(dom::object o, std::string_view key) {
  std::string_view v;
  if (o.at_key(key).get_string().get(v) != simdjson::SUCCESS) return kNoTime;
  return ParseRestDate(v).value_or(kNoTime);
}
std::vector<int32_t> IntList(dom::object o, std::string_view key) {
  std::vector<int32_t> out;
  dom::array a;
  if (o.at_key(key).get_array().get(a) != simdjson::SUCCESS) return out;
  for (dom::element e : a) {
    int64_t v;
    if (e.get_int64().get(v) == simdjson::SUCCESS) out.push_back(static_cast<int32_t>(v));
  }
  return out;
}
dom::object Obj(dom::object o, std::string_view key) {
  dom::object r;
  if (o.at_key(key).get_object().get(r) != simdjson::SUCCESS) return dom::object();
  return r;
}
bool HasObj(dom::object o, std::string_view key) {
  dom::object r;
  return o.at_key(key).get_object().get(r) == simdjson::SUCCESS;
}

// An answer that is JSON of the expected shape, or a Status saying the server is not Spark.
Status NotSpark(const RestFetcher& f, const std::string& path, const FetchResult& r,
                std::string_view expected) {
  std::string start = r.body.substr(0, 60);
  for (char& c : start) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return Status::Corruption(fmt::format(
      "{}: not a Spark REST API answer (expected {}; got {}{}\"{}\"); point at a Spark driver "
      "UI (http://HOST:4040) or History Server (http://HOST:18080)",
      f.UrlOf(path), expected, r.content_type.empty() ? "" : r.content_type + ", ",
      r.content_type.empty() ? "" : "starting ", start));
}

Result<dom::element> GetJson(RestFetcher& f, dom::parser& parser, const std::string& path,
                             dom::element_type want) {
  FetchResult r = f.Get(path);
  if (r.status < 200 || r.status >= 300) return f.ErrorFor(path, r);
  dom::element e;
  if (parser.parse(r.body).get(e) != simdjson::SUCCESS || e.type() != want) {
    return NotSpark(f, path, r,
                    want == dom::element_type::ARRAY ? "a JSON array" : "a JSON object");
  }
  return e;
}

AttemptSummary ToAttempt(dom::object a) {
  AttemptSummary s;
  s.attempt_id = Str(a, "attemptId");
  s.start_time = Int(a, "startTimeEpoch", Date(a, "startTime"));
  s.completed = Bool(a, "completed");
  s.end_time = s.completed ? Int(a, "endTimeEpoch", Date(a, "endTime")) : kNoTime;
  s.last_updated = Int(a, "lastUpdatedEpoch", Date(a, "lastUpdated"));
  s.spark_user = Str(a, "sparkUser");
  s.app_spark_version = Str(a, "appSparkVersion");
  return s;
}

AppSummary ToApp(dom::object o) {
  AppSummary app;
  app.id = Str(o, "id");
  app.name = Str(o, "name");
  dom::array attempts;
  if (o.at_key("attempts").get_array().get(attempts) == simdjson::SUCCESS) {
    for (dom::element a : attempts) {
      dom::object ao;
      if (a.get_object().get(ao) == simdjson::SUCCESS) app.attempts.push_back(ToAttempt(ao));
    }
  }
  return app;
}

std::string Escape(std::string_view id) {
  // Ids are [A-Za-z0-9._-] in practice; percent-encode anything else.
  std::string out;
  for (unsigned char c : id) {
    if (std::isalnum(c) || c == '.' || c == '_' || c == '-') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

StageStatus ToStageStatus(std::string_view s) {
  if (s == "ACTIVE") return StageStatus::kActive;
  if (s == "COMPLETE") return StageStatus::kComplete;
  if (s == "FAILED") return StageStatus::kFailed;
  if (s == "SKIPPED") return StageStatus::kSkipped;
  return StageStatus::kPending;
}

JobStatus ToJobStatus(std::string_view s) {
  if (s == "RUNNING") return JobStatus::kRunning;
  if (s == "SUCCEEDED") return JobStatus::kSucceeded;
  if (s == "FAILED") return JobStatus::kFailed;
  return JobStatus::kUnknown;
}

// --- task pages ------------------------------------------------------------------------------

struct LiveTask {
  TaskAttempt t;
  std::string executor, host;
  std::optional<TaskFailure> failure;
};

void ReadMetrics(dom::object m, TaskMetrics* x) {
  x->executor_deserialize_time = static_cast<uint32_t>(Int(m, "executorDeserializeTime"));
  x->executor_deserialize_cpu_time = Int(m, "executorDeserializeCpuTime");
  x->executor_run_time = static_cast<uint32_t>(Int(m, "executorRunTime"));
  x->executor_cpu_time = Int(m, "executorCpuTime");
  x->result_size = Int(m, "resultSize");
  x->jvm_gc_time = static_cast<uint32_t>(Int(m, "jvmGcTime"));
  x->result_serialization_time = static_cast<uint32_t>(Int(m, "resultSerializationTime"));
  x->memory_bytes_spilled = Int(m, "memoryBytesSpilled");
  x->disk_bytes_spilled = Int(m, "diskBytesSpilled");
  x->peak_execution_memory = Int(m, "peakExecutionMemory");
  x->peak_on_heap_execution_memory = Int(m, "peakOnHeapExecutionMemory");
  x->peak_off_heap_execution_memory = Int(m, "peakOffHeapExecutionMemory");
  dom::object in = Obj(m, "inputMetrics");
  x->input_bytes_read = Int(in, "bytesRead");
  x->input_records_read = Int(in, "recordsRead");
  dom::object out = Obj(m, "outputMetrics");
  x->output_bytes_written = Int(out, "bytesWritten");
  x->output_records_written = Int(out, "recordsWritten");
  dom::object sr = Obj(m, "shuffleReadMetrics");
  x->sr_remote_blocks_fetched = static_cast<uint32_t>(Int(sr, "remoteBlocksFetched"));
  x->sr_local_blocks_fetched = static_cast<uint32_t>(Int(sr, "localBlocksFetched"));
  x->sr_fetch_wait_time = static_cast<uint32_t>(Int(sr, "fetchWaitTime"));
  x->sr_remote_bytes_read = Int(sr, "remoteBytesRead");
  x->sr_remote_bytes_read_to_disk = Int(sr, "remoteBytesReadToDisk");
  x->sr_local_bytes_read = Int(sr, "localBytesRead");
  x->sr_records_read = Int(sr, "recordsRead");
  x->sr_remote_reqs_duration = static_cast<uint32_t>(Int(sr, "remoteReqsDuration"));
  dom::object sw = Obj(m, "shuffleWriteMetrics");
  x->sw_bytes_written = Int(sw, "bytesWritten");
  x->sw_write_time = Int(sw, "writeTime");
  x->sw_records_written = Int(sw, "recordsWritten");
}

// One TaskData → the model's task attempt rows (appended to `out`). The event-log model keeps a
// successful task whose output was lost later as two rows with one task id: the success and the
// Resubmitted end. Spark's listener ignores the second end for the task's row, so Spark (and
// `sparkmedic serve`) show the success only and the Resubmitted end cannot be seen. Older
// `serve` builds listed it as a second row, and a SUCCESS row whose errorMessage is
// "Resubmitted (...)" is expanded into both; either shape gives the model's rows.
void ToTask(dom::object o, int32_t stage_id, int32_t stage_attempt, std::vector<LiveTask>* out) {
  LiveTask lt;
  TaskAttempt& t = lt.t;
  t.task_id = Int(o, "taskId", -1);
  t.index = static_cast<int32_t>(Int(o, "index", -1));
  t.attempt = static_cast<int32_t>(Int(o, "attempt"));
  t.partition_id = static_cast<int32_t>(Int(o, "partitionId", -1));
  t.stage_id = stage_id;
  t.stage_attempt = stage_attempt;
  t.launch_time = Date(o, "launchTime");
  lt.executor = Str(o, "executorId");
  lt.host = Str(o, "host");
  t.locality = ParseLocalityName(Str(o, "taskLocality"));
  t.speculative = Bool(o, "speculative");
  const std::string status = Str(o, "status");
  const TimeMs fetch_start = Date(o, "resultFetchStart");
  if (fetch_start != kNoTime) t.getting_result_time = fetch_start;
  const bool finished = status == "SUCCESS" || status == "FAILED" || status == "KILLED";
  if (finished) {
    t.finish_time = t.launch_time + Int(o, "duration");
    if (t.finish_time == 0) t.finish_time = 1;  // finish time 0 means running in the model
  }
  std::optional<std::string> error = OptStr(o, "errorMessage");
  if (status == "SUCCESS") {
    t.end = TaskEndKind::kSuccess;
    if (error) lt.failure = ParseTaskErrorString(*error, false);  // Resubmitted keeps SUCCESS
  } else if (status == "FAILED") {
    t.failed = true;
    lt.failure = error ? ParseTaskErrorString(*error, false) : TaskFailure();
    if (!error) lt.failure->kind = TaskEndKind::kUnknownReason;
  } else if (status == "KILLED") {
    t.killed = true;
    lt.failure = ParseTaskErrorString(error.value_or(""), true);
  }
  if (lt.failure) t.end = lt.failure->kind;
  if (HasObj(o, "taskMetrics")) {
    t.has_metrics = true;
    ReadMetrics(Obj(o, "taskMetrics"), &t.metrics);
  }
  if (t.end == TaskEndKind::kResubmitted) {
    LiveTask success = lt;
    success.t.end = TaskEndKind::kSuccess;
    success.failure.reset();
    out->push_back(std::move(success));
  }
  out->push_back(std::move(lt));
}

struct PageJob {
  int32_t stage_id, attempt;
  int64_t offset;
  bool last_planned;  // a full answer means more tasks appeared: fetch the next page too
};

// Fetches every planned page with `concurrency` workers; returns the tasks or the first error.
class PagePool {
 public:
  PagePool(const BaseUrl& base, const LiveSourceOptions& options, std::string app_path,
           uint64_t expected)
      : base_(base), options_(options), app_path_(std::move(app_path)), expected_(expected) {}

  void Add(PageJob job) { jobs_.push_back(job); }

  Status Run(std::vector<LiveTask>* out) {
    const int workers =
        std::max(1, std::min<int>(options_.concurrency, static_cast<int>(jobs_.size())));
    std::vector<std::thread> threads;
    for (int i = 0; i < workers; ++i) threads.emplace_back([this] { Work(); });
    for (std::thread& t : threads) t.join();
    if (!error_.ok()) return error_;
    *out = std::move(tasks_);
    return Status::Ok();
  }

 private:
  void Work() {
    RestFetcher fetcher(base_, options_);
    dom::parser parser;
    const int64_t page = std::max(1, options_.task_page_size);
    for (;;) {
      PageJob job;
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (jobs_.empty() || !error_.ok()) return;
        job = jobs_.front();
        jobs_.pop_front();
      }
      const std::string path = fmt::format("{}/stages/{}/{}/taskList?offset={}&length={}",
                                           app_path_, job.stage_id, job.attempt, job.offset, page);
      Result<dom::element> doc = GetJson(fetcher, parser, path, dom::element_type::ARRAY);
      std::vector<LiveTask> got;
      if (doc.ok()) {
        for (dom::element e : dom::array(*doc)) {
          dom::object o;
          if (e.get_object().get(o) == simdjson::SUCCESS) {
            ToTask(o, job.stage_id, job.attempt, &got);
          }
        }
      }
      std::lock_guard<std::mutex> lock(mu_);
      if (!doc.ok()) {
        if (error_.ok()) error_ = doc.status();
        return;
      }
      if (job.last_planned && static_cast<int64_t>(got.size()) == page) {
        jobs_.push_back({job.stage_id, job.attempt, job.offset + page, true});
      }
      fetched_ += got.size();
      for (LiveTask& t : got) tasks_.push_back(std::move(t));
      if (options_.on_progress) options_.on_progress(fetched_, std::max(expected_, fetched_));
    }
  }

  const BaseUrl base_;
  const LiveSourceOptions options_;
  const std::string app_path_;
  const uint64_t expected_;
  std::mutex mu_;
  std::deque<PageJob> jobs_;
  std::vector<LiveTask> tasks_;
  uint64_t fetched_ = 0;
  Status error_;
};

std::vector<std::pair<std::string, std::string>> Pairs(dom::object env, std::string_view key) {
  std::vector<std::pair<std::string, std::string>> out;
  dom::array a;
  if (env.at_key(key).get_array().get(a) != simdjson::SUCCESS) return out;
  for (dom::element e : a) {
    dom::array kv;
    if (e.get_array().get(kv) != simdjson::SUCCESS || kv.size() != 2) continue;
    std::string_view k, v;
    if (kv.at(0).get_string().get(k) != simdjson::SUCCESS) continue;
    if (kv.at(1).get_string().get(v) != simdjson::SUCCESS) v = {};
    out.emplace_back(std::string(k), std::string(v));
  }
  return out;
}

void ReadEnvironment(dom::object env, Application* app) {
  app->spark_properties = Pairs(env, "sparkProperties");
  app->hadoop_properties = Pairs(env, "hadoopProperties");
  app->system_properties = Pairs(env, "systemProperties");
  app->classpath_entries = Pairs(env, "classpathEntries");
  app->metrics_properties = Pairs(env, "metricsProperties");
  dom::object rt = Obj(env, "runtime");
  if (auto v = OptStr(rt, "javaVersion")) app->jvm_information.emplace_back("Java Version", *v);
  if (auto v = OptStr(rt, "javaHome")) app->jvm_information.emplace_back("Java Home", *v);
  if (auto v = OptStr(rt, "scalaVersion")) app->jvm_information.emplace_back("Scala Version", *v);
}

void ReadExecutors(dom::array list, Application* app) {
  std::vector<std::pair<TimeMs, std::string>> order;
  for (dom::element e : list) {
    dom::object o;
    if (e.get_object().get(o) != simdjson::SUCCESS) continue;
    Executor x;
    x.id = Str(o, "id");
    const std::string host_port = Str(o, "hostPort");
    size_t colon = host_port.rfind(':');
    x.host = colon == std::string::npos || host_port.back() == ']' ? host_port
                                                                   : host_port.substr(0, colon);
    if (x.host.size() > 2 && x.host.front() == '[' && x.host.back() == ']') {
      x.host = x.host.substr(1, x.host.size() - 2);
    }
    x.total_cores = static_cast<int32_t>(Int(o, "totalCores"));
    x.add_time = Date(o, "addTime");
    x.remove_time = Date(o, "removeTime");
    x.remove_reason = OptStr(o, "removeReason");
    x.resource_profile_id = static_cast<int32_t>(Int(o, "resourceProfileId"));
    x.max_memory = Int(o, "maxMemory");
    for (std::string_view key : {"executorLogs", "attributes"}) {
      dom::object m;
      if (o.at_key(key).get_object().get(m) != simdjson::SUCCESS) continue;
      for (auto [k, v] : m) {
        std::string_view s;
        if (v.get_string().get(s) != simdjson::SUCCESS) continue;
        (key == "executorLogs" ? x.log_urls : x.attributes)[std::string(k)] = std::string(s);
      }
    }
    // The current exclusion state (the event log would say when and why).
    if (Bool(o, "isExcluded") || Bool(o, "isBlacklisted")) {
      ExclusionEvent ev;
      ev.kind = ExclusionKind::kExecutorExcluded;
      ev.target = x.id;
      app->exclusions.push_back(ev);
    }
    std::vector<int32_t> stages = IntList(o, "excludedInStages");
    if (stages.empty()) stages = IntList(o, "blacklistedInStages");
    for (int32_t s : stages) {
      ExclusionEvent ev;
      ev.kind = ExclusionKind::kExecutorExcludedForStage;
      ev.target = x.id;
      ev.stage_id = s;
      app->exclusions.push_back(ev);
    }
    order.emplace_back(x.add_time, x.id);
    std::string id = x.id;
    app->executors[id] = std::move(x);
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [t, id] : order) app->executor_order.push_back(std::move(id));
}

void ReadJobs(dom::array list, Application* app) {
  for (dom::element e : list) {
    dom::object o;
    if (e.get_object().get(o) != simdjson::SUCCESS) continue;
    Job j;
    j.job_id = static_cast<int32_t>(Int(o, "jobId", -1));
    j.name = Str(o, "name");
    j.description = OptStr(o, "description");
    j.submission_time = Date(o, "submissionTime");
    j.completion_time = Date(o, "completionTime");
    j.stage_ids = IntList(o, "stageIds");
    j.job_group = OptStr(o, "jobGroup");
    j.status = ToJobStatus(Str(o, "status"));
    j.num_tasks = static_cast<int32_t>(Int(o, "numTasks"));
    app->jobs[j.job_id] = std::move(j);
  }
}

// Reads the stage attempts; returns the number of task attempts each holds.
std::map<std::pair<int32_t, int32_t>, int64_t> ReadStages(dom::array list, Application* app) {
  std::map<std::pair<int32_t, int32_t>, int64_t> counts;
  for (dom::element e : list) {
    dom::object o;
    if (e.get_object().get(o) != simdjson::SUCCESS) continue;
    StageAttempt s;
    s.stage_id = static_cast<int32_t>(Int(o, "stageId", -1));
    s.attempt_id = static_cast<int32_t>(Int(o, "attemptId"));
    s.name = Str(o, "name");
    s.details = Str(o, "details");
    s.num_tasks = static_cast<int32_t>(Int(o, "numTasks"));
    s.rdd_ids = IntList(o, "rddIds");
    s.submission_time = Date(o, "submissionTime");
    s.completion_time = Date(o, "completionTime");
    s.failure_reason = OptStr(o, "failureReason");
    s.status = ToStageStatus(Str(o, "status"));
    s.resource_profile_id = static_cast<int32_t>(Int(o, "resourceProfileId"));
    s.scheduling_pool = Str(o, "schedulingPool");
    s.description = OptStr(o, "description");
    counts[{s.stage_id, s.attempt_id}] = Int(o, "numActiveTasks") + Int(o, "numCompleteTasks") +
                                         Int(o, "numFailedTasks") + Int(o, "numKilledTasks");
    app->stages[{s.stage_id, s.attempt_id}] = std::move(s);
  }
  return counts;
}

void ReadSql(dom::array list, Application* app) {
  for (dom::element e : list) {
    dom::object o;
    if (e.get_object().get(o) != simdjson::SUCCESS) continue;
    SqlExecution x;
    x.execution_id = Int(o, "id", -1);
    x.description = Str(o, "description");
    x.start_time = Date(o, "submissionTime");
    int64_t duration = Int(o, "duration", -1);
    if (Str(o, "status") != "RUNNING" && x.start_time != kNoTime && duration >= 0) {
      x.end_time = x.start_time + duration;
    }
    for (std::string_view key : {"successJobIds", "failedJobIds", "runningJobIds"}) {
      for (int32_t id : IntList(o, key)) x.job_ids.push_back(id);
    }
    std::sort(x.job_ids.begin(), x.job_ids.end());
    dom::array nodes;
    std::set<std::string> seen;
    if (o.at_key("nodes").get_array().get(nodes) == simdjson::SUCCESS) {
      for (dom::element n : nodes) {
        dom::object no;
        if (n.get_object().get(no) != simdjson::SUCCESS) continue;
        std::string name = Str(no, "nodeName");
        if (!name.empty() && seen.insert(name).second) x.plan_nodes.push_back(name);
      }
    }
    for (int32_t id : x.job_ids) {
      auto it = app->jobs.find(id);
      if (it != app->jobs.end()) it->second.sql_execution_id = x.execution_id;
    }
    app->sql_executions[x.execution_id] = std::move(x);
  }
}

}  // namespace

Result<std::vector<AppSummary>> ListLiveApplications(const std::string& base_url,
                                                     const LiveSourceOptions& options) {
  Result<BaseUrl> base = live::ParseBaseUrl(base_url);
  if (!base.ok()) return base.status();
  RestFetcher f(*base, options);
  dom::parser parser;
  Result<dom::element> doc = GetJson(f, parser, "applications", dom::element_type::ARRAY);
  if (!doc.ok()) return doc.status();
  std::vector<AppSummary> apps;
  for (dom::element e : dom::array(*doc)) {
    dom::object o;
    if (e.get_object().get(o) != simdjson::SUCCESS || Str(o, "id").empty()) {
      return NotSpark(f, "applications", FetchResult{200, "", "", ""},
                      "a list of applications with ids");
    }
    apps.push_back(ToApp(o));
  }
  return apps;
}

Result<Application> LoadLiveApplication(const std::string& base_url, const std::string& app_id,
                                        const std::string& attempt_id,
                                        const LiveSourceOptions& options) {
  Result<BaseUrl> base = live::ParseBaseUrl(base_url);
  if (!base.ok()) return base.status();
  RestFetcher f(*base, options);
  dom::parser parser;

  // The application and the attempt.
  const std::string app_path = "applications/" + Escape(app_id);
  Result<dom::element> info = GetJson(f, parser, app_path, dom::element_type::OBJECT);
  if (!info.ok()) {
    if (info.status().code() != StatusCode::kNotFound) return info.status();
    std::string known;
    if (auto apps = ListLiveApplications(base_url, options); apps.ok()) {
      for (size_t i = 0; i < apps->size() && i < 5; ++i) {
        known += (i ? ", " : "") + (*apps)[i].id;
      }
      if (apps->size() > 5) known += fmt::format(", ... ({} in all)", apps->size());
    }
    return Status::NotFound(
        fmt::format("{}: no application {} there{}", f.UrlOf(app_path), app_id,
                    known.empty() ? "" : "; it has " + known + " (pass one with --app)"));
  }
  AppSummary summary = ToApp(dom::object(*info));
  if (summary.attempts.empty()) {
    return NotSpark(f, app_path, FetchResult{200, "", "", ""}, "an application with attempts");
  }
  const AttemptSummary* attempt = &summary.attempts.front();
  if (!attempt_id.empty()) {
    attempt = nullptr;
    for (const AttemptSummary& a : summary.attempts) {
      if (a.attempt_id == attempt_id) attempt = &a;
    }
    if (!attempt) {
      return Status::NotFound(fmt::format("{}: application {} has no attempt {}", f.UrlOf(app_path),
                                          app_id, attempt_id));
    }
  }
  Application app;
  app.app_id = summary.id;
  app.name = summary.name;
  app.attempt_id = attempt->attempt_id;
  app.user = attempt->spark_user;
  app.spark_version = attempt->app_spark_version;
  app.start_time = attempt->start_time;
  app.completed = attempt->completed;
  app.end_time = attempt->completed ? attempt->end_time : kNoTime;
  app.has_application_start = true;
  const std::string base_path =
      app_path + (app.attempt_id.empty() ? "" : "/" + Escape(app.attempt_id));

  // Environment, executors, jobs, stages; SQL when the server has it.
  Result<dom::element> env =
      GetJson(f, parser, base_path + "/environment", dom::element_type::OBJECT);
  if (!env.ok()) return env.status();
  ReadEnvironment(dom::object(*env), &app);
  Result<dom::element> execs =
      GetJson(f, parser, base_path + "/allexecutors", dom::element_type::ARRAY);
  if (!execs.ok()) return execs.status();
  ReadExecutors(dom::array(*execs), &app);
  Result<dom::element> jobs = GetJson(f, parser, base_path + "/jobs", dom::element_type::ARRAY);
  if (!jobs.ok()) return jobs.status();
  ReadJobs(dom::array(*jobs), &app);
  Result<dom::element> stages = GetJson(f, parser, base_path + "/stages", dom::element_type::ARRAY);
  if (!stages.ok()) return stages.status();
  std::map<std::pair<int32_t, int32_t>, int64_t> counts = ReadStages(dom::array(*stages), &app);
  constexpr int kSqlPage = 1000;
  for (int offset = 0;; offset += kSqlPage) {
    const std::string path =
        fmt::format("{}/sql?details=true&planDescription=false&offset={}&length={}", base_path,
                    offset, kSqlPage);
    Result<dom::element> sql = GetJson(f, parser, path, dom::element_type::ARRAY);
    if (!sql.ok()) {
      if (sql.status().code() == StatusCode::kNotFound) break;  // no SQL tab there
      return sql.status();
    }
    dom::array a = *sql;
    ReadSql(a, &app);
    if (a.size() < kSqlPage) break;
  }
  for (const auto& [id, job] : app.jobs) {
    for (int32_t sid : job.stage_ids) {
      for (auto it = app.stages.lower_bound({sid, 0});
           it != app.stages.end() && it->first.first == sid; ++it) {
        it->second.job_ids.push_back(id);
      }
    }
  }
  // Every task attempt, page by page.
  uint64_t expected = 0;  // the progress total
  for (const auto& [key, n] : counts) expected += static_cast<uint64_t>(n);
  const int64_t page = std::max(1, options.task_page_size);
  PagePool pool(*base, options, base_path, expected);
  for (const auto& [key, n] : counts) {
    const int64_t pages = std::max<int64_t>(1, (n + page - 1) / page);
    if (n == 0 && app.stages[key].status != StageStatus::kActive) continue;
    for (int64_t p = 0; p < pages; ++p) pool.Add({key.first, key.second, p * page, p == pages - 1});
  }
  std::vector<LiveTask> tasks;
  if (Status st = pool.Run(&tasks); !st.ok()) return st;
  // The event log's order: launch order (ties by task id); each task once.
  // Resubmitted rows after the success they undo.
  auto resubmitted = [](const LiveTask& x) { return x.t.end == TaskEndKind::kResubmitted; };
  std::sort(tasks.begin(), tasks.end(), [&](const LiveTask& a, const LiveTask& b) {
    if (a.t.launch_time != b.t.launch_time) return a.t.launch_time < b.t.launch_time;
    if (a.t.task_id != b.t.task_id) return a.t.task_id < b.t.task_id;
    return resubmitted(a) < resubmitted(b);
  });
  std::set<std::pair<int64_t, bool>> seen;
  TimeMs last = std::max(app.start_time, app.end_time);
  for (LiveTask& lt : tasks) {
    if (!seen.insert({lt.t.task_id, resubmitted(lt)}).second) continue;
    TaskAttempt t = lt.t;
    t.executor = lt.executor.empty() ? kNoIndex : app.strings.Intern(lt.executor);
    t.host = lt.host.empty() ? kNoIndex : app.strings.Intern(lt.host);
    if (lt.failure) {
      t.failure = static_cast<uint32_t>(app.task_failures.size());
      app.task_failures.push_back(std::move(*lt.failure));
    }
    last = std::max({last, t.launch_time, t.finish_time});
    const uint32_t index = static_cast<uint32_t>(app.tasks.size());
    app.tasks.push_back(t);
    auto it = app.stages.find({t.stage_id, t.stage_attempt});
    if (it != app.stages.end()) it->second.tasks.push_back(index);
  }
  for (const auto& [key, s] : app.stages)
    last = std::max({last, s.submission_time, s.completion_time});
  app.last_event_time = last;
  return app;
}

}  // namespace sparkmedic
