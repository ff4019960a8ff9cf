// Diagnose(): verdicts, findings, localisation, repetition and the retry budget.
//
//  * DiagnosisCorpus: the shared corpus logs that have failures, and healthy ones. Every figure
//    was computed by hand from the raw events (zstd -dc / python over the JSON lines, never
//    sparkmedic); the derivation is in the comment next to its assertion. p-values are exact
//    binomial tails computed with python's fractions + math.comb.
//  * DiagnosisGenerated: every sparkmedic-gen scenario, generated in-process, checked against
//    the generator's manifest (independent ground truth) through a small oracle that maps the
//    generator's vocabulary (catalogue exceptions, executor-loss kinds, kill reasons) to the
//    class docs/failure-classes.md gives it, and against each scenario's promise.
//  * DiagnosisHelpers: BinomialTailAtLeast, EffectiveMaxTaskFailures, VerdictName, and a
//    hand-built model with two streaming queries.
//
// Spark's retry rules used below (docs/spark-facts.md C.1, C.5): ExceptionFailure,
// TaskResultLost and UnknownReason count toward spark.task.maxFailures; ExecutorLostFailure only
// with "Exit Caused By App": true; FetchFailed, TaskKilled and TaskCommitDenied never. The count
// is per (stage, stage attempt, index), and TaskSetManager.handleFailedTask adds to it only
// while the task set is not a zombie (a FetchFailed makes it one at once) and not for a result
// that is not serializable (that aborts the task set before counting). local / local[N] /
// local[*] → 1, local[N,F] → F, everything else (local-cluster included) →
// spark.task.maxFailures, default 4.
#include "sparkmedic/diagnosis.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "sparkmedic/classify.h"
#include "sparkmedic/model.h"

#include "gen_eventlog/generator.h"
#include "testutil.h"

namespace sparkmedic {
namespace {

using Strings = std::vector<std::string>;
using Ids = std::vector<int32_t>;
// (stage, stage attempt, index, counted failures, aborted the stage)
using Budget = std::tuple<int32_t, int32_t, int32_t, uint32_t, bool>;

const Classifier& TheClassifier() {
  static const std::unique_ptr<Classifier> c = Classifier::Create();
  return *c;
}

Diagnosis DiagnoseApp(const Application& app) {
  return Diagnose(app, TheClassifier(), DiagnoseOptions{});
}

const Finding* FindingOf(const Diagnosis& d, FailureClass cls) {
  for (const Finding& f : d.findings) {
    if (f.cls == cls) return &f;
  }
  return nullptr;
}

std::vector<FailureClass> ClassesOf(const Diagnosis& d) {
  std::vector<FailureClass> v;
  for (const Finding& f : d.findings) v.push_back(f.cls);
  return v;
}

// Checks one finding: attempts, attempts counted toward maxFailures (nullopt: not checked),
// stages, executors, hosts.
void ExpectFinding(const Diagnosis& d, FailureClass cls, uint64_t count,
                   std::optional<uint64_t> counted, const Ids& stages, const Strings& executors,
                   const Strings& hosts) {
  SCOPED_TRACE(FailureClassName(cls));
  const Finding* f = FindingOf(d, cls);
  ASSERT_NE(f, nullptr) << "no finding of class " << FailureClassName(cls);
  EXPECT_EQ(f->count, count);
  if (counted) {
    EXPECT_EQ(f->counted_toward_max_failures, *counted);
  }
  EXPECT_EQ(f->stages, stages);
  EXPECT_EQ(f->executors, executors);
  EXPECT_EQ(f->hosts, hosts);
  EXPECT_EQ(f->runbook_scenario, RunbookScenario(cls));
  ASSERT_GT(d.failed_attempts, 0u);
  EXPECT_DOUBLE_EQ(f->share, static_cast<double>(count) / static_cast<double>(d.failed_attempts));
}

// The budget entries as a set (ties in "closest" have no specified order), and a check that
// "closest" is ordered most-counted first.
std::vector<Budget> BudgetOf(const Diagnosis& d) {
  std::vector<Budget> v;
  for (size_t i = 0; i < d.retry.closest.size(); ++i) {
    const BudgetEntry& e = d.retry.closest[i];
    if (i > 0) {
      EXPECT_GE(d.retry.closest[i - 1].counted_failures, e.counted_failures);
    }
    v.emplace_back(e.stage_id, e.stage_attempt, e.index, e.counted_failures, e.aborted_stage);
  }
  std::sort(v.begin(), v.end());
  return v;
}

const PlaceStat* PlaceOf(const std::vector<PlaceStat>& places, const std::string& id) {
  for (const PlaceStat& p : places) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

void ExpectPlace(const std::vector<PlaceStat>& places, const std::string& id, uint64_t tasks,
                 uint64_t failures, double p_value, bool suspect) {
  SCOPED_TRACE(id);
  const PlaceStat* p = PlaceOf(places, id);
  ASSERT_NE(p, nullptr) << "no place " << id;
  EXPECT_EQ(p->tasks, tasks);
  EXPECT_EQ(p->failures, failures);
  EXPECT_NEAR(p->p_value, p_value, p_value * 1e-5 + 1e-15);
  EXPECT_EQ(p->suspect, suspect);
}

std::vector<std::string> SuspectIds(const std::vector<PlaceStat>& places) {
  std::vector<std::string> v;
  for (const PlaceStat& p : places) {
    if (p.suspect) v.push_back(p.id);
  }
  std::sort(v.begin(), v.end());
  return v;
}

size_t CountOf(std::string_view text, std::string_view needle) {
  size_t n = 0;
  for (size_t pos = text.find(needle); pos != std::string_view::npos;
       pos = text.find(needle, pos + needle.size())) {
    ++n;
  }
  return n;
}

// The advice may name spark.task.maxFailures only to say that more retries will not help: in
// the continuous-streaming advice ("... so spark.task.maxFailures only repeats that error ...
// Do not raise task retries for this query.") and in the deterministic-partition advice ("...
// so more retries (spark.task.maxFailures) will not help ..."). Every mention must sit in one
// of those two phrases; nothing may tell the operator to raise it.
void ExpectMaxFailuresOnlyNegative(const Diagnosis& d) {
  constexpr std::string_view kContinuous = "so spark.task.maxFailures only repeats that error";
  constexpr std::string_view kDeterministic =
      "so more retries (spark.task.maxFailures) will not help";
  for (const std::string& a : d.advice) {
    SCOPED_TRACE(a);
    EXPECT_EQ(CountOf(a, "maxFailures"), CountOf(a, kContinuous) + CountOf(a, kDeterministic));
    EXPECT_EQ(a.find("raise spark.task.maxFailures"), std::string::npos);
    EXPECT_EQ(a.find("increase spark.task.maxFailures"), std::string::npos);
    EXPECT_EQ(a.find("spark.task.maxFailures="), std::string::npos);
    if (CountOf(a, kContinuous) > 0) {
      EXPECT_NE(a.find("Do not raise task retries for this query."), std::string::npos);
    }
  }
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// =============================================================================================
// The corpus: logs with failures
// =============================================================================================

Application LoadCorpus(const std::filesystem::path& path) { return testing::LoadOne(path); }

// rapids-profiling/tasks_executors_fail_compressed_eventlog.zstd: Spark 3.1.1 on YARN.
TEST(DiagnosisCorpus, TasksExecutorsFail) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(
      path, "eventlogs/rapids-profiling/tasks_executors_fail_compressed_eventlog.zstd");
  Application app = LoadCorpus(path);
  Diagnosis d = DiagnoseApp(app);

  // 79 JobEnd lines: job 79 has Job Result JobFailed, "Job 79 cancelled because SparkContext
  // was shut down"; every other job JobSucceeded. One StageCompleted has a Failure Reason:
  // stage 238 attempt 0 (org.apache.spark.shuffle.FetchFailedException:
  // ...shuffle_54_8347_0.index).
  EXPECT_EQ(d.verdict, Verdict::kFailed);
  EXPECT_TRUE(StartsWith(d.headline, "Failed:")) << d.headline;
  EXPECT_EQ(d.failed_jobs, Ids({79}));
  EXPECT_EQ(d.failed_stages, (std::vector<std::pair<int32_t, int32_t>>{{238, 0}}));
  // TaskEnd lines: 8630 = 8577 Success + 50 Resubmitted + 1 ExecutorLostFailure + 2 FetchFailed.
  // TaskStart lines: 8580 (= distinct Task IDs). The 50 Resubmitted ends re-report TIDs that had
  // already ended Success in stage 238.0 (27 on executor 1, 23 on executor 2; Failed=false):
  // they are not attempts and not failures.
  // 8630 TaskEnd lines minus those 50 re-reports = 8580 attempts (= TaskStart lines).
  EXPECT_EQ(d.task_attempts, 8580u);
  // Real failures: TID 8519 (ExecutorLostFailure) + TIDs 8560, 8574 (FetchFailed) = 3.
  EXPECT_EQ(d.failed_attempts, 3u);
  EXPECT_EQ(d.killed_not_failures, 0u);  // no TaskKilled line

  // Findings, by count:
  //  * TIDs 8560 and 8574: Reason FetchFailed, stage 238.0, index 72 / 138, attempt 1, Executor
  //    ID 7, Host hostname-08.domain.com; Block Manager Address executor 1 hostname-08.domain.com
  //    port 46008, shuffle 54 → shuffle-fetch (rule fetch-failed). FetchFailed never counts.
  //  * TID 8519: ExecutorLostFailure, stage 238.0 index 168 attempt 0, executor 2, hostname-09,
  //    Exit Caused By App true, Loss Reason "Executor Process Lost" (no exit code, no more
  //    specific rule) → executor-lost; caused by the app → counts.
  ASSERT_EQ(ClassesOf(d),
            (std::vector<FailureClass>{FailureClass::kShuffleFetch, FailureClass::kExecutorLost}));
  ExpectFinding(d, FailureClass::kShuffleFetch, 2, 0, {238}, {"7"}, {"hostname-08.domain.com"});
  ExpectFinding(d, FailureClass::kExecutorLost, 1, 1, {238}, {"2"}, {"hostname-09"});
  EXPECT_EQ(d.findings[0].rule, "fetch-failed");
  EXPECT_EQ(d.findings[1].rule, "executor-lost");
  // Finish Times: 8519 → 1623285426652; 8560 → 1623285426837; 8574 → 1623285426841.
  EXPECT_EQ(d.findings[0].first_time, 1623285426837);
  EXPECT_EQ(d.findings[0].last_time, 1623285426841);
  EXPECT_EQ(d.findings[1].first_time, 1623285426652);
  // Finish − Launch: 8519 → 78 ms; 8560 + 8574 → 34 ms.
  EXPECT_EQ(d.findings[0].wasted_ms, 34);
  EXPECT_EQ(d.findings[1].wasted_ms, 78);

  // Retry budget. spark.master=yarn, no spark.task.maxFailures → 4 (default). Counted failures
  // per (stage, attempt, index): only TID 8519 counts → (238, 0, 168) = 1. No Failure Reason
  // says "failed N times" or "maximum allowable number of times", and job 79's message is not
  // "Job aborted due to stage failure": no abort message. Stage 238 was submitted once.
  EXPECT_EQ(d.retry.max_task_failures, 4);
  EXPECT_EQ(d.retry.max_task_failures_source, "default");
  EXPECT_EQ(d.retry.max_stage_attempts, 4);
  EXPECT_EQ(BudgetOf(d), (std::vector<Budget>{{238, 0, 168, 1, false}}));
  EXPECT_FALSE(d.retry.abort_message.has_value());
  EXPECT_TRUE(d.retry.stage_retries.empty());
  EXPECT_EQ(d.retry.wasted_ms, 112);  // 78 + 34

  // Repetition (counted failures only): (238, 168) failed once (TID 8519) and TID 8550
  // (attempt 1, executor 7) succeeded → 1 transient partition. Indexes 72 and 138 only
  // FetchFailed, which does not count.
  EXPECT_TRUE(d.repetition.deterministic.empty());
  EXPECT_EQ(d.repetition.partitions_failed_once_then_succeeded, 1u);
  EXPECT_EQ(d.repetition.partitions_failed_repeatedly_then_succeeded, 0u);
  EXPECT_FALSE(d.repetition.mostly_deterministic);

  // Localisation over the 8580 attempts. Attempts per executor: 1→1053, 2→1180, 3→1104,
  // 4→747, 5→1153, 6→1147, 7→1085, 8→1111 (8 places: threshold 0.01/8 = 0.00125). Per host
  // (6 places: 0.01/6): hostname-08.domain.com 2138 (executors 1 and 7), hostname-09 1180,
  // hostname-03.domain.com 2215, hostname-01.domain.com 1153, hostname-07.domain.com 1147,
  // hostname-02.domain.com 747. A FetchFailed is attributed to the executor that lost the
  // output (Block Manager Address: executor 1, hostname-08.domain.com), the executor loss to
  // executor 2 on hostname-09.
  // An executor's loss counts once (docs/diagnosis.md): the two FetchFailed ends both blame
  // executor 1's lost output, so they are one incident there; the executor loss is one more.
  //  executor 1: 1 of 1053, others 1/7527 → P(X>=1 | 1053, 1/7527) = 1-(1-1/7527)^1053
  //              = 0.1305597514
  //  executor 2: 1 of 1180, others 1/7400 → 1-(1-1/7400)^1180 = 0.1474046552
  //  hostname-08.domain.com: 1 of 2138, others 1/6442 → 1-(1-1/6442)^2138 = 0.2824482941
  //  hostname-09: 1 of 1180, others 1/7400 → 0.1474046552
  // None has the 3 failures needed to be named: nothing concentrated. The app's failure rate
  // is still per attempt: 3 real failures / 8580 attempts.
  const Localisation& L = d.localisation;
  EXPECT_NEAR(L.app_failure_rate, 3.0 / 8580.0, 1e-12);
  EXPECT_FALSE(L.concentrated);
  ASSERT_EQ(L.executors.size(), 2u);
  EXPECT_EQ(L.executors[0].id, "1");
  EXPECT_EQ(L.executors[0].host, "hostname-08.domain.com");
  ExpectPlace(L.executors, "1", 1053, 1, 0.1305597514, false);
  ExpectPlace(L.executors, "2", 1180, 1, 0.1474046552, false);
  ASSERT_EQ(L.hosts.size(), 2u);
  ExpectPlace(L.hosts, "hostname-08.domain.com", 2138, 1, 0.2824482941, false);
  ExpectPlace(L.hosts, "hostname-09", 1180, 1, 0.1474046552, false);
  EXPECT_TRUE(L.exclusions.empty());  // no Blacklisted/Excluded events
  ExpectMaxFailuresOnlyNegative(d);
}

// rapids-qualification/complex_dec_eventlog.zstd: Spark 3.1.1, local[*].
TEST(DiagnosisCorpus, ComplexDec) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(path, "eventlogs/rapids-qualification/complex_dec_eventlog.zstd");
  Application app = LoadCorpus(path);
  Diagnosis d = DiagnoseApp(app);

  // 36 TaskStart / 36 TaskEnd: 35 Success, 1 ExceptionFailure (TID 32). Job 17 JobFailed and
  // stage 17.0 has a Failure Reason; the other 20 jobs succeeded.
  EXPECT_EQ(d.verdict, Verdict::kFailed);
  EXPECT_EQ(d.failed_jobs, Ids({17}));
  EXPECT_EQ(d.failed_stages, (std::vector<std::pair<int32_t, int32_t>>{{17, 0}}));
  EXPECT_EQ(d.task_attempts, 36u);
  EXPECT_EQ(d.failed_attempts, 1u);
  EXPECT_EQ(d.killed_not_failures, 0u);
  // TID 32: stage 17.0 index 0 attempt 0, Executor ID "driver", Host 10.10.10.11,
  // org.apache.spark.SparkException "Exception thrown in awaitResult" whose Caused-by chain ends
  // in RuntimeException "…smalldec.orc/part-00000-….snappy.orc is not a Parquet file" (ORC read
  // with the Parquet reader) → user-code-data (rule bad-input-format). ExceptionFailure counts.
  ASSERT_EQ(ClassesOf(d), std::vector<FailureClass>{FailureClass::kUserCodeData});
  ExpectFinding(d, FailureClass::kUserCodeData, 1, 1, {17}, {"driver"}, {"10.10.10.11"});
  EXPECT_EQ(d.findings[0].rule, "bad-input-format");
  EXPECT_NE(d.findings[0].message.find("is not a Parquet file"), std::string::npos);

  // spark.master=local[*] → no task retries: effective maxFailures 1. The Failure Reason of
  // 17.0 is "Job aborted due to stage failure: Task 0 in stage 17.0 failed 1 times, most
  // recent failure: Lost task 0.0 in stage 17.0 (TID 32) (10.10.10.11 executor driver): …",
  // so (17, 0, 0) with 1 counted failure reached the limit and aborted the stage.
  EXPECT_EQ(d.retry.max_task_failures, 1);
  EXPECT_NE(d.retry.max_task_failures_source.find("local mode"), std::string::npos);
  EXPECT_EQ(BudgetOf(d), (std::vector<Budget>{{17, 0, 0, 1, true}}));
  ASSERT_TRUE(d.retry.abort_message.has_value());
  EXPECT_TRUE(StartsWith(*d.retry.abort_message,
                         "Job aborted due to stage failure: Task 0 in stage 17.0 failed 1 times, "
                         "most recent failure: Lost task 0.0 in stage 17.0 (TID 32) (10.10.10.11 "
                         "executor driver): org.apache.spark.SparkException: Exception thrown in "
                         "awaitResult:"))
      << *d.retry.abort_message;
  const StageAttempt* st = app.FindStage(17, 0);
  ASSERT_NE(st, nullptr);
  ASSERT_TRUE(st->failure_reason.has_value());
  EXPECT_EQ(*d.retry.abort_message, *st->failure_reason);
  EXPECT_TRUE(d.retry.stage_retries.empty());
  EXPECT_EQ(d.retry.wasted_ms, 41);  // TID 32: Finish − Launch = 41 ms

  // One partition, failed once, never succeeded (the job aborted): neither transient nor
  // deterministic (needs two failures).
  EXPECT_TRUE(d.repetition.deterministic.empty());
  EXPECT_EQ(d.repetition.partitions_failed_once_then_succeeded, 0u);
  EXPECT_EQ(d.repetition.partitions_failed_repeatedly_then_succeeded, 0u);

  // One executor (driver) on one host: nothing to compare with, nobody is a suspect.
  EXPECT_FALSE(d.localisation.concentrated);
  ExpectPlace(d.localisation.executors, "driver", 36, 1, 1.0, false);
  ExpectPlace(d.localisation.hosts, "10.10.10.11", 36, 1, 1.0, false);
  // No retries in local mode: the advice says so.
  EXPECT_TRUE(std::any_of(d.advice.begin(), d.advice.end(), [](const std::string& a) {
    return StartsWith(a, "Tasks are not retried here (local mode");
  }));
  ExpectMaxFailuresOnlyNegative(d);
}

// spark-2.4-tests/local-1422981780767: Spark 1.2, local[*], one RuntimeException.
TEST(DiagnosisCorpus, Local1422981780767) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(path, "eventlogs/spark-2.4-tests/local-1422981780767");
  Application app = LoadCorpus(path);
  Diagnosis d = DiagnoseApp(app);

