// EventParser and TaskFailure::ErrorString on hand-written lines, with expectations written
// from Spark's JsonProtocol / TaskEndReason sources (docs/spark-facts A.3).
#include "core/model/event_parser.h"

#include <gtest/gtest.h>

namespace sparkmedic {
namespace {

class EventParserTest : public ::testing::Test {
 protected:
  ParseOutcome Parse(const std::string& line, EventPayload* out) {
    buf_ = line;
    buf_.append(kJsonPadding, '\0');
    return parser_.Parse(buf_.data(), line.size(), buf_.size(), &arena_, out, &error_);
  }
  EventParser parser_;
  Arena arena_;
  std::string buf_, error_;
};

TEST_F(EventParserTest, TaskEndWithExceptionFailureKeepsEveryField) {
  EventPayload p;
  ASSERT_EQ(
      Parse(
          R"({"Event":"SparkListenerTaskEnd","Stage ID":3,"Stage Attempt ID":1,"Task Type":"ResultTask",)"
          R"("Task End Reason":{"Reason":"ExceptionFailure","Class Name":"java.lang.RuntimeException",)"
          R"("Description":"boom","Stack Trace":[{"Declaring Class":"A","Method Name":"f","File Name":"A.scala","Line Number":7},)"
          R"({"Declaring Class":"B","Method Name":"g","File Name":null,"Line Number":-1}],)"
          R"("Full Stack Trace":null,"Accumulator Updates":[]},)"
          R"("Task Info":{"Task ID":42,"Index":5,"Attempt":2,"Partition ID":5,"Launch Time":1000,"Executor ID":"7",)"
          R"("Host":"node-1","Locality":"NODE_LOCAL","Speculative":false,"Getting Result Time":0,"Finish Time":1500,)"
          R"("Failed":true,"Killed":false,"Accumulables":[{"ID":1,"Name":"x","Update":"1","Value":"1"}]},)"
          R"("Task Metrics":{"Executor Run Time":400,"Executor CPU Time":123456789,)"
          R"("Shuffle Read Metrics":{"Remote Bytes Read":10,"Local Bytes Read":5,"Fetch Wait Time":3},)"
          R"("Shuffle Write Metrics":{"Shuffle Bytes Written":99,"Shuffle Write Time":1000,"Shuffle Records Written":4},)"
          R"("Input Metrics":{"Bytes Read":1024,"Records Read":8},"Output Metrics":{"Bytes Written":0,"Records Written":0}}})",
          &p),
      ParseOutcome::kOk)
      << error_;
  auto& e = std::get<TaskEndEvent>(p);
  EXPECT_EQ(e.stage_id, 3);
  EXPECT_EQ(e.stage_attempt, 1);
  EXPECT_FALSE(e.shuffle_map_task);
  EXPECT_EQ(e.kind, TaskEndKind::kExceptionFailure);
  EXPECT_EQ(e.info.task_id, 42);
  EXPECT_EQ(e.info.index, 5);
  EXPECT_EQ(e.info.attempt, 2);
  EXPECT_EQ(e.info.executor_id, "7");
  EXPECT_EQ(e.info.host, "node-1");
  EXPECT_EQ(e.info.locality, Locality::kNodeLocal);
  EXPECT_TRUE(e.info.failed);
  EXPECT_EQ(e.metrics.executor_run_time, 400u);
  EXPECT_EQ(e.metrics.executor_cpu_time, 123456789);
  EXPECT_EQ(e.metrics.sr_total_bytes_read(), 15);
  EXPECT_EQ(e.metrics.sr_fetch_wait_time, 3u);
  EXPECT_EQ(e.metrics.sw_bytes_written, 99);
  EXPECT_EQ(e.metrics.input_bytes_read, 1024);
  ASSERT_NE(e.failure, nullptr);
  EXPECT_FALSE(e.failure->full_stack_trace.has_value());
  // Without a full stack trace Spark prints "Class: description", then each frame indented
  // by 8 spaces as StackTraceElement.toString renders it.
  EXPECT_EQ(e.failure->ErrorString(),
            "java.lang.RuntimeException: boom\n"
            "        A.f(A.scala:7)\n"
            "        B.g(Unknown Source)");
}

TEST_F(EventParserTest, EndReasonsRenderAsSparkToErrorString) {
  struct Case {
    std::string reason_json;
    TaskEndKind kind;
    std::string error;
  };
  std::vector<Case> cases = {
      {R"({"Reason":"FetchFailed","Block Manager Address":{"Executor ID":"1","Host":"h","Port":7337},"Shuffle ID":2,"Map ID":30,"Map Index":3,"Reduce ID":4,"Message":"gone"})",
       TaskEndKind::kFetchFailed,
       "FetchFailed(BlockManagerId(1, h, 7337, None), shuffleId=2, mapIndex=3, mapId=30, "
       "reduceId=4, message=\ngone\n)"},
      {R"({"Reason":"FetchFailed","Shuffle ID":2,"Map ID":30,"Reduce ID":4,"Message":"old"})",
       TaskEndKind::kFetchFailed,
       "FetchFailed(null, shuffleId=2, mapId=30, reduceId=4, message=\nold\n)"},
      {R"({"Reason":"ExecutorLostFailure","Executor ID":"9","Exit Caused By App":false,"Loss Reason":"Container killed"})",
       TaskEndKind::kExecutorLostFailure,
       "ExecutorLostFailure (executor 9 exited unrelated to the running tasks) Reason: Container "
       "killed"},
      {R"({"Reason":"ExecutorLostFailure"})", TaskEndKind::kExecutorLostFailure,
       "ExecutorLostFailure (executor Unknown exited caused by one of the running tasks)"},
      {R"({"Reason":"TaskKilled","Kill Reason":"another attempt succeeded"})",
       TaskEndKind::kTaskKilled, "TaskKilled (another attempt succeeded)"},
      {R"({"Reason":"TaskKilled"})", TaskEndKind::kTaskKilled, "TaskKilled (unknown reason)"},
      {R"({"Reason":"TaskCommitDenied","Job ID":1,"Partition ID":2,"Attempt Number":3})",
       TaskEndKind::kTaskCommitDenied,
       "TaskCommitDenied (Driver denied task commit) for job: 1, partition: 2, attemptNumber: 3"},
      {R"({"Reason":"TaskResultLost"})", TaskEndKind::kTaskResultLost,
       "TaskResultLost (result lost from block manager)"},
      {R"({"Reason":"Resubmitted"})", TaskEndKind::kResubmitted,
       "Resubmitted (resubmitted due to lost executor)"},
      {R"({"Reason":"UnknownReason"})", TaskEndKind::kUnknownReason, "UnknownReason"},
      {R"x({"Reason":"ExceptionFailure","Class Name":"X","Description":"d","Stack Trace":[],"Full Stack Trace":"X: d\n\tat Y.z(Y.java:1)"})x",
       TaskEndKind::kExceptionFailure, "X: d\n\tat Y.z(Y.java:1)"},
  };
  for (const Case& c : cases) {
    EventPayload p;
    std::string line = R"({"Event":"SparkListenerTaskEnd","Stage ID":0,"Stage Attempt ID":0,)"
                       R"("Task Type":"ShuffleMapTask","Task End Reason":)" +
                       c.reason_json + R"(,"Task Info":{"Task ID":1,"Index":0,"Attempt":0}})";
    ASSERT_EQ(Parse(line, &p), ParseOutcome::kOk) << c.reason_json << ": " << error_;
    auto& e = std::get<TaskEndEvent>(p);
    EXPECT_EQ(e.kind, c.kind) << c.reason_json;
    ASSERT_NE(e.failure, nullptr);
    EXPECT_EQ(e.failure->ErrorString(), c.error) << c.reason_json;
  }
}

TEST_F(EventParserTest, CountsTowardMaxFailuresOnlyWhereSparkDoes) {
  TaskFailure f;
  f.kind = TaskEndKind::kExceptionFailure;
  EXPECT_TRUE(CountsTowardTaskFailures(f));
  f.kind = TaskEndKind::kFetchFailed;
  EXPECT_FALSE(CountsTowardTaskFailures(f));
  f.kind = TaskEndKind::kTaskKilled;
  EXPECT_FALSE(CountsTowardTaskFailures(f));
  f.kind = TaskEndKind::kTaskCommitDenied;
  EXPECT_FALSE(CountsTowardTaskFailures(f));
  f.kind = TaskEndKind::kExecutorLostFailure;
  f.exit_caused_by_app = false;
  EXPECT_FALSE(CountsTowardTaskFailures(f));
  f.exit_caused_by_app = true;
  EXPECT_TRUE(CountsTowardTaskFailures(f));
}

TEST_F(EventParserTest, JacksonStyleExclusionEventsUseCamelCaseFields) {
  EventPayload p;
  ASSERT_EQ(
      Parse(
          R"({"Event":"org.apache.spark.scheduler.SparkListenerExecutorBlacklistedForStage",)"
          R"("time":1479331797000,"executorId":"2","taskFailures":3,"stageId":1,"stageAttemptId":0})",
          &p),
      ParseOutcome::kOk)
      << error_;
  auto& e = std::get<ExclusionEventData>(p);
  EXPECT_EQ(e.e.kind, ExclusionKind::kExecutorExcludedForStage);
  EXPECT_TRUE(e.legacy_name);
  EXPECT_EQ(e.e.target, "2");
  EXPECT_EQ(e.e.failures, 3);
  EXPECT_EQ(e.e.stage_id, 1);
  EXPECT_EQ(e.e.time, 1479331797000);
}

TEST_F(EventParserTest, StreamingEventsByFullClassName) {
  EventPayload p;
  ASSERT_EQ(
      Parse(R"({"Event":"org.apache.spark.sql.streaming.StreamingQueryListener$QueryStartedEvent",)"
            R"("id":"q1","runId":"r1","name":null,"timestamp":"2021-06-10T12:34:56.789Z"})",
            &p),
      ParseOutcome::kOk)
      << error_;
  auto& e = std::get<QueryStartedEvent>(p);
  EXPECT_EQ(e.id, "q1");
  EXPECT_FALSE(e.name.has_value());
  EXPECT_EQ(e.time, 1623328496789);  // date -u -d 2021-06-10T12:34:56Z +%s = 1623328496
}

TEST_F(EventParserTest, FieldOrderDoesNotMatter) {
  EventPayload p;
  ASSERT_EQ(Parse(R"({"Job ID":4,"Completion Time":99,"Event":"SparkListenerJobEnd",)"
                  R"("Job Result":{"Exception":{"Message":"boom"},"Result":"JobFailed"}})",
                  &p),
            ParseOutcome::kOk)
      << error_;
  auto& e = std::get<JobEndEvent>(p);
  EXPECT_EQ(e.job_id, 4);
  EXPECT_FALSE(e.succeeded);
  EXPECT_EQ(e.exception_message, "boom");
}

TEST_F(EventParserTest, MalformedAndIncompleteLinesAreReportedNotParsed) {
  EventPayload p;
  EXPECT_EQ(Parse(R"({"Event":"SparkListenerTaskEnd","Stage ID":)", &p), ParseOutcome::kMalformed);
  EXPECT_FALSE(error_.empty());
  EXPECT_EQ(Parse(R"(23/11/07 10:59:24.335 main INFO DriverLogger)", &p), ParseOutcome::kMalformed);
  EXPECT_EQ(Parse(R"({"NoEvent":1})", &p), ParseOutcome::kMalformed);
  EXPECT_EQ(Parse(R"({"Event":"SparkListenerTaskEnd","Stage ID":1,"Stage Attempt ID":0})", &p),
            ParseOutcome::kMissingField);
  EXPECT_NE(error_.find("Task End Reason"), std::string::npos) << error_;
}

TEST_F(EventParserTest, UnknownAndIgnoredEvents) {
  EventPayload p;
  ASSERT_EQ(Parse(R"({"Event":"com.example.MyListenerEvent","x":1})", &p), ParseOutcome::kOk);
  EXPECT_EQ(std::get<UnknownEvent>(p).name, "com.example.MyListenerEvent");
  ASSERT_EQ(Parse(R"({"Event":"SparkListenerExecutorMetricsUpdate","Executor ID":"1"})", &p),
            ParseOutcome::kOk);
  EXPECT_TRUE(std::holds_alternative<IgnoredEvent>(p));
}

TEST_F(EventParserTest, BlockUpdatedKeepsRddAndBroadcastBlocks) {
  EventPayload p;
  // Spark before 3.4 writes no "Use Off Heap".
  ASSERT_EQ(
      Parse(R"({"Event":"SparkListenerBlockUpdated","Block Updated Info":{"Block Manager ID":)"
            R"({"Executor ID":"3","Host":"h","Port":7},"Block ID":"rdd_12_34","Storage Level":)"
            R"({"Use Disk":true,"Use Memory":false,"Deserialized":false,"Replication":2},)"
            R"("Memory Size":100,"Disk Size":200}})",
            &p),
      ParseOutcome::kOk)
      << error_;
  auto& b = std::get<BlockUpdatedEvent>(p);
  EXPECT_EQ(b.kind, BlockUpdatedEvent::BlockKind::kRdd);
  EXPECT_EQ(b.executor_id, "3");
  EXPECT_EQ(b.rdd_id, 12);
  EXPECT_EQ(b.split, 34);
  EXPECT_TRUE(b.level.use_disk);
  EXPECT_FALSE(b.level.use_memory);
  EXPECT_FALSE(b.level.use_off_heap);
  EXPECT_EQ(b.level.replication, 2);
  EXPECT_EQ(b.memory_size, 100);
  EXPECT_EQ(b.disk_size, 200);
  const std::string head =
      R"({"Event":"SparkListenerBlockUpdated","Block Updated Info":{"Block Manager ID":)"
      R"({"Executor ID":"3","Host":"h","Port":7},"Storage Level":{"Use Disk":false,)"
      R"("Use Memory":true,"Use Off Heap":true,"Deserialized":false,"Replication":1},)"
      R"("Memory Size":5,"Disk Size":0,"Block ID":")";
  ASSERT_EQ(Parse(head + R"(broadcast_4_piece0"}})", &p), ParseOutcome::kOk) << error_;
  EXPECT_EQ(std::get<BlockUpdatedEvent>(p).kind, BlockUpdatedEvent::BlockKind::kBroadcast);
  EXPECT_TRUE(std::get<BlockUpdatedEvent>(p).level.use_off_heap);
  ASSERT_EQ(Parse(head + R"(shuffle_0_1_2"}})", &p), ParseOutcome::kOk) << error_;
  EXPECT_TRUE(std::holds_alternative<IgnoredEvent>(p));
  EXPECT_EQ(Parse(head + R"(rdd_1"}})", &p), ParseOutcome::kMalformed);
  EXPECT_EQ(Parse(head + R"(rdd_99999999999_1"}})", &p), ParseOutcome::kMalformed);
  EXPECT_EQ(
      Parse(R"({"Event":"SparkListenerBlockUpdated","Block Updated Info":{"Block ID":"rdd_1_1"}})",
            &p),
      ParseOutcome::kMissingField);
  ASSERT_EQ(Parse(R"({"Event":"SparkListenerUnpersistRDD","RDD ID":8})", &p), ParseOutcome::kOk);
  EXPECT_EQ(std::get<UnpersistRddEvent>(p).rdd_id, 8);
}

