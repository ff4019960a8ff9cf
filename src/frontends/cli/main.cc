// sparkmedic: diagnose failing Spark applications from their event logs.
// main only wires subcommands and maps outcomes to exit codes; the work is in the library.
#include <csignal>
#include <cstdio>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "frontends/cli/commands.h"

int main(int argc, char** argv) {
  // A closed pipe (sparkmedic info ... | head) ends the program quietly.
  std::signal(SIGPIPE, SIG_DFL);
  CLI::App app{
      "sparkmedic: finds why Spark tasks fail, from event logs (any codec or layout, finished "
      "or still being written).\n\nExit codes: 0 success; 1 the command found what it looks "
      "for (e.g. failures); 2 error (bad input or usage)."};
  app.require_subcommand(1);
  app.set_version_flag("--version", "sparkmedic 0.1.0");
  auto run_info = sparkmedic::cli::AddInfoCommand(app);
  auto run_diagnose = sparkmedic::cli::AddDiagnoseCommand(app);
  auto run_skew = sparkmedic::cli::AddSkewCommand(app);
  auto run_serve = sparkmedic::cli::AddServeCommand(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : sparkmedic::cli::kExitError;
  }
  for (CLI::App* sub : app.get_subcommands()) {
    if (sub->get_name() == "info") return run_info();
    if (sub->get_name() == "diagnose") return run_diagnose();
    if (sub->get_name() == "skew") return run_skew();
    if (sub->get_name() == "serve") return run_serve();
  }
  return sparkmedic::cli::kExitError;
}