  // 32 TaskStart / 32 TaskEnd: 31 Success, 1 ExceptionFailure. Job 1 JobFailed, stage 2.0 has a
  // Failure Reason; jobs 0 and 2 succeeded.
  EXPECT_EQ(d.verdict, Verdict::kFailed);
  EXPECT_EQ(d.failed_jobs, Ids({1}));
  EXPECT_EQ(d.failed_stages, (std::vector<std::pair<int32_t, int32_t>>{{2, 0}}));
  EXPECT_EQ(d.task_attempts, 32u);
  EXPECT_EQ(d.failed_attempts, 1u);
  // TID 19: stage 2.0 index 3 attempt 0, Executor ID "<driver>", Host localhost,
  // java.lang.RuntimeException "got a 3, failing" thrown at
  // $line11.$read$$iwC$$iwC$$iwC$$iwC$$anonfun$1.apply(<console>:18) — the shell user's own code
  // → user-code-data (rule thrown-in-app-code).
  ASSERT_EQ(ClassesOf(d), std::vector<FailureClass>{FailureClass::kUserCodeData});
  ExpectFinding(d, FailureClass::kUserCodeData, 1, 1, {2}, {"<driver>"}, {"localhost"});
  EXPECT_EQ(d.findings[0].rule, "thrown-in-app-code");
  EXPECT_EQ(d.findings[0].first_time, 1422981786343);  // TID 19 Finish Time

  // local[*] → 1. Failure Reason: "Job aborted due to stage failure: Task 3 in stage 2.0
  // failed 1 times, most recent failure: Lost task 3.0 in stage 2.0 (TID 19, localhost): …"
  // (the 1.x/2.x "(TID t, host)" form) → (2, 0, 3) counted 1, aborted.
  EXPECT_EQ(d.retry.max_task_failures, 1);
  EXPECT_NE(d.retry.max_task_failures_source.find("local mode"), std::string::npos);
  EXPECT_EQ(BudgetOf(d), (std::vector<Budget>{{2, 0, 3, 1, true}}));
  ASSERT_TRUE(d.retry.abort_message.has_value());
  EXPECT_TRUE(StartsWith(*d.retry.abort_message,
                         "Job aborted due to stage failure: Task 3 in stage 2.0 failed 1 times, "
                         "most recent failure: Lost task 3.0 in stage 2.0 (TID 19, localhost): "
                         "java.lang.RuntimeException: got a 3, failing"))
      << *d.retry.abort_message;
  EXPECT_EQ(d.retry.wasted_ms, 46);  // TID 19: 46 ms
  EXPECT_TRUE(d.repetition.deterministic.empty());
  EXPECT_FALSE(d.localisation.concentrated);
  ExpectPlace(d.localisation.executors, "<driver>", 32, 1, 1.0, false);
  ExpectMaxFailuresOnlyNegative(d);
}

// spark-2.4-tests/app-20161115172038-0000: local-cluster[4,4,1024], spark.task.maxFailures=4,
// spark.blacklist.enabled=TRUE; executors 0 and 2 throw "bad exec".
TEST(DiagnosisCorpus, Blacklisting20161115) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(path, "eventlogs/spark-2.4-tests/app-20161115172038-0000");
  Application app = LoadCorpus(path);
  Diagnosis d = DiagnoseApp(app);

  // 26 TaskEnd: 16 Success, 10 ExceptionFailure; the only job (0) succeeded.
  EXPECT_EQ(d.verdict, Verdict::kRecovered);
  EXPECT_TRUE(StartsWith(d.headline, "Recovered:")) << d.headline;
  EXPECT_TRUE(d.failed_jobs.empty());
  EXPECT_TRUE(d.failed_stages.empty());
  EXPECT_EQ(d.task_attempts, 26u);
  EXPECT_EQ(d.failed_attempts, 10u);
  // All 10: java.lang.RuntimeException "bad exec" thrown from
  // $line16.$read…$anonfun$1.apply$mcII$sp(<console>:26) → user-code-data. Stage 0 only.
  // Executor 0: TIDs 1, 5, 9, 13; executor 2: TIDs 3, 7, 11, 15, 19 (index 11 again),
  // 20 (index 15 again). All on host 172.22.0.111.
  ASSERT_EQ(ClassesOf(d), std::vector<FailureClass>{FailureClass::kUserCodeData});
  ExpectFinding(d, FailureClass::kUserCodeData, 10, 10, {0}, {"0", "2"}, {"172.22.0.111"});
  EXPECT_EQ(d.findings[0].first_time, 1479252044720);
  EXPECT_EQ(d.findings[0].last_time, 1479252044789);
  EXPECT_EQ(d.findings[0].wasted_ms, 5533);

