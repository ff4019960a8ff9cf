// The sparkmedic binary end to end: output, exit codes, error messages.
#include <filesystem>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "testutil.h"

namespace sparkmedic {
namespace {

std::string Binary() { return (testing::BinaryDir() / "src/frontends/cli/sparkmedic").string(); }

int RunCli(const std::string& args, std::string* out) {
  return testing::RunCommand(Binary() + " " + args, out);
}

TEST(CliTest, InfoJsonCountsFailuresAsTheCorpusReadmeStates) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(
      log, "eventlogs/rapids-profiling/tasks_executors_fail_compressed_eventlog.zstd");
  std::string out;
  ASSERT_EQ(RunCli("info --format json '" + log.string() + "'", &out), 0) << out;
  auto doc = nlohmann::json::parse(out);
  EXPECT_EQ(doc["schema"], "sparkmedic.info/v1");
  ASSERT_EQ(doc["applications"].size(), 1u);
  const auto& a = doc["applications"][0]["attempts"][0];
  // Corpus README: 2 FetchFailed and 1 ExecutorLostFailure in stage 238, 50 Resubmitted task
  // ends, stage 238 fails, job 79 fails, 2 executors removed ("Executor Process Lost").
  EXPECT_EQ(a["tasks"]["failed_by_reason"],
            (nlohmann::json{{"ExecutorLostFailure", 1}, {"FetchFailed", 2}, {"Resubmitted", 50}}));
  EXPECT_EQ(a["jobs"]["failed"], 1);
  EXPECT_EQ(a["stages"]["by_status"]["FAILED"], 1);
  EXPECT_EQ(a["executors"]["removed_by_reason"], (nlohmann::json{{"Executor Process Lost", 2}}));
  EXPECT_EQ(a["spark_version"], "3.1.1");
  EXPECT_EQ(a["read"]["malformed_lines"], 0);
}

TEST(CliTest, MalformedLineIsReportedAndStrictMakesItFatal) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(log, "eventlogs/rapids-profiling/malformed_json_eventlog.zstd");
  std::string out;
  ASSERT_EQ(RunCli("info --format json '" + log.string() + "'", &out), 0) << out;
  auto doc = nlohmann::json::parse(out);
  const auto& r = doc["applications"][0]["attempts"][0]["read"];
  EXPECT_EQ(r["malformed_lines"], 1);
  ASSERT_FALSE(r["diagnostic_samples"].empty());
  const auto& d = r["diagnostic_samples"][0];
  EXPECT_EQ(d["kind"], "malformed-line");
  EXPECT_GT(d["line"].get<int>(), 0);
  EXPECT_GT(d["offset"].get<int64_t>(), 0);

  out.clear();
  EXPECT_EQ(RunCli("info --strict '" + log.string() + "' 2>&1", &out), 2);
  EXPECT_NE(out.find("malformed-line"), std::string::npos) << out;
  EXPECT_NE(out.find(log.filename().string() + ":" + std::to_string(d["line"].get<int>()) +
                     ": byte " + std::to_string(d["offset"].get<int64_t>())),
            std::string::npos)
      << out;
}

TEST(CliTest, ADriverTextLogGetsAClearError) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(log, "eventlogs/rapids-profiling/driverlog");
  std::string out;
  EXPECT_EQ(RunCli("info '" + log.string() + "' 2>&1", &out), 2);
  EXPECT_NE(out.find("not a Spark event log"), std::string::npos) << out;
}

TEST(CliTest, MissingPathSaysWhichPathAndWhatToGive) {
  std::string out;
  EXPECT_EQ(RunCli("info /no/such/spark-events 2>&1", &out), 2);
  EXPECT_NE(out.find("/no/such/spark-events"), std::string::npos) << out;
  EXPECT_NE(out.find("spark.eventLog.dir"), std::string::npos) << out;
  EXPECT_EQ(out.find("REST URL"), std::string::npos) << out;  // info reads logs only
  // diagnose and skew also take a REST URL, and say so.
  EXPECT_EQ(RunCli("diagnose /no/such/spark-events 2>&1", &out), 2);
  EXPECT_NE(out.find("http://DRIVER:4040"), std::string::npos) << out;
  EXPECT_EQ(RunCli("serve --event-logs /no/such/spark-events 2>&1", &out), 2);
  EXPECT_NE(out.find("spark.eventLog.dir"), std::string::npos) << out;
}

