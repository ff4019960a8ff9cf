// `sparkmedic info SOURCE`: what a log holds and how reading it went.
#include <algorithm>
#include <cstdio>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sparkmedic/discovery.h"
#include "sparkmedic/loader.h"

#include "frontends/cli/commands.h"
#include "frontends/cli/progress.h"
#include "frontends/cli/sources.h"

namespace sparkmedic::cli {
namespace {

using nlohmann::ordered_json;

struct InfoArgs {
  std::string source;
  std::string format = "text";
  bool strict = false;
  int threads = 0;
};

ordered_json TimeJson(TimeMs t) { return t == kNoTime ? ordered_json(nullptr) : ordered_json(t); }

ordered_json SummarizeApp(const Application& app) {
  ordered_json j;
  std::map<std::string, uint64_t> failed_by, killed_by;
  uint64_t success = 0, failed = 0, killed = 0, running = 0, speculative = 0;
  for (const TaskAttempt& t : app.tasks) {
    if (t.speculative) ++speculative;
    switch (t.end) {
      case TaskEndKind::kRunning:
        ++running;
        break;
      case TaskEndKind::kSuccess:
        ++success;
        break;
      case TaskEndKind::kTaskKilled:
      case TaskEndKind::kTaskCommitDenied:
        ++killed;
        ++killed_by[TaskEndKindName(t.end)];
        break;
      default:
        ++failed;
        ++failed_by[TaskEndKindName(t.end)];
    }
  }
  uint64_t jobs_ok = 0, jobs_failed = 0, jobs_running = 0;
  for (const auto& [id, job] : app.jobs) {
    if (job.status == JobStatus::kSucceeded)
      ++jobs_ok;
    else if (job.status == JobStatus::kFailed)
      ++jobs_failed;
    else
      ++jobs_running;
  }
  std::map<std::string, uint64_t> stage_status;
  std::map<int32_t, int> attempts_per_stage;
  for (const auto& [key, st] : app.stages) {
    ++stage_status[StageStatusName(st.status)];
    ++attempts_per_stage[key.first];
  }
  uint64_t retried = 0;
  for (const auto& [id, n] : attempts_per_stage) retried += n > 1;
  uint64_t added = 0, removed = 0;
  std::map<std::string, uint64_t> removed_reasons;
  for (const auto& [id, x] : app.executors) {
    if (x.is_driver()) continue;
    ++added;
    if (x.remove_time != kNoTime) {
      ++removed;
      ++removed_reasons[x.remove_reason.value_or("")];
    }
  }
  j["app_id"] = app.app_id;
  j["attempt_id"] = app.attempt_id.empty() ? ordered_json(nullptr) : ordered_json(app.attempt_id);
  j["name"] = app.name;
  j["user"] = app.user;
  j["spark_version"] = app.spark_version;
  j["start_time"] = TimeJson(app.start_time);
  j["end_time"] = TimeJson(app.end_time);
  j["duration_ms"] = app.start_time != kNoTime && app.end_time != kNoTime
                         ? ordered_json(app.end_time - app.start_time)
                         : ordered_json(nullptr);
  j["completed"] = app.completed;
  j["exit_code"] = app.exit_code ? ordered_json(*app.exit_code) : ordered_json(nullptr);
  j["jobs"] = {{"total", app.jobs.size()},
               {"succeeded", jobs_ok},
               {"failed", jobs_failed},
               {"running", jobs_running}};
  j["stages"] = {{"stages", attempts_per_stage.size()},
                 {"attempts", app.stages.size()},
                 {"retried", retried},
                 {"by_status", stage_status}};
  j["tasks"] = {{"attempts", app.tasks.size()},
                {"succeeded", success},
                {"failed", failed},
                {"killed", killed},
                {"running", running},
                {"speculative", speculative},
                {"failed_by_reason", failed_by},
                {"killed_by_reason", killed_by}};
  j["executors"] = {{"added", added},
                    {"removed", removed},
                    {"removed_by_reason", removed_reasons},
                    {"exclusion_events", app.exclusions.size()}};
  j["sql_executions"] = app.sql_executions.size();
  ordered_json queries = ordered_json::array();
  for (const auto& [id, q] : app.streaming_queries) {
    queries.push_back({{"id", q.id},
                       {"name", q.name ? ordered_json(*q.name) : ordered_json(nullptr)},
                       {"mode", q.IsContinuous() ? "continuous" : "micro-batch"},
                       {"progress_events", q.progress_events}});
  }
  j["streaming_queries"] = queries;
  return j;
}

ordered_json ReadJson(const ReadStats& s, const DiagnosticCollector& diags) {
  double mbps = s.seconds > 0 ? static_cast<double>(s.decompressed_bytes) / 1e6 / s.seconds : 0;
  ordered_json counts = ordered_json::object();
  for (int i = 0; i < kNumDiagnosticKinds; ++i) {
    auto kind = static_cast<DiagnosticKind>(i);
    if (diags.count(kind)) counts[DiagnosticKindName(kind)] = diags.count(kind);
  }
  ordered_json samples = ordered_json::array();
  for (const Diagnostic& d : diags.samples()) {
    samples.push_back({{"kind", DiagnosticKindName(d.kind)},
                       {"path", d.path},
                       {"line", d.line},
                       {"offset", d.offset},
                       {"message", d.message}});
  }
  ordered_json unknown = ordered_json::object();
  for (const auto& [name, n] : diags.unknown_event_names()) unknown[name] = n;
  return {{"files", s.files},
          {"raw_bytes", s.raw_bytes},
          {"decompressed_bytes", s.decompressed_bytes},
          {"lines", s.lines},
          {"events", s.events},
          {"ignored_events", s.ignored_events},
          {"unknown_events", s.unknown_events},
          {"unknown_event_names", unknown},
          {"malformed_lines", s.malformed_lines},
          {"missing_field_events", s.missing_field_events},
          {"truncated_tail", s.truncated_tail},
          {"seconds", s.seconds},
          {"mb_per_s", mbps},
          {"diagnostics", counts},
          {"diagnostic_samples", samples}};
}

std::string Duration(const ordered_json& ms) {
  if (ms.is_null()) return "unknown";
  double s = ms.get<double>() / 1000.0;
  if (s < 120) return fmt::format("{:.1f} s", s);
  if (s < 7200) return fmt::format("{:.1f} min", s / 60);
  return fmt::format("{:.1f} h", s / 3600);
}

std::string MapText(const ordered_json& m) {
  std::string out;
  for (auto it = m.begin(); it != m.end(); ++it) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{} {}", it.key(), it.value().dump());
  }
  return out.empty() ? "none" : out;
}

void PrintText(const ordered_json& doc) {
  for (const auto& app : doc["applications"]) {
    fmt::print("Application {} \"{}\" ({} attempt{})\n", app["app_id"].get<std::string>(),
               app["name"].get<std::string>(), app["attempts"].size(),
               app["attempts"].size() == 1 ? "" : "s");
    for (const auto& a : app["attempts"]) {
      std::string attempt = a["attempt_id"].is_null() ? "-" : a["attempt_id"].get<std::string>();
      fmt::print("  attempt {}  {}  ({}, {})\n", attempt, a["path"].get<std::string>(),
                 a["layout"].get<std::string>(),
                 a["in_progress"].get<bool>() ? "in progress" : "finished");
      if (a.contains("error")) {
        fmt::print("    error: {}\n", a["error"].get<std::string>());
        continue;
      }
      fmt::print("    Spark {}, user {}, {}, {}\n", a["spark_version"].get<std::string>(),
                 a["user"].get<std::string>(), Duration(a["duration_ms"]),
                 a["completed"].get<bool>() ? "completed" : "not completed");
      const auto& j = a["jobs"];
      fmt::print("    jobs       {} ({} succeeded, {} failed, {} running)\n", j["total"].dump(),
                 j["succeeded"].dump(), j["failed"].dump(), j["running"].dump());
      const auto& s = a["stages"];
      fmt::print("    stages     {} in {} attempts ({} retried); {}\n", s["stages"].dump(),
                 s["attempts"].dump(), s["retried"].dump(), MapText(s["by_status"]));
      const auto& t = a["tasks"];
      fmt::print("    tasks      {} attempts: {} succeeded, {} failed, {} killed, {} running\n",
                 t["attempts"].dump(), t["succeeded"].dump(), t["failed"].dump(),
                 t["killed"].dump(), t["running"].dump());
      fmt::print("      failed by reason: {}\n", MapText(t["failed_by_reason"]));
      fmt::print("      killed by reason: {}\n", MapText(t["killed_by_reason"]));
      const auto& x = a["executors"];
      fmt::print("    executors  {} added, {} removed ({}); {} exclusion events\n",
                 x["added"].dump(), x["removed"].dump(), MapText(x["removed_by_reason"]),
                 x["exclusion_events"].dump());
      if (!a["streaming_queries"].empty()) {
        for (const auto& q : a["streaming_queries"]) {
          fmt::print("    streaming  query {} ({})\n", q["id"].get<std::string>(),
                     q["mode"].get<std::string>());
        }
      }
      const auto& r = a["read"];
      fmt::print(
          "    read       {} file(s), {} bytes → {} bytes decoded, {} lines, {} events in {:.3f} "
          "s ({:.0f} MB/s)\n",
          r["files"].dump(), r["raw_bytes"].dump(), r["decompressed_bytes"].dump(),
          r["lines"].dump(), r["events"].dump(), r["seconds"].get<double>(),
          r["mb_per_s"].get<double>());
      fmt::print(
          "      malformed lines {}, unknown events {}, missing fields {}{}\n",
          r["malformed_lines"].dump(), r["unknown_events"].dump(), r["missing_field_events"].dump(),
          r["truncated_tail"].get<bool>() ? ", incomplete tail (log still being written)" : "");
      for (const auto& d : r["diagnostic_samples"]) {
        if (d["kind"] == "unknown-event") continue;
        fmt::print("      {}:{}: byte {}: {}: {}\n", d["path"].get<std::string>(), d["line"].dump(),
                   d["offset"].dump(), d["kind"].get<std::string>(),
                   d["message"].get<std::string>());
      }
    }
  }
}

int RunInfo(const InfoArgs& args) {
  Result<std::vector<LogSource>> found = DiscoverLogs(args.source);
  if (!found.ok()) {
    PrintDiscoveryError(found.status(), /*live_too=*/false);
    return kExitError;
  }
  if (found->empty()) {
    fmt::print(stderr,
               "sparkmedic: {}: no event logs found (expected Spark event log files, "
               "eventlog_v2_* directories or a directory holding them)\n",
               args.source);
    return kExitError;
  }
  // Group attempts under their application, in discovery order.
  ordered_json apps = ordered_json::array();
  std::map<std::string, size_t> app_index;
  bool any_error = false;
  for (const LogSource& src : *found) {
    DiagnosticCollector diags;
    ReadStats stats;
    LoadOptions opts;
    opts.strict = args.strict;
    opts.threads = args.threads;
    auto progress = MaybeProgress(src.path, src.total_size);
    opts.progress = progress.get();
    Result<Application> app = LoadApplication(src, opts, &diags, &stats);
    ordered_json attempt;
    std::string app_id = src.app_id, name;
    if (app.ok()) {
      attempt = SummarizeApp(*app);
      if (!app->app_id.empty()) app_id = app->app_id;
      name = app->name;
    } else {
      any_error = true;
      attempt["attempt_id"] =
          src.attempt_id.empty() ? ordered_json(nullptr) : ordered_json(src.attempt_id);
      attempt["error"] = app.status().ToString();
      fmt::print(stderr, "sparkmedic: {}\n", app.status().ToString());
    }
    attempt["path"] = src.path;
    attempt["layout"] = LogLayoutName(src.layout);
    attempt["in_progress"] = src.in_progress;
    attempt["read"] = ReadJson(stats, diags);
    auto [it, inserted] = app_index.try_emplace(app_id, apps.size());
    if (inserted) {
      apps.push_back({{"app_id", app_id}, {"name", name}, {"attempts", ordered_json::array()}});
    }
    apps[it->second]["attempts"].push_back(std::move(attempt));
  }
  ordered_json doc = {
      {"schema", "sparkmedic.info/v1"}, {"source", args.source}, {"applications", apps}};
  if (args.format == "json") {
    fmt::print("{}\n", doc.dump(2));
  } else {
    PrintText(doc);
  }
  return any_error ? kExitError : kExitOk;
}

}  // namespace

std::function<int()> AddInfoCommand(CLI::App& app) {
  auto args = std::make_shared<InfoArgs>();
  CLI::App* cmd = app.add_subcommand(
      "info",
      "Summarise event logs: applications, attempts, job/stage/task counts, failed and killed "
      "tasks by end reason, executors, and how reading went (bytes, events, malformed lines "
      "with their places, speed).");
  cmd->add_option("SOURCE", args->source,
                  "An event log file, a rolling eventlog_v2_* directory, a Spark 1.x or "
                  "Databricks log directory, or a directory holding many logs")
      ->required();
  cmd->add_option("--format", args->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_flag("--strict", args->strict,
                "Fail on the first malformed line, missing field or damaged stream instead of "
                "reporting it and reading on");
  cmd->add_option("--threads", args->threads, "Parser threads (0 = all cores)")
      ->capture_default_str();
  return [args] { return RunInfo(*args); };
}

}  // namespace sparkmedic::cli