  // local-cluster is not local mode: spark.task.maxFailures=4 applies.
  // Counted per (0, 0, index): 11 → 2 (TIDs 11, 19), 15 → 2 (TIDs 15, 20), 1, 3, 5, 7, 9,
  // 13 → 1. Nothing aborted.
  EXPECT_EQ(d.retry.max_task_failures, 4);
  EXPECT_EQ(d.retry.max_task_failures_source, "spark.task.maxFailures");
  EXPECT_EQ(BudgetOf(d), (std::vector<Budget>{{0, 0, 1, 1, false},
                                              {0, 0, 3, 1, false},
                                              {0, 0, 5, 1, false},
                                              {0, 0, 7, 1, false},
                                              {0, 0, 9, 1, false},
                                              {0, 0, 11, 2, false},
                                              {0, 0, 13, 1, false},
                                              {0, 0, 15, 2, false}}));
  EXPECT_FALSE(d.retry.abort_message.has_value());
  EXPECT_EQ(d.retry.wasted_ms, 5533);
  // Indexes 11 and 15 failed twice then succeeded; the six others once.
  EXPECT_TRUE(d.repetition.deterministic.empty());
  EXPECT_EQ(d.repetition.partitions_failed_once_then_succeeded, 6u);
  EXPECT_EQ(d.repetition.partitions_failed_repeatedly_then_succeeded, 2u);

  // Localisation. Attempts per executor: 0→4, 1→12, 2→6, 3→4 (4 places: 0.01/4 = 0.0025).
  //  executor 2: 6 of 6, others 4/20 → 0.2^6 = 6.4e-05 < 0.0025 → suspect
  //  executor 0: 4 of 4, others 6/22 → (6/22)^4 = 0.00553241 > 0.0025 → not a suspect
  // One host (172.22.0.111, 26 attempts, 10 failures): nothing to compare with → p = 1.
  const Localisation& L = d.localisation;
  EXPECT_NEAR(L.app_failure_rate, 10.0 / 26.0, 1e-12);
  EXPECT_TRUE(L.concentrated);
  ASSERT_EQ(L.executors.size(), 2u);
  EXPECT_EQ(L.executors[0].id, "2");
  ExpectPlace(L.executors, "2", 6, 6, 6.4e-05, true);
  ExpectPlace(L.executors, "0", 4, 4, 0.00553241, false);
  ASSERT_EQ(L.hosts.size(), 1u);
  ExpectPlace(L.hosts, "172.22.0.111", 26, 10, 1.0, false);
  // ExecutorBlacklisted 2 and 0, NodeBlacklisted 172.22.0.111, then their three Unblacklisted.
  EXPECT_EQ(L.exclusions.size(), 6u);
  EXPECT_TRUE(std::any_of(d.advice.begin(), d.advice.end(), [](const std::string& a) {
    return StartsWith(a, "Failures concentrate on executor 2 on 172.22.0.111");
  }));
  ExpectMaxFailuresOnlyNegative(d);
}

// spark-2.4-tests/app-20161116163331-0000: the same test app, 8 failures.
TEST(DiagnosisCorpus, Blacklisting20161116) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(path, "eventlogs/spark-2.4-tests/app-20161116163331-0000");
  Application app = LoadCorpus(path);
  Diagnosis d = DiagnoseApp(app);

  // 24 TaskEnd: 16 Success, 8 ExceptionFailure "bad exec"; job 0 succeeded.
  EXPECT_EQ(d.verdict, Verdict::kRecovered);
  EXPECT_EQ(d.task_attempts, 24u);
  EXPECT_EQ(d.failed_attempts, 8u);
  // Executor 2: TIDs 1, 5, 9, 13; executor 0: TIDs 2, 6, 10, 14; host 172.22.0.167; stage 0.
  ASSERT_EQ(ClassesOf(d), std::vector<FailureClass>{FailureClass::kUserCodeData});
  ExpectFinding(d, FailureClass::kUserCodeData, 8, 8, {0}, {"0", "2"}, {"172.22.0.167"});
  EXPECT_EQ(d.findings[0].rule, "thrown-in-app-code");
  // Eight distinct indexes (1, 2, 5, 6, 9, 10, 13, 14), one counted failure each.
  EXPECT_EQ(d.retry.max_task_failures, 4);
  EXPECT_EQ(d.retry.max_task_failures_source, "spark.task.maxFailures");
  EXPECT_EQ(BudgetOf(d), (std::vector<Budget>{{0, 0, 1, 1, false},
                                              {0, 0, 2, 1, false},
                                              {0, 0, 5, 1, false},
                                              {0, 0, 6, 1, false},
                                              {0, 0, 9, 1, false},
                                              {0, 0, 10, 1, false},
                                              {0, 0, 13, 1, false},
                                              {0, 0, 14, 1, false}}));
  EXPECT_EQ(d.retry.wasted_ms, 5088);
  EXPECT_EQ(d.repetition.partitions_failed_once_then_succeeded, 8u);
  EXPECT_EQ(d.repetition.partitions_failed_repeatedly_then_succeeded, 0u);
  // Attempts per executor: 0→4, 1→4, 2→4, 3→12 (threshold 0.01/4 = 0.0025).
  //  executors 0 and 2: 4 of 4 each, others 4/20 → 0.2^4 = 0.0016 < 0.0025 → both suspects.
  const Localisation& L = d.localisation;
  EXPECT_TRUE(L.concentrated);
  ExpectPlace(L.executors, "0", 4, 4, 0.0016, true);
  ExpectPlace(L.executors, "2", 4, 4, 0.0016, true);
  EXPECT_EQ(SuspectIds(L.executors), Strings({"0", "2"}));
  ExpectPlace(L.hosts, "172.22.0.167", 24, 8, 1.0, false);
  // ExecutorBlacklisted 2, ExecutorBlacklisted 0, NodeBlacklisted 172.22.0.167.
  EXPECT_EQ(L.exclusions.size(), 3u);
  ExpectMaxFailuresOnlyNegative(d);
}

// spark-2.4-tests/application_1538416563558_0014: YARN, 8 executors lost with exit 56.
TEST(DiagnosisCorpus, LostExecutors1538416563558) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(path, "eventlogs/spark-2.4-tests/application_1538416563558_0014");
  Application app = LoadCorpus(path);
  Diagnosis d = DiagnoseApp(app);

  // 35 TaskEnd: 27 Success, 8 ExecutorLostFailure; all 8 jobs succeeded.
  EXPECT_EQ(d.verdict, Verdict::kRecovered);
  EXPECT_TRUE(d.failed_jobs.empty());
  EXPECT_TRUE(d.failed_stages.empty());
  EXPECT_EQ(d.task_attempts, 35u);
  EXPECT_EQ(d.failed_attempts, 8u);
  // TIDs 13 (7.0 idx 0, exec 1), 14 (7.0 idx 0, exec 2), 17 (8.0 idx 0, exec 3), 20 (9.0 idx 0,
  // exec 4), 21 (9.0 idx 1, exec 5), 22 (9.0 idx 1, exec 6, rezamemory-3), 31 (13.0 idx 0,
  // exec 7, rezamemory-3), 32 (13.0 idx 0, exec 8); the others on rezamemory-2. Every one
  // Exit Caused By App true, Loss Reason "Container marked as failed: … Exit status: 56" —
  // HEARTBEAT_FAILURE → task-timeout-kill (rule exit-56). All 8 count.
  ASSERT_EQ(ClassesOf(d), std::vector<FailureClass>{FailureClass::kTaskTimeoutKill});
  ExpectFinding(d, FailureClass::kTaskTimeoutKill, 8, 8, {7, 8, 9, 13},
                {"1", "2", "3", "4", "5", "6", "7", "8"},
                {"rezamemory-2.gce.something.com", "rezamemory-3.gce.something.com"});
  EXPECT_EQ(d.findings[0].rule, "exit-56");
  EXPECT_EQ(d.findings[0].wasted_ms, 32724);
  // spark.master=yarn, no spark.task.maxFailures → 4. Counted: (7,0,0)=2 (TIDs 13, 14),
  // (9,0,1)=2 (21, 22), (13,0,0)=2 (31, 32), (8,0,0)=1, (9,0,0)=1.
  EXPECT_EQ(d.retry.max_task_failures, 4);
  EXPECT_EQ(d.retry.max_task_failures_source, "default");
  EXPECT_EQ(BudgetOf(d), (std::vector<Budget>{{7, 0, 0, 2, false},
                                              {8, 0, 0, 1, false},
                                              {9, 0, 0, 1, false},
                                              {9, 0, 1, 2, false},
                                              {13, 0, 0, 2, false}}));
  EXPECT_FALSE(d.retry.abort_message.has_value());
  EXPECT_TRUE(d.retry.stage_retries.empty());
  // (8,0) and (9,0) failed once then succeeded; (7,0), (9,1), (13,0) twice then succeeded.
  EXPECT_TRUE(d.repetition.deterministic.empty());
  EXPECT_EQ(d.repetition.partitions_failed_once_then_succeeded, 2u);
  EXPECT_EQ(d.repetition.partitions_failed_repeatedly_then_succeeded, 3u);
  // Attempts per executor: 1→14, 2→1, 3→3, 4→2, 5→2, 6→1, 7→9, 8→1, 9→2 (9 places); one failure
  // on each of 1–8: nobody reaches 3 failures. Hosts: rezamemory-2 25 attempts 6 failures,
  // others 2/10 → P(X>=6 | 25, 0.2) = 0.3833105882; rezamemory-3 10 attempts 2 failures.
  //  executor 2: P(X>=1 | 1, 7/34) = 0.205882; executor 3: P(X>=1 | 3, 7/32) = 0.523163.
  // executor 1 (1 of 14, others 7/21): P(X>=1 | 14, 1/3) = 1-(2/3)^14 = 0.9965745126;
  // rezamemory-3 (2 of 10, others 6/25): P(X>=2 | 10, 0.24) = 0.7326935654.
  const Localisation& L = d.localisation;
  EXPECT_FALSE(L.concentrated);
  EXPECT_EQ(L.executors.size(), 8u);
  ExpectPlace(L.executors, "2", 1, 1, 0.205882352941, false);
  ExpectPlace(L.executors, "3", 3, 1, 0.523163, false);
  ExpectPlace(L.hosts, "rezamemory-2.gce.something.com", 25, 6, 0.3833105882, false);
  const PlaceStat* r3 = PlaceOf(L.hosts, "rezamemory-3.gce.something.com");
  ASSERT_NE(r3, nullptr);
  EXPECT_EQ(r3->tasks, 10u);
  EXPECT_EQ(r3->failures, 2u);
  EXPECT_FALSE(r3->suspect);
  EXPECT_NEAR(r3->p_value, 0.7326935654, 1e-9);
  ExpectPlace(L.executors, "1", 14, 1, 0.9965745126, false);
  EXPECT_TRUE(SuspectIds(L.hosts).empty());
  ExpectMaxFailuresOnlyNegative(d);
}

