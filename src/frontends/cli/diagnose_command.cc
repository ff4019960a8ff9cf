// `sparkmedic diagnose SOURCE`: why tasks fail, where, and whether retries can help.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "frontends/cli/commands.h"
#include "frontends/cli/progress.h"
#include "frontends/report/diagnosis_report.h"
#include "sparkmedic/classify.h"
#include "sparkmedic/diagnosis.h"
#include "sparkmedic/discovery.h"
#include "sparkmedic/loader.h"

namespace sparkmedic::cli {
namespace {

struct DiagnoseArgs {
  std::string source;
  std::string format = "text";
  std::string app;
  bool strict = false;
  int threads = 0;
  std::vector<std::string> app_packages;
  std::string color = "auto";
};

bool UseColor(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  return ::isatty(STDOUT_FILENO);
}

int RunDiagnose(const DiagnoseArgs& args) {
  Result<std::vector<LogSource>> found = DiscoverLogs(args.source);
  if (!found.ok()) {
    fmt::print(stderr, "sparkmedic: {}\n", found.status().ToString());
    return kExitError;
  }
  std::unique_ptr<Classifier> classifier = Classifier::Create();
  DiagnoseOptions dopts;
  dopts.app_packages = args.app_packages;
  std::vector<Diagnosis> results;
  bool any_error = false;
  for (const LogSource& src : *found) {
    if (!args.app.empty() && src.app_id != args.app &&
        src.path.find(args.app) == std::string::npos) {
      continue;
    }
    LoadOptions opts;
    opts.strict = args.strict;
    opts.threads = args.threads;
    auto progress = MaybeProgress(src.path, src.total_size);
    opts.progress = progress.get();
    DiagnosticCollector diags;
    Result<Application> app = LoadApplication(src, opts, &diags, nullptr);
    if (!app.ok()) {
      fmt::print(stderr, "sparkmedic: {}\n", app.status().ToString());
      any_error = true;
      continue;
    }
    if (!args.app.empty() && app->app_id != args.app && src.path.find(args.app) == std::string::npos) {
      continue;
    }
    if (diags.total_errors() > 0) {
      fmt::print(stderr,
                 "sparkmedic: {}: {} damaged line(s) or stream(s) skipped; run `sparkmedic info` "
                 "for their places\n",
                 src.path, diags.total_errors());
    }
    results.push_back(Diagnose(*app, *classifier, dopts));
  }
  if (results.empty()) {
    if (!any_error) {
      fmt::print(stderr, "sparkmedic: {}: no {}event log found\n", args.source,
                 args.app.empty() ? "" : "matching --app " + args.app + " ");
    }
    return kExitError;
  }
  if (args.format == "json") {
    if (results.size() == 1) {
      fmt::print("{}\n", report::DiagnosisJson(results[0]).dump(2));
    } else {
      nlohmann::ordered_json list = {{"schema", "sparkmedic.diagnosis-list/v1"},
                                     {"diagnoses", nlohmann::ordered_json::array()}};
      for (const Diagnosis& d : results) list["diagnoses"].push_back(report::DiagnosisJson(d));
      fmt::print("{}\n", list.dump(2));
    }
  } else {
    bool color = UseColor(args.color);
    for (size_t i = 0; i < results.size(); ++i) {
      if (i) fmt::print("\n");
      fmt::print("{}", args.format == "markdown" ? report::DiagnosisMarkdown(results[i])
                                                  : report::DiagnosisText(results[i], color));
    }
  }
  if (any_error) return kExitError;
  for (const Diagnosis& d : results) {
    if (d.verdict != Verdict::kHealthy) return kExitFindings;
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
  cmd->add_option("SOURCE", args->source,
                  "An event log file, a rolling eventlog_v2_* directory, or a directory of logs")
      ->required();
  cmd->add_option("--app", args->app, "Only the application with this id (or path part)");
  cmd->add_option("--format", args->format, "Output format")
      ->check(CLI::IsMember({"text", "json", "markdown"}))
      ->capture_default_str();
  cmd->add_option("--app-package", args->app_packages,
                  "Package prefix of the application's own code (e.g. com.example.), to tell "
                  "its exceptions from the framework's; repeatable");
  cmd->add_option("--color", args->color, "Colour the text output (auto: on a terminal, unless "
                                          "NO_COLOR is set)")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  cmd->add_flag("--strict", args->strict, "Fail on the first damaged line or stream");
  cmd->add_option("--threads", args->threads, "Parser threads (0 = all cores)")
      ->capture_default_str();
  return [args] { return RunDiagnose(*args); };
}

}  // namespace sparkmedic::cli
