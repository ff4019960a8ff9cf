// Diagnosis: classify every unsuccessful task attempt, then look for the patterns the runbook
// asks about (where, how often, whether retries can help).
#include "sparkmedic/diagnosis.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

namespace sparkmedic {
namespace {

// ---- small helpers ----

template <typename T>
void SortedInsert(std::vector<T>* v, const T& x) {
  auto it = std::lower_bound(v->begin(), v->end(), x);
  if (it == v->end() || *it != x) v->insert(it, x);
}

int ParseIntOr(std::string_view s, int dflt) {
  int v = 0;
  bool any = false;
  for (char c : s) {
    if (c == ' ') continue;
    if (c < '0' || c > '9') return dflt;
    v = v * 10 + (c - '0');
    any = true;
  }
  return any ? v : dflt;
}

// One unsuccessful attempt, classified.
struct Classified {
  const TaskAttempt* task;
  const TaskFailure* failure;
  Classification c;
  bool real;  // a real failure (not a speculative duplicate, cancellation or Resubmitted)
};

}  // namespace

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kHealthy:
      return "healthy";
    case Verdict::kRecovered:
      return "recovered";
    case Verdict::kFailed:
      return "failed";
    case Verdict::kRunningWithFailures:
      return "running-with-failures";
  }
  return "healthy";
}

int EffectiveMaxTaskFailures(const Application& app, std::string* source) {
  std::optional<std::string_view> master = app.SparkConf("spark.master");
  if (master && master->substr(0, 5) == "local" && master->substr(0, 13) != "local-cluster") {
    // local, local[N], local[*] → 1; local[N,F] → F (SparkContext.createTaskScheduler).
    size_t comma = master->find(',');
    if (comma != std::string_view::npos) {
      size_t close = master->find(']', comma);
      int f = ParseIntOr(master->substr(comma + 1, close - comma - 1), 1);
      *source = fmt::format("local mode ({})", *master);
      return std::max(1, f);
    }
    *source = fmt::format("local mode ({}): no task retries", *master);
    return 1;
  }
  if (auto v = app.SparkConf("spark.task.maxFailures")) {
    *source = "spark.task.maxFailures";
    return std::max(1, ParseIntOr(*v, 4));
  }
  *source = "default";
  return 4;
}

