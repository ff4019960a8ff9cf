// The failure tables and metric aggregates of real logs equal spark-rapids-tools' expected
// CSVs, compared as that project's suite compares them: every column as text, rows as a set
// (order does not matter, duplicates collapse). See corpus expectations/rapids-profiling/README.
#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "sparkmedic/aggregates.h"

#include "testutil.h"

namespace sparkmedic {
namespace {

using Row = std::vector<std::string>;
using testing::ParseCsv;

constexpr char kFailLog[] =
    "eventlogs/rapids-profiling/tasks_executors_fail_compressed_eventlog.zstd";
constexpr char kExpect[] = "expectations/rapids-profiling/";

// The profiler's text escaping: trailing whitespace is trimmed, then control characters become
// two-character escapes.
std::string Escape(std::string s) {
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\n' || s.back() == '\t' || s.back() == '\r')) {
    s.pop_back();
  }
  std::string out;
  for (char c : s) {
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\v':
        out += "\\v";
        break;
      case '\a':
        out += "\\a";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Header + rows as a set, after checking the header.
std::set<Row> ExpectedRows(const std::string& file, const Row& header) {
  auto path = testing::CorpusFile(std::string(kExpect) + file);
  if (!path) return {};
  auto rows = ParseCsv(testing::ReadFileOrDie(*path));
  EXPECT_FALSE(rows.empty());
  if (rows.empty()) return {};
  EXPECT_EQ(rows[0], header) << file;
  return std::set<Row>(rows.begin() + 1, rows.end());
}

std::string S(int64_t v) { return std::to_string(v); }

class RapidsFailureTables : public ::testing::Test {
 protected:
  void SetUp() override {
    auto path = testing::CorpusFile(kFailLog);
    if (!path) GTEST_SKIP() << "corpus file absent: " << kFailLog;
    app_ = testing::LoadOne(*path);
  }
  Application app_;
};

TEST_F(RapidsFailureTables, FailedTasksEqualExpectedCsv) {
  Row header = {"stageId",
                "stageAttemptId",
                "taskId",
                "attempt",
                "failureReason",
                "taskStatus",
                "taskType",
                "speculative",
                "duration",
                "diskBytesSpilled",
                "executorCPUTimeNS",
                "executorDeserializeCPUTimeNS",
                "executorDeserializeTime",
                "executorRunTime",
                "input_bytesRead",
                "input_recordsRead",
                "jvmGCTime",
                "memoryBytesSpilled",
                "output_bytesWritten",
                "output_recordsWritten",
                "peakExecutionMemory",
                "resultSerializationTime",
                "resultSize",
                "sr_fetchWaitTime",
                "sr_localBlocksFetched",
                "sr_localBytesRead",
                "sr_remoteBlocksFetched",
                "sr_remoteBytesRead",
                "sr_remoteBytesReadToDisk",
                "sr_totalBytesRead",
                "sw_bytesWritten",
                "sw_recordsWritten",
                "sw_writeTimeNS"};
  std::set<Row> expected = ExpectedRows("tasks_failure_eventlog_expectation.csv", header);
  ASSERT_EQ(expected.size(), 3u);
  std::set<Row> actual;
  for (const TaskAttempt& t : app_.tasks) {
    bool succeeded = t.finish_time != 0 && !t.failed && !t.killed;
    if (succeeded || t.end == TaskEndKind::kRunning) continue;
    const TaskFailure* f = app_.FailureOf(t);
    ASSERT_NE(f, nullptr);
    const TaskMetrics& m = t.metrics;
    actual.insert(Row{S(t.stage_id),
                      S(t.stage_attempt),
                      S(t.task_id),
                      S(t.attempt),
                      Escape(f->ErrorString()),
                      t.StatusString(),
                      t.shuffle_map_task ? "ShuffleMapTask" : "ResultTask",
                      t.speculative ? "true" : "false",
                      S(t.duration().value_or(0)),
                      S(m.disk_bytes_spilled),
                      S(m.executor_cpu_time),
                      S(m.executor_deserialize_cpu_time),
                      S(m.executor_deserialize_time),
                      S(m.executor_run_time),
                      S(m.input_bytes_read),
                      S(m.input_records_read),
                      S(m.jvm_gc_time),
                      S(m.memory_bytes_spilled),
                      S(m.output_bytes_written),
                      S(m.output_records_written),
                      S(m.peak_execution_memory),
                      S(m.result_serialization_time),
                      S(m.result_size),
                      S(m.sr_fetch_wait_time),
                      S(m.sr_local_blocks_fetched),
                      S(m.sr_local_bytes_read),
                      S(m.sr_remote_blocks_fetched),
                      S(m.sr_remote_bytes_read),
                      S(m.sr_remote_bytes_read_to_disk),
                      S(m.sr_total_bytes_read()),
                      S(m.sw_bytes_written),
                      S(m.sw_records_written),
                      S(m.sw_write_time)});
  }
  EXPECT_EQ(actual, expected);
}

TEST_F(RapidsFailureTables, FailedStagesEqualExpectedCsv) {
  std::set<Row> expected =
      ExpectedRows("stages_failure_eventlog_expectation.csv",
                   {"stageId", "attemptId", "name", "numTasks", "failureReason"});
  ASSERT_EQ(expected.size(), 1u);
  std::set<Row> actual;
  for (const auto& [key, st] : app_.stages) {
    if (!st.failure_reason) continue;
    actual.insert(Row{S(st.stage_id), S(st.attempt_id), st.name, S(st.num_tasks),
                      Escape(*st.failure_reason)});
  }
  EXPECT_EQ(actual, expected);
}

TEST_F(RapidsFailureTables, FailedJobsEqualExpectedCsv) {
  std::set<Row> expected = ExpectedRows("jobs_failure_eventlog_expectation.csv",
                                        {"jobID", "sqlID", "jobResult", "failureReason"});
  ASSERT_EQ(expected.size(), 1u);
  std::set<Row> actual;
  for (const auto& [id, job] : app_.jobs) {
    if (job.status != JobStatus::kFailed) continue;
    actual.insert(Row{S(id), job.sql_execution_id ? S(*job.sql_execution_id) : "", "JobFailed",
                      Escape("java.lang.Exception: " + job.failure_message.value_or(""))});
  }
  EXPECT_EQ(actual, expected);
}

TEST_F(RapidsFailureTables, RemovedExecutorsEqualExpectedCsv) {
  std::set<Row> expected =
      ExpectedRows("executors_removed_eventlog_expectation.csv", {"executorId", "time", "reason"});
  ASSERT_EQ(expected.size(), 2u);
  std::set<Row> actual;
  for (const auto& [id, x] : app_.executors) {
    if (x.remove_time == kNoTime) continue;
    actual.insert(Row{id, S(x.remove_time), x.remove_reason.value_or("")});
  }
  EXPECT_EQ(actual, expected);
}

TEST_F(RapidsFailureTables, RemovedBlockManagersEqualExpectedCsv) {
  std::set<Row> expected =
      ExpectedRows("removed_blockManagers_eventlog_expectation.csv", {"executorId", "time"});
  ASSERT_EQ(expected.size(), 2u);
  std::set<Row> actual;
  for (const auto& [id, x] : app_.executors) {
    if (x.block_manager_removed_time == kNoTime) continue;
    actual.insert(Row{id, S(x.block_manager_removed_time)});
  }
  EXPECT_EQ(actual, expected);
}

TEST_F(RapidsFailureTables, ApplicationFiguresTheProfilerAsserts) {
  // ApplicationInfoSuite: 8 executors, max memory 5,538,054,144 bytes.
  int executors = 0;
  for (const auto& [id, x] : app_.executors) {
    if (x.is_driver()) continue;
    ++executors;
    EXPECT_EQ(x.max_memory, 5538054144) << id;
  }
  EXPECT_EQ(executors, 8);
  // The README: 8,630 TaskEnd events, 50 of them Resubmitted with Failed=false.
  size_t ends = 0, resubmitted = 0;
  for (const TaskAttempt& t : app_.tasks) {
    if (t.end != TaskEndKind::kRunning) ++ends;
    if (t.end == TaskEndKind::kResubmitted) {
      ++resubmitted;
      EXPECT_FALSE(t.failed);
    }
  }
  EXPECT_EQ(ends, 8630u);
  EXPECT_EQ(resubmitted, 50u);
}

// ---- metric aggregates of rapids_join_eventlog.zstd ----

Row AggRow(const std::string& id, const MetricsAggregate& a, bool with_duration_first = true) {
  auto d = [](double v) { return fmt::format("{:.1f}", v); };
  return Row{id,
             S(a.num_tasks),
             a.duration ? S(*a.duration) : "",
             S(a.disk_bytes_spilled_sum),
             S(a.duration_sum),
             S(a.duration_max),
             S(a.duration_min),
             d(a.duration_avg),
             S(a.executor_cpu_time_sum),
             S(a.executor_deserialize_cpu_time_sum),
             S(a.executor_deserialize_time_sum),
             S(a.executor_run_time_sum),
             S(a.input_bytes_read_sum),
             S(a.input_bytes_read_max),
             S(a.input_records_read_sum),
             S(a.jvm_gc_time_sum),
             S(a.memory_bytes_spilled_sum),
             S(a.output_bytes_written_sum),
             S(a.output_records_written_sum),
             S(a.peak_execution_memory_max),
             S(a.result_serialization_time_sum),
             S(a.result_size_max),
             S(a.sr_fetch_wait_time_sum),
             S(a.sr_local_blocks_fetched_sum),
             S(a.sr_local_bytes_read_sum),
             S(a.sr_remote_blocks_fetched_sum),
             S(a.sr_remote_bytes_read_sum),
             S(a.sr_remote_bytes_read_to_disk_sum),
             S(a.sr_total_bytes_read_sum),
             S(a.sw_bytes_written_sum),
             S(a.sw_records_written_sum),
             S(a.sw_write_time_sum)};
}

class RapidsJoinAggregates : public ::testing::Test {
 protected:
  void SetUp() override {
    auto path = testing::CorpusFile("eventlogs/rapids-profiling/rapids_join_eventlog.zstd");
    if (!path) GTEST_SKIP() << "corpus file absent: rapids_join_eventlog.zstd";
    app_ = testing::LoadOne(*path);
  }
  std::set<Row> Expected(const std::string& file) {
    auto path = testing::CorpusFile(std::string(kExpect) + file);
    if (!path) return {};
    auto rows = ParseCsv(testing::ReadFileOrDie(*path));
    return std::set<Row>(rows.begin() + 1, rows.end());
  }
  Application app_;
};

TEST_F(RapidsJoinAggregates, StageAggregatesEqualExpectedCsv) {
  std::set<Row> expected = Expected("rapids_join_eventlog_stagemetricsagg_expectation.csv");
  ASSERT_EQ(expected.size(), 4u);
  std::set<int32_t> ids;
  for (const auto& [key, st] : app_.stages) ids.insert(key.first);
  std::set<Row> actual;
  for (int32_t id : ids) actual.insert(AggRow(S(id), AggregateStage(app_, id)));
  EXPECT_EQ(actual, expected);
}

TEST_F(RapidsJoinAggregates, JobAggregatesEqualExpectedCsv) {
  std::set<Row> expected = Expected("rapids_join_eventlog_jobmetricsagg_expectation.csv");
  ASSERT_EQ(expected.size(), 1u);
  std::set<Row> actual;
  for (const auto& [id, job] : app_.jobs) actual.insert(AggRow(S(id), AggregateJob(app_, id)));
  EXPECT_EQ(actual, expected);
}

TEST_F(RapidsJoinAggregates, SqlAggregatesEqualExpectedCsv) {
  std::set<Row> expected = Expected("rapids_join_eventlog_sqlmetricsagg_expectation.csv");
  ASSERT_EQ(expected.size(), 1u);
  std::set<Row> actual;
  for (const auto& [id, sql] : app_.sql_executions) {
    MetricsAggregate a = AggregateSql(app_, id);
    Row r = AggRow(S(id), a);
    double ratio = a.executor_run_time_sum ? 100.0 * static_cast<double>(a.executor_cpu_time_sum) /
                                                 static_cast<double>(a.executor_run_time_sum)
                                           : 0.0;
    Row full = {app_.app_id, S(id), sql.description, r[1], r[2], fmt::format("{:.2f}", ratio)};
    full.insert(full.end(), r.begin() + 3, r.end());
    actual.insert(full);
  }
  EXPECT_EQ(actual, expected);
}

}  // namespace
}  // namespace sparkmedic
