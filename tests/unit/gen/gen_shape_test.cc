// The generator's JSON shapes against real Spark logs from the shared corpus: every key path
// Spark wrote must appear in the generated event of the same kind (catches typos and missing
// fields); for the Spark 4.2 log the generated keys must also not exceed Spark's, except for
// fields that log legitimately lacks. Skipped when the corpus is absent.
#include <map>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <zstd.h>

#include "gen_eventlog/generator.h"
#include "recount.h"
#include "testutil.h"

namespace sparkmedic::gen {
namespace {

using simdjson::dom::element;
using Shapes = std::map<std::string, std::set<std::string>>;

// Maps whose keys are data, not schema.
const std::set<std::string> kOpaque = {"Spark Properties",
                                       "Hadoop Properties",
                                       "System Properties",
                                       "Metrics Properties",
                                       "Classpath Entries",
                                       "Properties",
                                       "Executor Resource Requests",
                                       "Task Resource Requests",
                                       "Log Urls",
                                       "Attributes",
                                       "Resources",
                                       "sparkPlanInfo",
                                       "modifiedConfigs"};

void Collect(element e, const std::string& prefix, std::set<std::string>* out) {
  if (e.is_object()) {
    for (auto field : e.get_object()) {
      const std::string key(field.key);
      const std::string path = prefix + "/" + key;
      out->insert(path);
      if (!kOpaque.count(key)) Collect(field.value, path, out);
    }
  } else if (e.is_array()) {
    for (element child : e.get_array()) Collect(child, prefix + "[]", out);
  }
}

std::string KindOf(element doc) {
  std::string_view event;
  if (doc["Event"].get_string().get(event) != simdjson::SUCCESS) return "";
  std::string kind(event);
  if (kind == "SparkListenerTaskEnd") {
    std::string_view reason;
    if (doc["Task End Reason"]["Reason"].get_string().get(reason) == simdjson::SUCCESS) {
      kind += ":" + std::string(reason);
    }
  }
  return kind;
}

Shapes ShapesOf(const std::string& log) {
  Shapes shapes;
  testing::ForEachEvent(
      log, [&](element doc, std::string_view) { Collect(doc, "", &shapes[KindOf(doc)]); });
  return shapes;
}

std::string Unzstd(const std::string& in) {
  std::string out, buf(1 << 16, '\0');
  ZSTD_DCtx* d = ZSTD_createDCtx();
  ZSTD_inBuffer src{in.data(), in.size(), 0};
  while (src.pos < src.size) {
    ZSTD_outBuffer dst{buf.data(), buf.size(), 0};
    if (ZSTD_isError(ZSTD_decompressStream(d, &dst, &src))) break;
    out.append(buf.data(), dst.pos);
  }
  ZSTD_freeDCtx(d);
  return out;
}

void ExpectCovers(const Shapes& spark, const Shapes& ours, const std::set<std::string>& kinds) {
  for (const std::string& kind : kinds) {
    ASSERT_TRUE(spark.count(kind)) << "corpus lacks " << kind;
    ASSERT_TRUE(ours.count(kind)) << "generator never wrote " << kind;
    for (const std::string& path : spark.at(kind)) {
      EXPECT_TRUE(ours.at(kind).count(path)) << kind << " lacks " << path;
    }
  }
}

TEST(GenShape, Spark35OutputHasEveryFieldOfARealSpark31Log) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(
      path, "eventlogs/rapids-profiling/tasks_executors_fail_compressed_eventlog.zstd");
  const Shapes spark = ShapesOf(Unzstd(sparkmedic::testing::ReadFileOrDie(path)));
  Options o;
  ASSERT_TRUE(ApplyScenario("mixed", &o).ok());
  o.aqe = false;  // the corpus app ran without adaptive execution
  std::string log;
  ASSERT_TRUE(GenerateToString(o, &log, nullptr).ok());
  const Shapes ours = ShapesOf(log);
  ExpectCovers(spark, ours,
               {"SparkListenerLogStart",
                "SparkListenerResourceProfileAdded",
                "SparkListenerBlockManagerAdded",
                "SparkListenerEnvironmentUpdate",
                "SparkListenerApplicationStart",
                "SparkListenerExecutorAdded",
                "SparkListenerJobStart",
                "SparkListenerStageSubmitted",
                "SparkListenerTaskStart",
                "SparkListenerTaskEnd:Success",
                "SparkListenerTaskEnd:Resubmitted",
                "SparkListenerTaskEnd:ExecutorLostFailure",
                "SparkListenerTaskEnd:FetchFailed",
                "SparkListenerStageCompleted",
                "SparkListenerJobEnd",
                "SparkListenerBlockManagerRemoved",
                "SparkListenerExecutorRemoved",
                "SparkListenerApplicationEnd",
                "org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart",
                "org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionEnd"});
}

TEST(GenShape, ExceptionFailureAndExclusionMatchRealLogs) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(exc, "eventlogs/rapids-qualification/complex_dec_eventlog.zstd");
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(excl,
                                 "eventlogs/spark-current-tests/application_1516285256255_0012");
  Shapes spark = ShapesOf(Unzstd(sparkmedic::testing::ReadFileOrDie(exc)));
  const Shapes blacklist = ShapesOf(sparkmedic::testing::ReadFileOrDie(excl));
  for (const auto& [kind, paths] : blacklist) {
    if (kind.find("Blacklisted") != std::string::npos) spark[kind] = paths;
  }
  Options o;
  ASSERT_TRUE(ApplyScenario("mixed", &o).ok());
  std::string log;
  ASSERT_TRUE(GenerateToString(o, &log, nullptr).ok());
  ExpectCovers(spark, ShapesOf(log),
               {"SparkListenerTaskEnd:ExceptionFailure",
                "org.apache.spark.scheduler.SparkListenerExecutorBlacklistedForStage",
                "org.apache.spark.scheduler.SparkListenerNodeBlacklistedForStage"});
}

TEST(GenShape, Spark4OutputHasExactlyTheFieldsOfARealSpark42Log) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(
      path,
      "eventlogs/spark-current-tests/eventlog_v2_local-1766844910796/events_1_local-1766844910796");
  const Shapes spark = ShapesOf(sparkmedic::testing::ReadFileOrDie(path));
  Options o;
  o.spark_version = "4.0.1";
  o.tasks = 300;
  o.partitions_per_stage = 50;
  std::string log;
  ASSERT_TRUE(GenerateToString(o, &log, nullptr).ok());
  const Shapes ours = ShapesOf(log);
  // Fields the local-mode 4.2 log cannot show: cluster executors' registration times and the
  // SQL-metric "Metadata" of accumulables (that application ran no SQL).
  const std::set<std::string> extra = {
      "/Executor Info/Registration Time", "/Executor Info/Request Time",
      "/Task Info/Accumulables[]/Metadata", "/Stage Info/Accumulables[]/Metadata"};
  for (const auto& [kind, paths] : spark) {
    SCOPED_TRACE(kind);
    ASSERT_TRUE(ours.count(kind));
    for (const std::string& p : paths) EXPECT_TRUE(ours.at(kind).count(p)) << "missing " << p;
    for (const std::string& p : ours.at(kind)) {
      EXPECT_TRUE(paths.count(p) || extra.count(p)) << "extra " << p;
    }
  }
}

}  // namespace
}  // namespace sparkmedic::gen