// spark-current-tests/app-20180109111548-0000: local-cluster[2,1,1024], blacklisting for a stage.
TEST(DiagnosisCorpus, BadExecutor20180109) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(path, "eventlogs/spark-current-tests/app-20180109111548-0000");
  Application app = LoadCorpus(path);
  Diagnosis d = DiagnoseApp(app);

  // 22 TaskEnd: 20 Success, 2 ExceptionFailure; job 0 succeeded.
  EXPECT_EQ(d.verdict, Verdict::kRecovered);
  EXPECT_EQ(d.task_attempts, 22u);
  EXPECT_EQ(d.failed_attempts, 2u);
  // TIDs 0 and 2 (stage 0.0, index 0 and 2, attempt 0), executor 0 on 172.30.65.138:
  // RuntimeException "Bad executor" from $line17.$read…(<console>:27) → user-code-data.
  ASSERT_EQ(ClassesOf(d), std::vector<FailureClass>{FailureClass::kUserCodeData});
  ExpectFinding(d, FailureClass::kUserCodeData, 2, 2, {0}, {"0"}, {"172.30.65.138"});
  // local-cluster, no spark.task.maxFailures → the default 4.
  EXPECT_EQ(d.retry.max_task_failures, 4);
  EXPECT_EQ(d.retry.max_task_failures_source, "default");
  EXPECT_EQ(BudgetOf(d), (std::vector<Budget>{{0, 0, 0, 1, false}, {0, 0, 2, 1, false}}));
  EXPECT_EQ(d.retry.wasted_ms, 589);
  EXPECT_EQ(d.repetition.partitions_failed_once_then_succeeded, 2u);
  // Executor 0: 5 attempts, 2 failures; executor 1: 17 attempts, none. Others' rate 0/17 →
  // half a failure: P(X>=2 | 5, 0.5/17) = 0.008152801655; and 2 < 3 failures → not named.
  EXPECT_FALSE(d.localisation.concentrated);
  ExpectPlace(d.localisation.executors, "0", 5, 2, 0.008152801655, false);
  ExpectPlace(d.localisation.hosts, "172.30.65.138", 22, 2, 1.0, false);
  EXPECT_EQ(d.localisation.exclusions.size(), 1u);  // ExecutorBlacklistedForStage 0
  ExpectMaxFailuresOnlyNegative(d);
}

// spark-current-tests/application_1516285256255_0012: YARN, blacklisting of a node for a stage.
TEST(DiagnosisCorpus, BadExecutor1516285256255) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(path,
                                 "eventlogs/spark-current-tests/application_1516285256255_0012");
  Application app = LoadCorpus(path);
  Diagnosis d = DiagnoseApp(app);

  // 24 TaskEnd: 20 Success, 4 ExceptionFailure "Bad executor"; job 0 succeeded.
  EXPECT_EQ(d.verdict, Verdict::kRecovered);
  EXPECT_EQ(d.task_attempts, 24u);
  EXPECT_EQ(d.failed_attempts, 4u);
  // TIDs 1, 5 on executor 5 and 4, 6 on executor 4, all on apiros-2.gce.test.com, stage 0.
  ASSERT_EQ(ClassesOf(d), std::vector<FailureClass>{FailureClass::kUserCodeData});
  ExpectFinding(d, FailureClass::kUserCodeData, 4, 4, {0}, {"4", "5"}, {"apiros-2.gce.test.com"});
  EXPECT_EQ(d.retry.max_task_failures, 4);
  EXPECT_EQ(
      BudgetOf(d),
      (std::vector<Budget>{
          {0, 0, 1, 1, false}, {0, 0, 4, 1, false}, {0, 0, 5, 1, false}, {0, 0, 6, 1, false}}));
  EXPECT_EQ(d.retry.wasted_ms, 3168);
  EXPECT_EQ(d.repetition.partitions_failed_once_then_succeeded, 4u);
  // Hosts: apiros-2 12 attempts (executors 4, 5 and 3), apiros-3 12 (executors 1, 2).
  // apiros-2: 4 of 12; the other host 0 of 12 → half a failure: rate 0.5/12 = 1/24;
  // P(X>=4 | 12, 1/24) = 0.001139161765 < 0.01/2 → suspect (with the raw rate 0 it is 0).
  // Executors (5 places, 0.01/5 = 0.002): 5 → 2 of 4, others 2/20: P(X>=2 | 4, 0.1) = 0.0523;
  // 4 → 2 of 5, others 2/19: 0.08926622078; both below 3 failures anyway.
  const Localisation& L = d.localisation;
  EXPECT_TRUE(L.concentrated);
  ExpectPlace(L.hosts, "apiros-2.gce.test.com", 12, 4, 0.001139161765, true);
  EXPECT_EQ(SuspectIds(L.hosts), Strings({"apiros-2.gce.test.com"}));
  ExpectPlace(L.executors, "5", 4, 2, 0.0523, false);
  ExpectPlace(L.executors, "4", 5, 2, 0.08926622078, false);
  EXPECT_TRUE(SuspectIds(L.executors).empty());
  // ExecutorBlacklistedForStage 5, NodeBlacklistedForStage apiros-2, ExecutorBlacklistedForStage 4.
  EXPECT_EQ(L.exclusions.size(), 3u);
  EXPECT_TRUE(std::any_of(d.advice.begin(), d.advice.end(), [](const std::string& a) {
    return StartsWith(a, "Failures concentrate on host apiros-2.gce.test.com");
  }));
  ExpectMaxFailuresOnlyNegative(d);
}

// =============================================================================================
// The corpus: healthy logs (no false alarms)
// =============================================================================================

void ExpectNoAlarm(const Diagnosis& d) {
  EXPECT_EQ(d.verdict, Verdict::kHealthy);
  EXPECT_TRUE(StartsWith(d.headline, "Healthy:")) << d.headline;
  EXPECT_EQ(d.failed_attempts, 0u);
  EXPECT_TRUE(d.findings.empty());
  EXPECT_TRUE(d.failed_jobs.empty());
  EXPECT_TRUE(d.failed_stages.empty());
  EXPECT_FALSE(d.localisation.concentrated);
  EXPECT_TRUE(d.localisation.executors.empty());
  EXPECT_TRUE(d.localisation.hosts.empty());
  EXPECT_TRUE(d.repetition.deterministic.empty());
  EXPECT_TRUE(d.retry.closest.empty());
  EXPECT_FALSE(d.retry.abort_message.has_value());
  EXPECT_TRUE(d.advice.empty());
}

// spark-current-tests/application_1628109047826_1317105: YARN, dynamic allocation, speculation.
TEST(DiagnosisCorpus, HealthyDynamicAllocationAndSpeculation) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(path,
                                 "eventlogs/spark-current-tests/application_1628109047826_1317105");
  Application app = LoadCorpus(path);
  // The premise: six ExecutorRemoved lines (executors 1, 9, 2, 3, 6, 4), each "Container
  // container_e18_…_0000NN exited from explicit termination request." (dynamic allocation).
  int removed = 0;
  for (const auto& [id, x] : app.executors) {
    if (x.remove_reason) {
      ++removed;
      EXPECT_NE(x.remove_reason->find("explicit termination request"), std::string::npos);
    }
  }
  EXPECT_EQ(removed, 6);
  Diagnosis d = DiagnoseApp(app);
  // 5 TaskEnd: 4 Success and TID 4 (stage 0.0 index 3 attempt 1, executor 7, Speculative true,
  // Killed true, TaskKilled "another attempt succeeded"): a speculative copy that lost, not a
  // failure. The removals are not failures either.
  ExpectNoAlarm(d);
  EXPECT_EQ(d.task_attempts, 5u);
  EXPECT_EQ(d.killed_not_failures, 1u);
  EXPECT_EQ(d.retry.max_task_failures, 4);  // yarn, no key
  // The killed copy ran 53201 ms (Finish − Launch): time spent on an attempt that did not win.
  EXPECT_EQ(d.retry.wasted_ms, 53201);
}

// spark-2.4-tests/local-1430917381534: 110 successful tasks, local[*].
TEST(DiagnosisCorpus, HealthyLocal1430917381534) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(path, "eventlogs/spark-2.4-tests/local-1430917381534");
  Diagnosis d = DiagnoseApp(LoadCorpus(path));
  ExpectNoAlarm(d);
  EXPECT_EQ(d.task_attempts, 110u);  // 110 TaskEnd, all Success
  EXPECT_EQ(d.killed_not_failures, 0u);
  EXPECT_EQ(d.retry.max_task_failures, 1);  // local[*]; no failure, so no "not retried" advice
  EXPECT_EQ(d.retry.wasted_ms, 0);
}

// rapids-profiling/rapids_join_eventlog.zstd: 213 successful tasks, local[*].
TEST(DiagnosisCorpus, HealthyRapidsJoin) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(path, "eventlogs/rapids-profiling/rapids_join_eventlog.zstd");
  Diagnosis d = DiagnoseApp(LoadCorpus(path));
  ExpectNoAlarm(d);
  EXPECT_EQ(d.task_attempts, 213u);  // 213 TaskEnd, all Success
  EXPECT_EQ(d.killed_not_failures, 0u);
  EXPECT_EQ(d.retry.max_task_failures, 1);
}

// =============================================================================================
// Generated logs: every sparkmedic-gen scenario against its manifest
// =============================================================================================

struct Generated {
  gen::Manifest m;
  Application app;
  Diagnosis d;
};

// Generates `scenario` with its preset (seed 1), loads it like any log and diagnoses it.
// in_progress: the log of a running application, stopped after `stop_at` of its attempts.
std::unique_ptr<Generated> Generate(const std::string& scenario, bool in_progress = false,
                                    double stop_at = 0.85) {
  auto g = std::make_unique<Generated>();
  gen::Options o;
  EXPECT_TRUE(gen::ApplyScenario(scenario, &o).ok()) << scenario;
  o.in_progress = in_progress;
  o.stop_at = stop_at;
  std::string log;
  Status st = gen::GenerateToString(o, &log, &g->m);
  EXPECT_TRUE(st.ok()) << scenario;
  testing::ScratchDir dir;
  const std::string name = g->m.app_id + (in_progress ? ".inprogress" : "");
  testing::WriteFileOrDie(dir / name, log);
  g->app = testing::LoadOne(dir / name);
  g->d = DiagnoseApp(g->app);
  return g;
}

uint64_t Get(const std::map<std::string, uint64_t>& m, const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? 0 : it->second;
}

bool Has(std::string_view text, std::string_view needle) {
  return text.find(needle) != std::string_view::npos;
}

