// The sparkmedic binary end to end: output, exit codes, error messages.
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

TEST(CliTest, MissingPathSaysWhichPath) {
  std::string out;
  EXPECT_EQ(RunCli("info /no/such/spark-events 2>&1", &out), 2);
  EXPECT_NE(out.find("/no/such/spark-events"), std::string::npos) << out;
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

}  // namespace
}  // namespace sparkmedic
