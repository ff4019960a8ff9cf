// Stage attempts: running a stage until its partitions exist (parents first, retries after
// fetch failures), scheduling tasks on executor cores, and deciding each attempt's outcome
// from the --inject items. Outcomes are applied in task_outcomes.cc. See simulator.h.
//
// The rules follow Spark's TaskSetManager / DAGScheduler (docs/spark-facts.md C): counted
// failures per task index and stage attempt, abort at spark.task.maxFailures, FetchFailed
// turning the attempt into a zombie and resubmitting parents then the stage, Resubmitted
// re-reports for map outputs lost with an executor, speculation losers killed with
// "another attempt succeeded", stage-level then application-level exclusion.
#include <algorithm>

#include <fmt/format.h>

#include "simulator.h"
#include "spark_texts.h"

namespace sparkmedic::gen::internal {

std::vector<int> Simulator::MissingPartitions(int logical) const {
  const LogicalStage& st = plan_.stages[logical];
  std::vector<int> out;
  for (int p = 0; p < st.partitions; ++p) {
    bool have = st.writes_shuffle() ? out_exec_[logical][p] >= 0 : finished_[logical][p] != 0;
    if (!have) out.push_back(p);
  }
  return out;
}

bool Simulator::EnsureStage(int inst, Job* job) {
  for (;;) {
    const int parent = instances_[inst].parent;
    if (parent >= 0 && !MissingPartitions(instances_[parent].logical).empty()) {
      if (!EnsureStage(parent, job)) return false;
    }
    std::vector<int> missing = MissingPartitions(instances_[inst].logical);
    if (missing.empty()) return true;
    AttemptEnd end = RunAttempt(inst, missing, job);
    if (end == AttemptEnd::kAborted) return false;
    if (end == AttemptEnd::kFetchFailed) now_ += 200;  // DAGScheduler.RESUBMIT_TIMEOUT
  }
}

void Simulator::InitTaskSet(TaskSet* ts) {
  const size_t n = ts->parts.size();
  ts->done.assign(n, 0);
  ts->failures.assign(n, 0);
  ts->next_attempt.assign(n, 0);
  ts->copies.assign(n, 0);
  ts->index_failed_execs.assign(n, {});
  ts->remaining = static_cast<int>(n);
  for (size_t i = 0; i < n; ++i) ts->pending.push_back(static_cast<int>(i));
  ts->sql_touched.assign(plan_.stages[ts->logical].sql_metric_index.size(), 0);
  ts->runs.reserve(n + n / 8 + 4);
}

void Simulator::RebuildFree() {
  free_.clear();
  for (int c = 0; c < o_.cores; ++c) {
    for (size_t e = 0; e < execs_.size(); ++e) {
      if (execs_[e].alive) free_.push_back(static_cast<int>(e));
    }
  }
}

Simulator::AttemptEnd Simulator::RunAttempt(int inst, const std::vector<int>& parts, Job* job) {
  ts_ = std::make_unique<TaskSet>();
  TaskSet* ts = ts_.get();
  ts->inst = inst;
  ts->logical = instances_[inst].logical;
  ts->attempt = instances_[inst].next_attempt++;
  ts->job = job->id;
  ts->first_run = !logical_ran_[ts->logical];
  logical_ran_[ts->logical] = 1;
  ts->parts = parts;
  InitTaskSet(ts);
  instances_[inst].latest_tasks = static_cast<int>(parts.size());
  instances_[inst].submitted = true;
  ts->internal_base = next_accum_;
  next_accum_ += v4_ ? kSlotCount : kSlotCount - 2;
  now_ += rng_.Range(8, 60);
  ProcessClusterEvents(now_, nullptr);
  ApplyUnexclusions(now_);
  ts->submitted = now_;
  EmitStageSubmitted(ts, *job);
  RebuildFree();
  Schedule(ts, now_ + 15);
  for (;;) {
    const int64_t cluster = NextClusterEvent();
    if (ts->heap.empty()) {
      if (ts->zombie || ts->completed || ts->aborted || ts->remaining == 0) break;
      if (cluster == INT64_MAX) ScheduleReplacement(0, now_);  // nowhere to run: ask for a pod
      now_ = std::max(now_, NextClusterEvent());
      ProcessClusterEvents(now_, ts);
      Schedule(ts, now_);
      continue;
    }
    const Event ev = ts->heap.top();
    if (cluster <= ev.time) {
      now_ = std::max(now_, cluster);
      ProcessClusterEvents(now_, ts);
    } else {
      ts->heap.pop();
      now_ = std::max(now_, ev.time);
      HandleEvent(ts, ev);
    }
    if (ts->aborted) return AttemptEnd::kAborted;
    if (!ts->completed && !ts->zombie && ts->remaining == 0) CompleteTaskSet(ts);
    Schedule(ts, now_);
  }
  return ts->zombie ? AttemptEnd::kFetchFailed : AttemptEnd::kSuccess;
}

bool Simulator::ExecUsable(const TaskSet& ts, int exec, bool relaxed) const {
  const Exec& e = execs_[exec];
  if (!e.alive || e.dying) return false;
  if (relaxed || !o_.exclude_on_failure) return true;
  if (e.excluded || ts.excluded_execs.count(exec) || ts.excluded_hosts.count(e.host)) return false;
  return node_excluded_until_.count(e.host) == 0;
}

bool Simulator::Allowed(const TaskSet& ts, int index, int exec, bool relaxed) const {
  if (relaxed) return true;
  if (!o_.exclude_on_failure) {
    // Not a Spark rule but its usual outcome: a retry lands on whichever executor frees a
    // slot next, which is rarely the one it just failed on. Without this the simulation
    // would hand the freed slot straight back to the retry.
    const auto& failed = ts.index_failed_execs[index];
    return std::find(failed.begin(), failed.end(), exec) == failed.end();
  }
  // maxTaskAttemptsPerExecutor = 1, maxTaskAttemptsPerNode = 2
  int on_host = 0;
  for (int f : ts.index_failed_execs[index]) {
    if (f == exec) return false;
    if (execs_[f].host == execs_[exec].host) ++on_host;
  }
  return on_host < 2;
}

int Simulator::PickTask(TaskSet* ts, int exec, bool* speculative, int* original) {
  *speculative = false;
  for (auto it = ts->spec_wait.begin(); it != ts->spec_wait.end();) {
    const TaskRun& o = ts->runs[*it];
    if (!o.active || ts->done[o.index] || o.peer >= 0) {
      it = ts->spec_wait.erase(it);
      continue;
    }
    if (o.exec != exec) {
      *speculative = true;
      *original = *it;
      ts->spec_wait.erase(it);
      return o.index;
    }
    ++it;
  }
  const size_t limit = std::min<size_t>(ts->pending.size(), 64);
  for (size_t i = 0; i < limit && i < ts->pending.size();) {
    const int idx = ts->pending[i];
    if (ts->done[idx] || ts->copies[idx] > 0) {
      ts->pending.erase(ts->pending.begin() + static_cast<long>(i));
      continue;
    }
    if (Allowed(*ts, idx, exec, false)) {
      ts->pending.erase(ts->pending.begin() + static_cast<long>(i));
      return idx;
    }
    ++i;
  }
  return -1;
}

void Simulator::Schedule(TaskSet* ts, int64_t now) {
  if (ts->zombie || ts->aborted || ts->completed) return;
  int launched = 0;
  for (int pass = 0; pass < 2; ++pass) {
    const bool relaxed = pass == 1;
    if (relaxed && (launched > 0 || ts->running > 0)) break;
    size_t tries = free_.size();
    while (tries-- > 0 && (!ts->pending.empty() || !ts->spec_wait.empty())) {
      const int e = free_.front();
      free_.pop_front();
      if (!execs_[e].alive) continue;
      if (!ExecUsable(*ts, e, relaxed)) {
        free_.push_back(e);
        continue;
      }
      bool spec = false;
      int orig = -1;
      int idx = PickTask(ts, e, &spec, &orig);
      if (idx < 0 && relaxed && !ts->pending.empty()) {
        idx = ts->pending.front();
        ts->pending.pop_front();
        if (ts->done[idx] || ts->copies[idx] > 0) idx = -1;
      }
      if (idx < 0) {
        free_.push_back(e);
        continue;
      }
      Launch(ts, idx, e, now + std::min(launched, 40) + rng_.Range(0, 2), spec, orig);
      ++launched;
    }
  }
}

void Simulator::Push(TaskSet* ts, int64_t t, uint8_t type, int run) {
  ts->heap.push(Event{t, seq_++, type, run});
}

void Simulator::Launch(TaskSet* ts, int index, int exec, int64_t t, bool speculative,
                       int original) {
  TaskRun r;
  r.tid = next_tid_++;
  r.index = index;
  r.attempt = ts->next_attempt[index]++;
  r.exec = exec;
  r.launch = t;
  r.speculative = speculative;
  const LogicalStage& st = plan_.stages[ts->logical];
  if (st.reads_input()) {
    r.locality = rng_.Chance(0.8) ? 2 : 4;  // object-store splits: NO_PREF or ANY
  } else {
    r.locality = rng_.Chance(0.85) ? 0 : 1;
  }
  const int id = static_cast<int>(ts->runs.size());
  if (speculative) {
    TaskRun& o = ts->runs[original];
    r.v = MakeVals(*ts, ts->parts[index], false);
    r.finish = t + r.v.duration;
    if (std::abs(r.finish - o.finish) < 150) {
      r.finish = o.finish - 150 > t + 60 ? o.finish - 150 : o.finish + 150;
      r.v.run = std::max<int64_t>(1, r.finish - t - r.v.deser - r.v.ser - 5);
    }
    r.peer = original;
    o.peer = id;
  } else {
    Decide(ts, &r);
  }
  ++ts->copies[index];
  ++ts->running;
  ts->runs.push_back(std::move(r));
  ts->kill_reason.emplace_back();
  TaskRun& placed = ts->runs.back();
  // Spark 3.x serialises TaskStart on the listener thread from the live TaskInfo; when the
  // bus lags, a task of a few milliseconds has already finished and its TaskStart carries
  // the Finish Time and Accumulables (fixed in 4.x by SPARK-42205). Reproduce it for some
  // tiny successful tasks by writing their TaskStart just before their TaskEnd.
  if (!v4_ && placed.outcome == Outcome::kSuccess && placed.v.duration < 40 && rng_.Chance(0.5)) {
    placed.late_start = true;
  } else {
    EmitTaskStart(*ts, placed);
  }
  Push(ts, placed.finish, kEvFinish, id);
  if (placed.outcome == Outcome::kStraggler) {
    int64_t when = placed.launch + static_cast<int64_t>(st.run_ms * 1.6) + 300;
    if (when < placed.finish - 500) Push(ts, when, kEvSpeculate, id);
  }
}

TaskVals Simulator::MakeVals(const TaskSet& ts, int partition, bool partial) {
  const LogicalStage& st = plan_.stages[ts.logical];
  double skew = 1.0;
  if (ts.logical == skew_stage_ &&
      std::find(skewed_.begin(), skewed_.end(), partition) != skewed_.end()) {
    skew = o_.skew_factor * (0.9 + 0.2 * rng_.Uniform());
  }
  TaskVals v;
  const double f = rng_.LogNormal(0.22);
  v.run = std::max<int64_t>(15, static_cast<int64_t>(st.run_ms * f * (skew > 1 ? skew * 0.8 : 1)));
  if (partial)
    v.run = std::max<int64_t>(5, static_cast<int64_t>(v.run * (0.1 + 0.8 * rng_.Uniform())));
  v.deser = rng_.Range(2, 28);
  v.deser_cpu = v.deser * rng_.Range(350000, 900000);
  v.cpu = v.run * rng_.Range(550000, 950000);
  v.gc = rng_.Chance(0.55) ? v.run * rng_.Range(4, 60) / 1000 : 0;
  v.ser = rng_.Chance(0.15) ? rng_.Range(1, 3) : 0;
  v.result_size = st.writes_shuffle() ? rng_.Range(2400, 4300) : rng_.Range(3600, 6800);
  if (st.kind != StageKind::kContinuous) v.peak = rng_.Range(16, 256) * 1048576;
  if (skew > 1 || rng_.Chance(0.02)) {
    v.mem_spill = v.peak * rng_.Range(3, 8);
    v.disk_spill = v.mem_spill / rng_.Range(4, 7);
  }
  const double size_f = rng_.LogNormal(0.18) * skew;
  if (st.reads_input()) {
    v.in_bytes = static_cast<int64_t>(st.input_bytes * size_f);
    v.in_records = v.in_bytes / rng_.Range(85, 100);
  }
  if (st.reads_shuffle()) {
    const int64_t total = static_cast<int64_t>(st.shuffle_read_bytes * size_f);
    const int map_parts = plan_.stages[st.parent].partitions;
    const int alive = std::max(1, AliveExecutors());
    v.rd_local_blocks = std::max<int64_t>(0, map_parts / alive);
    v.rd_remote_blocks = map_parts - v.rd_local_blocks;
    v.rd_local_bytes = total * v.rd_local_blocks / std::max(1, map_parts);
    v.rd_remote_bytes = total - v.rd_local_bytes;
    v.rd_records = total / rng_.Range(40, 56);
    v.rd_fetch_wait = static_cast<int64_t>(rng_.Range(0, 35) * (skew > 1 ? 4 : 1));
    v.rd_reqs_dur = v.rd_fetch_wait + rng_.Range(3, 60);
  }
  if (st.writes_shuffle()) {
    const int64_t base = st.reads_input() ? v.in_bytes : v.rd_remote_bytes + v.rd_local_bytes;
    v.wr_bytes = std::max<int64_t>(64, base / (st.reads_input() ? 14 : 2));
    v.wr_records = std::max<int64_t>(1, (st.reads_input() ? v.in_records : v.rd_records) / 9);
    v.wr_time = v.wr_bytes * rng_.Range(6, 14) + rng_.Range(200000, 900000);
  }
  if (st.kind == StageKind::kResultWrite || st.kind == StageKind::kScanResult ||
      st.kind == StageKind::kContinuous) {
    const int64_t base = st.reads_input() ? v.in_bytes : v.rd_remote_bytes + v.rd_local_bytes;
    v.out_bytes = std::max<int64_t>(512, base / 3);
    v.out_records = std::max<int64_t>(1, (st.reads_input() ? v.in_records : v.rd_records) / 3);
  }
  if (partial) {
    // A failed attempt reports only what Spark rebuilds from its accumulator updates.
    v.out_bytes = v.out_records = 0;
  }
  if (!partial && st.reads_shuffle() && skew == 1.0 && rng_.Chance(0.015)) {
    // A nearly empty partition (a handful of keys): the task takes a few milliseconds.
    v.deser = rng_.Range(1, 3);
    v.deser_cpu = v.deser * rng_.Range(350000, 900000);
    v.run = rng_.Range(1, 6);
    v.cpu = v.run * rng_.Range(300000, 900000);
    v.gc = v.ser = v.mem_spill = v.disk_spill = 0;
    v.peak = 262144;
    v.rd_records = rng_.Range(0, 40);
    v.rd_local_bytes = v.rd_records * 60 / std::max(1, AliveExecutors());
    v.rd_remote_bytes = v.rd_records * 60 - v.rd_local_bytes;
    v.rd_fetch_wait = 0;
    v.rd_reqs_dur = rng_.Range(0, 2);
    if (st.writes_shuffle()) {
      v.wr_bytes = 59 + v.rd_records * 30;
      v.wr_records = v.rd_records / 2;
      v.wr_time = rng_.Range(90000, 400000);
    }
    if (v.out_bytes > 0) {
      v.out_bytes = 512 + v.rd_records * 20;
      v.out_records = v.rd_records / 2;
    }
    v.duration = v.deser + v.run + rng_.Range(1, 5);
    return v;
  }
  v.duration = v.deser + v.run + v.ser + rng_.Range(4, 35);
  return v;
}

bool Simulator::StageEligible(const LogicalStage& st, const InjectSpec& s) {
  const bool result = st.result_task();
  const bool continuous = st.kind == StageKind::kContinuous;
  switch (s.kind) {
    case FailureKind::kException:
      if (s.arg == "NotSerializableException" && (!result || continuous)) return false;
      if (s.arg == "ContinuousTaskRetry" && !continuous) return false;
      break;
    case FailureKind::kResultLost:
    case FailureKind::kCommitDenied:
      if (!result || continuous) return false;
      break;
    case FailureKind::kFetchFailed:
      if (!st.reads_shuffle()) return false;
      break;
    case FailureKind::kSpeculation:
      if (continuous) return false;
      break;
    default:
      break;
  }
  const InjectTarget& t = s.target;
  if (t.task_type == 1 && result) return false;
  if (t.task_type == 2 && !result) return false;
  if (t.task_type == 3 && !st.reads_shuffle()) return false;
  return true;
}

bool Simulator::SpecEligible(const TaskSet& ts, const TaskRun& r, const InjectSpec& s) const {
  if (!StageEligible(plan_.stages[ts.logical], s)) return false;
  if (s.kind == FailureKind::kSpeculation && r.attempt > 0) return false;
  const InjectTarget& t = s.target;
  if (t.host >= 0 && execs_[r.exec].host != t.host) return false;
  if (!t.exec.empty() && execs_[r.exec].id != t.exec) return false;
  if (t.stage == -2 && ts.logical != last_stage_logical_) return false;
  if (t.stage >= 0 && instances_[ts.inst].id != t.stage) return false;
  if (t.partition >= 0 && ts.parts[r.index] != t.partition) return false;
  return true;
}

bool Simulator::DynamicEligible(const TaskSet& ts, const TaskRun& r, const InjectSpec& s) const {
  const Exec& e = execs_[r.exec];
  switch (s.kind) {
    case FailureKind::kExecutorLost:
    case FailureKind::kOom:
    case FailureKind::kOomDirect: {
      if (AliveExecutors() < 2 || e.loss_scheduled || e.dying) return false;
      if (s.kind == FailureKind::kExecutorLost && s.target.task_type == 1) {
        // Lose the executor only once it holds finished map outputs of this stage, so the
        // Resubmitted re-reports appear.
        for (const TaskRun& o : ts.runs) {
          if (o.succeeded && !o.resubmitted && o.exec == r.exec) return true;
        }
        return false;
      }
      return true;
    }
    case FailureKind::kSpeculation:
      return AliveExecutors() >= 2;
    case FailureKind::kFetchFailed:
      return registered_outputs_[plan_.stages[ts.logical].parent] > 0;
    default:
      return true;
  }
}

void Simulator::Decide(TaskSet* ts, TaskRun* r) {
  const LogicalStage& st = plan_.stages[ts->logical];
  r->outcome = Outcome::kSuccess;
  // Continuous processing: every retried task fails at once (ContinuousDataSourceRDD.compute).
  if (st.kind == StageKind::kContinuous && r->attempt > 0) {
    r->v = MakeVals(*ts, ts->parts[r->index], true);
    r->v.run = rng_.Range(3, 25);
    r->v.duration = r->v.deser + r->v.run + rng_.Range(2, 10);
    r->finish = r->launch + r->v.duration;
    r->outcome = Outcome::kException;
    r->arg = "ContinuousTaskRetry";
    return;
  }
  // A shuffle reader launched after the map output it needs was lost with its executor.
  if (st.reads_shuffle() && lost_outputs_[st.parent] > 0) {
    const int parent = st.parent;
    for (int q = 0; q < plan_.stages[parent].partitions; ++q) {
      if (out_exec_[parent][q] < 0 && out_lost_[parent][q] >= 0) {
        r->outcome = Outcome::kFetchFailed;
        r->fetch_exec = out_lost_[parent][q];
        r->fetch_map_index = q;
        r->fetch_map_id = out_tid_[parent][q];
        r->v = MakeVals(*ts, ts->parts[r->index], true);
        r->finish = r->launch + r->v.duration;
        return;
      }
    }
  }
  int chosen = -1;
  const bool first_attempt = ts->first_run && ts->attempt == 0 && r->attempt == 0;
  if (first_attempt) ++first_launched_[ts->logical];
  for (size_t i = 0; i < o_.injects.size(); ++i) {
    const InjectSpec& s = o_.injects[i];
    SpecState& ss = spec_state_[i];
    if (!SpecEligible(*ts, *r, s)) continue;
    const bool dyn = DynamicEligible(*ts, *r, s);
    bool wants = false;
    switch (s.amount) {
      case InjectSpec::Amount::kAll:
        wants = dyn;
        break;
      case InjectSpec::Amount::kRate:
        wants = rng_.Chance(s.rate) && dyn;
        break;
      case InjectSpec::Amount::kCount:
        if (s.target.any()) {
          wants = dyn && ss.fired < s.count;
        } else if (first_attempt) {
          const uint64_t left = s.count > ss.fired + ss.debt ? s.count - ss.fired - ss.debt : 0;
          if (ss.universe > 0) {
            // Spread the selections over all but the last eighth of the eligible first
            // attempts, so a selection deferred by a conflict still finds a later attempt.
            const uint64_t window = ss.universe > ss.reserve ? ss.universe - ss.reserve : 1;
            if (rng_.Below(window) < left) ++ss.debt;
            --ss.universe;
          }
          wants = ss.debt > 0 && dyn;
        } else {
          wants = ss.debt > 0 && dyn;
        }
        break;
    }
    if (!wants || chosen >= 0) continue;
    chosen = static_cast<int>(i);
    ++ss.fired;
    if (ss.debt > 0 && s.amount == InjectSpec::Amount::kCount && !s.target.any()) --ss.debt;
  }
  if (chosen < 0) {
    r->v = MakeVals(*ts, ts->parts[r->index], false);
    r->finish = r->launch + r->v.duration;
    return;
  }
  ApplyOutcome(ts, r, chosen);
}

void Simulator::ApplyOutcome(TaskSet* ts, TaskRun* r, int spec) {
  const InjectSpec& s = o_.injects[spec];
  const LogicalStage& st = plan_.stages[ts->logical];
  ++injected_[s.text];
  r->spec = spec;
  r->arg = s.arg;
  Exec& e = execs_[r->exec];
  bool partial = true;
  switch (s.kind) {
    case FailureKind::kException:
      r->outcome = Outcome::kException;
      partial = s.arg != "NotSerializableException";
      break;
    case FailureKind::kOom:
      r->outcome = Outcome::kOom;
      r->arg = "OutOfMemoryError";
      e.loss_scheduled = true;
      break;
    case FailureKind::kOomDirect:
      r->outcome = Outcome::kOomDirect;
      r->arg = "DirectBufferOOM";
      e.loss_scheduled = true;
      break;
    case FailureKind::kFetchFailed: {
      r->outcome = Outcome::kFetchFailed;
      const int parent = st.parent;
      const int n = plan_.stages[parent].partitions;
      int q = static_cast<int>(rng_.Below(static_cast<uint64_t>(n)));
      while (out_exec_[parent][q] < 0) q = (q + 1) % n;
      r->fetch_exec = out_exec_[parent][q];
      r->fetch_map_index = q;
      r->fetch_map_id = out_tid_[parent][q];
      break;
    }
    case FailureKind::kResultLost:
      r->outcome = Outcome::kResultLost;
      partial = false;
      break;
    case FailureKind::kUnknown:
      r->outcome = Outcome::kUnknown;
      break;
    case FailureKind::kCommitDenied:
      r->outcome = Outcome::kCommitDenied;
      partial = false;
      break;
    case FailureKind::kExecutorLost:
      r->outcome = Outcome::kExecutorLost;
      e.loss_scheduled = true;
      if (s.arg == "heartbeat" || s.arg == "decommission") e.dying = true;
      break;
    case FailureKind::kKilled:
      r->outcome = Outcome::kKilledUi;
      break;
    case FailureKind::kSpeculation:
      r->outcome = Outcome::kStraggler;
      partial = false;
      break;
  }
  r->v = MakeVals(*ts, ts->parts[r->index], partial);
  if (r->outcome == Outcome::kStraggler) {
    const int64_t extra = static_cast<int64_t>(r->v.run * (3.0 + 3.0 * rng_.Uniform()));
    r->v.run += extra;
    r->v.cpu += extra * 300000;
    r->v.duration += extra;
  }
  r->finish = r->launch + r->v.duration;
  if (r->outcome == Outcome::kExecutorLost && s.arg == "heartbeat") {
    // The executor stops answering; the driver gives up after spark.network.timeout (120s).
    r->finish = r->launch + 120000 + rng_.Range(8000, 40000);
  }
}

}  // namespace sparkmedic::gen::internal