// The oracle: the class docs/failure-classes.md gives each failure the generator writes, by
// the generator's own vocabulary (docs/generator.md: the exception catalogue, the executor-loss
// kinds with their K8s texts, the kill reasons). nullopt: not a failure (a speculative copy
// killed because another attempt won, a kill for a cancelled stage or from the Web UI).
std::optional<FailureClass> OracleClass(const Application& app, const TaskFailure& f) {
  switch (f.kind) {
    case TaskEndKind::kFetchFailed:
      return FailureClass::kShuffleFetch;
    case TaskEndKind::kTaskResultLost:
      return FailureClass::kExecutorLost;  // row 22
    case TaskEndKind::kUnknownReason:
      return FailureClass::kUnknown;  // no rule
    case TaskEndKind::kTaskCommitDenied:
      return FailureClass::kCommitDenied;
    case TaskEndKind::kTaskKilled:
      if (f.kill_reason == "another attempt succeeded" || f.kill_reason == "Stage cancelled" ||
          f.kill_reason == "killed via the Web UI") {
        return std::nullopt;  // speculative-duplicate / stage-cancelled: not failures
      }
      break;
    case TaskEndKind::kExecutorLostFailure: {
      std::string text = f.loss_reason.value_or("");
      auto x = app.executors.find(f.lost_executor_id);
      if (x != app.executors.end() && x->second.remove_reason) text += *x->second.remove_reason;
      if (Has(text, "exit code 137")) return FailureClass::kContainerOomKilled;  // :137
      if (Has(text, "exit code 52")) return FailureClass::kJvmOom;               // :52, oom
      if (Has(text, "exit code 53")) return FailureClass::kDiskFull;             // :53
      if (Has(text, "decommission")) return FailureClass::kExecutorDecommission;
      if (Has(text, "heartbeat timed out")) return FailureClass::kTaskTimeoutKill;
      if (Has(text, "exit code 143")) return FailureClass::kExecutorLost;  // no exit-143 rule
      if (Has(text, "deleted by a user or the framework")) return FailureClass::kExecutorLost;
      break;
    }
    case TaskEndKind::kExceptionFailure: {
      const std::string& c = f.class_name;
      if (c == "java.lang.OutOfMemoryError") return FailureClass::kJvmOom;  // heap and direct
      if (c == "java.lang.NullPointerException" || c == "java.lang.NumberFormatException" ||
          c == "java.lang.ArithmeticException" || c == "com.example.etl.BadRecordException" ||
          c == "org.apache.spark.api.python.PythonException") {  // (its traceback: ValueError)
        return FailureClass::kUserCodeData;
      }
      if (c == "java.io.NotSerializableException") return FailureClass::kSerialization;
      if (c == "java.lang.ClassNotFoundException") return FailureClass::kClassNotFound;
      if (c == "java.net.ConnectException") return FailureClass::kTransientNetwork;
      if (c == "java.io.IOException" && Has(f.description, "No space left on device")) {
        return FailureClass::kDiskFull;
      }
      if (c == "java.io.IOException" && Has(f.description, "Connection reset")) {
        return FailureClass::kTransientNetwork;
      }
      if (c == "org.apache.hadoop.ipc.RemoteException" || c == "java.io.FileNotFoundException") {
        return FailureClass::kHadoopHdfs;  // FileNotFoundException: Caused by RemoteException
      }
      if (c == "org.apache.spark.sql.execution.streaming.continuous.ContinuousTaskRetryException") {
        return FailureClass::kContinuousStreamingRetry;
      }
      if (c == "org.apache.spark.SparkException" &&
          Has(f.description, "Python worker exited unexpectedly")) {
        return FailureClass::kPythonWorkerCrash;
      }
      break;
    }
    default:
      break;
  }
  ADD_FAILURE() << "the oracle does not know this end: " << f.ErrorString().substr(0, 300);
  return std::nullopt;
}

// Spark's rule by reason, written out (docs/spark-facts.md C.1), not CountsTowardTaskFailures().
bool OracleCounts(const TaskFailure& f) {
  switch (f.kind) {
    case TaskEndKind::kExceptionFailure:
    case TaskEndKind::kTaskResultLost:
    case TaskEndKind::kUnknownReason:
      return true;
    case TaskEndKind::kExecutorLostFailure:
      return f.exit_caused_by_app;
    default:
      return false;
  }
}

struct Expected {
  uint64_t count = 0, counted = 0;
  // Of a counting kind, but not counted by TaskSetManager: ended after the task set became a
  // zombie, or aborted the stage at once (a result that is not serializable).
  uint64_t uncounted = 0;
  std::set<int32_t> stages;
  std::set<std::string> executors, hosts;
};

struct OracleResult {
  std::map<FailureClass, Expected> classes;
  uint64_t attempts = 0;  // ended attempts (Resubmitted re-reports are not attempts)
  uint64_t failures = 0, not_failures = 0;
  // Per host: attempts (Resubmitted re-reports left out) and failures attributed there (a
  // fetch failure to the host whose output was lost).
  std::map<std::string, std::pair<uint64_t, uint64_t>> hosts;
  // Per (stage, stage attempt, index): counted failures, and the indexes that also have
  // failures of a counting kind that Spark does not count (see Expected::uncounted).
  std::map<std::tuple<int32_t, int32_t, int32_t>, uint32_t> counted;
  std::set<std::tuple<int32_t, int32_t, int32_t>> uncounted_keys;
};

// Runs the oracle over the loaded log and checks first that the log is what the manifest says
// (every TaskEnd reason, exception class, kill reason, executor-loss attribution), so the
// expectations rest on the generator's ground truth.
OracleResult Oracle(const Generated& g) {
  OracleResult r;
  std::map<std::string, uint64_t> reasons, exceptions, kills;
  uint64_t caused = 0, not_caused = 0;
  // TaskSetManager.handleFailedTask counts a failure only `if (!isZombie &&
  // reason.countTowardsTaskFailures)`, and a FetchFailed makes the task set a zombie at once.
  // So a failure that ends after the first FetchFailed of its stage attempt does not count.
  // Before that, an ExceptionFailure of class java.io.NotSerializableException (a result that
  // cannot be serialized) or TaskOutputFileAlreadyExistException aborts the task set and
  // returns without counting.
  std::map<std::pair<int32_t, int32_t>, TimeMs> zombie_since;
  for (const TaskAttempt& t : g.app.tasks) {
    if (t.end != TaskEndKind::kFetchFailed) continue;
    auto [it, inserted] = zombie_since.try_emplace({t.stage_id, t.stage_attempt}, t.finish_time);
    if (!inserted) it->second = std::min(it->second, t.finish_time);
  }
  std::set<std::pair<int, std::string>> incidents;
  for (const TaskAttempt& t : g.app.tasks) {
    if (t.end == TaskEndKind::kRunning) continue;
    ++reasons[TaskEndKindName(t.end)];
    if (t.end == TaskEndKind::kResubmitted) continue;
    ++r.attempts;
    auto& h = r.hosts[std::string(g.app.HostOf(t))];
    ++h.first;
    if (t.end == TaskEndKind::kSuccess) continue;
    const TaskFailure* f = g.app.FailureOf(t);
    if (f == nullptr) {
      ADD_FAILURE() << "no failure details for task " << t.task_id;
      continue;
    }
    if (f->kind == TaskEndKind::kExceptionFailure) ++exceptions[f->class_name];
    if (f->kind == TaskEndKind::kTaskKilled) ++kills[f->kill_reason];
    if (f->kind == TaskEndKind::kExecutorLostFailure)
      ++(f->exit_caused_by_app ? caused : not_caused);
    auto z = zombie_since.find({t.stage_id, t.stage_attempt});
    const bool after_zombie = z != zombie_since.end() && t.finish_time > z->second;
    const bool immediate_abort =
        f->kind == TaskEndKind::kExceptionFailure &&
        (f->class_name == "java.io.NotSerializableException" ||
         f->class_name == "org.apache.spark.TaskOutputFileAlreadyExistException");
    const bool counts = OracleCounts(*f) && !after_zombie && !immediate_abort;
    const bool uncounted = OracleCounts(*f) && !counts;
    if (counts) ++r.counted[{t.stage_id, t.stage_attempt, t.index}];
    if (uncounted) r.uncounted_keys.insert({t.stage_id, t.stage_attempt, t.index});
    std::optional<FailureClass> cls = OracleClass(g.app, *f);
    if (!cls) {
      ++r.not_failures;
      continue;
    }
    ++r.failures;
    Expected& e = r.classes[*cls];
    ++e.count;
    e.counted += counts ? 1 : 0;
    e.uncounted += uncounted ? 1 : 0;
    e.stages.insert(t.stage_id);
    e.executors.insert(std::string(g.app.ExecutorOf(t)));
    e.hosts.insert(std::string(g.app.HostOf(t)));
    // Localisation counts an executor's loss once: its lost tasks are one incident at that
    // executor, and fetch failures blaming its output one more (docs/diagnosis.md).
    const bool fetch = f->kind == TaskEndKind::kFetchFailed;
    const std::string place =
        fetch && f->has_block_manager ? f->bm_executor_id : std::string(g.app.ExecutorOf(t));
    if ((fetch || f->kind == TaskEndKind::kExecutorLostFailure) &&
        !incidents.insert({fetch ? 1 : 0, place}).second) {
      continue;
    }
    if (fetch && f->has_block_manager) {
      ++r.hosts[f->bm_host].second;
    } else {
      ++h.second;
    }
  }
  for (const auto& [reason, n] : g.m.task_end_reasons) {
    EXPECT_EQ(Get(reasons, reason), n) << "TaskEnd reason " << reason;
  }
  EXPECT_EQ(exceptions, g.m.exception_classes);
  EXPECT_EQ(kills, g.m.kill_reasons);
  EXPECT_EQ(caused, g.m.executor_lost_caused_by_app);
  EXPECT_EQ(not_caused, g.m.executor_lost_not_caused_by_app);
  return r;
}

template <typename T>
std::vector<T> Sorted(const std::set<T>& s) {
  return std::vector<T>(s.begin(), s.end());
}

// What holds for every scenario: the findings are exactly the oracle's, with its counts,
// counted failures, stages, executors and hosts; the totals, jobs, stages, stage retries,
// aborts and verdict are the manifest's; the advice never asks for more task retries.
void ExpectMatchesManifest(const Generated& g, const OracleResult& r) {
  const Diagnosis& d = g.d;
  const gen::Manifest& m = g.m;
  // Attempts: TaskStart lines = distinct task ids (all ended once the app has ended).
  if (!m.in_progress) {
    EXPECT_EQ(r.attempts, m.task_attempts);
  }
  // Resubmitted re-reports are not attempts of their own.
  EXPECT_EQ(d.task_attempts, r.attempts);
  EXPECT_EQ(d.failed_attempts, r.failures);
  EXPECT_EQ(d.killed_not_failures, r.not_failures);
  EXPECT_EQ(d.findings.size(), r.classes.size());
  for (const auto& [cls, e] : r.classes) {
    // Counted as TaskSetManager counts: not in a zombie task set, not an immediate abort.
    std::optional<uint64_t> counted = e.counted;
    ExpectFinding(d, cls, e.count, counted, Sorted(e.stages), Sorted(e.executors), Sorted(e.hosts));
  }
  for (size_t i = 1; i < d.findings.size(); ++i) {
    EXPECT_GE(d.findings[i - 1].count, d.findings[i].count);
  }
  // Jobs and stages.
  EXPECT_EQ(d.failed_jobs.size(), m.jobs_failed);
  EXPECT_EQ(d.failed_stages.size(), m.stage_attempts_failed);
  std::set<int32_t> abort_jobs;
  for (const gen::Manifest::Abort& a : m.aborts) abort_jobs.insert(a.job);
  for (int32_t j : abort_jobs) {
    EXPECT_TRUE(std::count(d.failed_jobs.begin(), d.failed_jobs.end(), j)) << "job " << j;
  }
  EXPECT_EQ(d.retry.stage_retries.size(), m.stages_retried);
  for (const StageRetries& s : d.retry.stage_retries) {
    EXPECT_GE(s.attempts, 2u);
    EXPECT_FALSE(s.aborted);  // no scenario exhausts spark.stage.maxConsecutiveAttempts
  }
  // The retry budget: every (stage, attempt, index) with counted failures, and an abort
  // after maxFailures marked at the index the manifest names, with Spark's message.
  std::vector<Budget> expected_budget;
  for (const auto& [key, n] : r.counted) {
    bool aborted = false;
    for (const gen::Manifest::Abort& a : m.aborts) {
      aborted =
          aborted || (a.stage == std::get<0>(key) && a.stage_attempt == std::get<1>(key) &&
                      a.partition == std::get<2>(key) && Has(a.message, " times, most recent"));
    }
    expected_budget.emplace_back(std::get<0>(key), std::get<1>(key), std::get<2>(key), n, aborted);
  }
  std::vector<Budget> budget = BudgetOf(d);
  const bool budget_truncated = budget.size() == 10;  // "closest" keeps at most 10
  // Indexes whose only counting-kind failures Spark did not count have no entry.
  for (const Budget& b : budget) {
    EXPECT_EQ(r.uncounted_keys.count({std::get<0>(b), std::get<1>(b), std::get<2>(b)}) > 0 &&
                  !r.counted.count({std::get<0>(b), std::get<1>(b), std::get<2>(b)}),
              false)
        << "uncounted index listed: " << std::get<0>(b) << "." << std::get<1>(b) << " index "
        << std::get<2>(b);
  }
  if (!budget_truncated) {
    EXPECT_EQ(budget, expected_budget);
  } else {
    for (const Budget& b : budget) {
      EXPECT_TRUE(std::count(expected_budget.begin(), expected_budget.end(), b))
          << std::get<0>(b) << "." << std::get<1>(b) << " index " << std::get<2>(b);
    }
  }
  int max_failure_aborts = 0;
  for (const gen::Manifest::Abort& a : m.aborts) {
    if (!Has(a.message, " times, most recent failure: ")) continue;
    ++max_failure_aborts;
    ASSERT_FALSE(d.retry.closest.empty());
    EXPECT_EQ(d.retry.closest[0].stage_id, a.stage);
    EXPECT_EQ(d.retry.closest[0].index, a.partition);
    EXPECT_EQ(d.retry.closest[0].counted_failures,
              static_cast<uint32_t>(d.retry.max_task_failures));
    EXPECT_TRUE(d.retry.closest[0].aborted_stage);
    ASSERT_TRUE(d.retry.abort_message.has_value());
    EXPECT_EQ(*d.retry.abort_message, a.message);
  }
  if (m.aborts.empty()) {
    EXPECT_FALSE(d.retry.abort_message.has_value());
  }
  EXPECT_LE(max_failure_aborts, 1);
  // The verdict.
  if (m.jobs_failed > 0) {
    EXPECT_EQ(d.verdict, Verdict::kFailed);
  } else if (r.failures > 0) {
    EXPECT_EQ(d.verdict, m.in_progress ? Verdict::kRunningWithFailures : Verdict::kRecovered);
  } else {
    EXPECT_EQ(d.verdict, Verdict::kHealthy);
  }
  ExpectMaxFailuresOnlyNegative(d);
}