TEST(CliTest, HelpDocumentsExitCodesAndUsageErrorsExit2) {
  std::string out;
  EXPECT_EQ(RunCli("--help", &out), 0);
  EXPECT_NE(out.find("Exit codes"), std::string::npos);
  EXPECT_NE(out.find("info"), std::string::npos);
  EXPECT_EQ(RunCli("info --format yaml x 2>/dev/null", &out), 2);
}

TEST(CliTest, InProgressLz4LogReportsAnIncompleteTailNotAnError) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(
      log, "eventlogs/spark-codecs/application_1603128018386_7846.lz4.inprogress");
  std::string out;
  ASSERT_EQ(RunCli("info --format json '" + log.string() + "'", &out), 0) << out;
  auto doc = nlohmann::json::parse(out);
  const auto& a = doc["applications"][0]["attempts"][0];
  EXPECT_TRUE(a["in_progress"].get<bool>());
  EXPECT_FALSE(a["completed"].get<bool>());
  EXPECT_TRUE(a["read"]["truncated_tail"].get<bool>());
  EXPECT_EQ(a["read"]["malformed_lines"], 0);
}

std::string Gen() { return (testing::BinaryDir() / "tools/gen_eventlog/sparkmedic-gen").string(); }

TEST(CliDiagnoseTest, FailedAppExits1WithClassifiedFindings) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(
      log, "eventlogs/rapids-profiling/tasks_executors_fail_compressed_eventlog.zstd");
  std::string out;
  ASSERT_EQ(RunCli("diagnose --format json '" + log.string() + "'", &out), 1) << out;
  auto d = nlohmann::json::parse(out);
  EXPECT_EQ(d["schema"], "sparkmedic.diagnosis/v1");
  // Job 79 fails ("cancelled because SparkContext was shut down"); 2 FetchFailed and 1
  // ExecutorLostFailure are the only real failures (the 50 Resubmitted ends are not).
  EXPECT_EQ(d["verdict"], "failed");
  EXPECT_EQ(d["failed_jobs"], nlohmann::json::array({79}));
  EXPECT_EQ(d["tasks"]["failed"], 3);
  ASSERT_EQ(d["findings"].size(), 2u);
  EXPECT_EQ(d["findings"][0]["class"], "shuffle-fetch");
  EXPECT_EQ(d["findings"][0]["count"], 2);
  EXPECT_EQ(d["findings"][0]["runbook_scenario"], 2);
  EXPECT_EQ(d["findings"][1]["count"], 1);
}

TEST(CliDiagnoseTest, HealthyAppExits0) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(log, "eventlogs/spark-2.4-tests/local-1430917381534");
  std::string out;
  ASSERT_EQ(RunCli("diagnose --format json '" + log.string() + "'", &out), 0) << out;
  auto d = nlohmann::json::parse(out);
  EXPECT_EQ(d["verdict"], "healthy");
  EXPECT_TRUE(d["findings"].empty());
}

TEST(CliDiagnoseTest, ColourOnlyWhenAskedAndNeverWithNoColor) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(
      log, "eventlogs/rapids-profiling/tasks_executors_fail_compressed_eventlog.zstd");
  std::string plain, coloured, md;
  RunCli("diagnose '" + log.string() + "'", &plain);  // stdout is a pipe: no colour
  EXPECT_EQ(plain.find("\033["), std::string::npos);
  EXPECT_EQ(plain.rfind("Failed: ", 0), 0u) << plain.substr(0, 80);  // the verdict comes first
  RunCli("diagnose --color always '" + log.string() + "'", &coloured);
  EXPECT_NE(coloured.find("\033["), std::string::npos);
  std::string no_color;
  testing::RunCommand("NO_COLOR=1 " + Binary() + " diagnose '" + log.string() + "'", &no_color);
  EXPECT_EQ(no_color.find("\033["), std::string::npos);
  RunCli("diagnose --format markdown '" + log.string() + "'", &md);
  EXPECT_EQ(md.rfind("## sparkmedic diagnosis: application_1603128018386_7846", 0), 0u);
}

