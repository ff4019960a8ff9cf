// sparkmedic-gen in-process: determinism, JSON validity, manifest against an independent
// re-read of the text, and the Spark behaviours each scenario promises.
#include <algorithm>
#include <map>
#include <string>

#include <gtest/gtest.h>

#include "gen_eventlog/generator.h"
#include "gen_eventlog/spark_texts.h"
#include "recount.h"

namespace sparkmedic::gen {
namespace {

using simdjson::dom::element;
using testing::CountLog;
using testing::ForEachEvent;
using testing::Recount;

Options Scenario(const std::string& name, uint64_t seed = 7) {
  Options o;
  EXPECT_TRUE(ApplyScenario(name, &o).ok()) << name;
  o.seed = seed;
  return o;
}

std::string Generate(const Options& o, Manifest* m) {
  std::string out;
  Status st = GenerateToString(o, &out, m);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return out;
}

std::string Str(element e, const char* key) {
  std::string_view v;
  return e[key].get_string().get(v) == simdjson::SUCCESS ? std::string(v) : std::string();
}
int64_t Int(element e, const char* key) {
  int64_t v = -1;
  if (e[key].get_int64().get(v) != simdjson::SUCCESS) return -1;
  return v;
}

void ExpectManifestMatches(const std::string& log, const Manifest& m) {
  const Recount c = CountLog(log);
  EXPECT_EQ(c.bad_lines, 0u);
  EXPECT_EQ(c.lines, m.lines);
  EXPECT_EQ(c.events, m.events);
  for (const auto& [reason, n] : m.task_end_reasons) {
    EXPECT_EQ(c.reasons.count(reason) ? c.reasons.at(reason) : 0u, n) << reason;
  }
  EXPECT_EQ(c.exception_classes, m.exception_classes);
  EXPECT_EQ(c.kill_reasons, m.kill_reasons);
  EXPECT_EQ(c.task_ids_started.size(), m.task_attempts);
  EXPECT_EQ(c.task_ends, m.task_ends);
  EXPECT_EQ(c.speculative, m.speculative_attempts);
  EXPECT_EQ(c.shs_completed, m.shs_completed);
  EXPECT_EQ(c.shs_failed, m.shs_failed);
  EXPECT_EQ(c.shs_killed, m.shs_killed);
  EXPECT_EQ(c.lost_by_app, m.executor_lost_caused_by_app);
  EXPECT_EQ(c.lost_not_by_app, m.executor_lost_not_caused_by_app);
  EXPECT_EQ(c.jobs, m.jobs);
  EXPECT_EQ(c.jobs_ok, m.jobs_succeeded);
  EXPECT_EQ(c.jobs_failed, m.jobs_failed);
  EXPECT_EQ(c.stage_ids.size(), m.stage_ids);
  EXPECT_EQ(c.submitted_ids.size(), m.stages_submitted);
  EXPECT_EQ(c.stage_ids.size() - c.submitted_ids.size(), m.stages_skipped);
  EXPECT_EQ(c.retried_ids.size(), m.stages_retried);
  EXPECT_EQ(c.stage_attempts, m.stage_attempts);
  EXPECT_EQ(c.stage_failed_attempts, m.stage_attempts_failed);
  EXPECT_EQ(c.sql_starts, m.sql_executions);
  EXPECT_EQ(c.executors_added, m.executors_added);
  EXPECT_EQ(c.executors_removed, m.executors_removed);
  EXPECT_EQ(c.queries_started, m.queries_started);
  EXPECT_EQ(c.progress, m.query_progress_events);
  EXPECT_EQ(c.terminated, m.queries_terminated);
  EXPECT_EQ(c.terminated_with_exception, m.queries_terminated_with_exception);
  std::map<std::pair<int, int>, uint64_t> expected;
  for (const auto& [key, pf] : m.partitions) expected[key] = pf.failed_attempts;
  EXPECT_EQ(c.partition_failed, expected);
  uint64_t exclusion = 0;
  for (const auto& [name, n] : m.exclusion_events) exclusion += n;
  uint64_t exclusion_lines = 0;
  for (const auto& [name, n] : c.events) {
    if (name.find("Excluded") != std::string::npos ||
        name.find("Blacklisted") != std::string::npos ||
        name.find("Unexcluded") != std::string::npos ||
        name.find("Unblacklisted") != std::string::npos) {
      exclusion_lines += n;
    }
  }
  EXPECT_EQ(exclusion_lines, exclusion);
}

TEST(GenDeterminism, SameOptionsGiveIdenticalBytesAndManifest) {
  Options o = Scenario("mixed");
  Manifest m1, m2;
  const std::string a = Generate(o, &m1);
  const std::string b = Generate(o, &m2);
  ASSERT_FALSE(a.empty());
  EXPECT_TRUE(a == b);
  EXPECT_EQ(ManifestJson(m1), ManifestJson(m2));
  o.seed = 8;
  Manifest m3;
  EXPECT_NE(Generate(o, &m3), a);
}

TEST(GenFormat, EveryLineIsJsonWithAnEventAndLogStartComesFirst) {
  for (const char* name : {"healthy", "mixed", "continuous-streaming", "microbatch-streaming"}) {
    for (const char* version : {"3.5.1", "4.0.1"}) {
      Options o = Scenario(name);
      o.spark_version = version;
      if (std::string(name) == "healthy") o.tasks = 600;
      Manifest m;
      const std::string log = Generate(o, &m);
      size_t n = 0;
      std::string first, last;
      const size_t bad = ForEachEvent(log, [&](element doc, std::string_view) {
        if (n++ == 0) first = Str(doc, "Event");
        last = Str(doc, "Event");
      });
      EXPECT_EQ(bad, 0u) << name << " " << version;
      EXPECT_EQ(first, "SparkListenerLogStart");
      EXPECT_EQ(last, "SparkListenerApplicationEnd");
      EXPECT_EQ(log.back(), '\n');
      EXPECT_EQ(log.find(std::string("\"ExitCode\":")) != std::string::npos, version[0] == '4');
    }
  }
}

TEST(GenFormat, EveryTaskEndFollowsItsStartAndFinishesAfterLaunch) {
  for (const char* name : {"mixed", "oom-k8s", "fetch-retry"}) {
    for (uint64_t seed = 1; seed <= 4; ++seed) {
      SCOPED_TRACE(std::string(name) + " seed " + std::to_string(seed));
      Options o = Scenario(name, seed);
      o.tasks = std::min<uint64_t>(o.tasks, 2000);
      const std::string log = Generate(o, nullptr);
      std::map<int64_t, int> started, ends;
      ForEachEvent(log, [&](element doc, std::string_view) {
        const std::string e = Str(doc, "Event");
        if (e == "SparkListenerTaskStart") {
          EXPECT_EQ(started[Int(doc["Task Info"], "Task ID")]++, 0);
        } else if (e == "SparkListenerTaskEnd") {
          element info = doc["Task Info"];
          const int64_t tid = Int(info, "Task ID");
          EXPECT_TRUE(started.count(tid)) << tid;
          EXPECT_GE(Int(info, "Finish Time"), Int(info, "Launch Time")) << tid;
          if (Str(doc["Task End Reason"], "Reason") != "Resubmitted") ++ends[tid];
        }
      });
      for (const auto& [tid, n] : started) EXPECT_EQ(ends[tid], 1) << "task " << tid;
    }
  }
}

TEST(GenManifest, CountsEqualAnIndependentReRead) {
  for (const char* name :
       {"mixed", "oom-k8s", "fetch-retry", "host-concentrated", "deterministic-partition",
        "continuous-streaming", "microbatch-streaming", "skew"}) {
    SCOPED_TRACE(name);
    Options o = Scenario(name);
    if (o.tasks > 2000 && o.streaming == Streaming::kNone) o.tasks = 2000;
    Manifest m;
    ExpectManifestMatches(Generate(o, &m), m);
  }
}

TEST(GenScenario, MixedHasEveryTaskEndReasonAndBothExclusionFamilies) {
  Manifest m;
  Generate(Scenario("mixed"), &m);
  for (const auto& [reason, n] : m.task_end_reasons) EXPECT_GT(n, 0u) << reason;
  for (const auto& [text, n] : m.injected) EXPECT_GT(n, 0u) << text;
  for (const std::string& key : ExceptionKeys()) {
    if (key == "ContinuousTaskRetry") continue;
    EXPECT_GT(m.exception_classes.count(ExceptionClassName(key)), 0u) << key;
  }
  EXPECT_GT(m.exclusion_events["org.apache.spark.scheduler.SparkListenerExecutorExcludedForStage"],
            0u);
  EXPECT_EQ(
      m.exclusion_events["org.apache.spark.scheduler.SparkListenerExecutorExcludedForStage"],
      m.exclusion_events["org.apache.spark.scheduler.SparkListenerExecutorBlacklistedForStage"]);
  EXPECT_GT(m.kill_reasons["another attempt succeeded"], 0u);
  EXPECT_GT(m.kill_reasons["killed via the Web UI"], 0u);
  EXPECT_GT(m.kill_reasons["Stage cancelled"], 0u);
  EXPECT_GT(m.speculative_attempts, 0u);
  for (const char* kind :
       {"exit-137", "exit-143", "exit-52", "exit-53", "decommission", "heartbeat", "deleted"}) {
    EXPECT_GT(m.executors_removed_by_kind[kind], 0u) << kind;
  }
}

TEST(GenScenario, DeterministicPartitionFailsMaxFailuresTimesThenAborts) {
  Manifest m;
  const std::string log = Generate(Scenario("deterministic-partition"), &m);
  ASSERT_EQ(m.aborts.size(), 1u);
  const Manifest::Abort& abort = m.aborts[0];
  EXPECT_EQ(abort.partition, 3);
  const auto& pf = m.partitions.at({abort.stage, 3});
  EXPECT_EQ(pf.failed_attempts, 4u);
  EXPECT_EQ(pf.reasons.at("ExceptionFailure"), 4u);
  std::set<std::string> executors;
  std::string job_message, stage_reason;
  ForEachEvent(log, [&](element doc, std::string_view) {
    const std::string e = Str(doc, "Event");
    if (e == "SparkListenerTaskEnd" && Int(doc, "Stage ID") == abort.stage &&
        Int(doc["Task Info"], "Partition ID") == 3 &&
        Str(doc["Task End Reason"], "Reason") == "ExceptionFailure") {
      EXPECT_EQ(Str(doc["Task End Reason"], "Class Name"), "com.example.etl.BadRecordException");
      EXPECT_NE(Str(doc["Task End Reason"], "Full Stack Trace")
                    .find("\nCaused by: java.lang.NumberFormatException"),
                std::string::npos);
      executors.insert(Str(doc["Task Info"], "Executor ID"));
    }
    if (e == "SparkListenerJobEnd" && Str(doc["Job Result"], "Result") == "JobFailed") {
      job_message = Str(doc["Job Result"]["Exception"], "Message");
    }
    if (e == "SparkListenerStageCompleted" && Int(doc["Stage Info"], "Stage ID") == abort.stage) {
      stage_reason = Str(doc["Stage Info"], "Failure Reason");
    }
  });
  const std::string prefix = "Job aborted due to stage failure: Task 3 in stage " +
                             std::to_string(abort.stage) +
                             ".0 failed 4 times, most recent failure: Lost task 3.3 in stage " +
                             std::to_string(abort.stage) + ".0 (TID ";
  EXPECT_EQ(job_message.rfind(prefix, 0), 0u) << job_message.substr(0, 200);
  EXPECT_NE(job_message.find("): com.example.etl.BadRecordException: Unparseable order record"),
            std::string::npos);
  EXPECT_EQ(job_message.substr(job_message.size() - 19), "\nDriver stacktrace:");
  EXPECT_EQ(stage_reason, job_message);
  EXPECT_GT(executors.size(), 1u);  // retried on other executors
  EXPECT_EQ(m.exit_code, 1);        // recorded even though 3.5 writes no ExitCode field
  EXPECT_EQ(m.jobs_failed, 1u);
}

TEST(GenScenario, FetchRetryRunsAStageAttemptOneAfterFetchFailed) {
  Manifest m;
  const std::string log = Generate(Scenario("fetch-retry"), &m);
  EXPECT_GT(m.task_end_reasons["FetchFailed"], 0u);
  EXPECT_GT(m.stages_retried, 0u);
  bool attempt_one = false, fetch_reason = false;
  ForEachEvent(log, [&](element doc, std::string_view) {
    const std::string e = Str(doc, "Event");
    if (e == "SparkListenerStageSubmitted" && Int(doc["Stage Info"], "Stage Attempt ID") == 1)
      attempt_one = true;
    if (e == "SparkListenerStageCompleted" &&
        Str(doc["Stage Info"], "Failure Reason")
                .rfind("org.apache.spark.shuffle.FetchFailedException: ", 0) == 0) {
      fetch_reason = true;
    }
    if (e == "SparkListenerTaskEnd" && Str(doc["Task End Reason"], "Reason") == "FetchFailed") {
      element r = doc["Task End Reason"];
      EXPECT_FALSE(Str(r["Block Manager Address"], "Executor ID").empty());
      EXPECT_GE(Int(r, "Shuffle ID"), 0);
      EXPECT_GE(Int(r, "Map ID"), 0);
      EXPECT_GE(Int(r, "Map Index"), 0);
      EXPECT_EQ(Int(r, "Reduce ID"), Int(doc["Task Info"], "Partition ID"));
      EXPECT_EQ(Str(r, "Message").rfind("org.apache.spark.shuffle.FetchFailedException", 0), 0u);
    }
  });
  EXPECT_TRUE(attempt_one);
  EXPECT_TRUE(fetch_reason);
}

TEST(GenScenario, ResubmittedReusesTheOriginalSuccessTaskInfo) {
  Manifest m;
  const std::string log = Generate(Scenario("oom-k8s"), &m);
  ASSERT_GT(m.task_end_reasons["Resubmitted"], 0u);
  std::map<int64_t, std::string> success_info;
  size_t checked = 0;
  ForEachEvent(log, [&](element doc, std::string_view raw) {
    if (Str(doc, "Event") != "SparkListenerTaskEnd") return;
    const size_t at = raw.find("\"Task Info\":");
    const size_t end = raw.find(",\"Task Executor Metrics\":");
    const std::string info(raw.substr(at, end - at));
    const std::string reason = Str(doc["Task End Reason"], "Reason");
    const int64_t tid = Int(doc["Task Info"], "Task ID");
    if (reason == "Success") success_info[tid] = info;
    if (reason == "Resubmitted") {
      ASSERT_TRUE(success_info.count(tid)) << tid;
      EXPECT_EQ(info, success_info[tid]);
      EXPECT_EQ(Str(doc, "Task Type"), "ShuffleMapTask");
      EXPECT_EQ(raw.find("\"Task Metrics\""), std::string_view::npos);
      ++checked;
    }
  });
  EXPECT_EQ(checked, m.task_end_reasons["Resubmitted"]);
}

TEST(GenScenario, ContinuousStreamingRetriesFailWithContinuousTaskRetryException) {
  Manifest m;
  const std::string log = Generate(Scenario("continuous-streaming"), &m);
  EXPECT_EQ(m.queries_started, 1u);
  EXPECT_EQ(m.query_progress_events, 0u);
  EXPECT_EQ(m.queries_terminated_with_exception, 1u);
  bool retry_on_attempt_one = false, props = false;
  ForEachEvent(log, [&](element doc, std::string_view) {
    const std::string e = Str(doc, "Event");
    if (e == "SparkListenerJobStart") {
      element p = doc["Properties"];
      props = !Str(p, "sql.streaming.queryId").empty() &&
              Str(p, "__continuous_start_epoch") == "0" &&
              !Str(p, "__epoch_coordinator_id").empty();
    }
    if (e == "SparkListenerTaskEnd" && Int(doc["Task Info"], "Attempt") == 1 &&
        Str(doc["Task End Reason"], "Class Name") ==
            "org.apache.spark.sql.execution.streaming.continuous.ContinuousTaskRetryException") {
      EXPECT_EQ(Str(doc["Task End Reason"], "Description"),
                "Continuous execution does not support task retry");
      retry_on_attempt_one = true;
    }
  });
  EXPECT_TRUE(props);
  EXPECT_TRUE(retry_on_attempt_one);
}

TEST(GenScenario, MicroBatchHasOneProgressEventPerBatchAndBatchIdProperties) {
  Manifest m;
  const std::string log = Generate(Scenario("microbatch-streaming"), &m);
  EXPECT_EQ(m.query_progress_events, 6u);
  std::set<std::string> batch_ids;
  ForEachEvent(log, [&](element doc, std::string_view) {
    if (Str(doc, "Event") == "SparkListenerJobStart")
      batch_ids.insert(Str(doc["Properties"], "streaming.sql.batchId"));
  });
  EXPECT_EQ(batch_ids.size(), 6u);
  EXPECT_EQ(batch_ids.count(""), 0u);
}

TEST(GenScenario, SkewedPartitionsReadFarMoreThanTheMedian) {
  Manifest m;
  Options o = Scenario("skew");
  o.tasks = 1200;
  o.partitions_per_stage = 100;
  Generate(o, &m);
  ASSERT_EQ(m.skewed.size(), 3u);
  for (const auto& s : m.skewed) {
    EXPECT_GT(s.shuffle_read_bytes, 10 * s.median_shuffle_read_bytes);
  }
}

TEST(GenScenario, KilledAndCommitDeniedAreKilledForTheHistoryServer) {
  Manifest m;
  Generate(Scenario("mixed"), &m);
  EXPECT_EQ(m.shs_killed,
            m.task_end_reasons["TaskKilled"] + m.task_end_reasons["TaskCommitDenied"]);
  EXPECT_EQ(m.shs_failed + m.shs_killed + m.shs_completed, m.task_ends);
}

}  // namespace
}  // namespace sparkmedic::gen