// An independent binomial tail for the oracle: the pmf summed from k to n in long double.
double OracleTail(uint64_t k, uint64_t n, double p) {
  if (k == 0) return 1;
  if (k > n) return 0;
  long double sum = 0;
  for (uint64_t i = k; i <= n; ++i) {
    long double lp = std::lgammal(n + 1.0L) - std::lgammal(i + 1.0L) - std::lgammal(n - i + 1.0L) +
                     i * std::log(static_cast<long double>(p)) +
                     (n - i) * std::log1p(-static_cast<long double>(p));
    sum += std::exp(lp);
  }
  return static_cast<double>(sum);
}

TEST(DiagnosisGenerated, Healthy) {
  auto g = Generate("healthy");
  OracleResult r = Oracle(*g);
  // The premise: dynamic allocation released executors ("Executor killed by driver.").
  EXPECT_GT(Get(g->m.executors_removed_by_kind, "dynamic-allocation"), 0u);
  EXPECT_EQ(g->m.executors_removed, Get(g->m.executors_removed_by_kind, "dynamic-allocation"));
  ExpectMatchesManifest(*g, r);
  ExpectNoAlarm(g->d);
  EXPECT_EQ(g->d.task_attempts, g->m.task_attempts);
  EXPECT_EQ(g->d.killed_not_failures, 0u);
}

TEST(DiagnosisGenerated, Mixed) {
  auto g = Generate("mixed");
  OracleResult r = Oracle(*g);
  ExpectMatchesManifest(*g, r);
  const Diagnosis& d = g->d;
  // One finding per injected failure class (the default seed has every kind, docs/generator.md):
  //  exception:NullPointerException/NumberFormatException/ArithmeticException/BadRecord/
  //  PythonException → user-code-data; NotSerializableException → serialization;
  //  ClassNotFoundException → class-not-found; ConnectException, ConnectionReset →
  //  transient-network; HdfsRemoteException, FileNotFoundException → hadoop-hdfs; NoSpaceLeft,
  //  executor-lost:53 → disk-full; PythonWorkerCrash → python-worker-crash; oom, oom-direct and
  //  their exit 52 → jvm-oom; executor-lost:137 → container-oom-killed; :143, :deleted and
  //  result-lost → executor-lost; :decommission → executor-decommission; :heartbeat →
  //  task-timeout-kill; fetch-failed (and the lost outputs) → shuffle-fetch; commit-denied →
  //  commit-denied; unknown → unknown. killed (Web UI), speculation losers and "Stage
  //  cancelled" are not failures.
  std::set<FailureClass> want = {FailureClass::kUserCodeData,
                                 FailureClass::kSerialization,
                                 FailureClass::kClassNotFound,
                                 FailureClass::kTransientNetwork,
                                 FailureClass::kHadoopHdfs,
                                 FailureClass::kDiskFull,
                                 FailureClass::kPythonWorkerCrash,
                                 FailureClass::kJvmOom,
                                 FailureClass::kContainerOomKilled,
                                 FailureClass::kExecutorLost,
                                 FailureClass::kExecutorDecommission,
                                 FailureClass::kTaskTimeoutKill,
                                 FailureClass::kShuffleFetch,
                                 FailureClass::kCommitDenied,
                                 FailureClass::kUnknown};
  std::vector<FailureClass> got = ClassesOf(d);
  EXPECT_EQ(std::set<FailureClass>(got.begin(), got.end()), want);
  // Manifest figures behind them: ExceptionFailure class counts sum to the exception findings;
  // every ExecutorLostFailure, FetchFailed, TaskResultLost, UnknownReason, TaskCommitDenied is
  // a failure; TaskKilled never is.
  const gen::Manifest& m = g->m;
  uint64_t reasons_failing = 0;
  for (const char* k : {"ExceptionFailure", "ExecutorLostFailure", "FetchFailed", "TaskResultLost",
                        "UnknownReason", "TaskCommitDenied"}) {
    reasons_failing += Get(m.task_end_reasons, k);
  }
  EXPECT_EQ(d.failed_attempts, reasons_failing);
  EXPECT_EQ(d.killed_not_failures, Get(m.task_end_reasons, "TaskKilled"));
  EXPECT_EQ(d.killed_not_failures, Get(m.kill_reasons, "another attempt succeeded") +
                                       Get(m.kill_reasons, "Stage cancelled") +
                                       Get(m.kill_reasons, "killed via the Web UI"));
  EXPECT_EQ(FindingOf(d, FailureClass::kShuffleFetch)->count,
            Get(m.task_end_reasons, "FetchFailed"));
  EXPECT_EQ(FindingOf(d, FailureClass::kShuffleFetch)->counted_toward_max_failures, 0u);
  EXPECT_EQ(FindingOf(d, FailureClass::kCommitDenied)->count,
            Get(m.task_end_reasons, "TaskCommitDenied"));
  EXPECT_EQ(FindingOf(d, FailureClass::kCommitDenied)->counted_toward_max_failures, 0u);
  EXPECT_EQ(FindingOf(d, FailureClass::kUnknown)->count, Get(m.task_end_reasons, "UnknownReason"));
  EXPECT_EQ(FindingOf(d, FailureClass::kSerialization)->count,
            Get(m.exception_classes, "java.io.NotSerializableException"));
  // A result that is not serializable aborts the task set at once, before the failure counter
  // (TaskSetManager.handleFailedTask returns right after abort): Spark counts neither.
  EXPECT_EQ(r.classes.at(FailureClass::kSerialization).counted, 0u);
  EXPECT_EQ(r.classes.at(FailureClass::kSerialization).uncounted, 2u);
  EXPECT_EQ(FindingOf(d, FailureClass::kSerialization)->counted_toward_max_failures, 0u);
  EXPECT_EQ(FindingOf(d, FailureClass::kClassNotFound)->count,
            Get(m.exception_classes, "java.lang.ClassNotFoundException"));
  EXPECT_EQ(FindingOf(d, FailureClass::kPythonWorkerCrash)->count,
            Get(m.exception_classes, "org.apache.spark.SparkException"));
  EXPECT_EQ(FindingOf(d, FailureClass::kHadoopHdfs)->count,
            Get(m.exception_classes, "org.apache.hadoop.ipc.RemoteException") +
                Get(m.exception_classes, "java.io.FileNotFoundException"));
  EXPECT_EQ(FindingOf(d, FailureClass::kExecutorDecommission)->counted_toward_max_failures, 0u);
  // The decommissioned executor's tasks are the only not-caused-by-app losses besides the
  // "deleted" ones (both Exit Caused By App=false).
  EXPECT_EQ(FindingOf(d, FailureClass::kExecutorDecommission)->count +
                (FindingOf(d, FailureClass::kExecutorLost)->count -
                 FindingOf(d, FailureClass::kExecutorLost)->counted_toward_max_failures),
            m.executor_lost_not_caused_by_app);
  // The last stage's partition 3 fails on every attempt (exception:BadRecord=all@stage:last.3)
  // and aborts with maxFailures=4; it is the one deterministic partition.
  const gen::Manifest::Abort* last = nullptr;
  for (const gen::Manifest::Abort& a : m.aborts) {
    if (Has(a.message, "failed 4 times")) last = &a;
  }
  ASSERT_NE(last, nullptr);
  EXPECT_EQ(last->partition, 3);
  ASSERT_EQ(d.repetition.deterministic.size(), 1u);
  EXPECT_EQ(d.repetition.deterministic[0].stage_id, last->stage);
  EXPECT_EQ(d.repetition.deterministic[0].index, 3);
  EXPECT_EQ(d.repetition.deterministic[0].failures, 4u);
  EXPECT_EQ(d.repetition.deterministic[0].cls, FailureClass::kUserCodeData);
  EXPECT_EQ(d.retry.max_task_failures, 4);
  EXPECT_EQ(d.retry.max_task_failures_source, "spark.task.maxFailures");
  // Exclusion: the model keeps one of each Blacklisted/Excluded pair.
  uint64_t exclusion_lines = 0;
  for (const auto& [k, n] : m.exclusion_events) exclusion_lines += n;
  EXPECT_EQ(d.localisation.exclusions.size() * 2, exclusion_lines);
}

TEST(DiagnosisGenerated, DeterministicPartition) {
  auto g = Generate("deterministic-partition");
  OracleResult r = Oracle(*g);
  ExpectMatchesManifest(*g, r);
  const Diagnosis& d = g->d;
  const gen::Manifest& m = g->m;
  ASSERT_EQ(m.aborts.size(), 1u);
  const gen::Manifest::Abort& a = m.aborts[0];
  EXPECT_EQ(a.partition, 3);
  // The app's last stage is the aborted one.
  int32_t last_stage = g->app.stages.rbegin()->first.first;
  EXPECT_EQ(a.stage, last_stage);
  EXPECT_EQ(d.verdict, Verdict::kFailed);
  EXPECT_EQ(d.failed_jobs, Ids({a.job}));
  // Exactly (last stage, partition 3), failed on all 4 attempts (on 4 executors: retries land
  // elsewhere), with BadRecordException → user-code-data.
  ASSERT_EQ(d.repetition.deterministic.size(), 1u);
  const PartitionHistory& h = d.repetition.deterministic[0];
  EXPECT_EQ(h.stage_id, last_stage);
  EXPECT_EQ(h.index, 3);
  EXPECT_EQ(h.failures, 4u);
  EXPECT_EQ(h.attempts, 4u);
  EXPECT_FALSE(h.succeeded);
  EXPECT_EQ(h.cls, FailureClass::kUserCodeData);
  EXPECT_EQ(h.executors.size(), 4u);
  auto pf = m.partitions.find({last_stage, 3});
  ASSERT_NE(pf, m.partitions.end());
  EXPECT_EQ(pf->second.failed_attempts, 4u);
  EXPECT_TRUE(d.repetition.mostly_deterministic);
  // The budget: the index reached spark.task.maxFailures=4 and aborted the stage; the abort
  // message is Spark's, exactly as the manifest has it.
  EXPECT_EQ(d.retry.max_task_failures, 4);
  EXPECT_EQ(d.retry.max_task_failures_source, "spark.task.maxFailures");
  ASSERT_FALSE(d.retry.closest.empty());
  EXPECT_EQ(d.retry.closest[0].stage_id, last_stage);
  EXPECT_EQ(d.retry.closest[0].stage_attempt, 0);
  EXPECT_EQ(d.retry.closest[0].index, 3);
  EXPECT_EQ(d.retry.closest[0].counted_failures, 4u);
  EXPECT_TRUE(d.retry.closest[0].aborted_stage);
  ASSERT_TRUE(d.retry.abort_message.has_value());
  EXPECT_EQ(*d.retry.abort_message, a.message);
  // The tasks still running were killed with "Stage cancelled": not failures.
  EXPECT_EQ(d.killed_not_failures, Get(m.kill_reasons, "Stage cancelled"));
  EXPECT_GT(d.killed_not_failures, 0u);
  // The first advice says more retries will not help.
  ASSERT_FALSE(d.advice.empty());
  EXPECT_TRUE(StartsWith(d.advice[0], "Partition 3 of stage " + std::to_string(last_stage) +
                                          " failed on all 4 attempts (user-code-data)"))
      << d.advice[0];
}

