#include "frontends/cli/sources.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>
#include <unistd.h>

#include "sparkmedic/discovery.h"
#include "sparkmedic/live_source.h"
#include "sparkmedic/token_file.h"

#include "frontends/cli/progress.h"

namespace sparkmedic::cli {
namespace {

// SOURCE is a REST API: one application, built page by page.
bool ForLiveApplication(const SourceArgs& args,
                        const std::function<void(const LogSource&, const Application&)>& fn) {
  LiveSourceOptions opts;
  opts.timeout_ms = static_cast<int>(args.timeout_s * 1000);
  opts.concurrency = std::max(1, args.concurrency);
  opts.retries = std::max(0, args.retries);
  opts.task_page_size = std::max(1, args.page_size);
  opts.ca_cert_file = args.ca_cert;
  if (!args.token_file.empty()) {
    Result<std::string> token = ReadBearerTokenFile(args.token_file);
    if (!token.ok()) {
      fmt::print(stderr, "sparkmedic: --token-file: {}\n", token.status().ToString());
      return false;
    }
    opts.bearer_token = std::move(*token);
  }
  Result<std::vector<AppSummary>> apps = ListLiveApplications(args.source, opts);
  if (!apps.ok()) {
    fmt::print(stderr, "sparkmedic: {}\n", apps.status().ToString());
    return false;
  }
  if (apps->empty()) {
    fmt::print(stderr, "sparkmedic: {}: the server lists no applications\n", args.source);
    return false;
  }
  auto list_ids = [&] {
    std::string ids;
    for (size_t i = 0; i < apps->size() && i < 10; ++i) ids += "\n  " + (*apps)[i].id;
    if (apps->size() > 10) ids += fmt::format("\n  ... ({} in all)", apps->size());
    return ids;
  };
  const AppSummary* chosen = nullptr;
  if (args.app.empty()) {
    if (apps->size() > 1) {
      fmt::print(stderr, "sparkmedic: {} serves {} applications; pick one with --app ID:{}\n",
                 args.source, apps->size(), list_ids());
      return false;
    }
    chosen = &apps->front();
  } else {
    for (const AppSummary& a : *apps) {
      if (a.id == args.app) chosen = &a;
    }
    if (!chosen) {
      fmt::print(stderr, "sparkmedic: {} has no application {}; it serves:{}\n", args.source,
                 args.app, list_ids());
      return false;
    }
  }
  const std::string app_id = chosen->id;
  const bool tty = ::isatty(STDERR_FILENO);
  if (tty) {
    opts.on_progress = [&](uint64_t done, uint64_t total) {
      fmt::print(stderr, "\r{}: {} / {} task attempts", app_id, done, total);
      std::fflush(stderr);
    };
  }
  // Every attempt, newest first (as the server lists them), like a directory of logs.
  bool ok = true;
  for (const AttemptSummary& attempt : chosen->attempts) {
    Result<Application> app = LoadLiveApplication(args.source, app_id, attempt.attempt_id, opts);
    if (tty) fmt::print(stderr, "\r\033[K");
    if (!app.ok()) {
      fmt::print(stderr, "sparkmedic: {}\n", app.status().ToString());
      ok = false;
      continue;
    }
    LogSource src;
    src.path = args.source;
    src.app_id = app->app_id;
    src.attempt_id = app->attempt_id;
    src.in_progress = !app->completed;
    fn(src, *app);
  }
  return ok;
}

}  // namespace

void PrintDiscoveryError(const Status& status, bool live_too) {
  fmt::print(stderr, "sparkmedic: {}\n", status.ToString());
  if (status.code() == StatusCode::kNotFound) {
    fmt::print(stderr,
               "sparkmedic: give an event log file, a rolling log directory (eventlog_v2_*) or "
               "a directory of event logs (the application's spark.eventLog.dir){}\n",
               live_too ? ", or a Spark REST URL (http://DRIVER:4040, http://HISTORY:18080)" : "");
  } else if (status.code() == StatusCode::kIOError &&
             status.message().find("Permission denied") != std::string::npos) {
    fmt::print(stderr, "sparkmedic: check that this user may read it (and list its directory)\n");
  }
}

bool ForEachApplication(const SourceArgs& args,
                        const std::function<void(const LogSource&, const Application&)>& fn) {
  if (IsLiveSource(args.source)) return ForLiveApplication(args, fn);
  Result<std::vector<LogSource>> found = DiscoverLogs(args.source);
  if (!found.ok()) {
    PrintDiscoveryError(found.status(), /*live_too=*/true);
    return false;
  }
  bool ok = true;
  size_t matched = 0;
  for (const LogSource& src : *found) {
    auto matches = [&](const std::string& app_id) {
      return args.app.empty() || app_id == args.app || src.path.find(args.app) != std::string::npos;
    };
    // No skipping by file name: a log's name need not be its app id (the History Server
    // trusts the ApplicationStart event too), so with --app every log is read and filtered.
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
                  "Databricks log directory, a directory of logs, or the REST API of a running "
                  "driver (http://HOST:4040) or History Server (http://HOST:18080)")
      ->required();
  cmd->add_option("--app", args->app, "Only the application with this id (or path part)");
  cmd->add_flag("--strict", args->strict, "Fail on the first damaged line or stream");
  cmd->add_option("--threads", args->threads, "Parser threads (0 = all cores)")
      ->capture_default_str();
  const char* kLive = "Live sources (SOURCE is http:// or https://)";
  cmd->add_option("--timeout", args->timeout_s, "Seconds to wait for one HTTP request")
      ->group(kLive)
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--concurrency", args->concurrency, "HTTP requests in flight")
      ->group(kLive)
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->add_option("--retries", args->retries,
                  "Further tries of a request that failed to connect, timed out or got 429/5xx "
                  "(exponential backoff from 250 ms)")
      ->group(kLive)
      ->check(CLI::Range(0, 20))
      ->capture_default_str();
  cmd->add_option("--page-size", args->page_size,
                  "Task attempts per taskList request (the API's own default of 20 hides tasks; "
                  "every page is fetched)")
      ->group(kLive)
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  cmd->add_option("--token-file", args->token_file,
                  "A file holding a bearer token sent as \"Authorization: Bearer ...\"")
      ->group(kLive)
      ->check(CLI::ExistingFile);
  cmd->add_option("--ca-cert", args->ca_cert, "https: trust this CA certificate (PEM)")
      ->group(kLive)
      ->check(CLI::ExistingFile);
}

}  // namespace sparkmedic::cli
