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
//  * DiagnosisHelpers: BinomialTailAtLeast and EffectiveMaxTaskFailures.
//
// Spark's retry rules used below (docs/spark-facts.md C.1, C.5): ExceptionFailure,
// TaskResultLost and UnknownReason count toward spark.task.maxFailures; ExecutorLostFailure only
// with "Exit Caused By App": true; FetchFailed, TaskKilled and TaskCommitDenied never. The count
// is per (stage, stage attempt, index). local / local[N] / local[*] → 1, local[N,F] → F,
// everything else (local-cluster included) → spark.task.maxFailures, default 4.
#include <gtest/gtest.h>

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

#include "gen_eventlog/generator.h"
#include "sparkmedic/classify.h"
#include "sparkmedic/diagnosis.h"
#include "sparkmedic/model.h"
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

Diagnosis DiagnoseApp(const Application& app) { return Diagnose(app, TheClassifier(), DiagnoseOptions{}); }

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

// Checks one finding: attempts, attempts counted toward maxFailures, stages, executors, hosts.
void ExpectFinding(const Diagnosis& d, FailureClass cls, uint64_t count, uint64_t counted,
                   const Ids& stages, const Strings& executors, const Strings& hosts) {
  SCOPED_TRACE(FailureClassName(cls));
  const Finding* f = FindingOf(d, cls);
  ASSERT_NE(f, nullptr) << "no finding of class " << FailureClassName(cls);
  EXPECT_EQ(f->count, count);
  EXPECT_EQ(f->counted_toward_max_failures, counted);
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
  constexpr std::string_view kDeterministic = "so more retries (spark.task.maxFailures) will not help";
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
  // stage 238 attempt 0 (org.apache.spark.shuffle.FetchFailedException: ...shuffle_54_8347_0.index).
  EXPECT_EQ(d.verdict, Verdict::kFailed);
  EXPECT_TRUE(StartsWith(d.headline, "Failed:")) << d.headline;
  EXPECT_EQ(d.failed_jobs, Ids({79}));
  EXPECT_EQ(d.failed_stages, (std::vector<std::pair<int32_t, int32_t>>{{238, 0}}));
  // TaskEnd lines: 8630 = 8577 Success + 50 Resubmitted + 1 ExecutorLostFailure + 2 FetchFailed.
  // TaskStart lines: 8580 (= distinct Task IDs). The 50 Resubmitted ends re-report TIDs that had
  // already ended Success in stage 238.0 (27 on executor 1, 23 on executor 2; Failed=false):
  // they are not attempts and not failures.
  // TODO(lead): d.task_attempts should be 8580 (distinct attempts; Localise() already leaves the
  // Resubmitted re-reports out of its totals); ClassifyAll() counts them and gives 8630.
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
  ASSERT_EQ(ClassesOf(d), (std::vector<FailureClass>{FailureClass::kShuffleFetch,
                                                     FailureClass::kExecutorLost}));
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
  //  executor 1: 2 of 1053, others 1/7527 → P(X>=2 | 1053, 1/7527) = 0.008912052556
  //  executor 2: 1 of 1180, others 2/7400 → P(X>=1 | 1180, 2/7400) = 0.273097
  //  hostname-08.domain.com: 2 of 2138, others 1/6442 → 0.044267
  //  hostname-09: 1 of 1180, others 2/7400 → 0.273097
  // None has the 3 failures needed to be named: nothing concentrated.
  const Localisation& L = d.localisation;
  EXPECT_NEAR(L.app_failure_rate, 3.0 / 8580.0, 1e-12);
  EXPECT_FALSE(L.concentrated);
  ASSERT_EQ(L.executors.size(), 2u);
  EXPECT_EQ(L.executors[0].id, "1");
  EXPECT_EQ(L.executors[0].host, "hostname-08.domain.com");
  ExpectPlace(L.executors, "1", 1053, 2, 0.008912052556, false);
  ExpectPlace(L.executors, "2", 1180, 1, 0.273097, false);
  ASSERT_EQ(L.hosts.size(), 2u);
  ExpectPlace(L.hosts, "hostname-08.domain.com", 2138, 2, 0.044267, false);
  ExpectPlace(L.hosts, "hostname-09", 1180, 1, 0.273097, false);
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
  // TODO(lead): executor 1 (1 of 14, others 7/21) has P(X>=1 | 14, 1/3) = 0.9965745126 and
  // rezamemory-3 (2 of 10, others 6/25) P(X>=2 | 10, 0.24) = 0.7326935654, but
  // BinomialTailAtLeast returns 1 whenever k <= n·p; assert those once it gives the tail.
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
  EXPECT_EQ(BudgetOf(d), (std::vector<Budget>{{0, 0, 1, 1, false},
                                              {0, 0, 4, 1, false},
                                              {0, 0, 5, 1, false},
                                              {0, 0, 6, 1, false}}));
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

}  // namespace
}  // namespace sparkmedic
