#include "core/model/model_builder.h"

#include <algorithm>

#include <fmt/format.h>

namespace sparkmedic {

StageAttempt& ModelBuilder::StageFor(int32_t stage_id, int32_t attempt) {
  auto [it, inserted] = app_->stages.try_emplace({stage_id, attempt});
  if (inserted) {
    it->second.stage_id = stage_id;
    it->second.attempt_id = attempt;
  }
  return it->second;
}

Executor& ModelBuilder::ExecutorFor(const std::string& id) {
  auto [it, inserted] = app_->executors.try_emplace(id);
  if (inserted) {
    it->second.id = id;
    app_->executor_order.push_back(id);
  }
  return it->second;
}

void ModelBuilder::Inconsistent(const Event& ev, std::string message) {
  if (!sink_) return;
  sink_->Report(
      Diagnostic{DiagnosticKind::kInconsistent, path_, ev.line, ev.offset, std::move(message), {}});
}

void ModelBuilder::ApplyStageInfo(StageInfoData& si, StageAttempt* st) {
  if (!si.name.empty()) st->name = std::move(si.name);
  if (!si.details.empty()) st->details = std::move(si.details);
  st->num_tasks = si.num_tasks;
  if (!si.parent_ids.empty()) st->parent_ids = std::move(si.parent_ids);
  if (!si.rdd_ids.empty()) st->rdd_ids = std::move(si.rdd_ids);
  if (si.submission_time) st->submission_time = *si.submission_time;
  if (si.completion_time) st->completion_time = *si.completion_time;
  if (si.failure_reason) st->failure_reason = std::move(si.failure_reason);
  if (!si.accumulables.empty()) st->accumulables = std::move(si.accumulables);
  st->resource_profile_id = si.resource_profile_id;
}

void ModelBuilder::FillTask(TaskAttempt* t, const TaskInfoData& info) {
  t->task_id = info.task_id;
  t->index = info.index;
  t->attempt = info.attempt;
  t->partition_id = info.partition_id;
  t->launch_time = info.launch_time;
  t->executor = app_->strings.Intern(info.executor_id);
  t->host = app_->strings.Intern(info.host);
  t->locality = info.locality;
  t->speculative = info.speculative;
  t->getting_result_time = info.getting_result_time;
  t->finish_time = info.finish_time;
  t->failed = info.failed;
  t->killed = info.killed;
}

struct ModelBuilder::Visitor {
  ModelBuilder& b;
  Event& ev;
  Application& app() { return *b.app_; }

