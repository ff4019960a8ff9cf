// Every event log of the shared corpus loads without a crash, and the model's counts equal
// figures computed independently from the raw events by tests/tools/count_events.py
// (json.loads of every line, Spark's counting rules; no sparkmedic code involved).
//
// One test per log that DiscoverLogs finds under <corpus>/eventlogs/, registered when the
// test program starts. Logs in Spark's lz4 / snappy / lzf stream formats (Python's standard
// library has no decoder for them) are compared with the model of their plain twin named in
// the corpus README instead. When python3 or zstd is missing, the load is still checked and
// only the comparison is skipped.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "sparkmedic/diagnostics.h"
#include "sparkmedic/discovery.h"
#include "sparkmedic/loader.h"
#include "sparkmedic/model.h"

#include "testutil.h"

namespace sparkmedic {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kDriverLog = "rapids-profiling/driverlog";

// ---------------------------------------------------------------------------------------
// The corpus logs, discovered when the tests are registered.

struct LogCase {
  std::string name;  // the test name suffix (letters, digits and '_')
  std::string rel;   // the log's path relative to <corpus>/eventlogs, '/'-separated
  LogSource source;
  std::string skip;   // non-empty: no corpus; the test skips with this reason
  std::string error;  // non-empty: discovery failed; the test fails with this message
};

void PrintTo(const LogCase& c, std::ostream* os) {
  *os << (!c.rel.empty() ? c.rel : !c.skip.empty() ? c.skip : c.error);
}

std::optional<fs::path> EventLogsDir() {
  auto corpus = testing::CorpusDir();
  if (!corpus) return std::nullopt;
  std::error_code ec;
  fs::path dir = *corpus / "eventlogs";
  if (!fs::is_directory(dir, ec)) return std::nullopt;
  return dir;
}

std::string RelativeTo(const fs::path& dir, const std::string& path) {
  return fs::path(path).lexically_relative(dir).generic_string();
}

std::vector<LogCase> CorpusLogs() {
  std::vector<LogCase> out;
  auto dir = EventLogsDir();
  if (!dir) {
    LogCase c;
    c.name = "CorpusAbsent";
    c.skip =
        "corpus eventlogs/ directory absent (set SPARKMEDIC_CORPUS or the CMake cache "
        "variable SPARKMEDIC_CORPUS_DIR to the shared corpus)";
    out.push_back(std::move(c));
    return out;
  }
  auto found = DiscoverLogs(dir->string());
  if (!found.ok()) {
    LogCase c;
    c.name = "DiscoveryFailed";
    c.error = found.status().ToString();
    out.push_back(std::move(c));
    return out;
  }
  std::set<std::string> names;
  for (LogSource& src : *found) {
    LogCase c;
    c.rel = RelativeTo(*dir, src.path);
    for (char ch : c.rel) c.name += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
    std::string base = c.name;
    for (int i = 2; !names.insert(c.name).second; ++i) c.name = fmt::format("{}_{}", base, i);
    c.source = std::move(src);
    out.push_back(std::move(c));
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// The independent counter script.

std::string ShellQuote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'')
      q += "'\\''";
    else
      q += c;
  }
  return q + "'";
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

struct Tools {
  std::string python;  // the interpreter's own path (skips version-manager shims); empty: none
  bool zstd = false;
};

// The real interpreter behind `python3`. A version manager's shim (pyenv) costs ~0.2 s per
// start, and ctest runs every test in its own process, so the answer is kept in the build
// directory for the next process (written to a temporary name, then renamed: atomic).
std::string FindPython() {
  fs::path cache = testing::BinaryDir() / "corpus_counts_test.python";
  std::error_code ec;
  if (fs::is_regular_file(cache, ec)) {
    std::string cached = Trim(testing::ReadFileOrDie(cache));
    if (!cached.empty() && fs::is_regular_file(cached, ec)) return cached;
  }
  std::string out;
  if (testing::RunCommand("python3 -c 'import sys; print(sys.executable)' 2>/dev/null", &out) !=
      0) {
    return {};
  }
  std::string python = Trim(out);
  if (python.empty()) return "python3";
  fs::path tmp = cache;
  tmp += fmt::format(".{}", ::getpid());
  testing::WriteFileOrDie(tmp, python + "\n");
  fs::rename(tmp, cache, ec);
  return python;
}

const Tools& GetTools() {
  static const Tools tools = [] {
    Tools t;
    t.python = FindPython();
    t.zstd = testing::RunCommand("zstd --version >/dev/null 2>&1") == 0;
    return t;
  }();
  return tools;
}

// Why the script cannot run on this log here, or nullopt.
std::optional<std::string> ScriptUnavailable(const LogSource& source) {
  const Tools& tools = GetTools();
  if (tools.python.empty()) return "python3 not found";
  for (const LogFile& f : source.files) {
    if (f.codec == Codec::kZstd && !tools.zstd)
      return "zstd not found (needed to decode " + f.path + ")";
  }
  return std::nullopt;
}

// Runs count_events.py on `path`; fails the test and returns null on a script error.
json RunScript(const std::string& path) {
  fs::path script = testing::SourceDir() / "tests" / "tools" / "count_events.py";
  std::string cmd =
      ShellQuote(GetTools().python) + " " + ShellQuote(script.string()) + " " + ShellQuote(path);
  std::string out;
  int rc = testing::RunCommand(cmd, &out);
  if (rc != 0) {
    ADD_FAILURE() << "count_events.py failed (exit " << rc << "): " << cmd;
    return nullptr;
  }
  json j = json::parse(out, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    ADD_FAILURE() << "count_events.py printed no JSON object: " << out.substr(0, 200);
    return nullptr;
  }
  return j;
}

// ---------------------------------------------------------------------------------------
// Figures from the model.

bool IsDriver(std::string_view id) { return id == "driver" || id == "<driver>"; }

std::string OptText(const json& v) { return v.is_null() ? std::string() : v.get<std::string>(); }

std::map<std::string, int64_t> ToCountMap(const json& obj) {
  std::map<std::string, int64_t> m;
  for (auto it = obj.begin(); it != obj.end(); ++it) m[it.key()] = it.value().get<int64_t>();
  return m;
}

std::set<std::string> ToStringSet(const json& arr) {
  std::set<std::string> s;
  for (const json& v : arr) s.insert(v.get<std::string>());
  return s;
}

std::string Show(const std::map<std::string, int64_t>& m) {
  std::string s = "{";
  for (const auto& [k, v] : m) s += fmt::format("{}{}: {}", s.size() > 1 ? ", " : "", k, v);
  return s + "}";
}

std::string Show(const std::set<std::string>& m) {
  std::string s = "{";
  for (const auto& k : m) s += (s.size() > 1 ? ", " : "") + k;
  return s + "}";
}

// The reason name Spark wrote for a task end (kOther keeps the unknown name).
std::string ReasonName(const Application& app, const TaskAttempt& t) {
  if (t.end == TaskEndKind::kOther) {
    const TaskFailure* f = app.FailureOf(t);
    return f ? f->raw_reason : "?";
  }
  return TaskEndKindName(t.end);
}

// A summary of the whole model (and the read statistics), for comparing a log with its twin
// in another codec. `counts` only grow as a log grows (an in-progress prefix has at most its
// finished twin's); `other` holds everything else, mostly digests of whole tables.
struct Summary {
  std::map<std::string, int64_t> counts;
  std::map<std::string, std::string> other;
};

template <typename T>
void HashIn(size_t* h, const T& v) {
  *h ^= std::hash<T>{}(v) + 0x9e3779b97f4a7c15ULL + (*h << 6) + (*h >> 2);
}

Summary Summarize(const Application& app, const ReadStats& stats) {
  Summary s;
  auto& c = s.counts;
  c["read.lines"] = static_cast<int64_t>(stats.lines);
  c["read.events"] = static_cast<int64_t>(stats.events);
  c["read.decompressed_bytes"] = static_cast<int64_t>(stats.decompressed_bytes);
  c["read.ignored_events"] = static_cast<int64_t>(stats.ignored_events);
  c["read.unknown_events"] = static_cast<int64_t>(stats.unknown_events);
  c["read.malformed_lines"] = static_cast<int64_t>(stats.malformed_lines);
  c["read.missing_field_events"] = static_cast<int64_t>(stats.missing_field_events);
  c["tasks.records"] = static_cast<int64_t>(app.tasks.size());
  c["tasks.failures"] = static_cast<int64_t>(app.task_failures.size());
  size_t task_digest = 0;
  for (const TaskAttempt& t : app.tasks) {
    if (t.end != TaskEndKind::kRunning) {
      ++c["tasks.ended"];
      ++c["tasks.end." + ReasonName(app, t)];
      c["tasks.sum.executor_run_time"] += t.metrics.executor_run_time;
      c["tasks.sum.executor_cpu_time"] += t.metrics.executor_cpu_time;
      c["tasks.sum.input_bytes_read"] += t.metrics.input_bytes_read;
      c["tasks.sum.sw_bytes_written"] += t.metrics.sw_bytes_written;
      c["tasks.sum.sr_total_bytes_read"] += t.metrics.sr_total_bytes_read();
      c["tasks.sum.jvm_gc_time"] += t.metrics.jvm_gc_time;
    }
    HashIn(&task_digest, t.task_id);
    HashIn(&task_digest, t.launch_time);
    HashIn(&task_digest, t.finish_time);
    HashIn(&task_digest, t.stage_id * 1000 + t.stage_attempt);
    HashIn(&task_digest, t.index * 1000 + t.attempt);
    HashIn(&task_digest, static_cast<int>(t.end));
    HashIn(&task_digest, std::string(app.ExecutorOf(t)));
    HashIn(&task_digest, std::string(app.HostOf(t)));
    HashIn(&task_digest, t.metrics.executor_run_time);
    HashIn(&task_digest, t.metrics.sr_remote_bytes_read);
    HashIn(&task_digest, t.metrics.peak_execution_memory);
    if (const TaskFailure* f = app.FailureOf(t)) HashIn(&task_digest, f->ErrorString());
  }
  c["jobs"] = static_cast<int64_t>(app.jobs.size());
  size_t job_digest = 0;
  for (const auto& [id, job] : app.jobs) {
    if (job.status == JobStatus::kFailed) ++c["jobs.failed"];
    HashIn(&job_digest, id);
    HashIn(&job_digest, std::string(JobStatusName(job.status)));
    HashIn(&job_digest, job.name);
    HashIn(&job_digest, job.completion_time);
    HashIn(&job_digest, job.stage_ids.size());
  }
  c["stages"] = static_cast<int64_t>(app.stages.size());
  size_t stage_digest = 0;
  for (const auto& [key, st] : app.stages) {
    if (st.failure_reason) ++c["stages.failed"];
    HashIn(&stage_digest, key.first * 1000 + key.second);
    HashIn(&stage_digest, std::string(StageStatusName(st.status)));
    HashIn(&stage_digest, st.name);
    HashIn(&stage_digest, st.num_tasks);
    HashIn(&stage_digest, st.tasks.size());
    HashIn(&stage_digest, st.accumulables.size());
    HashIn(&stage_digest, st.completion_time);
  }
  size_t exec_digest = 0;
  for (const auto& [id, x] : app.executors) {
    ++c["executors"];
    if (x.remove_reason) ++c["executors.removed"];
    HashIn(&exec_digest, id);
    HashIn(&exec_digest, x.host);
    HashIn(&exec_digest, x.total_cores);
    HashIn(&exec_digest, x.add_time);
    HashIn(&exec_digest, x.remove_time);
    HashIn(&exec_digest, x.max_memory);
  }
  c["exclusions"] = static_cast<int64_t>(app.exclusions.size());
  c["sql_executions"] = static_cast<int64_t>(app.sql_executions.size());
  c["streaming_queries"] = static_cast<int64_t>(app.streaming_queries.size());
  c["resource_profiles"] = static_cast<int64_t>(app.resource_profiles.size());
  c["spark_properties"] = static_cast<int64_t>(app.spark_properties.size());

  auto& o = s.other;
  o["app_id"] = app.app_id;
  o["attempt_id"] = app.attempt_id;
  o["name"] = app.name;
  o["user"] = app.user;
  o["spark_version"] = app.spark_version;
  o["start_time"] = std::to_string(app.start_time);
  o["end_time"] = std::to_string(app.end_time);
  o["last_event_time"] = std::to_string(app.last_event_time);
  o["completed"] = app.completed ? "true" : "false";
  o["has_application_start"] = app.has_application_start ? "true" : "false";
  o["digest.tasks"] = std::to_string(task_digest);
  o["digest.jobs"] = std::to_string(job_digest);
  o["digest.stages"] = std::to_string(stage_digest);
  o["digest.executors"] = std::to_string(exec_digest);
  size_t misc = 0;
  for (const ExclusionEvent& e : app.exclusions) {
    HashIn(&misc, e.target);
    HashIn(&misc, e.time);
  }
  for (const auto& [id, q] : app.sql_executions) {
    HashIn(&misc, id);
    HashIn(&misc, q.end_time);
    HashIn(&misc, q.job_ids.size());
  }
  for (const auto& [k, v] : app.spark_properties) HashIn(&misc, k + "=" + v);
  o["digest.misc"] = std::to_string(misc);
  return s;
}

// ---------------------------------------------------------------------------------------
// Loading.

struct Loaded {
  Status status;
  Application app;
  ReadStats stats;
  DiagnosticCollector diags{200};
};

// Loads `source` with default options into *out.
void Load(const LogSource& source, Loaded* out) {
  Result<Application> r = LoadApplication(source, LoadOptions{}, &out->diags, &out->stats);
  if (r.ok()) {
    out->app = std::move(r.value());
  } else {
    out->status = r.status();
  }
}

std::string DiagnosticsText(const DiagnosticCollector& diags, size_t max = 5) {
  std::string s;
  size_t n = 0;
  for (const Diagnostic& d : diags.samples()) {
    if (d.kind == DiagnosticKind::kUnknownEvent) continue;
    if (n++ == max) break;
    s += "\n  " + d.ToString();
  }
  return s;
}

// Discovers the single log at a corpus path (relative to eventlogs/).
std::optional<LogSource> DiscoverOne(const std::string& rel) {
  auto dir = EventLogsDir();
  if (!dir) return std::nullopt;
  auto found = DiscoverLogs((*dir / rel).string());
  if (!found.ok()) {
    ADD_FAILURE() << found.status().ToString();
    return std::nullopt;
  }
  if (found->size() != 1) {
    ADD_FAILURE() << rel << ": expected one log, found " << found->size();
    return std::nullopt;
  }
  return std::move((*found)[0]);
}

// ---------------------------------------------------------------------------------------
// Comparisons.

// Every figure of the script against the model.
void CompareWithScript(const LogSource& source, const Loaded& l, const json& j) {
  const Application& app = l.app;
  const ReadStats& st = l.stats;

  // ReadStats.
  EXPECT_EQ(st.lines, j["lines"].get<uint64_t>()) << "non-blank lines";
  // The script counts every JSON object with a string "Event"; the loader counts those that
  // parsed as events, plus known events it skipped for a missing field.
  EXPECT_EQ(st.events + st.missing_field_events, j["events"].get<uint64_t>()) << "events";
  EXPECT_EQ(st.missing_field_events, 0u)
      << "known events skipped for a missing field (real Spark logs have all the fields the "
         "model needs):"
      << DiagnosticsText(l.diags);
  EXPECT_EQ(st.malformed_lines, j["malformed_lines"].get<uint64_t>())
      << "malformed lines" << DiagnosticsText(l.diags);
  // The first malformed lines: same line numbers and byte offsets.
  {
    std::vector<std::pair<uint64_t, uint64_t>> model_places, script_places;
    for (const Diagnostic& d : l.diags.samples()) {
      if (d.kind == DiagnosticKind::kMalformedLine) model_places.emplace_back(d.line, d.offset);
    }
    for (const json& m : j["malformed_samples"]) {
      script_places.emplace_back(m["line"].get<uint64_t>(), m["offset"].get<uint64_t>());
    }
    size_t n = std::min(model_places.size(), script_places.size());
    model_places.resize(n);
    script_places.resize(n);
    EXPECT_EQ(model_places, script_places) << "(line, byte offset) of malformed lines";
  }
  bool script_truncated =
      j["truncated_tail"].get<bool>() || (source.in_progress && j["stream_truncated"].get<bool>());
  EXPECT_EQ(st.truncated_tail, script_truncated) << "truncated tail";
  EXPECT_EQ(l.diags.total_errors(), st.malformed_lines + st.missing_field_events)
      << "error diagnostics other than bad lines (damaged streams?)" << DiagnosticsText(l.diags);

  // Unknown events: each name the loader reported unknown occurs that often in the log.
  {
    std::map<std::string, int64_t> counts = ToCountMap(j["event_counts"]);
    uint64_t total = 0;
    for (const auto& [name, n] : l.diags.unknown_event_names()) {
      total += n;
      EXPECT_EQ(static_cast<int64_t>(n), counts[name]) << "unknown event " << name;
    }
    EXPECT_EQ(total, st.unknown_events) << "unknown events";
  }

  // The application.
  if (j["app_id"].is_null()) {
    EXPECT_EQ(app.app_id, source.app_id) << "no App ID in the log: the name's id stays";
  } else {
    EXPECT_EQ(app.app_id, j["app_id"].get<std::string>()) << "app id";
  }
  if (j["app_attempt_id"].is_null()) {
    EXPECT_EQ(app.attempt_id, source.attempt_id) << "attempt id";
  } else {
    EXPECT_EQ(app.attempt_id, j["app_attempt_id"].get<std::string>()) << "attempt id";
  }
  EXPECT_EQ(app.name, OptText(j["app_name"])) << "app name";
  EXPECT_EQ(app.user, OptText(j["user"])) << "user";
  EXPECT_EQ(app.spark_version, OptText(j["spark_version"])) << "Spark version";
  EXPECT_EQ(app.has_application_start, j["has_application_start"].get<bool>());
  EXPECT_EQ(app.completed, j["application_end"].get<bool>() && !source.in_progress)
      << "completed = ApplicationEnd seen and the log is finished";

  // Tasks. Outcomes as the History Server counts them (docs/spark-facts.md D.3).
  int64_t ended = 0, running = 0, succeeded = 0, failed = 0, killed = 0;
  std::map<std::string, int64_t> by_reason;
  for (const TaskAttempt& t : app.tasks) {
    if (t.end == TaskEndKind::kRunning) {
      ++running;
      continue;
    }
    ++ended;
    ++by_reason[ReasonName(app, t)];
    if (t.end == TaskEndKind::kSuccess)
      ++succeeded;
    else if (t.end == TaskEndKind::kTaskKilled || t.end == TaskEndKind::kTaskCommitDenied)
      ++killed;
    else
      ++failed;
    if (t.end != TaskEndKind::kSuccess) {
      EXPECT_NE(t.failure, kNoIndex)
          << "task " << t.task_id << " ended " << ReasonName(app, t) << " without failure details";
    }
  }
  EXPECT_EQ(ended, j["task_ends"].get<int64_t>()) << "task attempts that ended = TaskEnd events";
  EXPECT_EQ(Show(by_reason), Show(ToCountMap(j["task_end_reasons"]))) << "task ends by reason";
  EXPECT_EQ(succeeded, j["tasks_succeeded"].get<int64_t>()) << "succeeded tasks";
  EXPECT_EQ(failed, j["tasks_failed"].get<int64_t>()) << "failed tasks (HS counting)";
  EXPECT_EQ(killed, j["tasks_killed"].get<int64_t>()) << "killed tasks (HS counting)";
  EXPECT_EQ(running, j["tasks_never_ended"].get<int64_t>())
      << "task attempts still running = task ids started and never ended";
  EXPECT_EQ(static_cast<int64_t>(app.tasks.size()), ended + running);

  // Jobs.
  // A JobEnd without its JobStart occurs in real, trimmed logs; the model keeps such a job
  // (without submission time or stages). A started job has its stages (every Spark job has at
  // least its result stage) and, since Spark 1.3, a submission time.
  int64_t jobs_failed = 0, jobs_started = 0, jobs_ended = 0;
  for (const auto& [id, job] : app.jobs) {
    jobs_failed += job.status == JobStatus::kFailed;
    jobs_ended += job.status == JobStatus::kSucceeded || job.status == JobStatus::kFailed;
    jobs_started += job.submission_time != kNoTime || !job.stage_ids.empty();
  }
  EXPECT_EQ(static_cast<int64_t>(app.jobs.size()), j["jobs"].get<int64_t>())
      << "jobs (named by JobStart or JobEnd)";
  EXPECT_EQ(jobs_started, j["jobs_started"].get<int64_t>()) << "jobs started";
  EXPECT_EQ(jobs_ended, j["jobs_ended"].get<int64_t>()) << "jobs ended";
  EXPECT_EQ(jobs_failed, j["jobs_failed"].get<int64_t>()) << "failed jobs";

  // Stage attempts: the (stage, attempt) pairs that StageSubmitted, StageCompleted and JobStart
  // Stage Infos name (the History Server ignores tasks of a stage it does not know).
  int64_t failed_stages = 0, failed_status = 0;
  for (const auto& [key, stage] : app.stages) {
    failed_stages += stage.failure_reason.has_value();
    failed_status += stage.status == StageStatus::kFailed;
  }
  EXPECT_EQ(static_cast<int64_t>(app.stages.size()), j["stage_attempts"].get<int64_t>())
      << "stage attempts named by stage events and JobStart Stage Infos (with the pairs that "
         "only tasks name: "
      << j["stage_attempts_with_tasks"].get<int64_t>() << ")";
  EXPECT_EQ(failed_stages, j["failed_stage_attempts"].get<int64_t>())
      << "stage attempts with a Failure Reason";
  EXPECT_EQ(failed_status, j["failed_stage_attempts"].get<int64_t>())
      << "stage attempts with status FAILED";

  // Executors (not the driver). The model makes an executor of every id that ExecutorAdded,
  // ExecutorRemoved or a BlockManager event names.
  std::set<std::string> all, removed;
  std::map<std::string, int64_t> removed_reasons;
  for (const auto& [id, x] : app.executors) {
    if (IsDriver(id)) continue;
    all.insert(id);
    if (x.remove_reason) {
      removed.insert(id);
      ++removed_reasons[*x.remove_reason];
    }
  }
  EXPECT_EQ(Show(all), Show(ToStringSet(j["executors_all"]))) << "executors";
  std::set<std::string> added = ToStringSet(j["executors_added"]);
  for (const std::string& id : added) {
    auto it = app.executors.find(id);
    ASSERT_NE(it, app.executors.end()) << "executor " << id << " added but not in the model";
    EXPECT_NE(it->second.add_time, kNoTime) << "executor " << id << " has no add time";
  }
  EXPECT_EQ(Show(removed), Show(ToStringSet(j["executors_removed"]))) << "removed executors";
  EXPECT_EQ(Show(removed_reasons), Show(ToCountMap(j["executor_removed_reasons"])))
      << "removed executors by reason";

  // Exclusions, de-duplicated.
  std::map<std::string, int64_t> exclusion_kinds;
  for (const ExclusionEvent& e : app.exclusions) ++exclusion_kinds[ExclusionKindName(e.kind)];
  EXPECT_EQ(static_cast<int64_t>(app.exclusions.size()), j["exclusions"].get<int64_t>())
      << "exclusions (" << j["exclusion_events_raw"].get<int64_t>() << " events before "
      << "removing Blacklisted/Excluded twins)";
  EXPECT_EQ(Show(exclusion_kinds), Show(ToCountMap(j["exclusion_kinds"]))) << "exclusions by kind";

  // SQL executions and streaming queries.
  int64_t sql_started = 0;
  for (const auto& [id, q] : app.sql_executions) sql_started += q.start_time != kNoTime;
  EXPECT_EQ(static_cast<int64_t>(app.sql_executions.size()), j["sql_executions"].get<int64_t>())
      << "SQL executions (started or ended)";
  EXPECT_EQ(sql_started, j["sql_executions_started"].get<int64_t>()) << "SQL executions started";
  std::set<std::string> queries;
  for (const auto& [id, q] : app.streaming_queries) queries.insert(id);
  EXPECT_EQ(Show(queries), Show(ToStringSet(j["streaming_query_ids"]))) << "streaming query ids";
}

// The finished twin (a plain log) of a log in a codec Python cannot decode.
std::optional<std::string> TwinOf(const std::string& rel) {
  static const std::pair<const char*, const char*> kTwins[] = {
      {"spark-codecs/app-20161116163331-0000.", "spark-2.4-tests/app-20161116163331-0000"},
      {"spark-codecs/application_1603128018386_7846.",
       "rapids-profiling/tasks_executors_fail_compressed_eventlog.zstd"},
      {"spark-codecs/eventlog_v2_local-1430917381534", "spark-2.4-tests/local-1430917381534"},
  };
  for (const auto& [prefix, twin] : kTwins) {
    if (rel.rfind(prefix, 0) == 0) return twin;
  }
  return std::nullopt;
}

void CompareWithTwin(const LogCase& c, const Loaded& l) {
  std::optional<std::string> twin_rel = TwinOf(c.rel);
  ASSERT_TRUE(twin_rel) << c.rel << ": the script cannot read it and it has no plain twin";
  std::optional<LogSource> twin_src = DiscoverOne(*twin_rel);
  ASSERT_TRUE(twin_src) << "twin " << *twin_rel;
  Loaded twin;
  Load(*twin_src, &twin);
  ASSERT_TRUE(twin.status.ok()) << twin.status.ToString();
  Summary mine = Summarize(l.app, l.stats), theirs = Summarize(twin.app, twin.stats);
  if (!c.source.in_progress) {
    // Decompresses to exactly the twin's bytes: the same model.
    for (const auto& [k, v] : theirs.counts)
      EXPECT_EQ(mine.counts[k], v) << k << " vs " << *twin_rel;
    EXPECT_EQ(mine.counts.size(), theirs.counts.size());
    for (const auto& [k, v] : theirs.other) EXPECT_EQ(mine.other[k], v) << k << " vs " << *twin_rel;
    EXPECT_FALSE(l.stats.truncated_tail);
    EXPECT_EQ(l.diags.total_errors(), twin.diags.total_errors()) << DiagnosticsText(l.diags);
    return;
  }
  // A prefix of the twin, cut mid-stream: a truncated tail or a clean end, nothing damaged,
  // and no figure above the finished log's.
  EXPECT_EQ(l.diags.total_errors(), 0u) << DiagnosticsText(l.diags);
  EXPECT_EQ(l.stats.malformed_lines, 0u);
  EXPECT_FALSE(l.app.completed);
  EXPECT_GT(l.stats.events, 0u);
  for (const auto& [k, v] : mine.counts) {
    auto it = theirs.counts.find(k);
    EXPECT_LE(v, it == theirs.counts.end() ? 0 : it->second) << k << " vs " << *twin_rel;
  }
  EXPECT_EQ(mine.other["app_id"], theirs.other["app_id"]);
  EXPECT_EQ(mine.other["name"], theirs.other["name"]);
  EXPECT_EQ(mine.other["user"], theirs.other["user"]);
  EXPECT_EQ(mine.other["start_time"], theirs.other["start_time"]);

  // The in-progress stream holds a prefix of the twin's lines: the script's figures for the
  // twin's first `decompressed_bytes` bytes must be the model's, including whether the last
  // line is cut (a truncated tail).
  if (ScriptUnavailable(*twin_src)) return;
  ASSERT_EQ(twin_src->files.size(), 1u);
  const LogFile& tf = twin_src->files[0];
  ASSERT_TRUE(tf.codec == Codec::kNone || tf.codec == Codec::kZstd) << tf.path;
  testing::ScratchDir scratch;
  fs::path prefix = scratch / (twin_src->app_id + ".inprogress");
  std::string cmd =
      fmt::format("{} {} | head -c {} > {}", tf.codec == Codec::kZstd ? "zstd -dc --" : "cat --",
                  ShellQuote(tf.path), l.stats.decompressed_bytes, ShellQuote(prefix.string()));
  ASSERT_EQ(testing::RunCommand(cmd), 0) << cmd;
  ASSERT_EQ(fs::file_size(prefix), l.stats.decompressed_bytes)
      << "the in-progress stream decodes to more bytes than its finished twin holds";
  SCOPED_TRACE("the first " + std::to_string(l.stats.decompressed_bytes) + " bytes of " +
               *twin_rel);
  json j = RunScript(prefix.string());
  ASSERT_FALSE(j.is_null());
  LogSource as_prefix = c.source;  // the same log, as far as app id and progress go
  CompareWithScript(as_prefix, l, j);
}

// ---------------------------------------------------------------------------------------
// The tests.

class CorpusCountsTest : public ::testing::TestWithParam<LogCase> {};

TEST_P(CorpusCountsTest, LoadsAndCountsMatchRawEvents) {
  const LogCase& c = GetParam();
  if (!c.skip.empty()) GTEST_SKIP() << c.skip;
  ASSERT_TRUE(c.error.empty()) << "discovering the corpus logs failed: " << c.error;

  Loaded l;
  Load(c.source, &l);  // must not crash, whatever the log holds
  if (c.rel == kDriverLog) {
    // A log4j text log: not an event log at all.
    ASSERT_FALSE(l.status.ok()) << "a driver's text log loaded as an event log";
    EXPECT_EQ(l.status.code(), StatusCode::kCorruption) << l.status.ToString();
    EXPECT_NE(l.status.message().find("not a Spark event log"), std::string::npos)
        << l.status.ToString();
    return;
  }
  ASSERT_TRUE(l.status.ok()) << l.status.ToString();
  EXPECT_EQ(l.stats.files, c.source.files.size());

  // Spark's lz4 / snappy / lzf stream formats: Python's standard library cannot decode them
  // (count_events.py says "skipped"), so the model is compared with the plain twin's.
  bool script_decodes =
      std::all_of(c.source.files.begin(), c.source.files.end(), [](const LogFile& f) {
        return f.codec == Codec::kNone || f.codec == Codec::kZstd || f.codec == Codec::kGzip;
      });
  if (!script_decodes) {
    CompareWithTwin(c, l);
    return;
  }
  if (auto why = ScriptUnavailable(c.source)) {
    GTEST_SKIP() << "loaded; comparison with raw events skipped: " << *why;
  }
  json j = RunScript(c.source.path);
  ASSERT_FALSE(j.is_null());
  ASSERT_FALSE(j.contains("skipped")) << j["skipped"];
  CompareWithScript(c.source, l, j);
  // A codec variant the script can read (zstd) is compared with its plain twin as well.
  if (TwinOf(c.rel)) CompareWithTwin(c, l);
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusCountsTest, ::testing::ValuesIn(CorpusLogs()),
                         [](const ::testing::TestParamInfo<LogCase>& info) {
                           return info.param.name;
                         });

// The driver's text log fails to load with a clear message even when named directly
// (discovery skips it inside a directory; a file named on its own is never sniffed).
TEST(CorpusFacts, DriverLogIsNotAnEventLog) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(path, std::string("eventlogs/") + kDriverLog);
  auto found = DiscoverLogs(path.string());
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->size(), 1u);
  Loaded l;
  Load((*found)[0], &l);
  ASSERT_FALSE(l.status.ok());
  EXPECT_EQ(l.status.code(), StatusCode::kCorruption) << l.status.ToString();
  EXPECT_NE(l.status.message().find("not a Spark event log"), std::string::npos)
      << l.status.ToString();
  EXPECT_EQ(l.diags.count(DiagnosticKind::kNotAnEventLog), 1u);
}

