#include "frontends/cli/sources.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

#include "frontends/cli/progress.h"
#include "sparkmedic/discovery.h"

namespace sparkmedic::cli {

bool ForEachApplication(const SourceArgs& args,
                        const std::function<void(const LogSource&, const Application&)>& fn) {
  Result<std::vector<LogSource>> found = DiscoverLogs(args.source);
  if (!found.ok()) {
    fmt::print(stderr, "sparkmedic: {}\n", found.status().ToString());
    return false;
  }
  bool ok = true;
  size_t matched = 0;
  for (const LogSource& src : *found) {
    auto matches = [&](const std::string& app_id) {
      return args.app.empty() || app_id == args.app ||
             src.path.find(args.app) != std::string::npos;
    };
    if (!args.app.empty() && !src.app_id.empty() && !matches(src.app_id)) continue;
    LoadOptions opts;
    opts.strict = args.strict;
    opts.threads = args.threads;
    auto progress = MaybeProgress(src.path, src.total_size);
    opts.progress = progress.get();
    DiagnosticCollector diags;
    Result<Application> app = LoadApplication(src, opts, &diags, nullptr);
    if (!app.ok()) {
      fmt::print(stderr, "sparkmedic: {}\n", app.status().ToString());
      ok = false;
      continue;
    }
    if (!matches(app->app_id)) continue;
    ++matched;
    if (diags.total_errors() > 0) {
      fmt::print(stderr,
                 "sparkmedic: {}: {} damaged line(s) or stream(s) skipped; `sparkmedic info` "
                 "shows where\n",
                 src.path, diags.total_errors());
    }
    fn(src, *app);
  }
  if (matched == 0 && ok) {
    fmt::print(stderr, "sparkmedic: {}: no {}event log found\n", args.source,
               args.app.empty() ? "" : "matching --app " + args.app + " ");
    return false;
  }
  return ok;
}

bool UseColor(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  return ::isatty(STDOUT_FILENO);
}

void AddSourceOptions(CLI::App* cmd, SourceArgs* args) {
  cmd->add_option("SOURCE", args->source,
                  "An event log file, a rolling eventlog_v2_* directory, a Spark 1.x or "
                  "Databricks log directory, or a directory of logs")
      ->required();
  cmd->add_option("--app", args->app, "Only the application with this id (or path part)");
  cmd->add_flag("--strict", args->strict, "Fail on the first damaged line or stream");
  cmd->add_option("--threads", args->threads, "Parser threads (0 = all cores)")
      ->capture_default_str();
}

}  // namespace sparkmedic::cli