  void operator()(IgnoredEvent&) { ++b.counters_.ignored_events; }
  void operator()(UnknownEvent& u) {
    ++b.counters_.unknown_events;
    if (b.sink_) {
      b.sink_->Report(Diagnostic{DiagnosticKind::kUnknownEvent, b.path_, ev.line, ev.offset,
                                 fmt::format("unknown event \"{}\" skipped", u.name),
                                 std::string(u.name)});
    }
  }
  void operator()(LogStartEvent& e) { app().spark_version = std::move(e.spark_version); }
  void operator()(AppStartEvent& e) {
    app().has_application_start = true;
    app().name = std::move(e.name);
    if (e.app_id) app().app_id = std::move(*e.app_id);
    if (e.attempt_id) app().attempt_id = std::move(*e.attempt_id);
    app().start_time = e.time;
    app().user = std::move(e.user);
    b.NoteTime(e.time);
  }
  void operator()(AppEndEvent& e) {
    app().end_time = e.time;
    app().exit_code = e.exit_code;
    app().completed = true;
    b.NoteTime(e.time);
  }
  void operator()(EnvUpdateEvent& e) {
    app().jvm_information = std::move(e.jvm);
    app().spark_properties = std::move(e.spark);
    app().hadoop_properties = std::move(e.hadoop);
    app().system_properties = std::move(e.system);
    app().classpath_entries = std::move(e.classpath);
    app().metrics_properties = std::move(e.metrics);
  }
  void operator()(ResourceProfileEvent& e) {
    ResourceProfile& rp = app().resource_profiles[e.id];
    rp.id = e.id;
    for (auto& [k, v] : e.executor_requests) rp.executor_requests[k] = v;
    for (auto& [k, v] : e.task_requests) rp.task_requests[k] = v;
    for (auto& [k, v] : e.executor_details) rp.executor_request_details[k] = std::move(v);
  }
  void operator()(ExecutorAddedEvent& e) {
    b.storage_.ExecutorAdded(e.executor_id, e.host);
    Executor& x = b.ExecutorFor(e.executor_id);
    x.host = std::move(e.host);
    x.total_cores = e.total_cores;
    x.add_time = e.time;
    x.resource_profile_id = e.resource_profile_id;
    for (auto& [k, v] : e.log_urls) x.log_urls[k] = v;
    for (auto& [k, v] : e.attributes) x.attributes[k] = v;
    b.NoteTime(e.time);
  }
  void operator()(ExecutorRemovedEvent& e) {
    Executor& x = b.ExecutorFor(e.executor_id);
    x.remove_time = e.time;
    x.remove_reason = std::move(e.reason);
    b.storage_.ExecutorRemoved(e.executor_id, &x);
    b.NoteTime(e.time);
  }
  void operator()(BlockManagerAddedEvent& e) {
    Executor& x = b.ExecutorFor(e.executor_id);
    if (x.host.empty()) x.host = e.host;
    if (x.add_time == kNoTime) x.add_time = e.time;
    x.max_memory = e.max_memory;
    x.max_onheap_memory = e.max_onheap;
    x.max_offheap_memory = e.max_offheap;
    x.block_manager_port = e.port;
    b.storage_.BlockManagerAdded(e);
    b.NoteTime(e.time);
  }
  void operator()(BlockManagerRemovedEvent& e) {
    Executor& x = b.ExecutorFor(e.executor_id);
    x.block_manager_removed_time = e.time;
    b.NoteTime(e.time);
  }
  void operator()(JobStartEvent& e) {
    Job& job = app().jobs[e.job_id];
    job.job_id = e.job_id;
    job.submission_time = e.time;
    job.stage_ids = e.stage_ids;
    job.sql_execution_id = e.properties.sql_execution_id;
    job.job_group = e.properties.job_group;
    job.description = e.properties.description;
    for (auto& [k, v] : e.properties.streaming) job.streaming_properties[k] = v;
    // AppStatusListener: the job's name is the name of its stage with the highest id.
    const StageInfoData* last = nullptr;
    for (const StageInfoData& si : e.stage_infos) {
      if (!last || si.stage_id > last->stage_id) last = &si;
    }
    if (last) job.name = last->name;
    job.num_tasks = 0;
    for (const StageInfoData& si : e.stage_infos) {
      if (!si.completion_time) job.num_tasks += si.num_tasks;
    }
    for (StageInfoData& si : e.stage_infos) {
      StageAttempt& st = b.StageFor(si.stage_id, si.attempt_id);
      b.ApplyStageInfo(si, &st);
      st.job_ids.push_back(e.job_id);
      if (e.properties.description) st.description = e.properties.description;
      if (e.properties.job_group) st.job_group = e.properties.job_group;
    }
    if (job.sql_execution_id) {
      auto it = app().sql_executions.find(*job.sql_execution_id);
      if (it != app().sql_executions.end()) it->second.job_ids.push_back(e.job_id);
    }
    b.NoteTime(e.time);
  }
  void operator()(JobEndEvent& e) {
    auto it = app().jobs.find(e.job_id);
    if (it == app().jobs.end()) {
      b.Inconsistent(ev, fmt::format("job {} ended but never started", e.job_id));
      it = app().jobs.try_emplace(e.job_id).first;
      it->second.job_id = e.job_id;
    }
    Job& job = it->second;
    job.completion_time = e.time;
    job.status = e.succeeded ? JobStatus::kSucceeded : JobStatus::kFailed;
    if (!e.succeeded) job.failure_message = std::move(e.exception_message);
    // AppStatusListener: stages of the job that never ran are skipped.
    for (int32_t sid : job.stage_ids) {
      for (auto sit = app().stages.lower_bound({sid, 0});
           sit != app().stages.end() && sit->first.first == sid; ++sit) {
        if (sit->second.status == StageStatus::kPending) sit->second.status = StageStatus::kSkipped;
      }
    }
    b.NoteTime(e.time);
  }
  void operator()(StageSubmittedEvent& e) {
    StageAttempt& st = b.StageFor(e.info.stage_id, e.info.attempt_id);
    b.ApplyStageInfo(e.info, &st);
    st.status = StageStatus::kActive;
    b.storage_.StageSubmitted(e.info.cached_rdds);
    if (e.properties.scheduling_pool) st.scheduling_pool = *e.properties.scheduling_pool;
    if (e.properties.description) st.description = e.properties.description;
    if (e.properties.job_group) st.job_group = e.properties.job_group;
    if (st.submission_time != kNoTime) b.NoteTime(st.submission_time);
  }
  void operator()(StageCompletedEvent& e) {
    StageAttempt& st = b.StageFor(e.info.stage_id, e.info.attempt_id);
    b.ApplyStageInfo(e.info, &st);
    st.status = st.failure_reason ? StageStatus::kFailed : StageStatus::kComplete;
    if (st.completion_time != kNoTime) b.NoteTime(st.completion_time);
  }
  void operator()(TaskStartEvent& e) {
    uint32_t idx = static_cast<uint32_t>(app().tasks.size());
    TaskAttempt& t = app().tasks.emplace_back();
    t.stage_id = e.stage_id;
    t.stage_attempt = e.stage_attempt;
    b.FillTask(&t, e.info);
    auto [it, inserted] = b.running_.try_emplace(e.info.task_id, idx);
    if (!inserted) {
      b.Inconsistent(ev, fmt::format("task {} started twice", e.info.task_id));
      it->second = idx;
    }
    b.StageFor(e.stage_id, e.stage_attempt).tasks.push_back(idx);
    b.NoteTime(e.info.launch_time);
  }
  void operator()(TaskGettingResultEvent& e) {
    auto it = b.running_.find(e.info.task_id);
    if (it != b.running_.end())
      app().tasks[it->second].getting_result_time = e.info.getting_result_time;
  }
  void operator()(TaskEndEvent& e) {
    TaskAttempt* t;
    uint32_t idx;
    auto it = b.running_.find(e.info.task_id);
    if (it != b.running_.end() && e.kind != TaskEndKind::kResubmitted) {
      idx = it->second;
      t = &app().tasks[idx];
      b.running_.erase(it);
    } else {
      // A Resubmitted end re-reports a finished task; an end without a start happens in
      // compacted or cut logs. Either way it is a record of its own.
      idx = static_cast<uint32_t>(app().tasks.size());
      t = &app().tasks.emplace_back();
      b.StageFor(e.stage_id, e.stage_attempt).tasks.push_back(idx);
    }
    // Only what TaskData.accumulatorUpdates shows is kept: internal metrics (already in the
    // task's metrics) and SQL metrics are most of them (~19 per task) and would multiply the
    // model's memory for a million-task log (7.3 GiB instead of 0.4 GiB).
    std::erase_if(e.accumulables, [](const Accumulable& a) { return a.internal || a.sql; });
    if (!e.accumulables.empty()) app().task_accumulables[idx] = std::move(e.accumulables);
    if (e.executor_metrics) {  // AppStatusListener.onTaskEnd: executor, stage, summary
      const PeakExecutorMetrics& m = *e.executor_metrics;
      auto xit = app().executors.find(std::string(e.info.executor_id));
      if (xit != app().executors.end()) xit->second.peak_metrics.Update(m);
      StageAttempt& st = b.StageFor(e.stage_id, e.stage_attempt);
      st.peak_metrics.Update(m);
      st.executor_peak_metrics[std::string(e.info.executor_id)].Update(m);
    }
    t->stage_id = e.stage_id;
    t->stage_attempt = e.stage_attempt;
    b.FillTask(t, e.info);
    t->end = e.kind;
    t->shuffle_map_task = e.shuffle_map_task;
    t->has_metrics = e.has_metrics;
    t->metrics = e.metrics;
    if (e.failure) {
      // The frames repeat what the full stack trace says; keep them only without it (Spark
      // before 1.2), which is the only case that renders them.
      if (e.failure->full_stack_trace && !e.failure->full_stack_trace->empty()) {
        std::vector<StackFrame>().swap(e.failure->stack_trace);
      }
      t->failure = static_cast<uint32_t>(app().task_failures.size());
      app().task_failures.push_back(std::move(*e.failure));
    }
    b.NoteTime(e.info.finish_time);
  }
  void operator()(StageExecutorMetricsEvent& e) {
    auto xit = app().executors.find(e.executor_id);
    if (xit != app().executors.end()) xit->second.peak_metrics.Update(e.metrics);
    auto sit = app().stages.find({e.stage_id, e.stage_attempt});
    if (sit != app().stages.end()) {
      sit->second.peak_metrics.Update(e.metrics);
      sit->second.executor_peak_metrics[e.executor_id].Update(e.metrics);
    }
  }
  void operator()(BlockUpdatedEvent& e) { b.storage_.BlockUpdated(e); }
  void operator()(UnpersistRddEvent& e) { b.storage_.Unpersist(e.rdd_id); }
  void operator()(ExclusionEventData& e) {
    // Spark 3.1+ posts both the deprecated "Blacklisted" and the new "Excluded" event for
    // one decision; keep one.
    auto key = std::make_tuple(static_cast<int>(e.e.kind), e.e.target, e.e.time, e.e.stage_id,
                               e.e.stage_attempt);
    if (!b.exclusion_keys_.insert(key).second) return;
    app().exclusions.push_back(std::move(e.e));
    b.NoteTime(app().exclusions.back().time);
  }
  void operator()(SqlStartEvent& e) {
    SqlExecution& s = app().sql_executions[e.execution_id];
    s.execution_id = e.execution_id;
    s.description = std::move(e.description);
    s.details = std::move(e.details);
    s.start_time = e.time;
    MergeNodes(&s, e.plan_nodes);
    b.NoteTime(e.time);
  }
  void operator()(SqlPlanUpdateEvent& e) {
    SqlExecution& s = app().sql_executions[e.execution_id];
    s.execution_id = e.execution_id;
    MergeNodes(&s, e.plan_nodes);
  }
  static void MergeNodes(SqlExecution* s, std::vector<std::string>& nodes) {
    for (std::string& n : nodes) {
      if (std::find(s->plan_nodes.begin(), s->plan_nodes.end(), n) == s->plan_nodes.end()) {
        s->plan_nodes.push_back(std::move(n));
      }
    }
  }
  void operator()(SqlEndEvent& e) {
    SqlExecution& s = app().sql_executions[e.execution_id];
    s.execution_id = e.execution_id;
    s.end_time = e.time;
    if (e.error && !e.error->empty()) s.error_message = std::move(e.error);
    b.NoteTime(e.time);
  }
  void operator()(QueryStartedEvent& e) {
    StreamingQuery& q = app().streaming_queries[e.id];
    q.id = e.id;
    q.run_id = std::move(e.run_id);
    q.name = std::move(e.name);
    q.start_time = e.time;
  }
  void operator()(QueryProgressEvent& e) {
    StreamingQuery& q = app().streaming_queries[e.id];
    q.id = e.id;
    if (q.run_id.empty()) q.run_id = e.run_id;
    ++q.progress_events;
    q.last_batch_id = std::max(q.last_batch_id, e.batch_id);
  }
  void operator()(QueryTerminatedEvent& e) {
    StreamingQuery& q = app().streaming_queries[e.id];
    q.id = e.id;
    q.exception = std::move(e.exception);
    q.end_time = app().last_event_time;
  }
};

void ModelBuilder::Apply(Event& ev) {
  ++counters_.events;
  std::visit(Visitor{*this, ev}, ev.payload);
}

void ModelBuilder::Finish() {
  // Streaming mode evidence from the jobs' properties.
  for (auto& [id, job] : app_->jobs) {
    auto qit = job.streaming_properties.find("sql.streaming.queryId");
    if (qit == job.streaming_properties.end()) continue;
    StreamingQuery& q = app_->streaming_queries[qit->second];
    if (q.id.empty()) q.id = qit->second;
    ++q.jobs;
    if (job.streaming_properties.count("__continuous_start_epoch") ||
        job.streaming_properties.count("__epoch_coordinator_id")) {
      q.continuous_epoch_jobs = true;
    }
    if (job.streaming_properties.count("streaming.sql.batchId")) q.micro_batch_jobs = true;
  }
  storage_.Finish(app_);
  // Each stage's task index grew by doubling; give the slack back (4 bytes per task matter
  // at millions of tasks).
  for (auto& [key, st] : app_->stages) st.tasks.shrink_to_fit();
  // Tasks still marked running in a finished log never ended (the driver died or the app
  // was cut); they stay kRunning, as the History Server shows them.
  (void)counters_;
}

}  // namespace sparkmedic
