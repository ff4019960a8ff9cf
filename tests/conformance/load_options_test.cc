// The loader options the REST API uses: task accumulables and executor metric peaks are read
// only when asked for, and the default model is unchanged.
#include <gtest/gtest.h>

#include "sparkmedic/loader.h"

#include "testutil.h"

namespace sparkmedic {
namespace {

Application Load(const std::filesystem::path& p, const LoadOptions& o, ReadStats* stats) {
  auto logs = DiscoverLogs(p.string());
  EXPECT_TRUE(logs.ok());
  auto app = LoadApplication(logs->at(0), o, nullptr, stats);
  EXPECT_TRUE(app.ok()) << app.status().ToString();
  return std::move(*app);
}

TEST(LoadOptions, TaskAccumulablesOnlyWhenAsked) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(p, "eventlogs/spark-2.4-tests/local-1426533911241");
  ReadStats s1, s2;
  Application plain = Load(p, {}, &s1);
  EXPECT_TRUE(plain.task_accumulables.empty());
  LoadOptions o;
  o.keep_task_accumulables = true;
  Application with = Load(p, o, &s2);
  ASSERT_FALSE(with.task_accumulables.empty());
  const auto& accs = with.task_accumulables.begin()->second;
  ASSERT_EQ(accs.size(), 1u);
  EXPECT_EQ(accs[0].name, "my counter");
  EXPECT_TRUE(accs[0].update.has_value());
  EXPECT_EQ(plain.tasks.size(), with.tasks.size());
}

TEST(LoadOptions, TaskAccumulablesKeepOnlyWhatTheRestApiShows) {
  // Every task of this Spark 3 SQL log reports only internal accumulables (9,036 in all: its
  // metrics again); TaskData.accumulatorUpdates leaves internal ones out, so nothing is kept.
  // (The user accumulator of local-1426533911241 is kept: TaskAccumulablesOnlyWhenAsked.)
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(p, "eventlogs/rapids-profiling/rp_sql_eventlog.zstd");
  ReadStats s;
  LoadOptions o;
  o.keep_task_accumulables = true;
  Application app = Load(p, o, &s);
  ASSERT_GT(app.tasks.size(), 0u);
  EXPECT_TRUE(app.task_accumulables.empty()) << app.task_accumulables.size();
}

TEST(LoadOptions, ExecutorMetricsOnlyWhenAsked) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(p, "eventlogs/spark-2.4-tests/application_1506645932520_24630151");
  ReadStats s1, s2;
  Application plain = Load(p, {}, &s1);
  EXPECT_FALSE(plain.executors.at("driver").peak_metrics.set);
  LoadOptions o;
  o.keep_executor_metrics = true;
  Application with = Load(p, o, &s2);
  const PeakExecutorMetrics& m = with.executors.at("driver").peak_metrics;
  ASSERT_TRUE(m.set);
  EXPECT_EQ(std::string(kExecutorMetricNames[0]), "JVMHeapMemory");
  EXPECT_EQ(m.values[0], 629553808);  // the highest of the driver's StageExecutorMetrics
  EXPECT_EQ(s1.ignored_events, s2.ignored_events + 10);  // 10 StageExecutorMetrics now read
}

}  // namespace
}  // namespace sparkmedic
