// Loading every application a SOURCE argument names, for the analysis subcommands.
#ifndef SPARKMEDIC_FRONTENDS_CLI_SOURCES_H_
#define SPARKMEDIC_FRONTENDS_CLI_SOURCES_H_

#include <functional>
#include <string>

#include <CLI/CLI.hpp>

#include "sparkmedic/loader.h"

namespace sparkmedic::cli {

struct SourceArgs {
  std::string source;
  std::string app;  // only this app id (or a log whose path contains it)
  bool strict = false;
  int threads = 0;
  // Live sources (SOURCE is http:// or https://): the REST API client's settings.
  double timeout_s = 30;
  int concurrency = 4;
  int retries = 3;
  int page_size = 10000;
  std::string token_file;
  std::string ca_cert;
};

// Discovers and loads each log (or, for an http(s):// SOURCE, builds the model of the
// application --app names, or of the only one the server has, from its REST API); calls `fn`
// with each loaded application. Problems go to
// stderr as "sparkmedic: path:line: message". Returns false when something could not be
// loaded (or nothing matched), so the caller exits with kExitError.
bool ForEachApplication(const SourceArgs& args,
                        const std::function<void(const LogSource&, const Application&)>& fn);

// Prints why event logs could not be found at a path given on the command line
// ("sparkmedic: PATH: cannot stat: ...") and, for a missing or unreadable path, what to give
// instead. `live_too`: the command also takes a Spark REST URL.
void PrintDiscoveryError(const Status& status, bool live_too);

// Whether to colour stdout for a --color mode ("auto", "always", "never"): auto means a
// terminal, unless NO_COLOR is set.
bool UseColor(const std::string& mode);

// Adds SOURCE, --app, --strict, --threads and the live-source options to a subcommand.
void AddSourceOptions(CLI::App* cmd, SourceArgs* args);

}  // namespace sparkmedic::cli

#endif  // SPARKMEDIC_FRONTENDS_CLI_SOURCES_H_
