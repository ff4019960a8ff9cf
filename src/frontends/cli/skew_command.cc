// `sparkmedic skew SOURCE`: per-stage task quantiles and skewed partitions (docs/skew.md).
#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "sparkmedic/skew.h"

#include "frontends/cli/commands.h"
#include "frontends/cli/sources.h"
#include "frontends/report/skew_report.h"

namespace sparkmedic::cli {
namespace {

struct SkewArgs {
  SourceArgs src;
  std::string format = "text";
  bool all_stages = false;
  double duration_ratio = 5.0;
  double duration_floor_s = 60;
  int min_tasks = 5;
  std::optional<double> factor;
  std::string threshold;
  std::string color = "auto";
};

int RunSkew(const SkewArgs& args) {
  SkewOptions opts;
  opts.duration_ratio = args.duration_ratio;
  opts.duration_floor_ms = static_cast<int64_t>(args.duration_floor_s * 1000);
  opts.min_tasks = args.min_tasks;
  opts.skewed_partition_factor = args.factor;
  if (!args.threshold.empty()) {
    std::optional<int64_t> t = ParseSparkBytes(args.threshold);
    if (!t) {
      fmt::print(stderr, "sparkmedic: --threshold {}: not a size (write e.g. 256m, 1g, 300MB)\n",
                 args.threshold);
      return kExitError;
    }
    opts.skewed_partition_threshold_bytes = *t;
  }
  bool color = UseColor(args.color);
  std::vector<SkewReport> reports;
  std::vector<std::string> ids;
  bool ok = ForEachApplication(args.src, [&](const LogSource&, const Application& app) {
    reports.push_back(AnalyzeSkew(app, opts));
    ids.push_back(app.app_id);
  });
  if (reports.empty()) return kExitError;
  if (args.format == "json") {
    nlohmann::ordered_json out;
    if (reports.size() == 1) {
      out = report::SkewJson(reports[0], args.all_stages);
      out["app_id"] = ids[0];
    } else {
      out = {{"schema", "sparkmedic.skew-list/v1"}, {"reports", nlohmann::ordered_json::array()}};
      for (size_t i = 0; i < reports.size(); ++i) {
        auto j = report::SkewJson(reports[i], args.all_stages);
        j["app_id"] = ids[i];
        out["reports"].push_back(std::move(j));
      }
    }
    fmt::print("{}\n", out.dump(2));
  } else {
    for (size_t i = 0; i < reports.size(); ++i) {
      if (reports.size() > 1) fmt::print("{}== {}\n", i ? "\n" : "", ids[i]);
      fmt::print("{}", args.format == "markdown"
                           ? report::SkewMarkdown(reports[i])
                           : report::SkewText(reports[i], args.all_stages, color));
    }
  }
  if (!ok) return kExitError;
  for (const SkewReport& r : reports) {
    if (r.num_skewed_stages > 0) return kExitFindings;
  }
  return kExitOk;
}

}  // namespace

std::function<int()> AddSkewCommand(CLI::App& app) {
  auto args = std::make_shared<SkewArgs>();
  CLI::App* cmd = app.add_subcommand(
      "skew",
      "Data skew per stage: quantiles of task duration, input and shuffle-read bytes; "
      "partitions skewed by Spark AQE's own rule (bytes > max(threshold, factor x median), "
      "from the app's conf) or by duration; AQE settings to change. Exit code 0 when no stage "
      "is skewed, 1 when some is, 2 on error.");
  AddSourceOptions(cmd, &args->src);
  cmd->add_option("--format", args->format, "Output format")
      ->check(CLI::IsMember({"text", "json", "markdown"}))
      ->capture_default_str();
  cmd->add_flag("--all-stages", args->all_stages, "List every judged stage, not only skewed ones");
  cmd->add_option("--duration-ratio", args->duration_ratio,
                  "Time rule: a task this many times the median duration ...")
      ->capture_default_str();
  cmd->add_option("--duration-floor", args->duration_floor_s,
                  "... and at least this many seconds is skewed")
      ->capture_default_str();
  cmd->add_option("--min-tasks", args->min_tasks, "Judge stages with at least this many tasks")
      ->capture_default_str();
  cmd->add_option("--factor", args->factor,
                  "Override spark.sql.adaptive.skewJoin.skewedPartitionFactor");
  cmd->add_option("--threshold", args->threshold,
                  "Override spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes (e.g. "
                  "256m)");
  cmd->add_option("--color", args->color, "Colour: auto, always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  return [args] { return RunSkew(*args); };
}

}  // namespace sparkmedic::cli
