// The static shape of a generated application: SQL queries, their logical stages, RDDs,
// SQL metrics and the text Spark prints for them (physical plan, sparkPlanInfo, call sites).
//
// A query is a chain of stages: a Parquet scan feeding shuffle-map stages (aggregations) and
// a final result stage that writes Parquet. Accumulator ids are assigned when the query
// starts (AssignMetricIds), like Spark registers SQL metrics when it plans the query.
// Thread-safety: plain values.
#ifndef SPARKMEDIC_TOOLS_GEN_EVENTLOG_PLAN_H_
#define SPARKMEDIC_TOOLS_GEN_EVENTLOG_PLAN_H_

#include <cstdint>
#include <string>
#include <vector>

namespace sparkmedic::gen {

enum class StageKind {
  kScanMap,      // reads files, writes shuffle (ShuffleMapTask)
  kShuffleMap,   // reads shuffle, writes shuffle (ShuffleMapTask)
  kResultWrite,  // reads shuffle, writes files (ResultTask)
  kScanResult,   // reads files, writes files (ResultTask)
  kContinuous,   // continuous-processing stage: Kafka in, Kafka out (ResultTask)
};

// Where a task's SQL-metric update comes from.
enum class SqlSrc : uint8_t {
  kScanRows,
  kFilesRead,
  kFileBytes,
  kScanTime,
  kAggTime,
  kPeakMem,
  kRowsOut,
  kDuration,
  kShuffleRecordsWritten,
  kShuffleWriteTime,
  kDataSize,
  kShuffleBytesWritten,
  kRecordsRead,
  kLocalBytesRead,
  kFetchWait,
  kRemoteBytesRead,
  kLocalBlocks,
  kRemoteBlocks,
  kRemoteReqsDuration,
  kSortTime,
  kNone,
};

struct SqlMetric {
  std::string name;
  std::string type;  // sum, size, timing, nsTiming, average
  SqlSrc src = SqlSrc::kNone;
  int64_t id = 0;
};

struct LogicalStage {
  int query = 0;
  int index_in_query = 0;
  StageKind kind = StageKind::kScanMap;
  int partitions = 0;
  std::string name;                   // "Stage Name"
  std::string details;                // "Details" (call-site stack)
  std::string rdd_info_json;          // the "RDD Info" array
  std::vector<int> sql_metric_index;  // indices into the query's metrics updated by tasks
  int shuffle_id = -1;                // shuffle written (map stages)
  int parent = -1;                    // logical stage read (index into App.stages), -1 for scans
  // Workload profile: medians per task.
  double run_ms = 2000;
  int64_t input_bytes = 0, shuffle_read_bytes = 0, shuffle_write_bytes = 0, output_bytes = 0;
  int64_t records = 0;
  bool result_task() const {
    return kind == StageKind::kResultWrite || kind == StageKind::kScanResult ||
           kind == StageKind::kContinuous;
  }
  bool reads_shuffle() const {
    return kind == StageKind::kShuffleMap || kind == StageKind::kResultWrite;
  }
  bool writes_shuffle() const {
    return kind == StageKind::kScanMap || kind == StageKind::kShuffleMap;
  }
  bool reads_input() const {
    return kind == StageKind::kScanMap || kind == StageKind::kScanResult ||
           kind == StageKind::kContinuous;
  }
};

struct QueryPlan {
  int index = 0;
  std::vector<int> stages;         // indices into App.stages, execution order
  std::vector<SqlMetric> metrics;  // ids assigned by AssignMetricIds
  std::string description;         // SQLExecutionStart description (call site short form)
  std::string details;             // call site long form
  std::string job_group;           // spark.jobGroup.id
  std::string job_description;     // spark.job.description
  std::string table;               // written table
  // Plan skeleton; rendered by PhysicalPlanText / SparkPlanInfoJson once ids are known.
  struct Node {
    std::string name;    // nodeName
    std::string simple;  // simpleString
    std::vector<std::string> detail_lines;
    std::vector<int> metrics;  // indices into `metrics`
    int codegen_stage = 0;     // >0: inside WholeStageCodegen (n) in the final plan
  };
  std::vector<Node> nodes;  // root first, a single chain down to the scan
};

struct AppPlan {
  std::vector<LogicalStage> stages;
  std::vector<QueryPlan> queries;
};

enum class PlanMode { kBatch, kContinuous, kMicroBatch };

// Builds `num_queries` queries of `stages_per_query` stages with `partitions` tasks per stage;
// when `total_stages` > 0 the last query gets only the stages left over, so the app has
// exactly that many. Stage names and texts are derived from the query index; RDD and
// shuffle ids are assigned in order. Skew is applied by the simulator, not here.
AppPlan BuildPlan(PlanMode mode, int num_queries, int stages_per_query, int partitions,
                  uint64_t seed, int total_stages = 0);

// Assigns consecutive accumulator ids starting at *next_id to the query's SQL metrics.
void AssignMetricIds(QueryPlan* q, int64_t* next_id);

// "== Physical Plan ==" text. `adaptive`: wrapped in AdaptiveSparkPlan; `final_plan`: the
// plan after adaptive execution (codegen stages and ShuffleQueryStage shown).
std::string PhysicalPlanText(const QueryPlan& q, bool adaptive, bool final_plan);
// The sparkPlanInfo JSON object for the same plan.
std::string SparkPlanInfoJson(const QueryPlan& q, bool adaptive, bool final_plan);

}  // namespace sparkmedic::gen

#endif  // SPARKMEDIC_TOOLS_GEN_EVENTLOG_PLAN_H_
