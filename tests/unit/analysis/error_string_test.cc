// ParseTaskErrorString: a task end read back from its toErrorString text (what the REST API's
// TaskData.errorMessage carries) must say what the event log said: the same text, the same
// kind and fields, and the same failure class.
//
//  * hand-written texts of every form, fields checked one by one;
//  * every failed task of every corpus log and of every sparkmedic-gen scenario: the text
//    round-trips and the classifier gives the parsed end the class it gives the logged one.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "sparkmedic/classify.h"
#include "sparkmedic/discovery.h"
#include "sparkmedic/loader.h"
#include "sparkmedic/model.h"

#include "gen_eventlog/generator.h"
#include "gen_eventlog/options.h"
#include "testutil.h"

namespace sparkmedic {
namespace {

TEST(ParseTaskErrorString, FetchFailedWithMapIndex) {
  TaskFailure f = ParseTaskErrorString(
      "FetchFailed(BlockManagerId(3, 10.0.0.7, 7337, None), shuffleId=2, mapIndex=5, mapId=17, "
      "reduceId=9, message=\norg.apache.spark.shuffle.FetchFailedException: boom\n\tat x.y(Z)\n)");
  EXPECT_EQ(f.kind, TaskEndKind::kFetchFailed);
  EXPECT_TRUE(f.has_block_manager);
  EXPECT_EQ(f.bm_executor_id, "3");
  EXPECT_EQ(f.bm_host, "10.0.0.7");
  EXPECT_EQ(f.bm_port, 7337);
  EXPECT_EQ(f.shuffle_id, 2);
  ASSERT_TRUE(f.map_index.has_value());
  EXPECT_EQ(*f.map_index, 5);
  EXPECT_EQ(f.map_id, 17);
  EXPECT_EQ(f.reduce_id, 9);
  EXPECT_EQ(f.message, "org.apache.spark.shuffle.FetchFailedException: boom\n\tat x.y(Z)");
}

TEST(ParseTaskErrorString, FetchFailedMetadataWithoutBlockManager) {
  TaskFailure f = ParseTaskErrorString(
      "FetchFailed(null, shuffleId=0, mapId=-1, reduceId=4, message=\n"
      "org.apache.spark.shuffle.MetadataFetchFailedException: Missing an output location\n)");
  EXPECT_EQ(f.kind, TaskEndKind::kFetchFailed);
  EXPECT_FALSE(f.has_block_manager);
  EXPECT_FALSE(f.map_index.has_value());
  EXPECT_EQ(f.map_id, -1);
  EXPECT_EQ(f.reduce_id, 4);
}

TEST(ParseTaskErrorString, ExecutorLostBothCauses) {
  TaskFailure a = ParseTaskErrorString(
      "ExecutorLostFailure (executor 7 exited caused by one of the running tasks) Reason: "
      "Container killed by YARN for exceeding memory limits.");
  EXPECT_EQ(a.kind, TaskEndKind::kExecutorLostFailure);
  EXPECT_EQ(a.lost_executor_id, "7");
  EXPECT_TRUE(a.exit_caused_by_app);
  EXPECT_EQ(a.loss_reason.value_or(""), "Container killed by YARN for exceeding memory limits.");
  TaskFailure b = ParseTaskErrorString(
      "ExecutorLostFailure (executor 12 exited unrelated to the running tasks)");
  EXPECT_EQ(b.kind, TaskEndKind::kExecutorLostFailure);
  EXPECT_FALSE(b.exit_caused_by_app);
  EXPECT_FALSE(b.loss_reason.has_value());
}

TEST(ParseTaskErrorString, KilledStatusGivesTheReasonAlone) {
  TaskFailure f = ParseTaskErrorString("another attempt succeeded", /*killed=*/true);
  EXPECT_EQ(f.kind, TaskEndKind::kTaskKilled);
  EXPECT_EQ(f.kill_reason, "another attempt succeeded");
  TaskFailure g = ParseTaskErrorString("TaskKilled (Stage cancelled)");
  EXPECT_EQ(g.kind, TaskEndKind::kTaskKilled);
  EXPECT_EQ(g.kill_reason, "Stage cancelled");
  // A KILLED task whose errorMessage is a commit denial is that denial.
  TaskFailure c = ParseTaskErrorString(
      "TaskCommitDenied (Driver denied task commit) for job: 4, partition: 11, attemptNumber: 1",
      /*killed=*/true);
  EXPECT_EQ(c.kind, TaskEndKind::kTaskCommitDenied);
  EXPECT_EQ(c.commit_job_id, 4);
  EXPECT_EQ(c.commit_partition_id, 11);
  EXPECT_EQ(c.commit_attempt_number, 1);
}

TEST(ParseTaskErrorString, FixedTexts) {
  EXPECT_EQ(ParseTaskErrorString("TaskResultLost (result lost from block manager)").kind,
            TaskEndKind::kTaskResultLost);
  EXPECT_EQ(ParseTaskErrorString("Resubmitted (resubmitted due to lost executor)").kind,
            TaskEndKind::kResubmitted);
  EXPECT_EQ(ParseTaskErrorString("UnknownReason").kind, TaskEndKind::kUnknownReason);
}

TEST(ParseTaskErrorString, ExceptionWithMultiLineMessage) {
  const std::string text =
      "org.apache.spark.api.python.PythonException: Traceback (most recent call last):\n"
      "  File \"job.py\", line 3, in f\nValueError: bad row\n\n\tat "
      "org.apache.spark.api.python.BasePythonRunner.handle(PythonRunner.scala:1)\n";
  TaskFailure f = ParseTaskErrorString(text);
  EXPECT_EQ(f.kind, TaskEndKind::kExceptionFailure);
  EXPECT_EQ(f.class_name, "org.apache.spark.api.python.PythonException");
  EXPECT_EQ(f.description,
            "Traceback (most recent call last):\n  File \"job.py\", line 3, in f\nValueError: "
            "bad row\n");
  EXPECT_EQ(f.full_stack_trace.value_or(""), text);
  TaskFailure bare = ParseTaskErrorString("java.lang.NullPointerException\n\tat a.b(C.java:1)");
  EXPECT_EQ(bare.class_name, "java.lang.NullPointerException");
  EXPECT_EQ(bare.description, "");
}

// --- every failure of real and generated logs ---------------------------------------------

void CheckRoundTrips(const Application& app, const Classifier& classifier, const std::string& where,
                     size_t* checked) {
  ClassifyContext ctx;
  for (const TaskFailure& f : app.task_failures) {
    const std::string text = f.ErrorString();
    // The History Server's errorMessage for a TaskKilled is the reason alone.
    const bool killed = f.kind == TaskEndKind::kTaskKilled;
    TaskFailure g = ParseTaskErrorString(killed ? f.kill_reason : text, killed);
    ASSERT_EQ(g.ErrorString(), text) << where;
    if (f.kind != TaskEndKind::kOther) {
      EXPECT_EQ(g.kind, f.kind) << where << ": " << text.substr(0, 200);
    }
    Classification want = classifier.ClassifyTask(f, ctx);
    Classification got = classifier.ClassifyTask(g, ctx);
    EXPECT_EQ(FailureClassName(got.cls), std::string(FailureClassName(want.cls)))
        << where << ": " << text.substr(0, 300) << "\nrule " << want.rule << " vs " << got.rule;
    ++*checked;
  }
}

TEST(ParseTaskErrorString, EveryCorpusFailureRoundTripsWithItsClass) {
  auto corpus = testing::CorpusDir();
  if (!corpus) GTEST_SKIP() << "corpus absent (set SPARKMEDIC_CORPUS_DIR to the shared corpus)";
  auto classifier = Classifier::Create();
  auto found = DiscoverLogs((*corpus / "eventlogs").string());
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  size_t checked = 0;
  for (const LogSource& src : *found) {
    LoadOptions lo;
    auto app = LoadApplication(src, lo, nullptr, nullptr);
    if (!app.ok()) continue;  // a log that does not load is corpus_counts_test's business
    CheckRoundTrips(*app, *classifier, src.path, &checked);
  }
  EXPECT_GT(checked, 100u);
}

TEST(ParseTaskErrorString, EveryGeneratedFailureRoundTripsWithItsClass) {
  auto classifier = Classifier::Create();
  size_t checked = 0;
  for (const std::string& scenario : gen::ScenarioNames()) {
    if (scenario == "bench") continue;  // 1 M tasks; the others cover every end reason
    gen::Options o;
    ASSERT_TRUE(gen::ApplyScenario(scenario, &o).ok()) << scenario;
    std::string log;
    gen::Manifest m;
    ASSERT_TRUE(gen::GenerateToString(o, &log, &m).ok()) << scenario;
    testing::ScratchDir dir;
    testing::WriteFileOrDie(dir / m.app_id, log);
    Application app = testing::LoadOne(dir / m.app_id);
    CheckRoundTrips(app, *classifier, scenario, &checked);
  }
  EXPECT_GT(checked, 400u);
}

}  // namespace
}  // namespace sparkmedic
