// TaskData rows of a task that ended twice: Success, then Resubmitted after its executor was
// lost. Hand-written log; the expectations follow AppStatusListener.onTaskEnd: the row is
// updated only when liveTasks.remove(taskId) finds the task (the first end), while every end
// counts in the stage's completed/failed/killed tallies.
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sparkmedic/rest_api.h"

#include "testutil.h"

namespace sparkmedic {
namespace {

using json = nlohmann::json;

std::string TaskInfo(int id, int index, int attempt, const char* exec, long launch, long finish) {
  return fmt::format(
      R"("Task Info":{{"Task ID":{},"Index":{},"Attempt":{},"Partition ID":{},"Launch Time":{},)"
      R"("Executor ID":"{}","Host":"host-{}","Locality":"PROCESS_LOCAL","Speculative":false,)"
      R"("Getting Result Time":0,"Finish Time":{},"Failed":false,"Killed":false,)"
      R"("Accumulables":[]}})",
      id, index, attempt, index, launch, exec, exec, finish);
}

std::string TaskStart(int id, int index, int attempt, const char* exec, long launch) {
  return fmt::format(R"({{"Event":"SparkListenerTaskStart","Stage ID":0,"Stage Attempt ID":0,{}}})",
                     TaskInfo(id, index, attempt, exec, launch, 0));
}

std::string TaskEnd(int id, int index, int attempt, const char* exec, long launch, long finish,
                    const char* reason) {
  return fmt::format(R"({{"Event":"SparkListenerTaskEnd","Stage ID":0,"Stage Attempt ID":0,)"
                     R"("Task Type":"ShuffleMapTask","Task End Reason":{{"Reason":"{}"}},{}}})",
                     reason, TaskInfo(id, index, attempt, exec, launch, finish));
}

json Get(const AppCatalog& cat, const std::string& path, const QueryParams& params = {}) {
  RestResponse r = HandleRest(cat, path, params);
  EXPECT_EQ(r.status, 200) << path << ": " << r.body;
  return r.status == 200 ? json::parse(r.body) : json();
}

TEST(RestTaskRows, ResubmittedEndLeavesTheSuccessRow) {
  const std::string stage =
      R"({"Stage ID":0,"Stage Attempt ID":0,"Stage Name":"map","Number of Tasks":2,)"
      R"("RDD Info":[],"Parent IDs":[],"Details":"","Submission Time":1100,"Accumulables":[]})";
  std::string log;
  for (const std::string& line :
       {std::string(R"({"Event":"SparkListenerLogStart","Spark Version":"3.5.1"})"),
        std::string(R"({"Event":"SparkListenerApplicationStart","App Name":"resubmit",)"
                    R"("App ID":"app-20240101000000-0001","Timestamp":1000,"User":"u"})"),
        std::string(R"({"Event":"SparkListenerJobStart","Job ID":0,"Submission Time":1100,)"
                    R"("Stage Infos":[)") +
            stage + R"(],"Stage IDs":[0],"Properties":{}})",
        std::string(R"({"Event":"SparkListenerStageSubmitted","Stage Info":)") + stage +
            R"(,"Properties":{}})",
        TaskStart(0, 0, 0, "1", 1200), TaskStart(1, 1, 0, "2", 1200),
        TaskEnd(0, 0, 0, "1", 1200, 1300, "Success"),
        std::string(R"({"Event":"SparkListenerExecutorRemoved","Timestamp":1400,)"
                    R"("Executor ID":"1","Removed Reason":"lost"})"),
        // The map output on executor 1 is gone: task 0 is re-reported, then re-run.
        TaskEnd(0, 0, 0, "1", 1200, 1300, "Resubmitted"), TaskStart(2, 0, 1, "2", 1500),
        TaskEnd(1, 1, 0, "2", 1200, 1450, "Success"), TaskEnd(2, 0, 1, "2", 1500, 1600, "Success"),
        std::string(R"({"Event":"SparkListenerStageCompleted","Stage Info":)") +
            stage.substr(0, stage.size() - 1) + R"(,"Completion Time":1700}})",
        std::string(R"({"Event":"SparkListenerJobEnd","Job ID":0,"Completion Time":1800,)"
                    R"("Job Result":{"Result":"JobSucceeded"}})"),
        std::string(R"({"Event":"SparkListenerApplicationEnd","Timestamp":2000})")}) {
    log += line + "\n";
  }
  testing::ScratchDir dir;
  testing::WriteFileOrDie(dir / "app-20240101000000-0001", log);
  auto cat = EventLogCatalog::Open({dir.path().string()}, {});
  ASSERT_TRUE(cat.ok()) << cat.status().ToString();
  const std::string base = "applications/app-20240101000000-0001/stages/0/0";

  // Three rows: task 0 keeps its success (no second row, no error message), 1 and 2 succeed.
  json rows = Get(**cat, base + "/taskList", {{"length", "10"}});
  ASSERT_EQ(rows.size(), 3u) << rows.dump(1);
  EXPECT_EQ(rows[0]["taskId"], 0);
  EXPECT_EQ(rows[0]["status"], "SUCCESS");
  EXPECT_EQ(rows[0]["executorId"], "1");
  EXPECT_EQ(rows[0]["duration"], 100);
  EXPECT_FALSE(rows[0].contains("errorMessage"));
  EXPECT_EQ(rows[1]["taskId"], 1);
  EXPECT_EQ(rows[2]["taskId"], 2);
  EXPECT_EQ(rows[2]["attempt"], 1);
  EXPECT_EQ(Get(**cat, base + "/taskList", {{"status", "failed"}}).size(), 0u);

  // The stage counts every end: three successes, the Resubmitted end as a failed task.
  json st = Get(**cat, base, {{"details", "true"}});
  EXPECT_EQ(st["numCompleteTasks"], 3);
  EXPECT_EQ(st["numFailedTasks"], 1);
  EXPECT_EQ(st["numKilledTasks"], 0);
  EXPECT_EQ(st["numCompletedIndices"], 2);
  ASSERT_TRUE(st["tasks"].is_object());
  EXPECT_EQ(st["tasks"].size(), 3u);
  EXPECT_EQ(st["tasks"]["0"]["status"], "SUCCESS");
  // No stage has a FAILED task row.
  EXPECT_EQ(Get(**cat, "applications/app-20240101000000-0001/stages",
                {{"taskStatus", "FAILED"}, {"details", "true"}})
                .size(),
            0u);
}

}  // namespace
}  // namespace sparkmedic
