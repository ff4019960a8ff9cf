// sparkmedic-gen: writes deterministic Spark 3.5 / 4.x event logs with injected failures.
// Flags become Options (a --scenario preset first, then every explicitly given flag on top);
// the library does the rest. Exit codes: 0 ok (also on a closed stdout pipe), 2 usage or I/O
// error.
#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "gen_eventlog/generator.h"
#include "gen_eventlog/spark_texts.h"

namespace gen = sparkmedic::gen;

namespace {

std::string Footer() {
  std::string s = "\nSCENARIOS (--scenario NAME; explicit flags override the preset):\n";
  for (const std::string& name : gen::ScenarioNames()) {
    s += fmt::format("  {:<24}{}\n", name, gen::ScenarioDescription(name));
  }
  s += "\nINJECTED FAILURES\n" + gen::InjectHelp();
  s += "\nOUTPUT: plain, --codec zstd (a frame closed at every event Spark flushes, or every\n"
       "--flush-every N lines) or gzip; --rolling-max-bytes B writes eventlog_v2_<app>/ with\n"
       "events_<n>_<app>[.zstd] and appstatus_<app>; --in-progress stops early, keeps\n"
       ".inprogress names and cuts the last line. lz4/snappy/lzf: feed the plain output to\n"
       "scripts/codecgen.sh (Spark's Java codecs, see docs/generator.md).\n"
       "\nEXIT CODES: 0 success, 2 bad flags or I/O error.\n";
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{
      "Generate a deterministic Spark event log (Spark 3.5 / 4.x on Kubernetes) with "
      "injected failures and a ground-truth manifest."};
  app.footer(Footer());
  gen::Options o;
  std::string scenario, codec = "none", flush = "spark";
  std::vector<std::string> injects;
  bool list_exceptions = false, no_aqe = false, no_cut = false;
  app.add_option("-o,--output", o.output, "File, directory or - for stdout")->capture_default_str();
  app.add_option("--manifest", o.manifest_path, "Write the ground-truth manifest JSON here");
  app.add_option("--scenario", scenario, "Preset (see SCENARIOS)")
      ->check(CLI::IsMember(gen::ScenarioNames()));
  app.add_option("--seed", o.seed, "Random seed; same flags + seed = same bytes")
      ->capture_default_str();
  app.add_option("--spark-version", o.spark_version, "3.5.x or 4.x shapes")->capture_default_str();
  auto* tasks = app.add_option("--tasks", o.tasks, "Target task attempts (first attempts)")
                    ->capture_default_str();
  auto* stages = app.add_option("--stages", o.stages, "Total stages (default: tasks / partitions)");
  auto* parts = app.add_option("--partitions-per-stage", o.partitions_per_stage,
                               "Tasks per stage (default 200 or fewer)");
  auto* spq = app.add_option("--stages-per-query", o.stages_per_query, "Stages per SQL query (1-6)")
                  ->capture_default_str();
  auto* execs =
      app.add_option("--executors", o.executors, "Executors at start")->capture_default_str();
  auto* hosts = app.add_option("--hosts", o.hosts, "Hosts shared by executors (0: one pod IP each)")
                    ->capture_default_str();
  auto* cores = app.add_option("--cores", o.cores, "Cores per executor")->capture_default_str();
  auto* maxf = app.add_option("--max-failures", o.max_failures,
                              "spark.task.maxFailures (written when given)");
  app.add_option("--inject", injects,
                 "Failure items KIND[:ARG]=AMOUNT[@TARGET], comma-separated, repeatable");
  auto* excl =
      app.add_flag("--exclude-on-failure", o.exclude_on_failure, "Enable spark.excludeOnFailure");
  auto* da = app.add_flag("--dynamic-allocation", o.dynamic_allocation,
                          "Idle executors are removed and re-added");
  app.add_flag("--no-aqe", no_aqe, "One job per query instead of one job per query stage");
  auto* skewp = app.add_option("--skew-partitions", o.skew_partitions,
                               "Skewed partitions in one shuffle-reading stage");
  auto* skewf = app.add_option("--skew-factor", o.skew_factor, "Skewed partition size / median");
  auto* batches =
      app.add_option("--micro-batches", o.micro_batches, "Batches of the micro-batch scenario");
  app.add_option("--app-name", o.app_name, "Application name");
  app.add_option("--app-id", o.app_id, "Application id (default spark-<hex> from the seed)");
  app.add_option("--start-time", o.start_time_ms, "Application start, epoch ms")
      ->capture_default_str();
  app.add_option("--codec", codec, "none | zstd | gzip")
      ->check(CLI::IsMember({"none", "zstd", "gzip"}));
  app.add_option("--flush-every", flush, "spark (frame per flushing event) or N lines")
      ->capture_default_str();
  app.add_option("--rolling-max-bytes", o.rolling_max_bytes,
                 "Roll event files at B uncompressed bytes");
  app.add_flag("--in-progress", o.in_progress, "Stop early and leave an in-progress log");
  app.add_option("--stop-at", o.stop_at, "In-progress: fraction of planned task attempts")
      ->capture_default_str();
  app.add_flag("--no-cut", no_cut, "In-progress: end at a line boundary");
  app.add_flag("--list-exceptions", list_exceptions, "List the exception catalogue keys");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (list_exceptions) {
    std::fputs(gen::ExceptionCatalogueHelp().c_str(), stdout);
    return 0;
  }
  gen::Options flags = o;  // explicit values, applied over the preset below
  if (!scenario.empty()) {
    o = gen::Options{};
    sparkmedic::Status st = gen::ApplyScenario(scenario, &o);
    if (!st.ok()) return std::fprintf(stderr, "sparkmedic-gen: %s\n", st.message().c_str()), 2;
    o.output = flags.output;
    o.manifest_path = flags.manifest_path;
    o.seed = flags.seed;
    o.spark_version = flags.spark_version;
    o.app_name = flags.app_name;
    o.app_id = flags.app_id;
    o.start_time_ms = flags.start_time_ms;
    o.rolling_max_bytes = flags.rolling_max_bytes;
    o.in_progress = flags.in_progress;
    o.stop_at = flags.stop_at;
    if (tasks->count()) o.tasks = flags.tasks;
    if (stages->count()) o.stages = flags.stages;
    if (parts->count()) o.partitions_per_stage = flags.partitions_per_stage;
    if (spq->count()) o.stages_per_query = flags.stages_per_query;
    if (execs->count()) o.executors = flags.executors;
    if (hosts->count()) o.hosts = flags.hosts;
    if (cores->count()) o.cores = flags.cores;
    if (excl->count()) o.exclude_on_failure = true;
    if (da->count()) o.dynamic_allocation = true;
    if (skewp->count()) o.skew_partitions = flags.skew_partitions;
    if (skewf->count()) o.skew_factor = flags.skew_factor;
    if (batches->count()) o.micro_batches = flags.micro_batches;
  }
  if (maxf->count()) {
    o.max_failures = flags.max_failures;
    o.max_failures_set = true;
  }
  if (no_aqe) o.aqe = false;
  o.cut_last_line = !no_cut;
  o.codec = codec == "zstd"   ? gen::Codec::kZstd
            : codec == "gzip" ? gen::Codec::kGzip
                              : gen::Codec::kNone;
  o.flush_every = flush == "spark" ? 0 : std::atoll(flush.c_str());
  for (const std::string& item : injects) {
    sparkmedic::Status st = gen::ParseInjectList(item, &o.injects);
    if (!st.ok())
      return std::fprintf(stderr, "sparkmedic-gen: --inject: %s\n", st.message().c_str()), 2;
  }
  sparkmedic::Status st = gen::GenerateToOutput(o, nullptr);
  if (!st.ok()) {
    if (st.message() == "broken pipe") return 0;
    std::fprintf(stderr, "sparkmedic-gen: %s\n", st.ToString().c_str());
    return 2;
  }
  return 0;
}