// malformed_json_eventlog.zstd is rp_sql_eventlog.zstd with one line corrupted.
TEST(CorpusFacts, MalformedJsonLogHasOneBadLineAndOtherwiseMatchesItsCleanTwin) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(bad_path,
                                 "eventlogs/rapids-profiling/malformed_json_eventlog.zstd");
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(good_path, "eventlogs/rapids-profiling/rp_sql_eventlog.zstd");
  auto bad_src = DiscoverOne("rapids-profiling/malformed_json_eventlog.zstd");
  auto good_src = DiscoverOne("rapids-profiling/rp_sql_eventlog.zstd");
  ASSERT_TRUE(bad_src && good_src);
  Loaded bad, good;
  Load(*bad_src, &bad);
  Load(*good_src, &good);
  ASSERT_TRUE(bad.status.ok()) << bad.status.ToString();
  ASSERT_TRUE(good.status.ok()) << good.status.ToString();

  EXPECT_EQ(bad.stats.malformed_lines, 1u);
  EXPECT_EQ(bad.diags.count(DiagnosticKind::kMalformedLine), 1u);
  std::optional<Diagnostic> diag;
  for (const Diagnostic& d : bad.diags.samples()) {
    if (d.kind == DiagnosticKind::kMalformedLine) diag = d;
  }
  ASSERT_TRUE(diag.has_value());
  EXPECT_GT(diag->line, 1u) << diag->ToString();
  EXPECT_GT(diag->offset, 0u) << diag->ToString();
  EXPECT_EQ(good.stats.malformed_lines, 0u);

  // The model's figures: the same, but for the one event lost.
  EXPECT_EQ(bad.stats.lines, good.stats.lines);
  EXPECT_EQ(bad.stats.events + 1, good.stats.events);
  Summary bs = Summarize(bad.app, bad.stats), gs = Summarize(good.app, good.stats);
  for (const auto& [k, v] : gs.counts) {
    // The lost event is the one on the corrupted line; the corruption changed the byte count.
    if (k == "read.events" || k == "read.malformed_lines" || k == "read.decompressed_bytes" ||
        k == "spark_properties") {
      continue;
    }
    EXPECT_EQ(bs.counts[k], v) << k;
  }

  if (ScriptUnavailable(*bad_src))
    GTEST_SKIP() << "comparison with raw events skipped: " << *ScriptUnavailable(*bad_src);
  json bj = RunScript(bad_src->path), gj = RunScript(good_src->path);
  ASSERT_FALSE(bj.is_null() || gj.is_null());
  ASSERT_EQ(bj["malformed_samples"].size(), 1u);
  EXPECT_EQ(diag->line, bj["malformed_samples"][0]["line"].get<uint64_t>());
  EXPECT_EQ(diag->offset, bj["malformed_samples"][0]["offset"].get<uint64_t>());
  // The raw event counts differ by exactly one event: the one on the corrupted line, whose
  // name the diagnostic's preview shows.
  std::map<std::string, int64_t> bc = ToCountMap(bj["event_counts"]);
  std::map<std::string, int64_t> gc = ToCountMap(gj["event_counts"]);
  std::map<std::string, int64_t> diff;
  for (const auto& [k, v] : gc) {
    if (v != bc[k]) diff[k] = v - bc[k];
  }
  for (const auto& [k, v] : bc) {
    if (!gc.count(k)) diff[k] = -v;
  }
  ASSERT_EQ(diff.size(), 1u) << Show(diff);
  EXPECT_EQ(diff.begin()->second, 1) << Show(diff);
  EXPECT_NE(diag->message.find("\"Event\":\"" + diff.begin()->first + "\""), std::string::npos)
      << "the lost event " << diff.begin()->first << " vs " << diag->message;
  EXPECT_EQ(bj["lines"], gj["lines"]);
  EXPECT_EQ(bj["events"].get<int64_t>() + 1, gj["events"].get<int64_t>());
}

