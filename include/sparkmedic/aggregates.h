// Task-metric aggregates per stage, job and SQL execution: counts, sums, max, min, mean.
//
// Units follow the profiling tools operators already compare against (spark-rapids-tools'
// "metrics agg" tables): times in ms; CPU and shuffle-write times are summed in ns and then
// truncated to ms per stage (a job's or SQL execution's figure adds up its stages' truncated
// values). Every task attempt that ended (successfully or not) is included.
#ifndef SPARKMEDIC_AGGREGATES_H_
#define SPARKMEDIC_AGGREGATES_H_

#include <cstdint>
#include <optional>

#include "sparkmedic/model.h"

namespace sparkmedic {

struct MetricsAggregate {
  int64_t num_tasks = 0;
  std::optional<int64_t> duration;  // wall clock of the stage / job / SQL execution, ms
  int64_t disk_bytes_spilled_sum = 0;
  int64_t duration_sum = 0, duration_max = 0, duration_min = 0;
  double duration_avg = 0;                        // rounded half-up to one decimal
  int64_t executor_cpu_time_sum = 0;              // ms
  int64_t executor_deserialize_cpu_time_sum = 0;  // ms
  int64_t executor_deserialize_time_sum = 0;
  int64_t executor_run_time_sum = 0;
  int64_t input_bytes_read_sum = 0, input_bytes_read_max = 0, input_records_read_sum = 0;
  int64_t jvm_gc_time_sum = 0;
  int64_t memory_bytes_spilled_sum = 0;
  int64_t output_bytes_written_sum = 0, output_records_written_sum = 0;
  int64_t peak_execution_memory_max = 0;
  int64_t result_serialization_time_sum = 0;
  int64_t result_size_max = 0;
  int64_t sr_fetch_wait_time_sum = 0, sr_local_blocks_fetched_sum = 0;
  int64_t sr_local_bytes_read_sum = 0, sr_remote_blocks_fetched_sum = 0;
  int64_t sr_remote_bytes_read_sum = 0, sr_remote_bytes_read_to_disk_sum = 0;
  int64_t sr_total_bytes_read_sum = 0;
  int64_t sw_bytes_written_sum = 0, sw_records_written_sum = 0;
  int64_t sw_write_time_sum = 0;  // ms
};

// Over every attempt of stage `stage_id`; duration = last completion − first submission.
MetricsAggregate AggregateStage(const Application& app, int32_t stage_id);
// Over the stages of job `job_id`; duration = completion − submission of the job.
MetricsAggregate AggregateJob(const Application& app, int32_t job_id);
// Over the jobs of SQL execution `execution_id`; duration = end − start of the execution.
MetricsAggregate AggregateSql(const Application& app, int64_t execution_id);

}  // namespace sparkmedic

#endif  // SPARKMEDIC_AGGREGATES_H_
