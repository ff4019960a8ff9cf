#include "sparkmedic/aggregates.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace sparkmedic {
namespace {

struct Accumulator {
  MetricsAggregate a;
  int64_t cpu_ns = 0, deser_cpu_ns = 0, sw_time_ns = 0;
  bool any = false;

  void Add(const TaskAttempt& t) {
    if (t.end == TaskEndKind::kRunning) return;
    const TaskMetrics& m = t.metrics;
    int64_t d = t.duration().value_or(0);
    a.num_tasks += 1;
    a.duration_sum += d;
    a.duration_max = any ? std::max(a.duration_max, d) : d;
    a.duration_min = any ? std::min(a.duration_min, d) : d;
    any = true;
    a.disk_bytes_spilled_sum += m.disk_bytes_spilled;
    cpu_ns += m.executor_cpu_time;
    deser_cpu_ns += m.executor_deserialize_cpu_time;
    a.executor_deserialize_time_sum += m.executor_deserialize_time;
    a.executor_run_time_sum += m.executor_run_time;
    a.input_bytes_read_sum += m.input_bytes_read;
    a.input_bytes_read_max = std::max(a.input_bytes_read_max, m.input_bytes_read);
    a.input_records_read_sum += m.input_records_read;
    a.jvm_gc_time_sum += m.jvm_gc_time;
    a.memory_bytes_spilled_sum += m.memory_bytes_spilled;
    a.output_bytes_written_sum += m.output_bytes_written;
    a.output_records_written_sum += m.output_records_written;
    a.peak_execution_memory_max = std::max(a.peak_execution_memory_max, m.peak_execution_memory);
    a.result_serialization_time_sum += m.result_serialization_time;
    a.result_size_max = std::max(a.result_size_max, m.result_size);
    a.sr_fetch_wait_time_sum += m.sr_fetch_wait_time;
    a.sr_local_blocks_fetched_sum += m.sr_local_blocks_fetched;
    a.sr_local_bytes_read_sum += m.sr_local_bytes_read;
    a.sr_remote_blocks_fetched_sum += m.sr_remote_blocks_fetched;
    a.sr_remote_bytes_read_sum += m.sr_remote_bytes_read;
    a.sr_remote_bytes_read_to_disk_sum += m.sr_remote_bytes_read_to_disk;
    a.sr_total_bytes_read_sum += m.sr_total_bytes_read();
    a.sw_bytes_written_sum += m.sw_bytes_written;
    a.sw_records_written_sum += m.sw_records_written;
    sw_time_ns += m.sw_write_time;
  }

  void AddStage(const Application& app, int32_t stage_id) {
    for (auto it = app.stages.lower_bound({stage_id, 0});
         it != app.stages.end() && it->first.first == stage_id; ++it) {
      for (uint32_t i : it->second.tasks) Add(app.tasks[i]);
    }
  }

  MetricsAggregate Finish() {
    a.executor_cpu_time_sum = cpu_ns / 1000000;
    a.executor_deserialize_cpu_time_sum = deser_cpu_ns / 1000000;
    a.sw_write_time_sum = sw_time_ns / 1000000;
    if (a.num_tasks > 0) {
      double avg = static_cast<double>(a.duration_sum) / static_cast<double>(a.num_tasks);
      a.duration_avg = std::floor(avg * 10 + 0.5) / 10;
    }
    return a;
  }
};

}  // namespace

MetricsAggregate AggregateStage(const Application& app, int32_t stage_id) {
  Accumulator acc;
  acc.AddStage(app, stage_id);
  TimeMs first = kNoTime, last = kNoTime;
  for (auto it = app.stages.lower_bound({stage_id, 0});
       it != app.stages.end() && it->first.first == stage_id; ++it) {
    const StageAttempt& st = it->second;
    if (st.submission_time != kNoTime && (first == kNoTime || st.submission_time < first)) {
      first = st.submission_time;
    }
    if (st.completion_time != kNoTime && st.completion_time > last) last = st.completion_time;
  }
  MetricsAggregate out = acc.Finish();
  if (first != kNoTime && last != kNoTime) out.duration = last - first;
  return out;
}

namespace {

// Job and SQL aggregates add up stage aggregates, so ns→ms truncation happens per stage.
MetricsAggregate SumStages(const Application& app, const std::set<int32_t>& stage_ids) {
  Accumulator acc;
  int64_t cpu = 0, deser_cpu = 0, sw_time = 0;
  for (int32_t sid : stage_ids) {
    acc.AddStage(app, sid);
    MetricsAggregate s = AggregateStage(app, sid);
    cpu += s.executor_cpu_time_sum;
    deser_cpu += s.executor_deserialize_cpu_time_sum;
    sw_time += s.sw_write_time_sum;
  }
  MetricsAggregate out = acc.Finish();
  out.executor_cpu_time_sum = cpu;
  out.executor_deserialize_cpu_time_sum = deser_cpu;
  out.sw_write_time_sum = sw_time;
  return out;
}

}  // namespace

MetricsAggregate AggregateJob(const Application& app, int32_t job_id) {
  auto it = app.jobs.find(job_id);
  if (it == app.jobs.end()) return MetricsAggregate{};
  MetricsAggregate out =
      SumStages(app, std::set<int32_t>(it->second.stage_ids.begin(), it->second.stage_ids.end()));
  const Job& job = it->second;
  if (job.submission_time != kNoTime && job.completion_time != kNoTime) {
    out.duration = job.completion_time - job.submission_time;
  }
  return out;
}

MetricsAggregate AggregateSql(const Application& app, int64_t execution_id) {
  std::set<int32_t> stages;
  for (const auto& [id, job] : app.jobs) {
    if (job.sql_execution_id == execution_id)
      stages.insert(job.stage_ids.begin(), job.stage_ids.end());
  }
  MetricsAggregate out = SumStages(app, stages);
  auto it = app.sql_executions.find(execution_id);
  if (it != app.sql_executions.end() && it->second.start_time != kNoTime &&
      it->second.end_time != kNoTime) {
    out.duration = it->second.end_time - it->second.start_time;
  }
  return out;
}

}  // namespace sparkmedic
