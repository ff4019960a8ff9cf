// The REST router and the application, job, executor and environment endpoints.
// Semantics follow Spark's AppStatusListener / OneApplicationResource (docs/rest-api.md).
#include "sparkmedic/rest_api.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <exception>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string_view>

#include <zlib.h>

#include "frontends/server/rest_cache.h"
#include "frontends/server/rest_internal.h"

namespace sparkmedic {
namespace server {

Outcome OutcomeOf(const TaskAttempt& t) {
  switch (t.end) {
    case TaskEndKind::kRunning:
      return Outcome::kActive;
    case TaskEndKind::kSuccess:
      return Outcome::kCompleted;
    case TaskEndKind::kTaskKilled:
    case TaskEndKind::kTaskCommitDenied:
      return Outcome::kKilled;
    default:
      return Outcome::kFailed;
  }
}

std::string KilledReason(const Application& app, const TaskAttempt& t) {
  const TaskFailure* f = app.FailureOf(t);
  if (!f) return "";
  if (t.end == TaskEndKind::kTaskKilled) return f->kill_reason;
  return f->ErrorString();
}

namespace {

Json AttemptJson(const AttemptSummary& a) {
  Json j = Json::object();
  if (!a.attempt_id.empty()) j["attemptId"] = a.attempt_id;
  j["startTime"] = FormatRestDate(a.start_time);
  j["endTime"] = FormatRestDate(a.end_time);
  j["lastUpdated"] = FormatRestDate(a.last_updated);
  j["duration"] = a.completed && a.end_time != kNoTime ? a.end_time - a.start_time : int64_t{0};
  j["sparkUser"] = a.spark_user;
  j["completed"] = a.completed;
  j["appSparkVersion"] = a.app_spark_version;
  j["startTimeEpoch"] = a.start_time;
  j["endTimeEpoch"] = a.end_time;
  j["lastUpdatedEpoch"] = a.last_updated;
  return j;
}

Json AppJson(const AppSummary& app) {
  Json j = Json::object();
  j["id"] = app.id;
  j["name"] = app.name;
  Json attempts = Json::array();
  for (const AttemptSummary& a : app.attempts) attempts.push_back(AttemptJson(a));
  j["attempts"] = std::move(attempts);
  return j;
}

RestResponse ApplicationList(const AppCatalog& cat, const QueryParams& q) {
  bool include_completed = true, include_running = true;
  auto statuses = ParamAll(q, "status");
  if (!statuses.empty()) {
    include_completed = include_running = false;
    for (const std::string& s : statuses) {
      std::string l = Lower(s);
      if (l == "completed")
        include_completed = true;
      else if (l == "running")
        include_running = true;
      else
        return Error(404, "");  // Jersey cannot convert the enum: 404
    }
  }
  TimeMs min_date = *ParseRestDate("2010-01-01"), max_date = *ParseRestDate("3000-01-01");
  TimeMs min_end = min_date, max_end = max_date;
  for (auto [name, dst] : {std::pair<const char*, TimeMs*>{"minDate", &min_date},
                           {"maxDate", &max_date},
                           {"minEndDate", &min_end},
                           {"maxEndDate", &max_end}}) {
    if (auto v = Param(q, name)) {
      auto d = ParseRestDate(*v);
      if (!d) return Error(400, "Couldn't parse date: " + *v);
      *dst = *d;
    }
  }
  int64_t limit = INT32_MAX;
  if (auto v = Param(q, "limit")) {
    auto n = ParseInt(*v);
    if (!n) return Error(404, "");
    limit = *n;
  }
  TimeMs now = static_cast<TimeMs>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
  Json out = Json::array();
  int64_t taken = 0;
  for (const AppSummary& app : cat.ListApplications()) {
    if (taken >= limit) break;
    bool any_running = app.attempts.empty() || !app.attempts.front().completed;
    if (!((!any_running && include_completed) || (any_running && include_running))) continue;
    bool in_range = false;
    for (const AttemptSummary& a : app.attempts) {
      bool start_ok = a.start_time >= min_date && a.start_time <= max_date;
      bool end_ok = any_running ? max_end > now : (a.end_time >= min_end && a.end_time <= max_end);
      if (start_ok && end_ok) in_range = true;
    }
    if (!in_range) continue;
    out.push_back(AppJson(app));
    ++taken;
  }
  return JsonResponse(out);
}

// ---- jobs ----

struct JobCounts {
  int64_t active = 0, completed = 0, failed = 0, killed = 0;
  std::set<std::pair<int32_t, int32_t>> completed_indices;
  std::map<std::string, int64_t> killed_summary;
  std::set<int32_t> active_stages, completed_stages, skipped_stages;
  int64_t failed_stages = 0, skipped_tasks = 0;
};

JobCounts CountJob(const Application& app, const Job& job) {
  JobCounts c;
  for (int32_t sid : job.stage_ids) {
    bool any = false;
    for (auto it = app.stages.lower_bound({sid, INT32_MIN});
         it != app.stages.end() && it->first.first == sid; ++it) {
      const StageAttempt& st = it->second;
      if (std::find(st.job_ids.begin(), st.job_ids.end(), job.job_id) == st.job_ids.end()) continue;
      any = true;
      switch (st.status) {
        case StageStatus::kActive:
          c.active_stages.insert(sid);
          break;
        case StageStatus::kComplete:
          c.completed_stages.insert(sid);
          break;
        case StageStatus::kFailed:
          ++c.failed_stages;
          break;
        case StageStatus::kSkipped:
          c.skipped_stages.insert(sid);
          c.skipped_tasks += st.num_tasks;
          break;
        default:
          break;
      }
      for (uint32_t ti : st.tasks) {
        const TaskAttempt& t = app.tasks[ti];
        // A stage attempt referenced by a later job (and skipped there) ran for an earlier one.
        if (job.submission_time != kNoTime && t.launch_time < job.submission_time) continue;
        if (job.completion_time != kNoTime && t.launch_time > job.completion_time) continue;
        switch (OutcomeOf(t)) {
          case Outcome::kActive:
            ++c.active;
            break;
          case Outcome::kCompleted:
            ++c.completed;
            c.completed_indices.insert({sid, t.index});
            break;
          case Outcome::kKilled:
            ++c.killed;
            ++c.killed_summary[KilledReason(app, t)];
            break;
          case Outcome::kFailed:
            ++c.failed;
            break;
        }
      }
    }
    (void)any;
  }
  return c;
}

Json JobJson(const Application& app, const Job& job) {
  JobCounts c = CountJob(app, job);
  Json j = Json::object();
  j["jobId"] = job.job_id;
  j["name"] = job.name;
  if (job.description) j["description"] = *job.description;
  if (job.submission_time != kNoTime) j["submissionTime"] = FormatRestDate(job.submission_time);
  if (job.completion_time != kNoTime && job.status != JobStatus::kRunning)
    j["completionTime"] = FormatRestDate(job.completion_time);
  j["stageIds"] = job.stage_ids;
  if (job.job_group) j["jobGroup"] = *job.job_group;
  j["jobTags"] = Json::array();
  j["status"] = JobStatusName(job.status);
  j["numTasks"] = job.num_tasks;
  j["numActiveTasks"] = c.active;
  j["numCompletedTasks"] = c.completed;
  j["numSkippedTasks"] = c.skipped_tasks;
  j["numFailedTasks"] = c.failed;
  j["numKilledTasks"] = c.killed;
  j["numCompletedIndices"] = static_cast<int64_t>(c.completed_indices.size());
  j["numActiveStages"] = static_cast<int64_t>(c.active_stages.size());
  j["numCompletedStages"] = static_cast<int64_t>(c.completed_stages.size());
  j["numSkippedStages"] = static_cast<int64_t>(c.skipped_stages.size());
  j["numFailedStages"] = c.failed_stages;
  Json ks = Json::object();
  for (const auto& [k, v] : c.killed_summary) ks[k] = v;
  j["killedTasksSummary"] = std::move(ks);
  return j;
}

RestResponse Jobs(const Application& app, const std::vector<std::string>& rest,
                  const QueryParams& q) {
  if (rest.empty()) {
    std::set<std::string> want;
    for (const std::string& s : ParamAll(q, "status")) {
      std::string u = Upper(s);
      if (u != "RUNNING" && u != "SUCCEEDED" && u != "FAILED" && u != "UNKNOWN")
        return Error(404, "");
      want.insert(u);
    }
    Json out = Json::array();
    for (auto it = app.jobs.rbegin(); it != app.jobs.rend(); ++it) {
      if (!want.empty() && !want.count(JobStatusName(it->second.status))) continue;
      out.push_back(JobJson(app, it->second));
    }
    return JsonResponse(out);
  }
  if (rest.size() != 1) return Error(404, "");
  auto id = ParseInt(rest[0]);
  if (!id) return Error(404, "");
  auto it = app.jobs.find(static_cast<int32_t>(*id));
  if (it == app.jobs.end()) return Error(404, "unknown job: " + rest[0]);
  return JsonResponse(JobJson(app, it->second));
}

// ---- executors ----

// Index of "TotalGCTime" in kExecutorMetricNames.
constexpr int kTotalGcTimeMetric = 20;
static_assert(std::string_view(kExecutorMetricNames[kTotalGcTimeMetric]) == "TotalGCTime");

TimeMs NowMs() {
  return static_cast<TimeMs>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count());
}

struct ExecCounts {
  int64_t active = 0, completed = 0, failed = 0, total = 0, duration = 0, gc = 0, input = 0,
          sread = 0, swrite = 0;
};

Json ExecutorJson(const Application& app, const Executor& x, const ExecCounts& c,
                  int32_t task_cpus) {
  Json j = Json::object();
  j["id"] = x.id;
  j["hostPort"] =
      x.block_manager_port > 0 ? x.host + ":" + std::to_string(x.block_manager_port) : x.host;
  bool active = x.remove_time == kNoTime;
  j["isActive"] = active;
  j["rddBlocks"] = x.rdd_blocks;
  j["memoryUsed"] = x.memory_used;
  j["diskUsed"] = x.disk_used;
  j["totalCores"] = x.total_cores;
  int32_t cpus = task_cpus;
  auto rp = app.resource_profiles.find(x.resource_profile_id);
  if (rp != app.resource_profiles.end()) {
    auto c = rp->second.task_requests.find("cpus");
    if (c != rp->second.task_requests.end()) {
      try {
        cpus = static_cast<int32_t>(std::stod(c->second));
      } catch (const std::exception&) {
      }
    }
  }
  j["maxTasks"] = cpus > 0 ? x.total_cores / cpus : x.total_cores;
  j["activeTasks"] = c.active;
  j["failedTasks"] = c.failed;
  j["completedTasks"] = c.completed;
  j["totalTasks"] = c.total;
  // Spark 3.3+ (SPARK-37493) AppStatusStore.executorList → replaceExec: for the executor whose
  // id is exactly "driver" (not the 1.x "<driver>"), totalDuration is the application's run
  // time (end − start; now − start while no ApplicationEnd was seen), and totalGCTime is the
  // TotalGCTime of its peakMemoryMetrics when it has any. Other executors keep task sums.
  int64_t duration = c.duration, gc = c.gc;
  if (x.id == "driver") {
    if (app.has_application_start && app.start_time != kNoTime && app.end_time != 0) {
      TimeMs end = app.end_time != kNoTime ? app.end_time : NowMs();
      duration = end - app.start_time;
    }
    if (x.peak_metrics.set) gc = x.peak_metrics.values[kTotalGcTimeMetric];
  }
  j["totalDuration"] = duration;
  j["totalGCTime"] = gc;
  j["totalInputBytes"] = c.input;
  j["totalShuffleRead"] = c.sread;
  j["totalShuffleWrite"] = c.swrite;
  // Exclusion state at the end of the log: executor-level and node-level events.
  bool excluded = false;
  for (const ExclusionEvent& e : app.exclusions) {
    switch (e.kind) {
      case ExclusionKind::kExecutorExcluded:
        if (e.target == x.id) excluded = true;
        break;
      case ExclusionKind::kExecutorUnexcluded:
        if (e.target == x.id) excluded = false;
        break;
      // AppStatusListener.updateNodeExcluded leaves the driver out.
      case ExclusionKind::kNodeExcluded:
        if (e.target == x.host && !x.is_driver()) excluded = true;
        break;
      case ExclusionKind::kNodeUnexcluded:
        if (e.target == x.host && !x.is_driver()) excluded = false;
        break;
      default:
        break;
    }
  }
  j["isBlacklisted"] = excluded;
  j["maxMemory"] = x.max_memory;
  if (x.add_time != kNoTime) j["addTime"] = FormatRestDate(x.add_time);
  if (!active) j["removeTime"] = FormatRestDate(x.remove_time);
  if (!active && x.remove_reason) j["removeReason"] = *x.remove_reason;
  Json logs = Json::object();
  for (const auto& [k, v] : x.log_urls) logs[k] = v;
  j["executorLogs"] = std::move(logs);
  if (x.max_onheap_memory) {
    j["memoryMetrics"] = Json{{"usedOnHeapStorageMemory", x.used_on_heap_storage},
                              {"usedOffHeapStorageMemory", x.used_off_heap_storage},
                              {"totalOnHeapStorageMemory", *x.max_onheap_memory},
                              {"totalOffHeapStorageMemory", x.max_offheap_memory.value_or(0)}};
  }
  // Stages this executor (or its node) is excluded for and that have not completed since.
  std::set<int32_t> in_stages;
  for (const ExclusionEvent& e : app.exclusions) {
    bool mine =
        (e.kind == ExclusionKind::kExecutorExcludedForStage && e.target == x.id) ||
        (e.kind == ExclusionKind::kNodeExcludedForStage && e.target == x.host && !x.is_driver());
    if (!mine) continue;
    const StageAttempt* st = app.FindStage(e.stage_id, e.stage_attempt);
    if (st && (st->status == StageStatus::kActive || st->status == StageStatus::kPending))
      in_stages.insert(e.stage_id);
  }
  Json stages_json = Json::array();
  for (int32_t s : in_stages) stages_json.push_back(s);
  j["blacklistedInStages"] = stages_json;
  if (x.peak_metrics.set) {
    Json pm = Json::object();
    for (int i = 0; i < kNumExecutorMetrics; ++i)
      pm[kExecutorMetricNames[i]] = x.peak_metrics.values[static_cast<size_t>(i)];
    j["peakMemoryMetrics"] = std::move(pm);
  }
  Json attrs = Json::object();
  for (const auto& [k, v] : x.attributes) attrs[k] = v;
  j["attributes"] = std::move(attrs);
  j["resources"] = Json::object();
  j["resourceProfileId"] = x.resource_profile_id;
  j["isExcluded"] = excluded;
  j["excludedInStages"] = std::move(stages_json);
  return j;
}

RestResponse Executors(const Application& app, bool all) {
  std::map<std::string_view, ExecCounts> counts;
  for (const TaskAttempt& t : app.tasks) {
    std::string_view exec_id = app.ExecutorOf(t);
    ExecCounts& c = counts[exec_id];
    // AppStatusListener counts only while the executor is live: a task ending after its
    // executor was removed (ExecutorLostFailure) changes nothing.
    auto xit = app.executors.find(std::string(exec_id));
    TimeMs removed = xit == app.executors.end() ? kNoTime : xit->second.remove_time;
    if (removed == kNoTime || t.launch_time <= removed) ++c.total;
    if (removed != kNoTime && t.end != TaskEndKind::kRunning && t.finish_time > removed) continue;
    switch (OutcomeOf(t)) {
      case Outcome::kActive:
        ++c.active;
        break;
      case Outcome::kCompleted:
        ++c.completed;
        break;
      case Outcome::kFailed:
        ++c.failed;
        break;
      case Outcome::kKilled:
        break;
    }
    if (t.end == TaskEndKind::kRunning) continue;
    if (auto d = t.duration()) c.duration += *d;
    if (t.end != TaskEndKind::kResubmitted && t.has_metrics) {
      c.gc += t.metrics.jvm_gc_time;
      c.input += t.metrics.input_bytes_read;
      c.sread += t.metrics.sr_total_bytes_read();
      c.swrite += t.metrics.sw_bytes_written;
    }
  }
  int32_t task_cpus = 1;
  if (auto v = app.SparkConf("spark.task.cpus")) {
    if (auto n = ParseInt(*v)) task_cpus = static_cast<int32_t>(*n);
  }
  std::vector<const Executor*> list;
  for (const auto& [id, x] : app.executors) {
    if (!all && x.remove_time != kNoTime) continue;
    list.push_back(&x);
  }
  if (!all) {
    // Index "active", reversed: ties in reverse natural (id) order.
    std::reverse(list.begin(), list.end());
  }
  Json out = Json::array();
  for (const Executor* x : list) out.push_back(ExecutorJson(app, *x, counts[x->id], task_cpus));
  return JsonResponse(out);
}

// ---- environment ----

Json Pairs(const std::vector<std::pair<std::string, std::string>>& v) {
  Json a = Json::array();
  for (const auto& [k, val] : v) a.push_back(Json::array({k, val}));
  return a;
}

Json ResourceAmount(const std::string& v, bool as_double) {
  if (as_double) {
    try {
      return Json(std::stod(v));
    } catch (const std::exception&) {
      return Json(0.0);
    }
  }
  if (auto n = ParseInt(v)) return Json(*n);
  return Json(0);
}

RestResponse Environment(const Application& app) {
  Json j = Json::object();
  std::string java_version, java_home, scala_version;
  for (const auto& [k, v] : app.jvm_information) {
    if (k == "Java Version")
      java_version = v;
    else if (k == "Java Home")
      java_home = v;
    else if (k == "Scala Version")
      scala_version = v;
  }
  j["runtime"] =
      Json{{"javaVersion", java_version}, {"javaHome", java_home}, {"scalaVersion", scala_version}};
  j["sparkProperties"] = Pairs(app.spark_properties);
  j["hadoopProperties"] = Pairs(app.hadoop_properties);
  j["systemProperties"] = Pairs(app.system_properties);
  j["metricsProperties"] = Pairs(app.metrics_properties);
  j["classpathEntries"] = Pairs(app.classpath_entries);
  Json rps = Json::array();
  for (const auto& [id, rp] : app.resource_profiles) {
    Json e = Json::object();
    e["id"] = id;
    Json ex = Json::object();
    for (const auto& [name, amount] : rp.executor_requests) {
      std::pair<std::string, std::string> details;
      auto dit = rp.executor_request_details.find(name);
      if (dit != rp.executor_request_details.end()) details = dit->second;
      ex[name] = Json{{"resourceName", name},
                      {"amount", ResourceAmount(amount, false)},
                      {"discoveryScript", details.first},
                      {"vendor", details.second}};
    }
    e["executorResources"] = std::move(ex);
    Json tr = Json::object();
    for (const auto& [name, amount] : rp.task_requests) {
      tr[name] = Json{{"resourceName", name}, {"amount", ResourceAmount(amount, true)}};
    }
    e["taskResources"] = std::move(tr);
    rps.push_back(std::move(e));
  }
  j["resourceProfiles"] = std::move(rps);
  return JsonResponse(j);
}

// A zip archive with stored (uncompressed) entries, as the History Server's /logs answer.
void Put16(std::string* o, uint32_t v) {
  o->push_back(static_cast<char>(v & 0xFF));
  o->push_back(static_cast<char>((v >> 8) & 0xFF));
}
void Put32(std::string* o, uint32_t v) {
  Put16(o, v & 0xFFFF);
  Put16(o, v >> 16);
}

std::string StoredZip(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string out, central;
  for (const auto& [name, data] : entries) {
    uint32_t crc = static_cast<uint32_t>(
        crc32(0L, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
    auto offset = static_cast<uint32_t>(out.size());
    auto size = static_cast<uint32_t>(data.size());
    auto name_len = static_cast<uint32_t>(name.size());
    Put32(&out, 0x04034b50);
    Put16(&out, 10);      // version needed
    Put16(&out, 0x0800);  // UTF-8 names
    Put16(&out, 0);       // stored
    Put16(&out, 0);       // time
    Put16(&out, 0x21);    // date 1980-01-01
    Put32(&out, crc);
    Put32(&out, size);
    Put32(&out, size);
    Put16(&out, name_len);
    Put16(&out, 0);
    out += name;
    out += data;
    Put32(&central, 0x02014b50);
    Put16(&central, 20);
    Put16(&central, 10);
    Put16(&central, 0x0800);
    Put16(&central, 0);
    Put16(&central, 0);
    Put16(&central, 0x21);
    Put32(&central, crc);
    Put32(&central, size);
    Put32(&central, size);
    Put16(&central, name_len);
    Put16(&central, 0);  // extra
    Put16(&central, 0);  // comment
    Put16(&central, 0);  // disk
    Put16(&central, 0);  // internal attributes
    Put32(&central, 0);  // external attributes
    Put32(&central, offset);
    central += name;
  }
  auto cd_offset = static_cast<uint32_t>(out.size());
  auto cd_size = static_cast<uint32_t>(central.size());
  out += central;
  Put32(&out, 0x06054b50);
  Put16(&out, 0);
  Put16(&out, 0);
  Put16(&out, static_cast<uint32_t>(entries.size()));
  Put16(&out, static_cast<uint32_t>(entries.size()));
  Put32(&out, cd_size);
  Put32(&out, cd_offset);
  Put16(&out, 0);
  return out;
}

// `[app]/logs`: every attempt's log files (one attempt when the path names one), zipped.
RestResponse Logs(const AppCatalog& cat, const std::string& app_id, const std::string& attempt_id,
                  bool one_attempt) {
  std::vector<std::string> attempts;
  if (one_attempt) {
    attempts.push_back(attempt_id);
  } else {
    for (const AppSummary& a : cat.ListApplications()) {
      if (a.id != app_id) continue;
      for (const AttemptSummary& at : a.attempts) attempts.push_back(at.attempt_id);
    }
  }
  std::vector<std::pair<std::string, std::string>> entries;
  for (const std::string& at : attempts) {
    std::vector<std::string> files = cat.LogFiles(app_id, at);
    if (files.empty()) continue;
    // Entry names: the file name, or "<rolling dir>/<file>" for a log made of several files.
    for (const std::string& f : files) {
      namespace fs = std::filesystem;
      fs::path p(f);
      std::string name = files.size() == 1 ? p.filename().string()
                                           : (p.parent_path().filename() / p.filename()).string();
      std::ifstream in(f, std::ios::binary);
      if (!in) return Error(500, "cannot read " + name);
      std::ostringstream ss;
      ss << in.rdbuf();
      entries.emplace_back(std::move(name), ss.str());
    }
  }
  if (entries.empty()) return Error(404, "Event logs are not available for app: " + app_id + ".");
  RestResponse r;
  r.content_type = "application/octet-stream";
  r.body = StoredZip(entries);
  r.headers.emplace_back("Content-Disposition",
                         "attachment; filename=eventLogs-" + app_id +
                             (one_attempt && !attempt_id.empty() ? "-" + attempt_id : "") + ".zip");
  return r;
}

// ---- storage ----

// RDDStorageInfo (api/v1/api.scala): dataDistribution is None, so absent, when no executor
// holds a distribution; partitions is always there.
Json RddJson(const RddStorage& r) {
  Json j = Json::object();
  j["id"] = r.id;
  j["name"] = r.name;
  j["numPartitions"] = r.num_partitions;
  j["numCachedPartitions"] = r.partitions.size();
  j["storageLevel"] = r.storage_level;
  j["memoryUsed"] = r.memory_used;
  j["diskUsed"] = r.disk_used;
  if (!r.distributions.empty()) {
    Json dists = Json::array();
    for (const RddDataDistribution& d : r.distributions) {
      Json dj = Json::object();
      if (d.address) dj["address"] = *d.address;
      dj["memoryUsed"] = d.memory_used;
      dj["memoryRemaining"] = d.memory_remaining;
      dj["diskUsed"] = d.disk_used;
      if (d.on_heap_memory_used) dj["onHeapMemoryUsed"] = *d.on_heap_memory_used;
      if (d.off_heap_memory_used) dj["offHeapMemoryUsed"] = *d.off_heap_memory_used;
      if (d.on_heap_memory_remaining) dj["onHeapMemoryRemaining"] = *d.on_heap_memory_remaining;
      if (d.off_heap_memory_remaining) dj["offHeapMemoryRemaining"] = *d.off_heap_memory_remaining;
      dists.push_back(std::move(dj));
    }
    j["dataDistribution"] = std::move(dists);
  }
  Json parts = Json::array();
  for (const RddPartitionInfo& p : r.partitions) {
    Json ex = Json::array();
    for (const std::string& e : p.executors) ex.push_back(e);
    parts.push_back(Json{{"blockName", p.block_name},
                         {"storageLevel", p.storage_level},
                         {"memoryUsed", p.memory_used},
                         {"diskUsed", p.disk_used},
                         {"executors", std::move(ex)}});
  }
  j["partitions"] = std::move(parts);
  return j;
}

// `rest` holds the segments after "storage".
RestResponse Storage(const Application& app, const std::vector<std::string>& rest) {
  if (rest.empty() || rest[0] != "rdd" || rest.size() > 2) return Error(404, "");
  if (rest.size() == 1) {
    // AppStatusStore.rddList(cachedOnly = true), in id order (the store's natural index).
    Json out = Json::array();
    for (const auto& [id, r] : app.rdds) {
      if (!r.partitions.empty()) out.push_back(RddJson(r));
    }
    return JsonResponse(out);
  }
  // Path "storage/rdd/{rddId: \\d+}" with an Int parameter: anything else is Jersey's empty 404.
  const std::string& s = rest[1];
  bool digits = std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  auto id = digits ? ParseInt(s) : std::nullopt;
  if (!id || *id > INT32_MAX) return Error(404, "");
  auto it = app.rdds.find(static_cast<int32_t>(*id));
  // OneApplicationResource.rddData: AppStatusStore.rdd, with no cached-partition filter.
  if (it == app.rdds.end()) return Error(404, "no rdd found w/ id " + std::to_string(*id));
  return JsonResponse(RddJson(it->second));
}

bool IsAppEndpoint(const std::string& s) {
  static const std::set<std::string> kNames = {
      "jobs",         "stages",      "executors",
      "allexecutors", "environment", "storage",
      "logs",         "sql",         "allmiscellaneousprocess",
      "threads",      "streaming",   "diagnostics"};
  return kNames.count(s) > 0;
}

std::vector<std::string> Split(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.emplace_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

// The endpoints below a loaded application.
RestResponse AppEndpoint(const std::shared_ptr<const Application>& app, const std::string& endpoint,
                         const std::vector<std::string>& rest, const QueryParams& q) {
  if (endpoint == "jobs") return Jobs(*app, rest, q);
  if (endpoint == "stages") return HandleStages(app, rest, q);
  if (endpoint == "executors" && rest.empty()) return Executors(*app, false);
  if (endpoint == "allexecutors" && rest.empty()) return Executors(*app, true);
  if (endpoint == "environment" && rest.empty()) return Environment(*app);
  if (endpoint == "storage") return Storage(*app, rest);
  return Error(404, "");
}

// The request as a ResponseCache key: endpoint, segments and parameters (in request order),
// each written as its length, ':' and its text, so that no two requests share a key.
std::string CacheKey(const std::string& endpoint, const std::vector<std::string>& rest,
                     const QueryParams& q) {
  std::string key;
  auto add = [&key](std::string_view s) {
    key += std::to_string(s.size());
    key.push_back(':');
    key += s;
  };
  add(endpoint);
  key += std::to_string(rest.size());
  for (const std::string& s : rest) add(s);
  for (const auto& [k, v] : q) {
    add(k);
    add(v);
  }
  return key;
}

std::shared_ptr<const RestAnswer> Shared(RestResponse r) {
  return std::make_shared<const RestAnswer>(std::move(r));
}

std::shared_ptr<const RestAnswer> Route(const AppCatalog& cat, std::string_view path,
                                        const QueryParams& q) {
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (path.substr(0, 7) == "api/v1/" || path == "api/v1")
    path.remove_prefix(std::min<size_t>(7, path.size()));
  std::vector<std::string> seg = Split(path);
  if (seg.empty()) return Shared(Error(404, ""));
  if (seg[0] == "version" && seg.size() == 1) {
    return Shared(JsonResponse(Json{{"spark", kRestSparkVersion}}));
  }
  if (seg[0] != "applications") return Shared(Error(404, ""));
  if (seg.size() == 1) return Shared(ApplicationList(cat, q));
  const std::string& app_id = seg[1];
  std::string attempt_id;
  size_t next = 2;
  if (seg.size() >= 3 && !IsAppEndpoint(seg[2])) {
    attempt_id = seg[2];
    next = 3;
  }
  if (seg.size() == next) {
    std::vector<AppSummary> apps = cat.ListApplications();
    auto it =
        std::find_if(apps.begin(), apps.end(), [&](const AppSummary& a) { return a.id == app_id; });
    if (next == 2) {
      if (it == apps.end()) return Shared(Error(404, "unknown app: " + app_id));
      return Shared(JsonResponse(AppJson(*it)));
    }
    if (it != apps.end()) {
      for (const AttemptSummary& a : it->attempts) {
        if (a.attempt_id == attempt_id) return Shared(JsonResponse(AttemptJson(a)));
      }
    }
    return Shared(Error(404, "unknown app " + app_id + ", attempt " + attempt_id));
  }
  const std::string& endpoint = seg[next];
  std::vector<std::string> rest(seg.begin() + static_cast<std::ptrdiff_t>(next) + 1, seg.end());
  if (!IsAppEndpoint(endpoint)) return Shared(Error(404, ""));
  if (endpoint == "logs") {
    if (!rest.empty()) return Shared(Error(404, ""));
    return Shared(Logs(cat, app_id, attempt_id, next == 3));
  }
  std::shared_ptr<const Application> app = cat.GetApplication(app_id, attempt_id);
  if (!app) {
    return Shared(
        Error(404, "no such app: " + app_id + (attempt_id.empty() ? "" : "/" + attempt_id)));
  }
  // Everything below depends only on the (immutable) application and the request.
  return ResponseCache::Shared().GetOrCompute(app, CacheKey(endpoint, rest, q),
                                              [&] { return AppEndpoint(app, endpoint, rest, q); });
}

}  // namespace

std::shared_ptr<const RestAnswer> HandleRestShared(const AppCatalog& catalog, std::string_view path,
                                                   const QueryParams& params) {
  try {
    return Route(catalog, path, params);
  } catch (const std::exception& e) {
    return Shared(Error(500, std::string("internal error: ") + e.what()));
  }
}

}  // namespace server

RestResponse HandleRest(const AppCatalog& catalog, std::string_view path,
                        const QueryParams& params) {
  return server::HandleRestShared(catalog, path, params)->response();
}

}  // namespace sparkmedic
