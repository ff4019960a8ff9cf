// The loader and model builder on small hand-written logs: each test states the rule it checks.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "sparkmedic/loader.h"

#include "testutil.h"

namespace sparkmedic {
namespace {

std::string TaskStart(int stage, int sattempt, int64_t tid, int index, int attempt,
                      const char* exec, int64_t launch, bool spec = false) {
  return fmt::format(
      R"({{"Event":"SparkListenerTaskStart","Stage ID":{},"Stage Attempt ID":{},"Task Info":{{"Task ID":{},"Index":{},"Attempt":{},"Launch Time":{},"Executor ID":"{}","Host":"host-{}","Locality":"PROCESS_LOCAL","Speculative":{},"Getting Result Time":0,"Finish Time":0,"Failed":false,"Killed":false,"Accumulables":[]}}}})",
      stage, sattempt, tid, index, attempt, launch, exec, exec, spec ? "true" : "false");
}

std::string TaskEnd(int stage, int sattempt, int64_t tid, int index, int attempt, const char* exec,
                    int64_t launch, int64_t finish, const std::string& reason, bool failed,
                    bool killed = false, bool spec = false) {
  return fmt::format(
      R"({{"Event":"SparkListenerTaskEnd","Stage ID":{},"Stage Attempt ID":{},"Task Type":"ShuffleMapTask","Task End Reason":{},"Task Info":{{"Task ID":{},"Index":{},"Attempt":{},"Launch Time":{},"Executor ID":"{}","Host":"host-{}","Locality":"PROCESS_LOCAL","Speculative":{},"Getting Result Time":0,"Finish Time":{},"Failed":{},"Killed":{},"Accumulables":[]}},"Task Metrics":{{"Executor Run Time":{}}}}})",
      stage, sattempt, reason, tid, index, attempt, launch, exec, exec, spec ? "true" : "false",
      finish, failed ? "true" : "false", killed ? "true" : "false", finish - launch);
}

std::string StageInfo(int stage, int attempt, const char* name, int ntasks,
                      const std::string& extra = "") {
  return fmt::format(
      R"({{"Stage ID":{},"Stage Attempt ID":{},"Stage Name":"{}","Number of Tasks":{},"RDD Info":[],"Parent IDs":[],"Details":""{}}})",
      stage, attempt, name, ntasks, extra);
}

class LoaderTest : public ::testing::Test {
 protected:
  Result<Application> Load(const std::string& name, const std::string& text, bool strict = false) {
    auto path = dir_ / name;
    testing::WriteFileOrDie(path, text);
    auto found = DiscoverLogs(path.string());
    EXPECT_TRUE(found.ok());
    EXPECT_EQ(found->size(), 1u);
    LoadOptions opts;
    opts.strict = strict;
    return LoadApplication((*found)[0], opts, &diags_, &stats_);
  }
  testing::ScratchDir dir_;
  DiagnosticCollector diags_;
  ReadStats stats_;
};

const std::string kHeader =
    R"({"Event":"SparkListenerLogStart","Spark Version":"3.5.1"})"
    "\n"
    R"({"Event":"SparkListenerApplicationStart","App Name":"etl","App ID":"spark-1","Timestamp":1000,"User":"ops"})"
    "\n";

TEST_F(LoaderTest, FetchFailureRetryResubmitAndSpeculation) {
  const std::string ok = R"({"Reason":"Success"})";
  std::string log = kHeader;
  log +=
      fmt::format(
          R"({{"Event":"SparkListenerJobStart","Job ID":0,"Submission Time":1100,"Stage Infos":[{},{}],"Stage IDs":[0,1],"Properties":{{"spark.sql.execution.id":"7","spark.jobGroup.id":"g"}}}})",
          StageInfo(0, 0, "map", 2), StageInfo(1, 0, "collect at X", 1)) +
      "\n";
  log +=
      R"({"Event":"SparkListenerStageSubmitted","Stage Info":)" + StageInfo(0, 0, "map", 2) + "}\n";
  log += TaskStart(0, 0, 1, 0, 0, "1", 1200) + "\n";
  log += TaskStart(0, 0, 2, 1, 0, "2", 1200) + "\n";
  log += TaskEnd(0, 0, 1, 0, 0, "1", 1200, 1300, ok, false) + "\n";
  log += TaskStart(0, 0, 3, 1, 1, "1", 1350, /*spec=*/true) + "\n";
  log += TaskEnd(0, 0, 3, 1, 1, "1", 1350, 1400, ok, false, false, true) + "\n";
  log +=
      TaskEnd(0, 0, 2, 1, 0, "2", 1200, 1401,
              R"({"Reason":"TaskKilled","Kill Reason":"another attempt succeeded"})", false, true) +
      "\n";
  log += R"({"Event":"SparkListenerStageCompleted","Stage Info":)" +
         StageInfo(0, 0, "map", 2, R"(,"Submission Time":1150,"Completion Time":1402)") + "}\n";
  // Executor 1 is lost: its finished map output is re-reported as Resubmitted.
  log +=
      R"({"Event":"SparkListenerExecutorRemoved","Timestamp":1500,"Executor ID":"1","Removed Reason":"Container killed"})"
      "\n";
  log += TaskEnd(0, 0, 1, 0, 0, "1", 1200, 1300, R"({"Reason":"Resubmitted"})", false) + "\n";
  log += R"({"Event":"SparkListenerStageSubmitted","Stage Info":)" +
         StageInfo(1, 0, "collect at X", 1) + "}\n";
  log += TaskStart(1, 0, 4, 0, 0, "2", 1600) + "\n";
  log +=
      TaskEnd(
          1, 0, 4, 0, 0, "2", 1600, 1700,
          R"({"Reason":"FetchFailed","Block Manager Address":{"Executor ID":"1","Host":"host-1","Port":7337},"Shuffle ID":0,"Map ID":1,"Map Index":0,"Reduce ID":0,"Message":"gone"})",
          true) +
      "\n";
  log += R"({"Event":"SparkListenerStageCompleted","Stage Info":)" +
         StageInfo(1, 0, "collect at X", 1,
                   R"(,"Submission Time":1550,"Completion Time":1700,"Failure Reason":"fetch")") +
         "}\n";
  log += R"({"Event":"SparkListenerStageSubmitted","Stage Info":)" +
         StageInfo(1, 1, "collect at X", 1) + "}\n";
  log += TaskStart(1, 1, 5, 0, 0, "2", 1800) + "\n";
  log += TaskEnd(1, 1, 5, 0, 0, "2", 1800, 1900, ok, false) + "\n";
  log += R"({"Event":"SparkListenerStageCompleted","Stage Info":)" +
         StageInfo(1, 1, "collect at X", 1, R"(,"Submission Time":1750,"Completion Time":1900)") +
         "}\n";
  log +=
      R"({"Event":"SparkListenerJobEnd","Job ID":0,"Completion Time":2000,"Job Result":{"Result":"JobSucceeded"}})"
      "\n";
  log += R"({"Event":"SparkListenerApplicationEnd","Timestamp":2100})"
         "\n";
  auto app = Load("spark-1", log);
  ASSERT_TRUE(app.ok()) << app.status().ToString();
  EXPECT_TRUE(app->completed);
  EXPECT_EQ(app->spark_version, "3.5.1");
  EXPECT_EQ(app->user, "ops");
  // 5 task starts + 1 Resubmitted record of task 1, appended when its end arrived (4th).
  ASSERT_EQ(app->tasks.size(), 6u);
  EXPECT_EQ(app->tasks[3].end, TaskEndKind::kResubmitted);
  EXPECT_EQ(app->tasks[3].task_id, 1);
  EXPECT_EQ(app->tasks[0].end, TaskEndKind::kSuccess);  // the first record of task 1 stays
  const TaskAttempt& killed = app->tasks[1];
  EXPECT_EQ(killed.task_id, 2);
  EXPECT_EQ(killed.end, TaskEndKind::kTaskKilled);
  EXPECT_STREQ(killed.StatusString(), "KILLED");
  EXPECT_EQ(app->FailureOf(killed)->kill_reason, "another attempt succeeded");
  EXPECT_TRUE(app->tasks[2].speculative);
  // Two attempts of stage 1; the first failed on the fetch failure.
  ASSERT_NE(app->FindStage(1, 0), nullptr);
  ASSERT_NE(app->FindStage(1, 1), nullptr);
  EXPECT_EQ(app->FindStage(1, 0)->status, StageStatus::kFailed);
  EXPECT_EQ(app->FindStage(1, 1)->status, StageStatus::kComplete);
  EXPECT_EQ(app->FindStage(0, 0)->tasks.size(), 4u);  // 3 attempts + the Resubmitted record
  const Job& job = app->jobs.at(0);
  EXPECT_EQ(job.status, JobStatus::kSucceeded);
  EXPECT_EQ(job.name, "collect at X");  // the stage with the highest id names the job
  EXPECT_EQ(job.sql_execution_id, 7);
  EXPECT_EQ(job.job_group, "g");
  EXPECT_EQ(app->executors.at("1").remove_reason, "Container killed");
  EXPECT_EQ(stats_.events, 23u);  // every line of the log above
  EXPECT_EQ(diags_.total_errors(), 0u);
}

TEST_F(LoaderTest, PendingStagesOfAFinishedJobAreSkipped) {
  std::string log = kHeader;
  log +=
      fmt::format(
          R"({{"Event":"SparkListenerJobStart","Job ID":3,"Submission Time":1100,"Stage Infos":[{},{}],"Stage IDs":[4,5]}})",
          StageInfo(4, 0, "a", 1), StageInfo(5, 0, "b", 1)) +
      "\n";
  log +=
      R"({"Event":"SparkListenerStageSubmitted","Stage Info":)" + StageInfo(5, 0, "b", 1) + "}\n";
  log +=
      R"({"Event":"SparkListenerStageCompleted","Stage Info":)" + StageInfo(5, 0, "b", 1) + "}\n";
  log +=
      R"({"Event":"SparkListenerJobEnd","Job ID":3,"Completion Time":2000,"Job Result":{"Result":"JobSucceeded"}})"
      "\n";
  auto app = Load("spark-2", log);
  ASSERT_TRUE(app.ok());
  EXPECT_EQ(app->FindStage(4, 0)->status, StageStatus::kSkipped);
  EXPECT_EQ(app->FindStage(5, 0)->status, StageStatus::kComplete);
  EXPECT_FALSE(app->completed);  // no ApplicationEnd
}

TEST_F(LoaderTest, BlacklistedAndExcludedTwinsCountOnce) {
  std::string log = kHeader;
  log +=
      R"({"Event":"org.apache.spark.scheduler.SparkListenerExecutorExcluded","time":5,"executorId":"3","taskFailures":2})"
      "\n";
  log +=
      R"({"Event":"org.apache.spark.scheduler.SparkListenerExecutorBlacklisted","time":5,"executorId":"3","taskFailures":2})"
      "\n";
  log +=
      R"({"Event":"org.apache.spark.scheduler.SparkListenerNodeBlacklisted","time":6,"hostId":"h1","executorFailures":2})"
      "\n";
  auto app = Load("spark-3", log);
  ASSERT_TRUE(app.ok());
  ASSERT_EQ(app->exclusions.size(), 2u);
  EXPECT_EQ(app->exclusions[0].kind, ExclusionKind::kExecutorExcluded);
  EXPECT_EQ(app->exclusions[1].kind, ExclusionKind::kNodeExcluded);
  EXPECT_EQ(app->exclusions[1].target, "h1");
}

TEST_F(LoaderTest, MalformedLineIsReportedWithItsPlaceAndTheRestIsRead) {
  std::string log = kHeader;  // lines 1-2
  size_t bad_offset = log.size();
  log += "{\"Event\":\"SparkListenerJobStart\",\"Job ID\":\n";  // line 3: cut JSON
  log += "\n";                                                  // line 4: blank
  log += R"({"Event":"SparkListenerApplicationEnd","Timestamp":2100})"
         "\n";  // line 5
  auto app = Load("spark-4", log);
  ASSERT_TRUE(app.ok());
  EXPECT_TRUE(app->completed);
  EXPECT_EQ(stats_.malformed_lines, 1u);
  EXPECT_EQ(diags_.count(DiagnosticKind::kMalformedLine), 1u);
  auto samples = diags_.samples();
  ASSERT_EQ(samples.size(), 1u);
  EXPECT_EQ(samples[0].line, 3u);
  EXPECT_EQ(samples[0].offset, bad_offset);
  EXPECT_NE(samples[0].path.find("spark-4"), std::string::npos);
}

TEST_F(LoaderTest, StrictModeFailsAtTheFirstBadLineWithItsPlace) {
  std::string log = kHeader + "{not json}\n";
  auto app = Load("spark-5", log, /*strict=*/true);
  ASSERT_FALSE(app.ok());
  EXPECT_EQ(app.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(app.status().line(), 3u);
  EXPECT_NE(app.status().ToString().find("spark-5:3: byte "), std::string::npos)
      << app.status().ToString();
}

TEST_F(LoaderTest, InProgressLogEndingMidLineIsATailNotAnError) {
  std::string log = kHeader + R"({"Event":"SparkListenerJobStart","Job ID":1,"Submis)";
  auto app = Load("spark-6.inprogress", log);
  ASSERT_TRUE(app.ok());
  EXPECT_TRUE(stats_.truncated_tail);
  EXPECT_EQ(stats_.malformed_lines, 0u);
  EXPECT_EQ(diags_.count(DiagnosticKind::kTruncatedTail), 1u);
  EXPECT_EQ(diags_.total_errors(), 0u);
  EXPECT_FALSE(app->completed);
}

TEST_F(LoaderTest, FinishedLogWithoutTrailingNewlineReadsItsLastLine) {
  std::string log = kHeader + R"({"Event":"SparkListenerApplicationEnd","Timestamp":2100})";
  auto app = Load("spark-7", log);
  ASSERT_TRUE(app.ok());
  EXPECT_TRUE(app->completed);
  EXPECT_EQ(app->end_time, 2100);
}

TEST_F(LoaderTest, TextLogIsNotAnEventLog) {
  auto app =
      Load("spark-8", "23/11/07 10:59:24.335 main INFO DriverLogger: hello\n{\"Event\":1}\n");
  ASSERT_FALSE(app.ok());
  EXPECT_NE(app.status().message().find("not a Spark event log"), std::string::npos);
  EXPECT_EQ(diags_.count(DiagnosticKind::kNotAnEventLog), 1u);
}

TEST_F(LoaderTest, UnknownEventsAreCountedByName) {
  std::string log = kHeader + R"({"Event":"com.acme.Custom"})"
                              "\n"
                              R"({"Event":"com.acme.Custom"})"
                              "\n";
  auto app = Load("spark-9", log);
  ASSERT_TRUE(app.ok());
  EXPECT_EQ(stats_.unknown_events, 2u);
  auto names = diags_.unknown_event_names();
  ASSERT_EQ(names.size(), 1u);
  EXPECT_EQ(names[0].first, "com.acme.Custom");
  EXPECT_EQ(names[0].second, 2u);
}

}  // namespace
}  // namespace sparkmedic

