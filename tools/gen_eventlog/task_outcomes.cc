// What happens when a task attempt ends: success, counted failures and the maxFailures abort,
// kills, executor loss with Resubmitted re-reports, FetchFailed turning the attempt into a
// zombie, stage completion and exclusion (TaskSetExcludelist / HealthTracker).
// See simulator.h and docs/spark-facts.md C.
#include <algorithm>

#include <fmt/format.h>

#include "simulator.h"
#include "spark_texts.h"

namespace sparkmedic::gen::internal {

void Simulator::HandleEvent(TaskSet* ts, const Event& ev) {
  switch (ev.type) {
    case kEvFinish:
      Finish(ts, ev.run);
      break;
    case kEvSpeculate: {
      const TaskRun& r = ts->runs[ev.run];
      if (r.active && !ts->done[r.index] && !ts->zombie && r.peer < 0)
        ts->spec_wait.push_back(ev.run);
      break;
    }
    case kEvKill:
      KillRun(ts, ev.run, ts->kill_reason[ev.run], ev.time);
      break;
    default:
      break;
  }
}

std::string Simulator::AccumUpdatesJson(const TaskSet& ts, const TaskRun& r) const {
  std::string out = fmt::format(
      "[{{\"ID\":{},\"Update\":\"{}\",\"Internal\":false,\"Count Failed Values\":true}},"
      "{{\"ID\":{},\"Update\":\"0\",\"Internal\":false,\"Count Failed Values\":true}}",
      SlotId(ts, kRunTime), r.v.run, SlotId(ts, kResultSize));
  if (r.v.gc > 0) {
    out += fmt::format(
        ",{{\"ID\":{},\"Update\":\"{}\",\"Internal\":false,\"Count Failed Values\":true}}",
        SlotId(ts, kGcTime), r.v.gc);
  }
  out += "]";
  return out;
}

void Simulator::Finish(TaskSet* ts, int run) {
  TaskRun* r = &ts->runs[run];
  if (!r->active) return;
  if (r->outcome == Outcome::kExecutorLost) {
    LoseExecutor(ts, r->exec, r->arg, now_);
    return;
  }
  r->active = false;
  --ts->copies[r->index];
  --ts->running;
  if (execs_[r->exec].alive) free_.push_back(r->exec);
  switch (r->outcome) {
    case Outcome::kSuccess:
    case Outcome::kStraggler:
      Succeed(ts, r);
      return;
    case Outcome::kException:
    case Outcome::kOom:
    case Outcome::kOomDirect: {
      const RenderedException& ex =
          RenderException(r->arg, plan_.stages[ts->logical].result_task(), java17_);
      Buf b;
      Raw(b, "{\"Reason\":\"ExceptionFailure\",\"Class Name\":");
      Str(b, ex.class_name);
      Raw(b, ",\"Description\":");
      if (ex.description) {
        Str(b, *ex.description);
      } else {
        Raw(b, "null");
      }
      Raw(b, ",\"Stack Trace\":");
      Raw(b, ex.stack_json);
      Raw(b, ",\"Full Stack Trace\":");
      Str(b, ex.full_trace);
      Raw(b, ",\"Accumulator Updates\":");
      Raw(b, AccumUpdatesJson(*ts, *r));
      b.push_back('}');
      ++m_->exception_classes[ex.class_name];
      if (r->arg == "NotSerializableException") {
        EmitTaskEndFailure(ts, r, std::string(b.data(), b.size()), "ExceptionFailure", true, false);
        if (!ts->zombie) {
          Abort(ts,
                fmt::format("task {}.{} in stage {}.{} (TID {}) had a not serializable result: {}",
                            r->index, r->attempt, instances_[ts->inst].id, ts->attempt, r->tid,
                            ex.description.value_or("null")),
                ts->parts[r->index]);
        }
        return;
      }
      FailRun(ts, r, std::string(b.data(), b.size()), "ExceptionFailure", true, true,
              ex.full_trace);
      if ((r->outcome == Outcome::kOom || r->outcome == Outcome::kOomDirect) &&
          execs_[r->exec].alive) {
        // The uncaught OutOfMemoryError takes the executor JVM down (exit code 52).
        exec_losses_.emplace(std::make_pair(now_ + rng_.Range(150, 700), seq_++), r->exec);
      }
      return;
    }
    case Outcome::kFetchFailed:
      FetchFail(ts, r);
      return;
    case Outcome::kResultLost:
      FailRun(ts, r, "{\"Reason\":\"TaskResultLost\"}", "TaskResultLost", false, true,
              "TaskResultLost (result lost from block manager)");
      return;
    case Outcome::kUnknown:
      FailRun(ts, r, "{\"Reason\":\"UnknownReason\"}", "UnknownReason", false, true,
              "UnknownReason");
      return;
    case Outcome::kCommitDenied: {
      std::string json = fmt::format(
          "{{\"Reason\":\"TaskCommitDenied\",\"Job ID\":{},\"Partition ID\":{},\"Attempt "
          "Number\":{}}}",
          ts->job, ts->parts[r->index], r->attempt);
      EmitTaskEndFailure(ts, r, json, "TaskCommitDenied", false, true);
      Requeue(ts, r->index, true);
      return;
    }
    case Outcome::kKilledUi: {
      const std::string reason = "killed via the Web UI";
      std::string json = "{\"Reason\":\"TaskKilled\",\"Kill Reason\":" + Quoted(reason) +
                         ",\"Accumulator Updates\":" + AccumUpdatesJson(*ts, *r) + "}";
      EmitTaskEndFailure(ts, r, json, "TaskKilled", true, true);
      ++m_->kill_reasons[reason];
      Requeue(ts, r->index, true);
      return;
    }
    case Outcome::kExecutorLost:
      return;
  }
}

void Simulator::FailRun(TaskSet* ts, TaskRun* r, const std::string& reason_json, const char* name,
                        bool with_metrics, bool counted, const std::string& error_string) {
  const bool count = counted && !ts->zombie;
  if (count) StageExclusion(ts, r);
  EmitTaskEndFailure(ts, r, reason_json, name, with_metrics, false);
  if (count) {
    if (++ts->failures[r->index] >= o_.max_failures) {
      Abort(
          ts,
          fmt::format(
              "Task {} in stage {}.{} failed {} times, most recent failure: {}\nDriver stacktrace:",
              r->index, instances_[ts->inst].id, ts->attempt, o_.max_failures,
              LostTaskString(*ts, *r, error_string)),
          ts->parts[r->index]);
      if (!r->arg.empty() && IsExceptionKey(r->arg)) {
        streaming_terminate_error_ = RenderException(r->arg, true, java17_).full_trace;
      }
      return;
    }
  }
  Requeue(ts, r->index, true);
}

std::string Simulator::LostTaskString(const TaskSet& ts, const TaskRun& r,
                                      const std::string& err) const {
  const Exec& e = execs_[r.exec];
  return fmt::format("Lost task {}.{} in stage {}.{} (TID {}) ({} executor {}): {}", r.index,
                     r.attempt, instances_[ts.inst].id, ts.attempt, r.tid, e.host_name, e.id, err);
}

void Simulator::Requeue(TaskSet* ts, int index, bool front) {
  if (ts->zombie || ts->aborted || ts->done[index] || ts->copies[index] > 0) return;
  if (front) {
    ts->pending.push_front(index);
  } else {
    ts->pending.push_back(index);
  }
}

void Simulator::Succeed(TaskSet* ts, TaskRun* r) {
  if (ts->done[r->index]) return;  // a late duplicate; Spark ignores it
  r->succeeded = true;
  ts->done[r->index] = 1;
  --ts->remaining;
  EmitTaskEndSuccess(ts, r);
  const LogicalStage& st = plan_.stages[ts->logical];
  const int p = ts->parts[r->index];
  if (ts->logical == skew_stage_) {
    skew_stage_id_ = instances_[ts->inst].id;
    skew_obs_[p] = {r->v.rd_local_bytes + r->v.rd_remote_bytes, r->finish - r->launch};
  }
  if (st.writes_shuffle()) {
    if (out_exec_[ts->logical][p] < 0) ++registered_outputs_[ts->logical];
    if (out_lost_[ts->logical][p] >= 0) --lost_outputs_[ts->logical];
    out_exec_[ts->logical][p] = r->exec;
    out_tid_[ts->logical][p] = r->tid;
    out_lost_[ts->logical][p] = -1;
  } else {
    finished_[ts->logical][p] = 1;
  }
  if (r->peer >= 0 && ts->runs[r->peer].active) {
    ts->kill_reason[r->peer] = "another attempt succeeded";
    Push(ts, now_ + rng_.Range(3, 45), kEvKill, r->peer);
  }
}

void Simulator::KillRun(TaskSet* ts, int run, const std::string& reason, int64_t t) {
  TaskRun* r = &ts->runs[run];
  if (!r->active) return;
  r->active = false;
  --ts->copies[r->index];
  --ts->running;
  if (execs_[r->exec].alive) free_.push_back(r->exec);
  r->finish = std::max(t, r->launch + 1);
  r->v.run = std::max<int64_t>(1, r->finish - r->launch - r->v.deser - 2);
  std::string json = "{\"Reason\":\"TaskKilled\",\"Kill Reason\":" + Quoted(reason) +
                     ",\"Accumulator Updates\":" + AccumUpdatesJson(*ts, *r) + "}";
  EmitTaskEndFailure(ts, r, json, "TaskKilled", true, true);
  ++m_->kill_reasons[reason];
}

void Simulator::KillRemaining(TaskSet* ts, const std::string& reason) {
  if (ts == nullptr) return;
  for (size_t i = 0; i < ts->runs.size(); ++i) {
    if (ts->runs[i].active) {
      now_ += rng_.Range(1, 12);
      KillRun(ts, static_cast<int>(i), reason, now_);
    }
  }
}

void Simulator::UnregisterOutputsOn(int exec) {
  for (size_t l = 0; l < out_exec_.size(); ++l) {
    for (size_t p = 0; p < out_exec_[l].size(); ++p) {
      if (out_exec_[l][p] == exec) {
        out_exec_[l][p] = -1;
        if (out_lost_[l][p] < 0) ++lost_outputs_[l];
        out_lost_[l][p] = exec;
        --registered_outputs_[l];
      }
    }
  }
}

void Simulator::LoseExecutor(TaskSet* ts, int exec, const std::string& kind, int64_t t) {
  Exec& e = execs_[exec];
  if (!e.alive) return;
  e.alive = false;
  const std::string reason =
      LossReasonText(kind, e.id, e.added, t, o_.spark_version, rng_.Range(120400, 175000));
  const bool caused = LossCausedByApp(kind);
  EmitBlockManagerRemoved(exec, t);
  bool abort = false;
  std::string abort_msg;
  int abort_part = -1;
  if (ts != nullptr && !ts->aborted) {
    const bool map_stage = !plan_.stages[ts->logical].result_task();
    if (map_stage && !ts->zombie && !ts->completed) {
      for (TaskRun& r : ts->runs) {
        if (!r.succeeded || r.resubmitted || r.exec != exec || r.saved_info.empty()) continue;
        r.resubmitted = true;
        EmitResubmitted(ts, &r);
        ts->done[r.index] = 0;
        ++ts->remaining;
        Requeue(ts, r.index, false);
      }
    }
    const std::string err = fmt::format(
        "ExecutorLostFailure (executor {} exited {}) Reason: {}", e.id,
        caused ? "caused by one of the running tasks" : "unrelated to the running tasks", reason);
    for (size_t i = 0; i < ts->runs.size(); ++i) {
      TaskRun* r = &ts->runs[i];
      if (!r->active || r->exec != exec) continue;
      r->active = false;
      --ts->copies[r->index];
      --ts->running;
      r->finish = std::max(t, r->launch);  // a task launched a few ms "ahead" of the loss
      const bool count = caused && !ts->zombie;
      if (count) StageExclusion(ts, r);
      std::string json = "{\"Reason\":\"ExecutorLostFailure\",\"Executor ID\":" + e.quoted_id +
                         ",\"Exit Caused By App\":" + (caused ? "true" : "false") +
                         ",\"Loss Reason\":" + Quoted(reason) + "}";
      EmitTaskEndFailure(ts, r, json, "ExecutorLostFailure", false, false);
      ++(caused ? m_->executor_lost_caused_by_app : m_->executor_lost_not_caused_by_app);
      if (count && ++ts->failures[r->index] >= o_.max_failures && !abort) {
        abort = true;
        abort_part = ts->parts[r->index];
        abort_msg = fmt::format(
            "Task {} in stage {}.{} failed {} times, most recent failure: {}\nDriver stacktrace:",
            r->index, instances_[ts->inst].id, ts->attempt, o_.max_failures,
            LostTaskString(*ts, *r, err));
      }
      Requeue(ts, r->index, true);
    }
  }
  EmitExecutorRemoved(
      exec, reason,
      kind == "137" || kind == "143" || kind == "52" || kind == "53" ? "exit-" + kind : kind, t);
  UnregisterOutputsOn(exec);
  ScheduleReplacement(e.host, t);
  if (abort) Abort(ts, abort_msg, abort_part);
}

void Simulator::FetchFail(TaskSet* ts, TaskRun* r) {
  const LogicalStage& st = plan_.stages[ts->logical];
  const Exec& fe = execs_[r->fetch_exec];
  const std::string msg = FetchFailedMessage(fe.host_name, fe.port);
  std::string json = fmt::format(
      "{{\"Reason\":\"FetchFailed\",\"Block Manager Address\":{{\"Executor "
      "ID\":{},\"Host\":{},\"Port\":{}}},"
      "\"Shuffle ID\":{},\"Map ID\":{},\"Map Index\":{},\"Reduce ID\":{},\"Message\":",
      fe.quoted_id, fe.quoted_host, fe.port, plan_.stages[st.parent].shuffle_id, r->fetch_map_id,
      r->fetch_map_index, ts->parts[r->index]);
  json += Quoted(msg) + "}";
  EmitTaskEndFailure(ts, r, json, "FetchFailed", false, false);
  if (ts->zombie) return;  // DAGScheduler already failed this attempt
  ts->zombie = true;
  ts->pending.clear();
  ts->spec_wait.clear();
  UnregisterOutputsOn(r->fetch_exec);
  Instance& in = instances_[ts->inst];
  ++in.fetch_failures;
  ts->failure_reason = msg;
  ts->completed_at = now_;
  ts->fetch_exec = r->fetch_exec;
  EmitStageCompleted(ts);
  if (in.fetch_failures >= 4) {  // spark.stage.maxConsecutiveAttempts
    std::string stage = fmt::format(
        "{} {} ({})", st.result_task() ? "ResultStage" : "ShuffleMapStage", in.id, st.name);
    std::string why = v4_ ? fmt::format(
                                "{} has failed the maximum allowable number of times: 4. Most "
                                "recent failure reason:\n{}",
                                stage, msg)
                          : fmt::format(
                                "{} has failed the maximum allowable number of times: 4. Most "
                                "recent failure reason: {}",
                                stage, msg);
    if (!v4_) std::replace(why.begin(), why.end(), '\n', ' ');
    ts->aborted = true;
    ts->abort_message = "Job aborted due to stage failure: " + why;
    ts->abort_partition = -1;
    m_->aborts.push_back({ts->job, in.id, ts->attempt, -1, ts->abort_message});
  }
}

void Simulator::Abort(TaskSet* ts, const std::string& message, int partition) {
  ts->aborted = true;
  ts->failure_reason = "Job aborted due to stage failure: " + message;
  ts->abort_message = ts->failure_reason;
  ts->abort_partition = partition;
  ts->completed_at = now_;
  ts->pending.clear();
  EmitStageCompleted(ts);
  m_->aborts.push_back(
      {ts->job, instances_[ts->inst].id, ts->attempt, partition, ts->failure_reason});
}

void Simulator::CompleteTaskSet(TaskSet* ts) {
  ts->completed = true;
  ts->completed_at = now_ + rng_.Range(1, 8);
  now_ = ts->completed_at;
  if (o_.exclude_on_failure) AppExclusion(ts);
  EmitStageCompleted(ts);
  instances_[ts->inst].fetch_failures = 0;
}

void Simulator::StageExclusion(TaskSet* ts, TaskRun* r) {
  const int e = r->exec;
  auto& failed = ts->exec_failed_indices[e];
  failed.insert(r->index);
  ts->index_failed_execs[r->index].push_back(e);
  if (!o_.exclude_on_failure || failed.size() < 2 || !ts->excluded_execs.insert(e).second) return;
  const int sid = instances_[ts->inst].id;
  const int64_t t = now_ + rng_.Range(1, 9);
  EmitExclusion(
      "SparkListenerExecutorExcludedForStage", "SparkListenerExecutorBlacklistedForStage",
      fmt::format(
          "\"time\":{},\"executorId\":{},\"taskFailures\":{},\"stageId\":{},\"stageAttemptId\":{}",
          t, execs_[e].quoted_id, failed.size(), sid, ts->attempt));
  auto& on_host = ts->host_excluded[execs_[e].host];
  on_host.insert(e);
  if (on_host.size() >= 2 && ts->excluded_hosts.insert(execs_[e].host).second) {
    EmitExclusion("SparkListenerNodeExcludedForStage", "SparkListenerNodeBlacklistedForStage",
                  fmt::format("\"time\":{},\"hostId\":{},\"executorFailures\":{},\"stageId\":{},"
                              "\"stageAttemptId\":{}",
                              t, execs_[e].quoted_host, on_host.size(), sid, ts->attempt));
  }
}

void Simulator::AppExclusion(TaskSet* ts) {
  for (const auto& [e, failed] : ts->exec_failed_indices) {
    Exec& x = execs_[e];
    if (!x.alive || x.excluded) continue;
    x.app_failures += static_cast<int>(failed.size());
    if (x.app_failures < 2) continue;  // application.maxFailedTasksPerExecutor
    x.excluded = true;
    x.excluded_until = now_ + 300000;  // spark.excludeOnFailure.timeout=5m
    EmitExclusion("SparkListenerExecutorExcluded", "SparkListenerExecutorBlacklisted",
                  fmt::format("\"time\":{},\"executorId\":{},\"taskFailures\":{}", now_,
                              x.quoted_id, x.app_failures));
    x.app_failures = 0;
    int on_host = 0;
    for (const Exec& y : execs_) on_host += (y.alive && y.excluded && y.host == x.host) ? 1 : 0;
    if (on_host >= 2 && node_excluded_until_.count(x.host) == 0) {
      node_excluded_until_[x.host] = x.excluded_until;
      EmitExclusion("SparkListenerNodeExcluded", "SparkListenerNodeBlacklisted",
                    fmt::format("\"time\":{},\"hostId\":{},\"executorFailures\":{}", now_,
                                x.quoted_host, on_host));
    }
  }
}

}  // namespace sparkmedic::gen::internal