double BinomialTailAtLeast(uint64_t k, uint64_t n, double p) {
  if (k == 0) return 1.0;
  if (k > n) return 0.0;
  if (p <= 0) return 0.0;
  if (p >= 1) return 1.0;
  double mean = static_cast<double>(n) * p;
  auto log_pmf = [&](uint64_t i) {
    return std::lgamma(static_cast<double>(n) + 1) - std::lgamma(static_cast<double>(i) + 1) -
           std::lgamma(static_cast<double>(n - i) + 1) + static_cast<double>(i) * std::log(p) +
           static_cast<double>(n - i) * std::log1p(-p);
  };
  if (static_cast<double>(k) <= mean) {
    // At or below the mean the tail is large: 1 − P(X ≤ k−1), summing the lower terms
    // downward from k−1 (they fall monotonically below the mean).
    double top = log_pmf(k - 1);
    double lower = 0;
    for (uint64_t i = k; i-- > 0;) {
      double term = std::exp(log_pmf(i) - top);
      lower += term;
      if (term < 1e-15 * lower) break;
    }
    return std::clamp(1.0 - std::exp(top) * lower, 0.0, 1.0);
  }
  // Above the mean: sum the pmf from k upward; terms fall monotonically.
  double first = log_pmf(k);
  double sum = 0;
  for (uint64_t i = k; i <= n; ++i) {
    double term = std::exp(log_pmf(i) - first);
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  return std::min(1.0, std::exp(first) * sum);
}

namespace {

class Diagnoser {
 public:
  Diagnoser(const Application& app, const Classifier& classifier, const DiagnoseOptions& options)
      : app_(app), classifier_(classifier), options_(options) {}

  Diagnosis Run() {
    d_.app_id = app_.app_id;
    d_.attempt_id = app_.attempt_id;
    d_.app_name = app_.name;
    d_.spark_version = app_.spark_version;
    d_.completed = app_.completed;
    ClassifyAll();
    FindZombies();
    BuildFindings();
    Localise();
    Repeat();
    Budget();
    Streaming();
    Jobs();
    Decide();
    Advise();
    return std::move(d_);
  }

 private:
  void ClassifyAll() {
    ClassifyContext ctx;
    ctx.app_packages = options_.app_packages;
    for (const TaskAttempt& t : app_.tasks) {
      if (t.end == TaskEndKind::kRunning) continue;
      if (t.end != TaskEndKind::kResubmitted) ++d_.task_attempts;
      if (t.end == TaskEndKind::kSuccess) continue;
      const TaskFailure* f = app_.FailureOf(t);
      if (!f) continue;
      if (t.end == TaskEndKind::kResubmitted) {
        // A successful map task re-run because its executor's output was lost: the failure
        // is the executor loss, already reported on its own.
        continue;
      }
      ctx.executor_remove_reason = nullptr;
      const std::string& lost = f->kind == TaskEndKind::kExecutorLostFailure
                                    ? f->lost_executor_id
                                    : std::string(app_.ExecutorOf(t));
      auto xit = app_.executors.find(lost);
      if (xit != app_.executors.end() && xit->second.remove_reason) {
        ctx.executor_remove_reason = &*xit->second.remove_reason;
      }
      Classification c = classifier_.ClassifyTask(*f, ctx);
      bool real = IsRealFailure(c.cls) && c.cls != FailureClass::kStageCancelled;
      if (real) {
        ++d_.failed_attempts;
      } else {
        ++d_.killed_not_failures;
      }
      all_.push_back(Classified{&t, f, std::move(c), real});
    }
  }

  void BuildFindings() {
    std::map<FailureClass, size_t> index;
    for (const Classified& x : all_) {
      if (!x.real) continue;
      auto [it, inserted] = index.try_emplace(x.c.cls, d_.findings.size());
      if (inserted) {
        Finding f;
        f.cls = x.c.cls;
        f.runbook_scenario = RunbookScenario(x.c.cls);
        f.rule = x.c.rule;
        f.confidence = x.c.confidence;
        f.message = RepresentativeMessage(*x.failure);
        d_.findings.push_back(std::move(f));
      }
      Finding& f = d_.findings[it->second];
      const TaskAttempt& t = *x.task;
      ++f.count;
      TimeMs when = t.finish_time ? t.finish_time : t.launch_time;
      if (f.first_time == kNoTime || when < f.first_time) f.first_time = when;
      if (when > f.last_time) f.last_time = when;
      SortedInsert(&f.stages, t.stage_id);
      SortedInsert(&f.executors, std::string(app_.ExecutorOf(t)));
      SortedInsert(&f.hosts, std::string(app_.HostOf(t)));
      if (Counted(x)) ++f.counted_toward_max_failures;
      f.wasted_ms += t.duration().value_or(0);
      if (x.c.confidence > f.confidence) f.confidence = x.c.confidence;
    }
    for (Finding& f : d_.findings) {
      f.share = d_.failed_attempts ? static_cast<double>(f.count) / d_.failed_attempts : 0;
    }
    std::stable_sort(d_.findings.begin(), d_.findings.end(),
                     [](const Finding& a, const Finding& b) { return a.count > b.count; });
  }

  // TaskSetManager.handleFailedTask counts a failure only when the reason counts, the task
  // set is not a zombie (a FetchFailed in the stage attempt makes it one), and the failure
  // did not abort the stage at once (a result that cannot be serialized, an output file that
  // already exists).
  bool Counted(const Classified& x) const {
    const TaskFailure& f = *x.failure;
    if (!CountsTowardTaskFailures(f)) return false;
    if (f.kind == TaskEndKind::kExceptionFailure &&
        (f.class_name == "java.io.NotSerializableException" ||
         f.class_name == "org.apache.spark.TaskOutputFileAlreadyExistException")) {
      return false;
    }
    auto it = zombie_since_.find({x.task->stage_id, x.task->stage_attempt});
    return it == zombie_since_.end() || x.task->finish_time <= it->second;
  }

  void FindZombies() {
    for (const Classified& x : all_) {
      if (x.failure->kind != TaskEndKind::kFetchFailed) continue;
      auto key = std::make_pair(x.task->stage_id, x.task->stage_attempt);
      auto [it, inserted] = zombie_since_.try_emplace(key, x.task->finish_time);
      if (!inserted) it->second = std::min(it->second, x.task->finish_time);
    }
  }

  // Where a failure is attributed: the executor that ran the attempt, except for a fetch
  // failure, which blames the executor whose shuffle output could not be fetched.
  std::pair<std::string, std::string> Place(const Classified& x) const {
    const TaskFailure& f = *x.failure;
    if (f.kind == TaskEndKind::kFetchFailed && f.has_block_manager) {
      return {f.bm_executor_id, f.bm_host};
    }
    return {std::string(app_.ExecutorOf(*x.task)), std::string(app_.HostOf(*x.task))};
  }

  void Localise() {
    Localisation& L = d_.localisation;
    std::map<std::string, PlaceStat> execs, hosts;
    uint64_t total = 0;
    for (const TaskAttempt& t : app_.tasks) {
      if (t.end == TaskEndKind::kRunning || t.end == TaskEndKind::kResubmitted) continue;
      ++total;
      PlaceStat& e = execs[std::string(app_.ExecutorOf(t))];
      e.id = app_.ExecutorOf(t);
      e.host = app_.HostOf(t);
      ++e.tasks;
      PlaceStat& h = hosts[std::string(app_.HostOf(t))];
      h.id = app_.HostOf(t);
      ++h.tasks;
    }
    // One executor's death fails every task running on it and every fetch of its output: that
    // is one incident, not dozens, so it counts once at that executor. Other failures count
    // one each.
    std::set<std::pair<int, std::string>> incidents;
    uint64_t failures = 0;
    for (const Classified& x : all_) {
      if (!x.real) continue;
      auto [exec, host] = Place(x);
      const TaskFailure& f = *x.failure;
      if (f.kind == TaskEndKind::kExecutorLostFailure || f.kind == TaskEndKind::kFetchFailed) {
        if (!incidents.insert({static_cast<int>(f.kind == TaskEndKind::kFetchFailed), exec})
                 .second) {
          continue;
        }
      }
      ++failures;
      PlaceStat& e = execs[exec];
      e.id = exec;
      if (e.host.empty()) e.host = host;
      ++e.failures;
      PlaceStat& h = hosts[host];
      h.id = host;
      ++h.failures;
    }
    // On Kubernetes a "host" is usually the executor pod's IP: one executor each. Such hosts
    // say nothing executors do not; node attribution needs the pods' node names.
    std::map<std::string, std::set<std::string>> execs_per_host;
    for (const auto& [id, x] : app_.executors) {
      if (!x.is_driver() && !x.host.empty()) execs_per_host[x.host].insert(id);
    }
    bool pod_hosts = execs_per_host.size() > 1;
    for (const auto& [host, ids] : execs_per_host) pod_hosts = pod_hosts && ids.size() == 1;
    L.app_failure_rate =
        total ? static_cast<double>(d_.failed_attempts) / static_cast<double>(total) : 0;
    L.test = fmt::format(
        "leave-one-out one-sided binomial test per executor and per host: P(X >= failures "
        "there) for X ~ Binomial(attempts there, failure rate of all other places), "
        "Bonferroni-corrected alpha {} over the places compared; at least {} failures; an "
        "executor's loss (its lost tasks, fetches of its output) counts as one failure",
        options_.alpha, options_.min_failures_to_localise);
    auto judge = [&](std::map<std::string, PlaceStat>& places, std::vector<PlaceStat>* out) {
      size_t k = 0;
      for (auto& [id, s] : places) k += s.tasks > 0;
      double threshold = options_.alpha / static_cast<double>(std::max<size_t>(k, 1));
      for (auto& [id, s] : places) {
        if (s.failures == 0) continue;
        // A fetch failure can blame an executor that ran no task: compare against one task.
        uint64_t n = std::max<uint64_t>(s.tasks, s.failures);
        double rest_failures = static_cast<double>(failures - std::min(failures, s.failures));
        double rest_tasks = static_cast<double>(total > n ? total - n : 0);
        // No failures elsewhere: half a failure keeps the rate above zero (a continuity
        // correction), so a place is judged by how much it fails, not by division by zero.
        double rest_rate = rest_tasks > 0 ? std::max(rest_failures, 0.5) / rest_tasks : 1.0;
        s.p_value = BinomialTailAtLeast(s.failures, n, std::min(rest_rate, 1.0));
        s.suspect = s.failures >= static_cast<uint64_t>(options_.min_failures_to_localise) &&
                    k > 1 && s.p_value < threshold;
        L.concentrated = L.concentrated || s.suspect;
        out->push_back(s);
      }
      std::stable_sort(out->begin(), out->end(), [](const PlaceStat& a, const PlaceStat& b) {
        return a.failures != b.failures ? a.failures > b.failures : a.p_value < b.p_value;
      });
    };
    judge(execs, &L.executors);
    if (pod_hosts) {
      L.test += "; hosts not compared: each executor has a host of its own (pod IPs)";
    } else {
      judge(hosts, &L.hosts);
    }
    L.exclusions = app_.exclusions;
  }

  void Repeat() {
    std::map<std::pair<int32_t, int32_t>, PartitionHistory> parts;
    std::map<std::pair<int32_t, int32_t>, std::map<FailureClass, int>> classes;
    for (const TaskAttempt& t : app_.tasks) {
      if (t.end == TaskEndKind::kRunning || t.end == TaskEndKind::kResubmitted) continue;
      PartitionHistory& h = parts[{t.stage_id, t.index}];
      h.stage_id = t.stage_id;
      h.index = t.index;
      ++h.attempts;
      if (t.end == TaskEndKind::kSuccess) h.succeeded = true;
    }
    // Only failures Spark counts toward spark.task.maxFailures say something about the
    // partition itself: a fetch failure is about another executor's lost output, an
    // executor lost for reasons outside the app is about the executor.
    for (const Classified& x : all_) {
      // Continuous-mode retries fail because retries are refused, not because of the data.
      if (!x.real || !Counted(x) || x.c.cls == FailureClass::kContinuousStreamingRetry) continue;
      auto key = std::make_pair(x.task->stage_id, x.task->index);
      PartitionHistory& h = parts[key];
      ++h.failures;
      ++classes[key][x.c.cls];
      SortedInsert(&h.executors, std::string(app_.ExecutorOf(*x.task)));
    }
    Repetition& R = d_.repetition;
    uint64_t failing_partitions = 0;
    for (auto& [key, h] : parts) {
      if (h.failures == 0) continue;
      ++failing_partitions;
      int best = 0;
      for (auto& [cls, n] : classes[key]) {
        if (n > best) {
          best = n;
          h.cls = cls;
        }
      }
      if (!h.succeeded && h.failures >= 2 && h.failures == h.attempts) {
        R.deterministic.push_back(h);
      } else if (h.succeeded && h.failures == 1) {
        ++R.partitions_failed_once_then_succeeded;
      } else if (h.succeeded) {
        ++R.partitions_failed_repeatedly_then_succeeded;
      }
    }
    R.mostly_deterministic =
        !R.deterministic.empty() && R.deterministic.size() * 2 >= failing_partitions;
  }

  void Budget() {
    RetryBudget& B = d_.retry;
    B.max_task_failures = EffectiveMaxTaskFailures(app_, &B.max_task_failures_source);
    if (auto v = app_.SparkConf("spark.stage.maxConsecutiveAttempts")) {
      B.max_stage_attempts = std::max(1, ParseIntOr(*v, 4));
    }
    std::map<std::tuple<int32_t, int32_t, int32_t>, uint32_t> counts;
    for (const Classified& x : all_) {
      if (Counted(x)) {
        ++counts[{x.task->stage_id, x.task->stage_attempt, x.task->index}];
      }
    }
    // Spark's abort message names the index and stage attempt that reached the limit.
    static const std::regex kAbort(R"(Task (\d+) in stage (\d+)\.(\d+) failed (\d+) times)");
    std::set<std::tuple<int32_t, int32_t, int32_t>> aborted;
    for (const auto& [key, st] : app_.stages) {
      if (!st.failure_reason) continue;
      std::smatch m;
      if (std::regex_search(*st.failure_reason, m, kAbort)) {
        aborted.insert({std::stoi(m[2]), std::stoi(m[3]), std::stoi(m[1])});
        if (!B.abort_message) B.abort_message = *st.failure_reason;
      }
    }
    for (const auto& [key, job] : app_.jobs) {
      if (!B.abort_message && job.failure_message &&
          job.failure_message->find("Job aborted due to stage failure") != std::string::npos) {
        B.abort_message = *job.failure_message;
      }
    }
    for (const auto& [key, n] : counts) {
      BudgetEntry e{std::get<0>(key), std::get<1>(key), std::get<2>(key), n,
                    aborted.count(key) > 0};
      B.closest.push_back(e);
    }
    std::stable_sort(B.closest.begin(), B.closest.end(),
                     [](const BudgetEntry& a, const BudgetEntry& b) {
                       return a.counted_failures > b.counted_failures;
                     });
    if (B.closest.size() > 10) B.closest.resize(10);
    // Stage attempts after fetch failures.
    std::map<int32_t, StageRetries> retries;
    for (const auto& [key, st] : app_.stages) {
      if (st.status == StageStatus::kSkipped || st.status == StageStatus::kPending) continue;
      StageRetries& r = retries[key.first];
      r.stage_id = key.first;
      ++r.attempts;
      if (st.status == StageStatus::kFailed) {
        ++r.failed_attempts;
        if (st.failure_reason &&
            st.failure_reason->find("has failed the maximum allowable number of times") !=
                std::string::npos) {
          r.aborted = true;
          if (!B.abort_message) B.abort_message = *st.failure_reason;
        }
      }
    }
    for (auto& [id, r] : retries) {
      uint32_t run = 0;
      for (auto it = app_.stages.lower_bound({id, 0});
           it != app_.stages.end() && it->first.first == id; ++it) {
        if (it->second.status == StageStatus::kFailed) {
          r.max_consecutive_failed = std::max(r.max_consecutive_failed, ++run);
        } else if (it->second.status == StageStatus::kComplete) {
          run = 0;
        }
      }
      if (r.attempts > 1) B.stage_retries.push_back(r);
    }
    for (const Classified& x : all_) B.wasted_ms += x.task->duration().value_or(0);
  }

  void Streaming() {
    // A task belongs to the query named by its stage's jobs (sql.streaming.queryId).
    std::map<int32_t, std::string> query_of_stage;
    for (const auto& [jid, job] : app_.jobs) {
      auto q = job.streaming_properties.find("sql.streaming.queryId");
      if (q == job.streaming_properties.end()) continue;
      for (int32_t sid : job.stage_ids) query_of_stage[sid] = q->second;
    }
    for (const auto& [id, q] : app_.streaming_queries) {
      StreamingAdvice s;
      s.query_id = id;
      s.name = q.name;
      s.continuous = q.IsContinuous();
      for (const Classified& x : all_) {
        if (x.c.cls != FailureClass::kContinuousStreamingRetry) continue;
        auto it = query_of_stage.find(x.task->stage_id);
        if (it != query_of_stage.end() && it->second == id) ++s.continuous_retry_failures;
      }
      if (s.continuous_retry_failures > 0) s.continuous = true;
      if (s.continuous) {
        s.advice =
            "Continuous processing cannot retry a task: a re-attempt fails at once with "
            "ContinuousTaskRetryException, so spark.task.maxFailures only repeats that error. "
            "Fix the first failure, then restart the query from its checkpoint (it resumes "
            "from the last committed epoch), or switch to a micro-batch trigger, which retries "
            "tasks normally. Do not raise task retries for this query.";
      } else {
        s.advice = "Micro-batch query: failed tasks are retried like batch tasks.";
      }
      d_.streaming.push_back(std::move(s));
    }
  }

  void Jobs() {
    for (const auto& [id, job] : app_.jobs) {
      if (job.status == JobStatus::kFailed) d_.failed_jobs.push_back(id);
    }
    for (const auto& [key, st] : app_.stages) {
      if (st.status == StageStatus::kFailed) d_.failed_stages.push_back(key);
    }
  }

  void Decide() {
    bool aborted = !d_.failed_jobs.empty();
    if (aborted) {
      d_.verdict = Verdict::kFailed;
    } else if (d_.failed_attempts > 0) {
      d_.verdict = app_.completed ? Verdict::kRecovered : Verdict::kRunningWithFailures;
    } else {
      d_.verdict = Verdict::kHealthy;
    }
    std::string main;
    if (!d_.findings.empty()) {
      const Finding& f = d_.findings[0];
      main = fmt::format("; mostly {} ({} of {} failed attempts, {:.0f}%)",
                         FailureClassTitle(f.cls), f.count, d_.failed_attempts, f.share * 100);
    }
    switch (d_.verdict) {
      case Verdict::kHealthy:
        d_.headline = fmt::format(
            "Healthy: none of {} task attempts failed{}", d_.task_attempts,
            d_.killed_not_failures
                ? fmt::format(" ({} killed attempts were not failures)", d_.killed_not_failures)
                : "");
        break;
      case Verdict::kRecovered:
        d_.headline = fmt::format("Recovered: {} task attempts failed but every job succeeded{}",
                                  d_.failed_attempts, main);
        break;
      case Verdict::kRunningWithFailures:
        d_.headline = fmt::format("Still running with failures: {} task attempts failed so far{}",
                                  d_.failed_attempts, main);
        break;
      case Verdict::kFailed: {
        std::string jobs;
        for (size_t i = 0; i < d_.failed_jobs.size() && i < 5; ++i) {
          jobs += (i ? ", " : "") + std::to_string(d_.failed_jobs[i]);
        }
        d_.headline = fmt::format("Failed: {} job(s) failed ({}); {} task attempts failed{}",
                                  d_.failed_jobs.size(), jobs, d_.failed_attempts, main);
        break;
      }
    }
  }

  void Advise() {
    std::vector<std::string>& A = d_.advice;
    for (const StreamingAdvice& s : d_.streaming) {
      if (s.continuous && s.continuous_retry_failures > 0) A.push_back(s.advice);
    }
    const auto& det = d_.repetition.deterministic;
    for (size_t i = 0; i < det.size() && i < 3; ++i) {
      const PartitionHistory& h = det[i];
      A.push_back(fmt::format(
          "Partition {} of stage {} failed on all {} attempts ({}): the same data or code fails "
          "every time, so more retries (spark.task.maxFailures) will not help; fix the input or "
          "the code for that partition.",
          h.index, h.stage_id, h.attempts, FailureClassName(h.cls)));
    }
    if (det.size() > 3) {
      A.push_back(fmt::format("{} more partitions failed on every attempt.", det.size() - 3));
    }
    const Localisation& L = d_.localisation;
    for (const PlaceStat& h : L.hosts) {
      if (!h.suspect) continue;
      A.push_back(fmt::format(
          "Failures concentrate on host {} ({} of its {} attempts, p={:.2g}): cordon or drain "
          "that node, or let Spark avoid it (spark.excludeOnFailure.enabled=true).",
          h.id, h.failures, h.tasks, h.p_value));
    }
    for (const PlaceStat& e : L.executors) {
      if (!e.suspect) continue;
      A.push_back(fmt::format(
          "Failures concentrate on executor {} on {} ({} of its {} attempts, p={:.2g}).", e.id,
          e.host, e.failures, e.tasks, e.p_value));
    }
    if (d_.retry.max_task_failures == 1 && d_.failed_attempts > 0) {
      A.push_back(
          fmt::format("Tasks are not retried here ({}).", d_.retry.max_task_failures_source));
    }
    // Advice for the classes that matter: the three largest, and any with a tenth or more.
    for (size_t i = 0; i < d_.findings.size(); ++i) {
      const Finding& f = d_.findings[i];
      if (i >= 3 && f.share < 0.1) continue;
      std::string a = ClassAdvice(f.cls);
      if (!a.empty()) A.push_back(fmt::format("{}: {}", FailureClassTitle(f.cls), a));
    }
  }

  static std::string ClassAdvice(FailureClass c) {
    switch (c) {
      case FailureClass::kContainerOomKilled:
        return "the container exceeded its memory limit outside the JVM heap; raise "
               "spark.executor.memoryOverhead (spec.executor.memoryOverhead) or lower "
               "spark.executor.cores so fewer tasks share it.";
      case FailureClass::kJvmOom:
        return "the JVM ran out of memory; raise spark.executor.memory, give each task less "
               "data (more shuffle partitions, smaller spark.sql.files.maxPartitionBytes), or "
               "fix skew.";
      case FailureClass::kShuffleFetch:
        return "shuffle output was lost or unreachable (usually an executor died); fix the "
               "executor loss first; spark.shuffle.io.maxRetries / spark.shuffle.io.retryWait "
               "tune the fetch retries.";
      case FailureClass::kTransientNetwork:
        return "network errors are usually transient and retries absorb them; raise "
               "spark.network.timeout if they persist.";
      case FailureClass::kDiskFull:
        return "local disk filled up; give executors more ephemeral storage or local dirs "
               "(spark.local.dir / spark.kubernetes.executor.volumes), or spill less.";
      case FailureClass::kResultTooLarge:
        return "the driver refused results larger than spark.driver.maxResultSize; collect "
               "less, or raise that limit with the driver memory.";
      case FailureClass::kSerialization:
        return "a class is not serializable; retries cannot fix it; fix the code.";
      case FailureClass::kClassNotFound:
        return "a class is missing on the executors; ship the jar (spec.deps.jars, whole list) "
               "or fix spark.jars.packages; retries cannot fix it.";
      case FailureClass::kUserCodeData:
        return "the application's code or data raised an error; retries repeat it.";
      case FailureClass::kHadoopHdfs:
        return "the file system refused; check the NameNode/DataNodes or object store, and the "
               "paths the job reads.";
      case FailureClass::kPythonWorkerCrash:
        return "a Python worker crashed (often memory: raise spark.executor.pyspark.memory or "
               "the memory overhead).";
      default:
        return "";
    }
  }

  const Application& app_;
  const Classifier& classifier_;
  const DiagnoseOptions& options_;
  Diagnosis d_;
  std::vector<Classified> all_;
  std::map<std::pair<int32_t, int32_t>, TimeMs>
      zombie_since_;  // stage attempt → first fetch failure
};

}  // namespace

Diagnosis Diagnose(const Application& app, const Classifier& classifier,
                   const DiagnoseOptions& options) {
  return Diagnoser(app, classifier, options).Run();
}

}  // namespace sparkmedic