TEST(DiagnosisGenerated, HostConcentrated) {
  auto g = Generate("host-concentrated");
  OracleResult r = Oracle(*g);
  ExpectMatchesManifest(*g, r);
  const Diagnosis& d = g->d;
  // exception:NoSpaceLeft=30%@host:2 and executor-lost:53=1@host:2: host index 2 is the node
  // IP 10.0.0.12 (executors.cc: "10.0.{h/200}.{10+h%200}" when --hosts is given).
  const std::string injected = "10.0.0.12";
  EXPECT_EQ(FindingOf(d, FailureClass::kDiskFull)->hosts, Strings({injected}));
  EXPECT_EQ(FindingOf(d, FailureClass::kDiskFull)->count,
            Get(g->m.exception_classes, "java.io.IOException") + g->m.executor_lost_caused_by_app);
  EXPECT_EQ(d.verdict, Verdict::kRecovered);
  // Localisation, recomputed: per host, attempts and failures; the rest's rate (half a failure
  // when the rest has none); P(X >= failures) by OracleTail; Bonferroni over the hosts.
  const Localisation& L = d.localisation;
  EXPECT_TRUE(L.concentrated);
  EXPECT_EQ(SuspectIds(L.hosts), Strings({injected}));
  uint64_t total = 0, failures = 0;
  for (const auto& [host, tf] : r.hosts) {
    total += tf.first;
    failures += tf.second;
  }
  const double threshold = 0.01 / static_cast<double>(r.hosts.size());
  for (const auto& [host, tf] : r.hosts) {
    if (tf.second == 0) continue;
    SCOPED_TRACE(host);
    const PlaceStat* p = PlaceOf(L.hosts, host);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->tasks, tf.first);
    EXPECT_EQ(p->failures, tf.second);
    double rest_rate = std::max(static_cast<double>(failures - tf.second), 0.5) /
                       static_cast<double>(total - tf.first);
    double tail = OracleTail(tf.second, tf.first, rest_rate);
    EXPECT_NEAR(p->p_value, tail, tail * 1e-6);
    EXPECT_EQ(p->suspect, tf.second >= 3 && tail < threshold);
  }
  // Every suspect executor runs on the injected host.
  for (const PlaceStat& e : L.executors) {
    if (e.suspect) {
      EXPECT_EQ(e.host, injected) << e.id;
    }
  }
  EXPECT_FALSE(L.exclusions.empty());  // exclusion on: executors and the node were excluded
  // The advice names the host.
  EXPECT_TRUE(std::any_of(d.advice.begin(), d.advice.end(), [&](const std::string& a) {
    return StartsWith(a, "Failures concentrate on host " + injected);
  }));
}

TEST(DiagnosisGenerated, FetchRetry) {
  auto g = Generate("fetch-retry");
  OracleResult r = Oracle(*g);
  ExpectMatchesManifest(*g, r);
  const Diagnosis& d = g->d;
  const gen::Manifest& m = g->m;
  // executor-lost:137=1@reduce (its outputs are lost: later readers FetchFail) + fetch-failed=2.
  const Finding* fetch = FindingOf(d, FailureClass::kShuffleFetch);
  ASSERT_NE(fetch, nullptr);
  EXPECT_EQ(fetch->count, Get(m.task_end_reasons, "FetchFailed"));
  EXPECT_GE(fetch->count, 2u);
  EXPECT_EQ(fetch->counted_toward_max_failures, 0u);
  EXPECT_EQ(FindingOf(d, FailureClass::kContainerOomKilled)->count,
            Get(m.task_end_reasons, "ExecutorLostFailure"));
  // The failed stages ran again as attempt 1: stage_retries shows each with 2 attempts, one
  // failed, none aborted; every stage with a fetch failure is among them.
  ASSERT_EQ(d.retry.stage_retries.size(), m.stages_retried);
  ASSERT_FALSE(d.retry.stage_retries.empty());
  std::set<int32_t> retried;
  for (const StageRetries& s : d.retry.stage_retries) {
    EXPECT_EQ(s.attempts, 2u) << "stage " << s.stage_id;
    EXPECT_EQ(s.failed_attempts, 1u);
    EXPECT_EQ(s.max_consecutive_failed, 1u);
    EXPECT_FALSE(s.aborted);
    retried.insert(s.stage_id);
  }
  EXPECT_EQ(Sorted(retried), fetch->stages);
  EXPECT_EQ(d.verdict, Verdict::kRecovered);  // every job succeeded
  EXPECT_TRUE(d.failed_jobs.empty());
  EXPECT_EQ(d.failed_stages.size(), m.stage_attempts_failed);
}

TEST(DiagnosisGenerated, Skew) {
  // Skewed partitions are slow, not failed: no finding.
  auto g = Generate("skew");
  OracleResult r = Oracle(*g);
  ExpectMatchesManifest(*g, r);
  EXPECT_FALSE(g->m.skewed.empty());
  ExpectNoAlarm(g->d);
}

TEST(DiagnosisGenerated, ContinuousStreaming) {
  auto g = Generate("continuous-streaming");
  OracleResult r = Oracle(*g);
  ExpectMatchesManifest(*g, r);
  const Diagnosis& d = g->d;
  const gen::Manifest& m = g->m;
  EXPECT_EQ(m.query_progress_events, 0u);  // continuous queries report no progress
  ASSERT_EQ(d.streaming.size(), m.queries_started);
  ASSERT_EQ(d.streaming.size(), 1u);
  const StreamingAdvice& s = d.streaming[0];
  EXPECT_TRUE(s.continuous);
  // Task 2 fails with ConnectionReset, attempts 1-3 at once with ContinuousTaskRetryException.
  const uint64_t retries =
      Get(m.exception_classes,
          "org.apache.spark.sql.execution.streaming.continuous.ContinuousTaskRetryException");
  EXPECT_EQ(retries, 3u);
  EXPECT_EQ(s.continuous_retry_failures, retries);
  const Finding* f = FindingOf(d, FailureClass::kContinuousStreamingRetry);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->count, retries);
  EXPECT_EQ(FindingOf(d, FailureClass::kTransientNetwork)->count, 1u);  // the first failure
  EXPECT_EQ(d.verdict, Verdict::kFailed);
  // The continuous advice leads and tells the operator not to raise task retries.
  ASSERT_FALSE(d.advice.empty());
  EXPECT_EQ(d.advice[0], s.advice);
  EXPECT_TRUE(Has(s.advice, "ContinuousTaskRetryException"));
  EXPECT_TRUE(Has(s.advice, "restart the query from its checkpoint"));
  EXPECT_TRUE(Has(s.advice, "Do not raise task retries for this query."));
  // Partition 2's first failure was a transient ConnectionReset; attempts 1-3 fail only because
  // continuous mode refuses retries (spark-facts C.8): not a data or code problem.
  EXPECT_TRUE(d.repetition.deterministic.empty());
  for (const std::string& a : d.advice) EXPECT_FALSE(Has(a, "fix the input or the code")) << a;
}

TEST(DiagnosisGenerated, MicroBatchStreaming) {
  auto g = Generate("microbatch-streaming");
  OracleResult r = Oracle(*g);
  ExpectMatchesManifest(*g, r);
  const Diagnosis& d = g->d;
  ASSERT_EQ(d.streaming.size(), 1u);
  EXPECT_EQ(g->m.query_progress_events, 6u);
  EXPECT_FALSE(d.streaming[0].continuous);
  EXPECT_EQ(d.streaming[0].continuous_retry_failures, 0u);
  EXPECT_EQ(FindingOf(d, FailureClass::kContinuousStreamingRetry), nullptr);
  // The one transient ConnectException retried: recovered.
  EXPECT_EQ(d.verdict, Verdict::kRecovered);
  EXPECT_EQ(FindingOf(d, FailureClass::kTransientNetwork)->count,
            Get(g->m.exception_classes, "java.net.ConnectException"));
  for (const std::string& a : d.advice) EXPECT_NE(a, d.streaming[0].advice);
}

TEST(DiagnosisGenerated, OomK8s) {
  auto g = Generate("oom-k8s");
  OracleResult r = Oracle(*g);
  ExpectMatchesManifest(*g, r);
  const Diagnosis& d = g->d;
  const gen::Manifest& m = g->m;
  // executor-lost:137=4 → container-oom-killed: the tasks running on the four OOMKilled
  // executors. oom=2, oom-direct=1 → three OutOfMemoryError ExceptionFailures, then exit 52
  // of those executors → jvm-oom for the OOM itself and the tasks lost with it.
  const Finding* container = FindingOf(d, FailureClass::kContainerOomKilled);
  const Finding* jvm = FindingOf(d, FailureClass::kJvmOom);
  ASSERT_NE(container, nullptr);
  ASSERT_NE(jvm, nullptr);
  EXPECT_EQ(container->executors.size(), Get(m.executors_removed_by_kind, "exit-137"));
  EXPECT_EQ(jvm->executors.size(), Get(m.executors_removed_by_kind, "exit-52"));
  EXPECT_EQ(container->count + jvm->count,
            Get(m.task_end_reasons, "ExecutorLostFailure") +
                Get(m.exception_classes, "java.lang.OutOfMemoryError"));
  // Every loss here is caused by the app (exit 137 / 52), and the OOMs are ExceptionFailures:
  // all count, except failures in a task set that had already become a zombie.
  EXPECT_EQ(jvm->counted_toward_max_failures, jvm->count);
  EXPECT_EQ(r.classes.at(FailureClass::kJvmOom).uncounted, 0u);
  // Executor 1 (exit 137) took four stage-5.0 tasks with it after 5.0's first FetchFailed.
  EXPECT_EQ(r.classes.at(FailureClass::kContainerOomKilled).uncounted, 4u);
  EXPECT_EQ(r.classes.at(FailureClass::kContainerOomKilled).counted, container->count - 4);
  EXPECT_EQ(container->counted_toward_max_failures, container->count - 4);
  EXPECT_EQ(r.classes.at(FailureClass::kContainerOomKilled).count, container->count);
  EXPECT_EQ(r.classes.at(FailureClass::kJvmOom).count, jvm->count);
  EXPECT_EQ(d.verdict, Verdict::kRecovered);
  EXPECT_EQ(d.retry.stage_retries.size(), m.stages_retried);
}

TEST(DiagnosisGenerated, RunningWithFailures) {
  // oom-k8s stopped at 60 % of its attempts: no ApplicationEnd, executors already OOM-killed,
  // no job failed (none does in this scenario).
  auto g = Generate("oom-k8s", /*in_progress=*/true, /*stop_at=*/0.6);
  ASSERT_TRUE(g->m.in_progress);
  EXPECT_FALSE(g->m.application_end);
  EXPECT_FALSE(g->app.completed);
  OracleResult r = Oracle(*g);
  ExpectMatchesManifest(*g, r);
  const Diagnosis& d = g->d;
  EXPECT_FALSE(d.completed);
  ASSERT_GT(r.failures, 0u);
  EXPECT_EQ(g->m.jobs_failed, 0u);
  EXPECT_EQ(d.verdict, Verdict::kRunningWithFailures);
  EXPECT_STREQ(VerdictName(d.verdict), "running-with-failures");
  EXPECT_TRUE(StartsWith(d.headline, "Still running with failures:")) << d.headline;
}

