// Subcommands of the sparkmedic CLI. Each lives in its own file: its flags, help and Run().
#ifndef SPARKMEDIC_FRONTENDS_CLI_COMMANDS_H_
#define SPARKMEDIC_FRONTENDS_CLI_COMMANDS_H_

#include <functional>

#include <CLI/CLI.hpp>

namespace sparkmedic::cli {

// Exit codes, documented in --help.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1;  // the command found what it looks for (e.g. failures)
inline constexpr int kExitError = 2;     // bad input or usage; nothing trustworthy was produced

// Registers a subcommand on `app`; returns the function that runs it after parsing.
std::function<int()> AddInfoCommand(CLI::App& app);
std::function<int()> AddDiagnoseCommand(CLI::App& app);
std::function<int()> AddSkewCommand(CLI::App& app);
std::function<int()> AddServeCommand(CLI::App& app);

}  // namespace sparkmedic::cli

#endif  // SPARKMEDIC_FRONTENDS_CLI_COMMANDS_H_
