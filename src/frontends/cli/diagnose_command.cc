// `sparkmedic diagnose SOURCE`: why tasks fail, where, and whether retries can help.
#include <cstdio>
#include <cstdlib>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "sparkmedic/classify.h"
#include "sparkmedic/diagnosis.h"
#include "sparkmedic/discovery.h"
#include "sparkmedic/executor_logs.h"
#include "sparkmedic/loader.h"
#include "sparkmedic/skew.h"

#include "frontends/cli/commands.h"
#include "frontends/cli/sources.h"
#include "frontends/report/diagnosis_report.h"
#include "frontends/report/executor_logs_report.h"
#include "frontends/report/skew_report.h"

namespace sparkmedic::cli {
namespace {

struct DiagnoseArgs {
  SourceArgs src;
  std::string format = "text";
  std::vector<std::string> app_packages;
  std::string color = "auto";
  bool no_skew = false;
  std::string executor_logs;
};

struct Result1 {
  Diagnosis diagnosis;
  std::optional<SkewReport> skew;
  std::optional<ExecutorLogReport> logs;
  std::optional<ExecutorLogJoin> join;
};

int RunDiagnose(const DiagnoseArgs& args) {
  std::unique_ptr<Classifier> classifier = Classifier::Create();
  DiagnoseOptions dopts;
  dopts.app_packages = args.app_packages;
  std::vector<Result1> results;
  bool logs_failed = false;
  bool ok = ForEachApplication(args.src, [&](const LogSource&, const Application& app) {
    Result1 r{Diagnose(app, *classifier, dopts), std::nullopt, std::nullopt, std::nullopt};
    if (!args.no_skew) r.skew = AnalyzeSkew(app);
    if (!args.executor_logs.empty()) {
      ExecutorLogOptions xo;
      xo.app = &app;  // lets task ids attribute logs whose names do not say the executor
      Result<ExecutorLogReport> logs = ScanExecutorLogs(args.executor_logs, *classifier, xo);
      if (!logs.ok()) {
        fmt::print(stderr, "sparkmedic: --executor-logs: {}\n", logs.status().ToString());
        logs_failed = true;
      } else {
        r.join = JoinExecutorLogs(*logs, r.diagnosis);
        r.logs = std::move(logs.value());
      }
    }
    results.push_back(std::move(r));
  });
  if (logs_failed) return kExitError;
  if (results.empty()) return kExitError;
  auto json_of = [&](const Result1& r) {
    nlohmann::ordered_json j = report::DiagnosisJson(r.diagnosis);
    if (r.skew) j["skew"] = report::SkewJson(*r.skew, false);
    if (r.logs) report::AddExecutorLogsJson(*r.logs, *r.join, &j);
    return j;
  };
  if (args.format == "json") {
    if (results.size() == 1) {
      fmt::print("{}\n", json_of(results[0]).dump(2));
    } else {
      nlohmann::ordered_json list = {{"schema", "sparkmedic.diagnosis-list/v1"},
                                     {"diagnoses", nlohmann::ordered_json::array()}};
      for (const Result1& r : results) list["diagnoses"].push_back(json_of(r));
      fmt::print("{}\n", list.dump(2));
    }
  } else {
    bool color = UseColor(args.color);
    for (size_t i = 0; i < results.size(); ++i) {
      const Result1& r = results[i];
      if (i) fmt::print("\n");
      if (args.format == "markdown") {
        fmt::print("{}", report::DiagnosisMarkdown(r.diagnosis));
        if (r.skew && r.skew->num_skewed_stages > 0)
          fmt::print("\n{}", report::SkewMarkdown(*r.skew));
      } else {
        fmt::print("{}", report::DiagnosisText(r.diagnosis, color));
        if (r.logs) fmt::print("{}", report::ExecutorLogsText(*r.logs, *r.join, r.diagnosis));
        if (r.skew && r.skew->num_skewed_stages > 0) {
          fmt::print("\n{}", report::SkewText(*r.skew, false, color));
        }
      }
    }
  }
  if (!ok) return kExitError;
  for (const Result1& r : results) {
    if (r.diagnosis.verdict != Verdict::kHealthy) return kExitFindings;
  }
  return kExitOk;
}

}  // namespace

std::function<int()> AddDiagnoseCommand(CLI::App& app) {
  auto args = std::make_shared<DiagnoseArgs>();
  CLI::App* cmd = app.add_subcommand(
      "diagnose",
      "Why tasks fail: every failed attempt classified (the runbook's eight scenarios and "
      "more), where failures concentrate (executors, hosts, with a binomial test), partitions "
      "that fail on every attempt, the retry budget under Spark's own counting rules, and what "
      "to do. Exit code 0 when healthy, 1 when failures were found, 2 on error.");
  AddSourceOptions(cmd, &args->src);
  cmd->add_option("--format", args->format, "Output format")
      ->check(CLI::IsMember({"text", "json", "markdown"}))
      ->capture_default_str();
  cmd->add_option("--app-package", args->app_packages,
                  "Package prefix of the application's own code (e.g. com.example.), to tell "
                  "its exceptions from the framework's; repeatable");
  cmd->add_option("--color", args->color,
                  "Colour the text output (auto: on a terminal, unless NO_COLOR is set)")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  cmd->add_flag("--no-skew", args->no_skew, "Leave out the skew section");
  cmd->add_option("--executor-logs", args->executor_logs,
                  "Executor logs as `kubectl logs` writes them (a file or a directory; .gz "
                  "accepted): scanned with the same rules, counted per pattern and executor, "
                  "and shown next to each finding");
  return [args] { return RunDiagnose(*args); };
}

}  // namespace sparkmedic::cli