TEST(CorpusFacts, IncorrectAppStatusLogHasNoApplicationStart) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(path, "eventlogs/rapids-e2e/incorrect_app_status_eventlog.zstd");
  Application app = testing::LoadOne(path);
  EXPECT_FALSE(app.has_application_start);
  EXPECT_GT(app.jobs.size() + app.tasks.size(), 0u) << "the rest of the log is still read";
}

TEST(CorpusFacts, StreamingLogHasAMicroBatchQuery) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(path, "eventlogs/rapids-e2e/streaming_eventlog.zstd");
  Application app = testing::LoadOne(path);
  ASSERT_FALSE(app.streaming_queries.empty());
  bool micro_batch = false;
  for (const auto& [id, q] : app.streaming_queries) {
    if (!q.IsContinuous() && (q.micro_batch_jobs || q.progress_events > 0)) micro_batch = true;
  }
  EXPECT_TRUE(micro_batch);
}

TEST(CorpusFacts, TruncatedAndMissingSqlEndLogsLoadAsOneAppEach) {
  for (const char* rel :
       {"rapids-qualification/truncated_eventlog", "rapids-qualification/join_missing_sql_end"}) {
    SCOPED_TRACE(rel);
    SPARKMEDIC_CORPUS_FILE_OR_SKIP(path, std::string("eventlogs/") + rel);
    auto found = DiscoverLogs(path.string());
    ASSERT_TRUE(found.ok()) << found.status().ToString();
    ASSERT_EQ(found->size(), 1u);
    Loaded l;
    Load((*found)[0], &l);
    ASSERT_TRUE(l.status.ok()) << l.status.ToString();
    EXPECT_TRUE(l.app.has_application_start);
    EXPECT_FALSE(l.app.app_id.empty());
    EXPECT_GT(l.stats.events, 0u);
  }
}

}  // namespace
}  // namespace sparkmedic
