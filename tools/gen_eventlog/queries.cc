// SQL executions, jobs and Structured Streaming queries of the simulation. See simulator.h.
#include <algorithm>

#include <fmt/format.h>

#include "simulator.h"
#include "spark_texts.h"

namespace sparkmedic::gen::internal {

// ---------------------------------------------------------------------------------------
// SQL queries and jobs

int Simulator::NewInstance(int logical, int parent) {
  Instance in;
  in.id = static_cast<int>(instances_.size());
  in.logical = logical;
  in.parent = parent;
  instances_.push_back(in);
  return in.id;
}

std::string Simulator::JobProperties(int q, int job_id, const std::string& extra) const {
  const QueryPlan& qp = plan_.queries[q];
  Buf b;
  b.push_back('{');
  if (!extra.empty()) {
    Raw(b, extra);
    b.push_back(',');
  }
  KeyStr(b, "spark.sql.execution.root.id", std::to_string(q));
  b.push_back(',');
  KeyStr(b, "spark.job.interruptOnCancel", o_.streaming == Streaming::kNone ? "false" : "true");
  b.push_back(',');
  KeyStr(b, "spark.jobGroup.id", qp.job_group);
  b.push_back(',');
  KeyStr(b, "spark.job.description", qp.job_description);
  b.push_back(',');
  KeyStr(b, "__fetch_continuous_blocks_in_batch_enabled", "true");
  b.push_back(',');
  KeyStr(b, "spark.sql.execution.id", std::to_string(q));
  b.push_back(',');
  KeyStr(b, "spark.rdd.scope",
         fmt::format("{{\"id\":\"{}\",\"name\":\"{}\"}}", 40 + 3 * job_id,
                     o_.streaming == Streaming::kNone ? "parquet" : "start"));
  b.push_back(',');
  KeyStr(b, "spark.rdd.scope.noOverride", "true");
  b.push_back('}');
  return std::string(b.data(), b.size());
}

void Simulator::EmitSqlStart(int q, bool adaptive) {
  const QueryPlan& qp = plan_.queries[q];
  Begin();
  Raw(line_, "{\"Event\":\"");
  Raw(line_, kSqlUi);
  Raw(line_, "SparkListenerSQLExecutionStart\",\"executionId\":");
  Int(line_, q);
  Raw(line_, ",\"rootExecutionId\":");
  Int(line_, q);
  Raw(line_, ",\"description\":");
  Str(line_, qp.job_description);
  Raw(line_, ",\"details\":");
  Str(line_, qp.details);
  Raw(line_, ",\"physicalPlanDescription\":");
  Str(line_, PhysicalPlanText(qp, adaptive, false));
  Raw(line_, ",\"sparkPlanInfo\":");
  Raw(line_, SparkPlanInfoJson(qp, adaptive, false));
  Raw(line_, ",\"time\":");
  Int(line_, now_);
  Raw(line_, ",\"modifiedConfigs\":{},\"jobTags\":[]");
  if (v4_) {
    Raw(line_, ",\"jobGroupId\":");
    Str(line_, qp.job_group);
  }
  line_.push_back('}');
  Emit(true, "SparkListenerSQLExecutionStart");
  ++m_->sql_executions;
}

void Simulator::EmitAdaptiveUpdate(int q, bool final_plan) {
  const QueryPlan& qp = plan_.queries[q];
  Begin();
  Raw(line_, "{\"Event\":\"");
  Raw(line_, kSqlUi);
  Raw(line_, "SparkListenerSQLAdaptiveExecutionUpdate\",\"executionId\":");
  Int(line_, q);
  Raw(line_, ",\"physicalPlanDescription\":");
  Str(line_, PhysicalPlanText(qp, true, final_plan));
  Raw(line_, ",\"sparkPlanInfo\":");
  Raw(line_, SparkPlanInfoJson(qp, true, final_plan));
  line_.push_back('}');
  Emit(true, "SparkListenerSQLAdaptiveExecutionUpdate");
}

void Simulator::EmitSqlEnd(int q, const std::string& error) {
  now_ += rng_.Range(5, 60);
  Begin();
  Raw(line_, "{\"Event\":\"");
  Raw(line_, kSqlUi);
  Raw(line_, "SparkListenerSQLExecutionEnd\",\"executionId\":");
  Int(line_, q);
  Raw(line_, ",\"time\":");
  Int(line_, now_);
  Raw(line_, ",\"errorMessage\":");
  if (error.empty()) {
    Raw(line_, "null");
  } else {
    Str(line_, error);
  }
  line_.push_back('}');
  Emit(true, "SparkListenerSQLExecutionEnd");
}

void Simulator::EmitJobStart(const Job& job) {
  Begin();
  Raw(line_, "{\"Event\":\"SparkListenerJobStart\",\"Job ID\":");
  Int(line_, job.id);
  Raw(line_, ",\"Submission Time\":");
  Int(line_, now_);
  Raw(line_, ",\"Stage Infos\":[");
  for (size_t i = 0; i < job.instances.size(); ++i) {
    if (i) line_.push_back(',');
    const int inst = job.instances[i];
    WriteStageInfo(inst, 0, plan_.stages[instances_[inst].logical].partitions, nullptr, false);
    stage_ids_seen_.insert(instances_[inst].id);
  }
  Raw(line_, "],\"Stage IDs\":[");
  for (size_t i = 0; i < job.instances.size(); ++i) {
    if (i) line_.push_back(',');
    Int(line_, instances_[job.instances[i]].id);
  }
  Raw(line_, "],\"Properties\":");
  Raw(line_, job.properties);
  line_.push_back('}');
  Emit(true, "SparkListenerJobStart");
  ++m_->jobs;
}

void Simulator::EmitJobEnd(const Job& job, bool ok, const std::string& message) {
  now_ += rng_.Range(2, 20);
  Begin();
  Raw(line_, "{\"Event\":\"SparkListenerJobEnd\",\"Job ID\":");
  Int(line_, job.id);
  Raw(line_, ",\"Completion Time\":");
  Int(line_, now_);
  if (ok) {
    Raw(line_, ",\"Job Result\":{\"Result\":\"JobSucceeded\"}}");
  } else {
    Raw(line_, ",\"Job Result\":{\"Result\":\"JobFailed\",\"Exception\":{\"Message\":");
    Str(line_, message);
    Raw(line_, ",\"Stack Trace\":");
    Raw(line_, JobFailedStackJson());
    Raw(line_, "}}}");
  }
  Emit(true, "SparkListenerJobEnd");
  ++(ok ? m_->jobs_succeeded : m_->jobs_failed);
}

bool Simulator::RunQuery(int q, const std::string& extra_props, bool adaptive) {
  QueryPlan& qp = plan_.queries[q];
  AssignMetricIds(&qp, &next_accum_);
  sql_totals_.assign(qp.metrics.size(), 0);
  now_ += rng_.Range(20, 300);
  ProcessClusterEvents(now_, nullptr);
  const int k = static_cast<int>(qp.stages.size());
  adaptive = adaptive && k > 1;
  EmitSqlStart(q, adaptive);
  auto make_job = [&](int upto) {
    Job job;
    job.id = next_job_++;
    job.query = q;
    int parent = -1;
    for (int s = 0; s <= upto; ++s) {
      parent = NewInstance(qp.stages[s], parent);
      job.instances.push_back(parent);
    }
    job.properties = JobProperties(q, job.id, extra_props);
    return job;
  };
  bool ok = true;
  std::string message;
  // With adaptive execution every query stage runs as its own job; earlier stages reappear
  // under new ids as skipped stages.
  for (int s = adaptive ? 0 : k - 1; s < k && ok; ++s) {
    if (adaptive && s > 0) {
      now_ += rng_.Range(5, 40);
      EmitAdaptiveUpdate(q, s == k - 1);
    }
    Job job = make_job(s);
    now_ += rng_.Range(10, 150);
    EmitJobStart(job);
    ok = EnsureStage(job.instances.back(), &job);
    if (!ok) message = ts_->abort_message;
    EmitJobEnd(job, ok, message);
  }
  EmitSqlEnd(q,
             ok ? "" : "org.apache.spark.SparkException: " + message + "\n" + JobFailedStackText());
  if (!ok) {
    any_job_failed_ = true;
    KillRemaining(ts_.get(), "Stage cancelled");
  }
  ts_.reset();
  // First attempts that never ran (the query aborted) leave the count-based samplers'
  // universes, so the remaining selections still land in later queries.
  for (int l : qp.stages) {
    const uint64_t unseen = static_cast<uint64_t>(plan_.stages[l].partitions) - first_launched_[l];
    first_launched_[l] = static_cast<uint64_t>(plan_.stages[l].partitions);
    for (size_t i = 0; i < o_.injects.size(); ++i) {
      if (!StageEligible(plan_.stages[l], o_.injects[i])) continue;
      spec_state_[i].universe -= std::min(spec_state_[i].universe, unseen);
    }
  }
  return ok;
}

void Simulator::RunBatch() {
  for (int q = 0; q < static_cast<int>(plan_.queries.size()); ++q) {
    RunQuery(q, "", o_.aqe);
    DynamicAllocationGap(q);
    now_ += rng_.Range(40, 900);
  }
}

// ---------------------------------------------------------------------------------------
// Structured Streaming

void Simulator::EmitQueryStarted(const std::string& name) {
  Begin();
  Raw(line_, "{\"Event\":\"");
  Raw(line_, kQueryListener);
  Raw(line_, "QueryStartedEvent\",\"id\":");
  Str(line_, query_id_);
  Raw(line_, ",\"runId\":");
  Str(line_, run_id_);
  Raw(line_, ",\"name\":");
  Str(line_, name);
  Raw(line_, ",\"timestamp\":");
  Str(line_, IsoMillis(now_));
  line_.push_back('}');
  Emit(true, "QueryStartedEvent");
  ++m_->queries_started;
}

void Simulator::EmitQueryTerminated(const std::string& exception) {
  Begin();
  Raw(line_, "{\"Event\":\"");
  Raw(line_, kQueryListener);
  Raw(line_, "QueryTerminatedEvent\",\"id\":");
  Str(line_, query_id_);
  Raw(line_, ",\"runId\":");
  Str(line_, run_id_);
  Raw(line_, ",\"exception\":");
  if (exception.empty()) {
    Raw(line_, "null");
  } else {
    Str(line_, exception);
  }
  Raw(line_, ",\"errorClassOnException\":null}");
  Emit(true, "QueryTerminatedEvent");
  ++m_->queries_terminated;
  if (!exception.empty()) ++m_->queries_terminated_with_exception;
}

void Simulator::EmitQueryProgress(int batch, int64_t start, const std::string& name) {
  const int64_t duration = std::max<int64_t>(1, now_ - start);
  const int64_t rows = 4000 + static_cast<int64_t>(rng_.Below(30000));
  const int64_t from = 1000000 + batch * 30000;
  Begin();
  Raw(line_, "{\"Event\":\"");
  Raw(line_, kQueryListener);
  Raw(line_, "QueryProgressEvent\",\"progress\":{\"id\":");
  Str(line_, query_id_);
  Raw(line_, ",\"runId\":");
  Str(line_, run_id_);
  Raw(line_, ",\"name\":");
  Str(line_, name);
  Raw(line_, ",\"timestamp\":");
  Str(line_, IsoMillis(start));
  fmt::format_to(fmt::appender(line_),
                 ",\"batchId\":{},\"batchDuration\":{},\"durationMs\":{{\"triggerExecution\":{},"
                 "\"queryPlanning\":{},\"getBatch\":0,\"latestOffset\":{},\"addBatch\":{},"
                 "\"commitOffsets\":{},\"walCommit\":{}}},\"eventTime\":{{}},\"stateOperators\":[],"
                 "\"sources\":[{{\"description\":\"KafkaV2[Subscribe[orders]]\",\"startOffset\":",
                 batch, duration, duration, rng_.Range(8, 40), rng_.Range(3, 30),
                 std::max<int64_t>(1, duration * 8 / 10), rng_.Range(20, 90), rng_.Range(20, 90));
  if (batch == 0) {
    Raw(line_, "null");
  } else {
    Str(line_, fmt::format("{{\"orders\":{{\"0\":{}}}}}", from));
  }
  Raw(line_, ",\"endOffset\":");
  Str(line_, fmt::format("{{\"orders\":{{\"0\":{}}}}}", from + rows));
  Raw(line_, ",\"latestOffset\":");
  Str(line_, fmt::format("{{\"orders\":{{\"0\":{}}}}}", from + rows));
  fmt::format_to(fmt::appender(line_), ",\"numInputRows\":{},\"inputRowsPerSecond\":", rows);
  JavaDouble(line_, static_cast<double>(rows * 1000 / 10000));
  Raw(line_, ",\"processedRowsPerSecond\":");
  JavaDouble(line_, static_cast<double>(rows * 1000 / duration));
  fmt::format_to(
      fmt::appender(line_),
      ",\"metrics\":{{\"avgOffsetsBehindLatest\":\"0.0\",\"maxOffsetsBehindLatest\":\"0\","
      "\"minOffsetsBehindLatest\":\"0\"}}}}],\"sink\":{{\"description\":"
      "\"org.apache.spark.sql.kafka010.KafkaSourceProvider$KafkaTable@5e1f3c2a\","
      "\"numOutputRows\":{},\"metrics\":{{}}}},\"observedMetrics\":{{}}}}}}",
      rows);
  Emit(true, "QueryProgressEvent");
  ++m_->query_progress_events;
}

void Simulator::RunContinuous() {
  now_ += rng_.Range(800, 2500);
  const std::string name = "orders_mirror";
  EmitQueryStarted(name);
  QueryPlan& qp = plan_.queries[0];
  qp.job_group = run_id_;
  qp.job_description = fmt::format("{}\nid = {}\nrunId = {}\nbatch = 0", name, query_id_, run_id_);
  const std::string coordinator = run_id_ + "--" + Uuid();
  const std::string extra = fmt::format(
      "\"sql.streaming.queryId\":\"{}\",\"__continuous_start_epoch\":\"0\",\"__epoch_coordinator_"
      "id\":\"{}\"",
      query_id_, coordinator);
  const bool ok = RunQuery(0, extra, false);
  now_ += rng_.Range(50, 400);
  std::string exception;
  if (!ok && !m_->aborts.empty()) {
    exception = "org.apache.spark.SparkException: " + m_->aborts.back().message + "\n" +
                JobFailedStackText();
    if (!streaming_terminate_error_.empty())
      exception += "Caused by: " + streaming_terminate_error_;
  }
  EmitQueryTerminated(exception);
}

void Simulator::RunMicroBatch() {
  now_ += rng_.Range(800, 2500);
  const std::string name = "orders_enrichment";
  EmitQueryStarted(name);
  for (int b = 0; b < static_cast<int>(plan_.queries.size()); ++b) {
    const int64_t start = now_;
    QueryPlan& qp = plan_.queries[b];
    qp.job_group = run_id_;
    qp.job_description =
        fmt::format("{}\nid = {}\nrunId = {}\nbatch = {}", name, query_id_, run_id_, b);
    const std::string extra = fmt::format(
        "\"sql.streaming.queryId\":\"{}\",\"streaming.sql.batchId\":\"{}\"", query_id_, b);
    RunQuery(b, extra, false);
    now_ += rng_.Range(20, 120);
    EmitQueryProgress(b, start, name);
    now_ = std::max(now_ + 50, start + 10000);  // processingTime trigger of 10 seconds
  }
  EmitQueryTerminated("");
}

}  // namespace sparkmedic::gen::internal