TEST_F(EventParserTest, StageInfoKeepsOnlyPersistedRdds) {
  EventPayload p;
  ASSERT_EQ(
      Parse(
          R"({"Event":"SparkListenerStageSubmitted","Stage Info":{"Stage ID":1,"Stage Attempt ID":0,)"
          R"("Stage Name":"s","Number of Tasks":2,"RDD Info":[)"
          R"({"RDD ID":4,"Name":"plain","Storage Level":{"Use Disk":false,"Use Memory":false,)"
          R"("Use Off Heap":false,"Deserialized":false,"Replication":1},"Number of Partitions":2},)"
          R"({"RDD ID":5,"Name":"kept","Scope":"{}","Callsite":"c","Parent IDs":[4],"Storage Level":)"
          R"({"Use Disk":true,"Use Memory":true,"Use Off Heap":false,"Deserialized":true,"Replication":1},)"
          R"("Barrier":false,"Number of Partitions":7,"Number of Cached Partitions":0}],)"
          R"("Parent IDs":[],"Details":""},"Properties":{}})",
          &p),
      ParseOutcome::kOk)
      << error_;
  const StageInfoData& si = std::get<StageSubmittedEvent>(p).info;
  EXPECT_EQ(si.rdd_ids, (std::vector<int32_t>{4, 5}));
  ASSERT_EQ(si.cached_rdds.size(), 1u);
  EXPECT_EQ(si.cached_rdds[0].id, 5);
  EXPECT_EQ(si.cached_rdds[0].name, "kept");
  EXPECT_EQ(si.cached_rdds[0].num_partitions, 7);
  EXPECT_EQ(si.cached_rdds[0].level.Description(), "Disk Memory Deserialized 1x Replicated");
}

TEST(IsoTimeTest, ParsesUtcMillis) {
  EXPECT_EQ(ParseIsoUtcMillis("1970-01-01T00:00:00.000Z"), 0);
  EXPECT_EQ(ParseIsoUtcMillis("2000-03-01T00:00:01.5Z"), 951868801000);
  EXPECT_EQ(ParseIsoUtcMillis("garbage"), kNoTime);
}

}  // namespace
}  // namespace sparkmedic