TEST(DiagnosisGenerated, EveryScenarioIsCovered) {
  // A new scenario needs its own test above.
  std::set<std::string> covered = {
      "healthy",     "mixed", "deterministic-partition", "host-concentrated",
      "fetch-retry", "skew",  "continuous-streaming",    "microbatch-streaming",
      "oom-k8s",     "bench"};  // bench: 1M tasks, too big for a unit test
  for (const std::string& s : gen::ScenarioNames()) EXPECT_TRUE(covered.count(s)) << s;
}

// =============================================================================================
// Helpers
// =============================================================================================

// Exact tails, computed with python: 1 - sum(comb(n,i) p^i (1-p)^(n-i) for i < k) in Fraction.
TEST(DiagnosisHelpers, BinomialTailAtLeast) {
  // Edges: P(X >= 0) = 1; k > n is impossible; p = 0 never fails; p = 1 always does.
  EXPECT_EQ(BinomialTailAtLeast(0, 10, 0.3), 1.0);
  EXPECT_EQ(BinomialTailAtLeast(0, 0, 0.3), 1.0);
  EXPECT_EQ(BinomialTailAtLeast(11, 10, 0.3), 0.0);
  EXPECT_EQ(BinomialTailAtLeast(1, 5, 0.0), 0.0);
  EXPECT_EQ(BinomialTailAtLeast(1, 5, 1.0), 1.0);
  EXPECT_EQ(BinomialTailAtLeast(5, 5, 1.0), 1.0);
  // Every trial fails: p^n.
  EXPECT_NEAR(BinomialTailAtLeast(6, 6, 0.2), 6.4e-05, 1e-15);  // 0.2^6
  EXPECT_NEAR(BinomialTailAtLeast(4, 4, 0.2), 0.0016, 1e-14);   // 0.2^4
  EXPECT_NEAR(BinomialTailAtLeast(3, 3, 0.5), 0.125, 1e-14);    // 0.5^3
  EXPECT_NEAR(BinomialTailAtLeast(1, 1, 0.5), 0.5, 1e-14);
  EXPECT_NEAR(BinomialTailAtLeast(20, 20, 0.01) / 1e-40, 1.0, 1e-9);  // 0.01^20, no underflow
  // 1 - 0.9^10 - 10·0.1·0.9^9 - 45·0.01·0.9^8 = 0.0701908264
  EXPECT_NEAR(BinomialTailAtLeast(3, 10, 0.1), 0.0701908264, 1e-10);
  // 1 - 0.9^4 - 4·0.1·0.9^3 = 1 - 0.6561 - 0.2916 = 0.0523
  EXPECT_NEAR(BinomialTailAtLeast(2, 4, 0.1), 0.0523, 1e-12);
  // The corpus figures above.
  EXPECT_NEAR(BinomialTailAtLeast(4, 12, 1.0 / 24), 0.001139161765, 1e-12);
  EXPECT_NEAR(BinomialTailAtLeast(2, 1053, 1.0 / 7527), 0.008912052556, 1e-11);
  EXPECT_NEAR(BinomialTailAtLeast(2, 5, 1.0 / 34), 0.008152801655, 1e-11);
  EXPECT_NEAR(BinomialTailAtLeast(2, 5, 2.0 / 19), 0.08926622078, 1e-10);
  EXPECT_NEAR(BinomialTailAtLeast(6, 25, 0.2), 0.3833105882, 1e-9);
  // A large n far in the tail: P(X >= 30 | 1000, 0.01) = 2.059988851e-07 (mean 10).
  EXPECT_NEAR(BinomialTailAtLeast(30, 1000, 0.01) / 2.059988851e-07, 1.0, 1e-8);
  // Monotone in k.
  double prev = 1;
  for (uint64_t k = 11; k <= 60; ++k) {
    double v = BinomialTailAtLeast(k, 1000, 0.01);
    EXPECT_LE(v, prev) << k;
    prev = v;
  }
  // At or below the mean, exact values:
  EXPECT_NEAR(BinomialTailAtLeast(5, 10, 0.5), 638.0 / 1024, 1e-12);
  EXPECT_NEAR(BinomialTailAtLeast(2, 5, 0.5), 26.0 / 32, 1e-12);
  EXPECT_NEAR(BinomialTailAtLeast(1, 14, 1.0 / 3), 0.9965745126, 1e-9);
  EXPECT_NEAR(BinomialTailAtLeast(2, 10, 0.24), 0.7326935654, 1e-9);
  // (The suspects do not change: such tails are never below any threshold.)
}

Application WithConf(std::vector<std::pair<std::string, std::string>> props) {
  Application app;
  app.spark_properties = std::move(props);
  return app;
}

int MaxFailures(const Application& app, std::string* source) {
  return EffectiveMaxTaskFailures(app, source);
}

TEST(DiagnosisHelpers, EffectiveMaxTaskFailures) {
  std::string src;
  // SparkContext.createTaskScheduler: "local", "local[N]", "local[*]" → MAX_LOCAL_TASK_FAILURES
  // = 1, whatever spark.task.maxFailures says.
  for (const char* master : {"local", "local[4]", "local[*]", "local[16]"}) {
    SCOPED_TRACE(master);
    src.clear();
    EXPECT_EQ(MaxFailures(WithConf({{"spark.master", master}}), &src), 1);
    EXPECT_TRUE(StartsWith(src, "local mode")) << src;
    src.clear();
    EXPECT_EQ(
        MaxFailures(WithConf({{"spark.master", master}, {"spark.task.maxFailures", "8"}}), &src),
        1);
    EXPECT_TRUE(StartsWith(src, "local mode")) << src;
  }
  // local[N,F] (regex local\[([0-9]+|\*)\s*,\s*([0-9]+)\]) → F.
  EXPECT_EQ(MaxFailures(WithConf({{"spark.master", "local[4,3]"}}), &src), 3);
  EXPECT_TRUE(StartsWith(src, "local mode")) << src;
  EXPECT_EQ(MaxFailures(WithConf({{"spark.master", "local[4,3]"}, {"spark.task.maxFailures", "8"}}),
                        &src),
            3);
  EXPECT_EQ(MaxFailures(WithConf({{"spark.master", "local[*,2]"}}), &src), 2);
  EXPECT_EQ(MaxFailures(WithConf({{"spark.master", "local[2, 5]"}}), &src), 5);
  // local-cluster[N,C,M] is a real (in-process) cluster: spark.task.maxFailures, default 4.
  EXPECT_EQ(MaxFailures(WithConf({{"spark.master", "local-cluster[2,1,1024]"}}), &src), 4);
  EXPECT_EQ(src, "default");
  EXPECT_EQ(MaxFailures(WithConf({{"spark.master", "local-cluster[2,1,1024]"},
                                  {"spark.task.maxFailures", "6"}}),
                        &src),
            6);
  EXPECT_EQ(src, "spark.task.maxFailures");
  // Cluster managers.
  const char* k8s = "k8s://https://kubernetes.default.svc:443";
  EXPECT_EQ(MaxFailures(WithConf({{"spark.master", k8s}}), &src), 4);
  EXPECT_EQ(src, "default");
  EXPECT_EQ(MaxFailures(WithConf({{"spark.master", k8s}, {"spark.task.maxFailures", "10"}}), &src),
            10);
  EXPECT_EQ(src, "spark.task.maxFailures");
  EXPECT_EQ(
      MaxFailures(WithConf({{"spark.master", "yarn"}, {"spark.task.maxFailures", "1"}}), &src), 1);
  EXPECT_EQ(src, "spark.task.maxFailures");
  EXPECT_EQ(MaxFailures(WithConf({{"spark.master", "spark://host:7077"}}), &src), 4);
  // No master at all (e.g. a log without it): the default.
  EXPECT_EQ(MaxFailures(WithConf({}), &src), 4);
  EXPECT_EQ(src, "default");
  // The last value of a repeated key wins, as Application::SparkConf reads it.
  EXPECT_EQ(MaxFailures(WithConf({{"spark.master", "yarn"},
                                  {"spark.task.maxFailures", "2"},
                                  {"spark.task.maxFailures", "7"}}),
                        &src),
            7);
}

// A hand-built model: two streaming queries in one application, a micro-batch one and a
// continuous one whose task hit ContinuousTaskRetryException. Only the continuous query is
// continuous; the micro-batch query keeps its own advice.
TEST(DiagnosisHelpers, StreamingQueriesAreJudgedOneByOne) {
  Application app;
  app.app_id = "two-queries";
  app.completed = true;
  StreamingQuery& mb = app.streaming_queries["mb"];
  mb.id = "mb";
  mb.progress_events = 6;
  mb.micro_batch_jobs = true;
  mb.jobs = 6;
  StreamingQuery& cont = app.streaming_queries["cont"];
  cont.id = "cont";
  cont.continuous_epoch_jobs = true;
  cont.jobs = 1;
  Job& job = app.jobs[7];
  job.job_id = 7;
  job.status = JobStatus::kFailed;
  job.stage_ids = {3};
  job.streaming_properties["sql.streaming.queryId"] = "cont";
  StageAttempt& st = app.stages[{3, 0}];
  st.stage_id = 3;
  st.status = StageStatus::kFailed;
  st.job_ids = {7};
  TaskFailure f;
  f.kind = TaskEndKind::kExceptionFailure;
  f.class_name = "org.apache.spark.sql.execution.streaming.continuous.ContinuousTaskRetryException";
  f.description = "Continuous execution does not support task retry";
  app.task_failures.push_back(f);
  TaskAttempt& t = app.tasks.emplace_back();
  t.task_id = 1;
  t.stage_id = 3;
  t.index = 0;
  t.attempt = 1;
  t.launch_time = 1000;
  t.finish_time = 1010;
  t.executor = app.strings.Intern("1");
  t.host = app.strings.Intern("10.0.0.1");
  t.end = TaskEndKind::kExceptionFailure;
  t.failed = true;
  t.failure = 0;
  st.tasks.push_back(0);
  Diagnosis d = DiagnoseApp(app);
  ASSERT_EQ(d.streaming.size(), 2u);
  const StreamingAdvice* a_cont = nullptr;
  const StreamingAdvice* a_mb = nullptr;
  for (const StreamingAdvice& s : d.streaming) (s.query_id == "cont" ? a_cont : a_mb) = &s;
  ASSERT_NE(a_cont, nullptr);
  ASSERT_NE(a_mb, nullptr);
  EXPECT_TRUE(a_cont->continuous);
  EXPECT_EQ(a_cont->continuous_retry_failures, 1u);
  EXPECT_EQ(FindingOf(d, FailureClass::kContinuousStreamingRetry)->count, 1u);
  EXPECT_EQ(d.verdict, Verdict::kFailed);
  // The task's query is its stage's job's "sql.streaming.queryId" (job 7 → "cont"): the
  // micro-batch query keeps its mode and advice.
  EXPECT_FALSE(a_mb->continuous);
  EXPECT_EQ(a_mb->continuous_retry_failures, 0u);
  EXPECT_TRUE(Has(a_mb->advice, "Micro-batch"));
}

TEST(DiagnosisHelpers, VerdictNames) {
  EXPECT_STREQ(VerdictName(Verdict::kHealthy), "healthy");
  EXPECT_STREQ(VerdictName(Verdict::kRecovered), "recovered");
  EXPECT_STREQ(VerdictName(Verdict::kFailed), "failed");
  EXPECT_STREQ(VerdictName(Verdict::kRunningWithFailures), "running-with-failures");
}

}  // namespace
}  // namespace sparkmedic