TEST(CliDiagnoseTest, ExecutorLogsConfirmTheFindingTheyAgreeWith) {
  testing::ScratchDir dir;
  ASSERT_EQ(testing::RunCommand(Gen() + " --scenario oom-k8s --seed 1 -o '" +
                                (dir / "app").string() + "'"),
            0);
  // Which executor had the in-JVM OOM: ask the model (diagnose JSON) first.
  std::string out;
  ASSERT_EQ(RunCli("diagnose --no-skew --format json '" + (dir / "app").string() + "'", &out), 1);
  auto before = nlohmann::json::parse(out);
  std::string jvm_exec;
  for (const auto& f : before["findings"]) {
    if (f["class"] == "jvm-oom") jvm_exec = f["executors"][0].get<std::string>();
  }
  ASSERT_FALSE(jvm_exec.empty());
  // That executor's pod log, as `kubectl logs` writes it.
  std::filesystem::create_directories(dir / "logs");
  testing::WriteFileOrDie(
      dir / "logs" / ("etl-1f3a-exec-" + jvm_exec + ".log"),
      "24/06/01 10:02:46 INFO Executor: Running task 3.0 in stage 2.0 (TID 17)\n"
      "24/06/01 10:02:47 ERROR Executor: Exception in task 3.0 in stage 2.0 (TID 17)\n"
      "java.lang.OutOfMemoryError: Java heap space\n"
      "\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)\n");
  out.clear();
  ASSERT_EQ(RunCli("diagnose --no-skew --format json --executor-logs '" + (dir / "logs").string() +
                       "' '" + (dir / "app").string() + "'",
                   &out),
            1);
  auto d = nlohmann::json::parse(out);
  EXPECT_EQ(d["executor_logs"]["files"], 1);
  EXPECT_EQ(d["executor_logs"]["sources"][0]["executor"], jvm_exec);
  for (const auto& f : d["findings"]) {
    if (f["class"] == "jvm-oom") {
      EXPECT_TRUE(f["executor_logs"]["confirmed"].get<bool>());
      EXPECT_EQ(f["executor_logs"]["executors_supporting"], 1);
    } else if (f["class"] == "container-oom-killed") {
      EXPECT_FALSE(f["executor_logs"]["confirmed"].get<bool>());
    }
  }
  // A missing path is an error that names it.
  out.clear();
  EXPECT_EQ(
      RunCli("diagnose --executor-logs /no/such/logs '" + (dir / "app").string() + "' 2>&1", &out),
      2);
  EXPECT_NE(out.find("/no/such/logs"), std::string::npos) << out;
}

TEST(CliSkewTest, GeneratedSkewIsFoundAndAHealthyJoinIsNot) {
  testing::ScratchDir dir;
  ASSERT_EQ(testing::RunCommand(Gen() + " --scenario skew --seed 1 -o '" + (dir / "skew").string() +
                                "' --manifest '" + (dir / "m.json").string() + "'"),
            0);
  auto manifest = nlohmann::json::parse(testing::ReadFileOrDie(dir / "m.json"));
  auto skewed = [&](const std::string& flags) {
    std::string out;
    EXPECT_EQ(RunCli("skew --format json " + flags + " '" + (dir / "skew").string() + "'", &out), 1)
        << out;
    auto r = nlohmann::json::parse(out);
    EXPECT_EQ(r["schema"], "sparkmedic.skew/v1");
    EXPECT_EQ(r["skewed_stages"], 1);
    std::set<int> found;
    for (const auto& p : r["stages"][0]["partitions"]) found.insert(p["index"].get<int>());
    EXPECT_EQ(r["stages"][0]["stage_id"], manifest["skewed_partitions"][0]["stage"]);
    return found;
  };
  // Defaults: AQE's rule flags exactly the generated partitions over 256 MiB (the manifest's
  // bytes), since the generated durations stay under the 60 s floor of the time rule unless
  // they are that large too.
  std::set<int> over_256m, all;
  for (const auto& p : manifest["skewed_partitions"]) {
    all.insert(p["partition"].get<int>());
    if (p["shuffle_read_bytes"].get<int64_t>() > (int64_t{256} << 20) ||
        p["duration_ms"].get<int64_t>() >= 60000) {
      over_256m.insert(p["partition"].get<int>());
    }
  }
  EXPECT_EQ(skewed(""), over_256m);
  // Lower thresholds (the overrides a user can pass) find every generated skewed partition.
  EXPECT_EQ(skewed("--threshold 64m --duration-floor 10"), all);

  auto join = testing::CorpusFile("eventlogs/rapids-profiling/rapids_join_eventlog.zstd");
  if (!join) GTEST_SKIP() << "corpus absent for the healthy half";
  std::string out;
  EXPECT_EQ(RunCli("skew --format json '" + join->string() + "'", &out), 0) << out;
  EXPECT_EQ(nlohmann::json::parse(out)["skewed_stages"], 0);
}

}  // namespace
}  // namespace sparkmedic
