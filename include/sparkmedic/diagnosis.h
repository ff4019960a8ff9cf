// Diagnosis: why tasks fail, where, whether retries can help (the runbook's "Diagnosis").
//
// Input: the model of one application attempt and the classifier. Output: a plain value the
// front ends render (text, JSON, Markdown). Spark's retry rules decide what a retry can fix
// (docs/diagnosis.md; docs/spark-facts C).
#ifndef SPARKMEDIC_DIAGNOSIS_H_
#define SPARKMEDIC_DIAGNOSIS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sparkmedic/classify.h"
#include "sparkmedic/model.h"

namespace sparkmedic {

struct DiagnoseOptions {
  // Significance level of the localisation test (before the Bonferroni correction).
  double alpha = 0.01;
  // An executor or host needs at least this many failures to be named.
  int min_failures_to_localise = 3;
  // Package prefixes of the application's own code, for the user-code class.
  std::vector<std::string> app_packages;
};

// All failed (or killed) task attempts of one class.
struct Finding {
  FailureClass cls = FailureClass::kUnknown;
  uint64_t count = 0;  // task attempts
  double share = 0;    // of all non-successful task attempts counted as failures
  TimeMs first_time = kNoTime, last_time = kNoTime;
  std::vector<int32_t> stages;         // distinct stage ids, ascending
  std::vector<std::string> executors;  // distinct executor ids where the attempts ran
  std::vector<std::string> hosts;
  std::string message;  // representative message: root cause first, stack trimmed
  std::string rule;     // the classification rule of the representative attempt
  Confidence confidence = Confidence::kLow;
  int runbook_scenario = 0;
  uint64_t counted_toward_max_failures = 0;  // attempts Spark counts toward spark.task.maxFailures
  int64_t wasted_ms = 0;                     // executor time spent in these attempts
};

struct PlaceStat {
  std::string id;         // executor id or host
  std::string host;       // for executors
  uint64_t tasks = 0;     // task attempts that ran there
  uint64_t failures = 0;  // real failures attributed there
  double p_value = 1;     // one-sided binomial tail P(X >= failures) at the rest's rate
  bool suspect = false;   // significant after the Bonferroni correction
};

struct Localisation {
  std::string test;  // how suspects were decided, in words
  double app_failure_rate = 0;
  std::vector<PlaceStat> executors;  // sorted by failures, descending (only those with any)
  std::vector<PlaceStat> hosts;
  bool concentrated = false;  // some executor or host is a suspect
  std::vector<ExclusionEvent> exclusions;
};

struct PartitionHistory {
  int32_t stage_id = -1;
  int32_t index = -1;
  uint32_t attempts = 0;   // task attempts of this partition over all stage attempts
  uint32_t failures = 0;   // failures among them that count toward spark.task.maxFailures
  bool succeeded = false;  // some attempt succeeded
  FailureClass cls = FailureClass::kUnknown;  // class of the failures (most frequent)
  std::vector<std::string> executors;         // distinct, where it failed
};

struct Repetition {
  // Partitions that failed on every attempt, at least twice, with failures Spark counts
  // toward spark.task.maxFailures: deterministic (data or code); more retries will not help.
  std::vector<PartitionHistory> deterministic;
  uint64_t partitions_failed_once_then_succeeded = 0;  // transient
  uint64_t partitions_failed_repeatedly_then_succeeded = 0;
  bool mostly_deterministic = false;
};

struct BudgetEntry {
  int32_t stage_id = -1, stage_attempt = 0, index = -1;
  uint32_t counted_failures = 0;  // toward spark.task.maxFailures (Spark's rules)
  bool aborted_stage = false;     // this index reached the limit and aborted the stage
};

struct StageRetries {
  int32_t stage_id = -1;
  uint32_t attempts = 0;
  uint32_t failed_attempts = 0;
  uint32_t max_consecutive_failed = 0;
  bool aborted = false;  // "has failed the maximum allowable number of times"
};

struct RetryBudget {
  int max_task_failures = 4;
  std::string max_task_failures_source;      // "spark.task.maxFailures", "default", "local mode"
  int max_stage_attempts = 4;                // spark.stage.maxConsecutiveAttempts
  std::vector<BudgetEntry> closest;          // the indexes closest to the limit, most first
  std::optional<std::string> abort_message;  // Spark's own abort message, when a stage aborted
  std::vector<StageRetries> stage_retries;   // stages with more than one attempt
  int64_t wasted_ms = 0;                     // executor time in attempts that did not succeed
};

struct StreamingAdvice {
  std::string query_id;
  std::optional<std::string> name;
  bool continuous = false;
  uint64_t continuous_retry_failures = 0;
  std::string advice;
};

enum class Verdict : uint8_t {
  kHealthy,              // no real failure
  kRecovered,            // tasks failed but every job that ran succeeded
  kFailed,               // a job or stage failed (aborted)
  kRunningWithFailures,  // the app is still running and tasks fail
};
const char* VerdictName(Verdict v);  // "healthy", "recovered", "failed", "running-with-failures"

struct Diagnosis {
  std::string app_id, attempt_id, app_name, spark_version;
  bool completed = false;
  Verdict verdict = Verdict::kHealthy;
  std::string headline;  // one sentence: the verdict and the main cause
  uint64_t task_attempts = 0;
  uint64_t failed_attempts = 0;      // real failures
  uint64_t killed_not_failures = 0;  // speculative duplicates, cancellations
  std::vector<int32_t> failed_jobs;
  std::vector<std::pair<int32_t, int32_t>> failed_stages;  // (stage, attempt)
  std::vector<Finding> findings;                           // by count, descending
  Localisation localisation;
  Repetition repetition;
  RetryBudget retry;
  std::vector<StreamingAdvice> streaming;
  std::vector<std::string> advice;  // what to do next, most useful first
};

Diagnosis Diagnose(const Application& app, const Classifier& classifier,
                   const DiagnoseOptions& options);

// spark.task.maxFailures as the scheduler applies it: local / local[N] / local[*] → 1,
// local[N,F] → F, otherwise the key (default 4). `source` says which.
int EffectiveMaxTaskFailures(const Application& app, std::string* source);

// One-sided binomial tail P(X >= k) for X ~ Binomial(n, p).
double BinomialTailAtLeast(uint64_t k, uint64_t n, double p);

}  // namespace sparkmedic

#endif  // SPARKMEDIC_DIAGNOSIS_H_