namespace sparkmedic {
namespace {

// Layouts end to end: discovery hands the loader several files; the model reads them in order.
TEST(LayoutLoadTest, Spark1DirectoryAndDatabricksPartsReadInOrder) {
  testing::ScratchDir dir;
  // Spark 1.x: EVENT_LOG_1 + markers.
  auto s1 = dir / "app-20150101-0001";
  std::filesystem::create_directories(s1);
  testing::WriteFileOrDie(
      s1 / "EVENT_LOG_1",
      R"({"Event":"SparkListenerApplicationStart","App Name":"old","App ID":"app-20150101-0001","Timestamp":5,"User":"u"})"
      "\n"
      R"({"Event":"SparkListenerApplicationEnd","Timestamp":9})"
      "\n");
  testing::WriteFileOrDie(s1 / "SPARK_VERSION_1.6.3", "");
  testing::WriteFileOrDie(s1 / "APPLICATION_COMPLETE", "");
  auto found = DiscoverLogs(s1.string());
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  auto app = LoadApplication((*found)[0], LoadOptions{}, nullptr, nullptr);
  ASSERT_TRUE(app.ok()) << app.status().ToString();
  EXPECT_EQ(app->name, "old");
  EXPECT_TRUE(app->completed);
  EXPECT_EQ(app->end_time - app->start_time, 4);

  // Databricks: a gzip'd dated part (older events) then the live "eventlog".
  auto db = dir / "db";
  std::filesystem::create_directories(db);
  testing::WriteFileOrDie(
      db / "part",
      R"({"Event":"SparkListenerApplicationStart","App Name":"dbx","App ID":"app-1","Timestamp":100,"User":"u"})"
      "\n"
      R"({"Event":"SparkListenerJobStart","Job ID":0,"Submission Time":110,"Stage Infos":[],"Stage IDs":[]})"
      "\n");
  ASSERT_EQ(testing::RunCommand("gzip -c '" + (db / "part").string() + "' > '" +
                                (db / "eventlog-2024-01-01--10-00.gz").string() + "' && rm '" +
                                (db / "part").string() + "'"),
            0);
  testing::WriteFileOrDie(
      db / "eventlog",
      R"({"Event":"SparkListenerJobEnd","Job ID":0,"Completion Time":120,"Job Result":{"Result":"JobSucceeded"}})"
      "\n");
  found = DiscoverLogs(db.string());
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 1u);
  ASSERT_EQ((*found)[0].files.size(), 2u);
  DiagnosticCollector diags;
  app = LoadApplication((*found)[0], LoadOptions{}, &diags, nullptr);
  ASSERT_TRUE(app.ok()) << app.status().ToString();
  EXPECT_EQ(app->name, "dbx");
  ASSERT_EQ(app->jobs.size(), 1u);
  // The JobEnd in the second file found the JobStart of the first: no inconsistency.
  EXPECT_EQ(app->jobs.at(0).status, JobStatus::kSucceeded);
  EXPECT_EQ(diags.count(DiagnosticKind::kInconsistent), 0u);
}

// The parallel schedule must build exactly the model the inline one builds.
TEST(ParallelLoadTest, ThreadCountDoesNotChangeTheModel) {
  testing::ScratchDir dir;
  std::string log = kHeader;
  const std::string ok = R"({"Reason":"Success"})";
  // ~12 MB so that the parallel schedule engages (it skips logs under 8 MB).
  int64_t tid = 0;
  for (int stage = 0; stage < 40; ++stage) {
    log += R"({"Event":"SparkListenerStageSubmitted","Stage Info":)" +
           StageInfo(stage, 0, "s", 500) + "}\n";
    for (int i = 0; i < 500; ++i, ++tid) {
      log += TaskStart(stage, 0, tid, i, 0, "1", 1000 + tid) + "\n";
      std::string reason =
          (tid % 97 == 0)
              ? R"({"Reason":"ExceptionFailure","Class Name":"java.lang.NullPointerException","Description":"x","Stack Trace":[],"Full Stack Trace":"java.lang.NullPointerException: x"})"
              : ok;
      log +=
          TaskEnd(stage, 0, tid, i, 0, "1", 1000 + tid, 2000 + tid, reason, tid % 97 == 0) + "\n";
    }
    if (stage == 20) log += "{broken line\n";
  }
  auto path = dir / "app-parallel";
  testing::WriteFileOrDie(path, log);
  ASSERT_GT(log.size(), size_t{8} << 20);
  auto found = DiscoverLogs(path.string());
  ASSERT_TRUE(found.ok());
  std::vector<std::string> summaries;
  for (int threads : {1, 2, 3}) {
    LoadOptions opts;
    opts.threads = threads;
    DiagnosticCollector diags;
    ReadStats stats;
    auto app = LoadApplication((*found)[0], opts, &diags, &stats);
    ASSERT_TRUE(app.ok());
    std::string s =
        fmt::format("tasks={} failures={} lines={} events={} malformed={}", app->tasks.size(),
                    app->task_failures.size(), stats.lines, stats.events, stats.malformed_lines);
    for (const TaskAttempt& t : app->tasks) {
      s += fmt::format(";{}:{}:{}", t.task_id, static_cast<int>(t.end), t.finish_time);
    }
    auto samples = diags.samples();
    ASSERT_EQ(samples.size(), 1u);
    s += fmt::format("|bad line {} at {}", samples[0].line, samples[0].offset);
    summaries.push_back(s);
  }
  EXPECT_EQ(summaries[0], summaries[1]);
  EXPECT_EQ(summaries[0], summaries[2]);
  EXPECT_NE(summaries[0].find("tasks=20000 failures=207"), std::string::npos)
      << summaries[0].substr(0, 80);
}

}  // namespace
}  // namespace sparkmedic
