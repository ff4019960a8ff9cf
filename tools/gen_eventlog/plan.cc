// Query and stage plans. See plan.h.
#include "plan.h"

#include <algorithm>

#include <fmt/format.h>

#include "json_out.h"
#include "rng.h"

namespace sparkmedic::gen {
namespace {

constexpr const char* kTables[] = {"orders",    "order_items", "payments",  "shipments",
                                   "customers", "refunds",     "inventory", "clicks"};

constexpr const char* kCallSiteTail =
    "\njava.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)"
    "\njava.base/"
    "jdk.internal.reflect.NativeMethodAccessorImpl.invoke(NativeMethodAccessorImpl.java:62)"
    "\njava.base/"
    "jdk.internal.reflect.DelegatingMethodAccessorImpl.invoke(DelegatingMethodAccessorImpl.java:43)"
    "\njava.base/java.lang.reflect.Method.invoke(Method.java:566)"
    "\norg.apache.spark.deploy.JavaMainApplication.start(SparkApplication.scala:52)"
    "\norg.apache.spark.deploy.SparkSubmit.org$apache$spark$deploy$SparkSubmit$$runMain("
    "SparkSubmit.scala:1029)"
    "\norg.apache.spark.deploy.SparkSubmit.doRunMain$1(SparkSubmit.scala:194)"
    "\norg.apache.spark.deploy.SparkSubmit.submit(SparkSubmit.scala:217)"
    "\norg.apache.spark.deploy.SparkSubmit.doSubmit(SparkSubmit.scala:91)"
    "\norg.apache.spark.deploy.SparkSubmit$$anon$2.doSubmit(SparkSubmit.scala:1120)"
    "\norg.apache.spark.deploy.SparkSubmit$.main(SparkSubmit.scala:1129)"
    "\norg.apache.spark.deploy.SparkSubmit.main(SparkSubmit.scala)";

using Node = QueryPlan::Node;

int AddMetric(QueryPlan* q, std::string name, std::string type, SqlSrc src) {
  q->metrics.push_back(SqlMetric{std::move(name), std::move(type), src, 0});
  return static_cast<int>(q->metrics.size()) - 1;
}

// Exchange metrics in Spark 3.5's order; returns {write-side indices, read-side indices}.
std::pair<std::vector<int>, std::vector<int>> AddExchangeMetrics(QueryPlan* q, Node* n) {
  struct M {
    const char* name;
    const char* type;
    SqlSrc src;
    int side;  // 1 write, 2 read, 0 driver/none
  };
  static const M kList[] = {
      {"shuffle records written", "sum", SqlSrc::kShuffleRecordsWritten, 1},
      {"local merged chunks fetched", "sum", SqlSrc::kNone, 0},
      {"shuffle write time", "nsTiming", SqlSrc::kShuffleWriteTime, 1},
      {"remote merged bytes read", "size", SqlSrc::kNone, 0},
      {"local merged blocks fetched", "sum", SqlSrc::kNone, 0},
      {"corrupt merged block chunks", "sum", SqlSrc::kNone, 0},
      {"remote merged reqs duration", "timing", SqlSrc::kNone, 0},
      {"remote merged blocks fetched", "sum", SqlSrc::kNone, 0},
      {"records read", "sum", SqlSrc::kRecordsRead, 2},
      {"local bytes read", "size", SqlSrc::kLocalBytesRead, 2},
      {"fetch wait time", "timing", SqlSrc::kFetchWait, 2},
      {"remote bytes read", "size", SqlSrc::kRemoteBytesRead, 2},
      {"merged fetch fallback count", "sum", SqlSrc::kNone, 0},
      {"local blocks read", "sum", SqlSrc::kLocalBlocks, 0},
      {"remote merged chunks fetched", "sum", SqlSrc::kNone, 0},
      {"remote blocks read", "sum", SqlSrc::kRemoteBlocks, 0},
      {"data size", "size", SqlSrc::kDataSize, 0},
      {"local merged bytes read", "size", SqlSrc::kNone, 0},
      {"number of partitions", "sum", SqlSrc::kNone, 0},
      {"remote reqs duration", "timing", SqlSrc::kRemoteReqsDuration, 0},
      {"remote bytes read to disk", "size", SqlSrc::kNone, 0},
      {"shuffle bytes written", "size", SqlSrc::kShuffleBytesWritten, 1},
  };
  std::vector<int> write, read;
  for (const M& m : kList) {
    int idx = AddMetric(q, m.name, m.type, m.src);
    n->metrics.push_back(idx);
    if (m.side == 1) write.push_back(idx);
    if (m.side == 2) read.push_back(idx);
  }
  return {write, read};
}

std::vector<int> AddAggMetrics(QueryPlan* q, Node* n) {
  int spill = AddMetric(q, "spill size", "size", SqlSrc::kNone);
  int build = AddMetric(q, "time in aggregation build", "timing", SqlSrc::kAggTime);
  int peak = AddMetric(q, "peak memory", "size", SqlSrc::kPeakMem);
  int rows = AddMetric(q, "number of output rows", "sum", SqlSrc::kRowsOut);
  int fallback = AddMetric(q, "number of sort fallback tasks", "sum", SqlSrc::kNone);
  int probe = AddMetric(q, "avg hash probe bucket list iters", "average", SqlSrc::kNone);
  n->metrics = {spill, build, peak, rows, fallback, probe};
  return {peak};
}

std::string StorageLevelJson() {
  return "{\"Use Disk\":false,\"Use Memory\":false,\"Use Off Heap\":false,\"Deserialized\":false,"
         "\"Replication\":1}";
}

void RddJson(Buf& b, int id, const char* name, int scope_id, const std::string& scope_name,
             const std::string& callsite, int parent, int partitions) {
  Raw(b, "{\"RDD ID\":");
  Int(b, id);
  Raw(b, ",\"Name\":");
  Str(b, name);
  Raw(b, ",\"Scope\":");
  Str(b, fmt::format("{{\"id\":\"{}\",\"name\":\"{}\"}}", scope_id, scope_name));
  Raw(b, ",\"Callsite\":");
  Str(b, callsite);
  Raw(b, ",\"Parent IDs\":[");
  if (parent >= 0) Int(b, parent);
  Raw(b, "],\"Storage Level\":");
  Raw(b, StorageLevelJson());
  Raw(b, ",\"Barrier\":false,\"DeterministicLevel\":\"DETERMINATE\",\"Number of Partitions\":");
  Int(b, partitions);
  Raw(b, ",\"Number of Cached Partitions\":0,\"Memory Size\":0,\"Disk Size\":0}");
}

struct Ids {
  int rdd = 0;
  int scope = 0;
  int shuffle = 0;
  int plan_id = 40;
};

void BuildRddInfo(LogicalStage* st, Ids* ids, const std::string& callsite, int stage_no) {
  Buf b;
  b.push_back('[');
  int first = ids->rdd;
  const char* source = st->reads_shuffle()                  ? "ShuffledRowRDD"
                       : st->kind == StageKind::kContinuous ? "ContinuousDataSourceRDD"
                                                            : "FileScanRDD";
  std::string source_scope = st->reads_shuffle()                  ? "Exchange"
                             : st->kind == StageKind::kContinuous ? "WriteToContinuousDataSource"
                                                                  : "Scan parquet ";
  std::string last_scope = st->writes_shuffle()                 ? "Exchange"
                           : st->kind == StageKind::kContinuous ? "WriteToContinuousDataSource"
                                                                : "WriteFiles";
  // The stage's final RDD first, then its ancestors, as Spark lists them.
  RddJson(b, first + 2, "MapPartitionsRDD", ids->scope + 2, last_scope, callsite, first + 1,
          st->partitions);
  b.push_back(',');
  RddJson(b, first, source, ids->scope, source_scope, callsite, -1, st->partitions);
  b.push_back(',');
  RddJson(b, first + 1, "MapPartitionsRDD", ids->scope + 1,
          fmt::format("WholeStageCodegen ({})", stage_no), callsite, first, st->partitions);
  b.push_back(']');
  st->rdd_info_json.assign(b.data(), b.size());
  ids->rdd += 3;
  ids->scope += 3;
}

void Profile(LogicalStage* st, Rng* rng) {
  double f = rng->LogNormal(0.3);
  switch (st->kind) {
    case StageKind::kScanMap:
      st->run_ms = 2600 * f;
      st->input_bytes = static_cast<int64_t>(100663296 * f);
      st->records = static_cast<int64_t>(st->input_bytes / 92);
      st->shuffle_write_bytes = st->input_bytes / 14;
      break;
    case StageKind::kShuffleMap:
      st->run_ms = 1300 * f;
      st->shuffle_read_bytes = static_cast<int64_t>(7340032 * f);
      st->records = st->shuffle_read_bytes / 48;
      st->shuffle_write_bytes = st->shuffle_read_bytes / 2;
      break;
    case StageKind::kResultWrite:
      st->run_ms = 950 * f;
      st->shuffle_read_bytes = static_cast<int64_t>(3670016 * f);
      st->records = st->shuffle_read_bytes / 40;
      st->output_bytes = st->shuffle_read_bytes / 3;
      break;
    case StageKind::kScanResult:
      st->run_ms = 3100 * f;
      st->input_bytes = static_cast<int64_t>(100663296 * f);
      st->records = st->input_bytes / 92;
      st->output_bytes = st->input_bytes / 5;
      break;
    case StageKind::kContinuous:
      st->run_ms = 600000;
      st->input_bytes = 734003200;
      st->records = 3100000;
      st->output_bytes = 690000000;
      break;
  }
}

// Builds the nodes and metrics of one batch query with `k` stages.
void BuildBatchNodes(QueryPlan* q, AppPlan* app, int k, int partitions, Ids* ids, PlanMode mode) {
  const std::string table = kTables[q->index % 8];
  const int e = 12 + 20 * (q->index % 50);  // expression-id base keeps ids distinct per query
  const std::string src =
      mode == PlanMode::kMicroBatch
          ? "MicroBatchScan[key#" + std::to_string(e) + ", value#" + std::to_string(e + 1) +
                "] class org.apache.spark.sql.kafka010.KafkaSourceProvider$KafkaScan"
          : fmt::format(
                "FileScan parquet "
                "spark_catalog.raw.{}[order_id#{}L,customer_id#{}L,amount#{},order_ts#{},status#{}]"
                " "
                "Batched: true, DataFilters: [isnotnull(status#{}), (status#{} = COMPLETE)], "
                "Format: Parquet, "
                "Location: InMemoryFileIndex(1 paths)[s3a://datalake/raw/{}/dt=2024-06-01], "
                "PartitionFilters: [], "
                "PushedFilters: [IsNotNull(status), EqualTo(status,COMPLETE)], ReadSchema: "
                "struct<order_id:bigint,customer_id:bigint,amount:decimal(12,2),order_ts:timestamp,"
                "status:string>",
                table, e, e + 1, e + 2, e + 3, e + 4, e + 4, e + 4, table);
  std::vector<Node> chain;  // built bottom-up, reversed at the end
  std::vector<std::vector<int>> stage_metrics(k);

  Node scan;
  scan.name =
      mode == PlanMode::kMicroBatch ? "MicroBatchScan" : "Scan parquet spark_catalog.raw." + table;
  scan.simple = src;
  scan.detail_lines = {
      fmt::format("Output [5]: [order_id#{}L, customer_id#{}L, amount#{}, order_ts#{}, status#{}]",
                  e, e + 1, e + 2, e + 3, e + 4),
      "Batched: true",
      fmt::format("Location: InMemoryFileIndex [s3a://datalake/raw/{}/dt=2024-06-01]", table),
      "PushedFilters: [IsNotNull(status), EqualTo(status,COMPLETE)]",
      "ReadSchema: "
      "struct<order_id:bigint,customer_id:bigint,amount:decimal(12,2),order_ts:timestamp,status:"
      "string>"};
  int rows = AddMetric(q, "number of output rows", "sum", SqlSrc::kScanRows);
  int files = AddMetric(q, "number of files read", "sum", SqlSrc::kFilesRead);
  int meta = AddMetric(q, "metadata time", "timing", SqlSrc::kNone);
  int size = AddMetric(q, "size of files read", "size", SqlSrc::kFileBytes);
  int scan_time = AddMetric(q, "scan time", "timing", SqlSrc::kScanTime);
  scan.metrics = {rows, files, meta, size, scan_time};
  stage_metrics[0] = {rows, size};
  chain.push_back(scan);

  Node filter{
      "Filter",
      fmt::format("Filter (isnotnull(status#{}) AND (status#{} = COMPLETE))", e + 4, e + 4),
      {fmt::format("Input [5]: [order_id#{}L, customer_id#{}L, amount#{}, order_ts#{}, status#{}]",
                   e, e + 1, e + 2, e + 3, e + 4),
       fmt::format("Condition : (isnotnull(status#{}) AND (status#{} = COMPLETE))", e + 4, e + 4)},
      {},
      1};
  filter.metrics = {AddMetric(q, "number of output rows", "sum", SqlSrc::kNone)};
  chain.push_back(filter);
  chain.push_back(Node{
      "Project",
      fmt::format(
          "Project [customer_id#{}L, amount#{}, cast(order_ts#{} as date) AS order_date#{}]", e + 1,
          e + 2, e + 3, e + 5),
      {fmt::format("Output [3]: [customer_id#{}L, amount#{}, order_date#{}]", e + 1, e + 2, e + 5)},
      {},
      1});
  for (int s = 0; s < k; ++s) {
    const bool last = s == k - 1;
    if (s > 0 || !last) {
      // Aggregation in this stage: partial in the first stage, final later.
      Node agg{
          "HashAggregate",
          s == 0 ? fmt::format("HashAggregate(keys=[customer_id#{}L, order_date#{}], "
                               "functions=[partial_sum(amount#{}), partial_count(1)])",
                               e + 1, e + 5, e + 2)
                 : fmt::format("HashAggregate(keys=[customer_id#{}L, order_date#{}], "
                               "functions=[sum(amount#{}), count(1)])",
                               e + 1, e + 5, e + 2),
          {fmt::format("Keys [2]: [customer_id#{}L, order_date#{}]", e + 1, e + 5),
           s == 0 ? fmt::format("Functions [2]: [partial_sum(amount#{}), partial_count(1)]", e + 2)
                  : fmt::format("Functions [2]: [sum(amount#{}), count(1)]", e + 2)},
          {},
          s + 1};
      if (last && k >= 3) {
        agg.name = "Sort";
        agg.simple = fmt::format("Sort [order_date#{} ASC NULLS FIRST], false, 0", e + 5);
        agg.detail_lines = {
            fmt::format("Arguments: [order_date#{} ASC NULLS FIRST], false, 0", e + 5)};
        int sort_time = AddMetric(q, "sort time", "timing", SqlSrc::kSortTime);
        int peak = AddMetric(q, "peak memory", "size", SqlSrc::kPeakMem);
        int spill = AddMetric(q, "spill size", "size", SqlSrc::kNone);
        agg.metrics = {sort_time, peak, spill};
        for (int m : {sort_time, peak}) stage_metrics[s].push_back(m);
      } else {
        for (int m : AddAggMetrics(q, &agg)) stage_metrics[s].push_back(m);
      }
      chain.push_back(agg);
    }
    int dur = AddMetric(q, "duration", "timing", SqlSrc::kDuration);
    chain.back().codegen_stage = s + 1;
    stage_metrics[s].push_back(dur);
    chain.push_back(Node{fmt::format("WholeStageCodegen ({})", s + 1),
                         fmt::format("WholeStageCodegen ({})", s + 1),
                         {},
                         {dur},
                         -1});
    if (!last) {
      Node ex{"Exchange",
              fmt::format("Exchange hashpartitioning(customer_id#{}L, order_date#{}, {}), "
                          "ENSURE_REQUIREMENTS, [plan_id={}]",
                          e + 1, e + 5, partitions, ids->plan_id++),
              {fmt::format("Input [4]: [customer_id#{}L, order_date#{}, sum#{}, count#{}L]", e + 1,
                           e + 5, e + 6, e + 7),
               fmt::format("Arguments: hashpartitioning(customer_id#{}L, order_date#{}, {}), "
                           "ENSURE_REQUIREMENTS, [plan_id={}]",
                           e + 1, e + 5, partitions, ids->plan_id - 1)},
              {},
              0};
      auto [write, read] = AddExchangeMetrics(q, &ex);
      for (int m : write) stage_metrics[s].push_back(m);
      for (int m : read) stage_metrics[s + 1].push_back(m);
      chain.push_back(ex);
    }
  }
  const std::string out_path = mode == PlanMode::kMicroBatch
                                   ? "orders_enriched (Kafka)"
                                   : "s3a://datalake/curated/daily_" + table + "_summary";
  chain.push_back(Node{
      "WriteFiles",
      "WriteFiles",
      {fmt::format("Input [3]: [customer_id#{}L, order_date#{}, total#{}]", e + 1, e + 5, e + 8)},
      {},
      0});
  Node cmd{
      mode == PlanMode::kMicroBatch ? "WriteToDataSourceV2"
                                    : "Execute InsertIntoHadoopFsRelationCommand",
      mode == PlanMode::kMicroBatch
          ? "WriteToDataSourceV2 MicroBatchWrite[epoch: " + std::to_string(q->index) +
                ", writer: org.apache.spark.sql.kafka010.KafkaBatchWrite@3c5b1a7e]"
          : fmt::format("Execute InsertIntoHadoopFsRelationCommand {}, false, Parquet, [path={}], "
                        "Overwrite, [customer_id, order_date, total]",
                        out_path, out_path),
      {fmt::format(
          "Arguments: {}, false, Parquet, [path={}], Overwrite, [customer_id, order_date, total]",
          out_path, out_path)},
      {},
      0};
  cmd.metrics = {AddMetric(q, "number of written files", "sum", SqlSrc::kNone),
                 AddMetric(q, "written output", "size", SqlSrc::kNone),
                 AddMetric(q, "number of output rows", "sum", SqlSrc::kNone),
                 AddMetric(q, "number of dynamic part", "sum", SqlSrc::kNone),
                 AddMetric(q, "task commit time", "timing", SqlSrc::kNone),
                 AddMetric(q, "job commit time", "timing", SqlSrc::kNone)};
  chain.push_back(cmd);
  q->nodes.assign(chain.rbegin(), chain.rend());
  q->table = table;
  for (int s = 0; s < k; ++s) app->stages[q->stages[s]].sql_metric_index = stage_metrics[s];
}

void BuildContinuousNodes(QueryPlan* q, AppPlan* app) {
  Node write{
      "WriteToContinuousDataSource",
      "WriteToContinuousDataSource org.apache.spark.sql.kafka010.KafkaStreamingWrite@1f4e2c8a, []",
      {"Arguments: org.apache.spark.sql.kafka010.KafkaStreamingWrite@1f4e2c8a, []"},
      {},
      0};
  Node project{"Project", "Project [key#8, value#9]", {"Output [2]: [key#8, value#9]"}, {}, 0};
  Node scan{"ContinuousScan",
            "ContinuousScan[key#8, value#9, topic#10, partition#11, offset#12L, timestamp#13, "
            "timestampType#14] class org.apache.spark.sql.kafka010.KafkaSourceProvider$KafkaScan",
            {"Output [7]: [key#8, value#9, topic#10, partition#11, offset#12L, timestamp#13, "
             "timestampType#14]"},
            {},
            0};
  int rows = AddMetric(q, "number of output rows", "sum", SqlSrc::kScanRows);
  scan.metrics = {rows};
  q->nodes = {write, project, scan};
  app->stages[q->stages[0]].sql_metric_index = {rows};
}

}  // namespace

AppPlan BuildPlan(PlanMode mode, int num_queries, int stages_per_query, int partitions,
                  uint64_t seed, int total_stages) {
  AppPlan app;
  Rng rng(seed ^ 0x51A9E5ULL);
  Ids ids;
  for (int qi = 0; qi < num_queries; ++qi) {
    int k = mode == PlanMode::kContinuous ? 1 : stages_per_query;
    if (total_stages > 0) k = std::max(1, std::min(k, total_stages - qi * stages_per_query));
    QueryPlan q;
    q.index = qi;
    const int line = 120 + (qi * 7) % 180;
    std::string file = mode == PlanMode::kBatch ? "DailyOrdersEtl.scala" : "OrdersStream.scala";
    std::string method = mode == PlanMode::kBatch ? "parquet" : "start";
    q.description = fmt::format("{} at {}:{}", method, file, line);
    std::string caller = mode == PlanMode::kBatch ? "com.example.etl.DailyOrdersEtl$.run"
                                                  : "com.example.etl.OrdersStream$.run";
    q.details =
        (mode == PlanMode::kBatch
             ? std::string(
                   "org.apache.spark.sql.DataFrameWriter.parquet(DataFrameWriter.scala:792)\n")
             : std::string("org.apache.spark.sql.streaming.DataStreamWriter.start(DataStreamWriter."
                           "scala:251)\n")) +
        fmt::format("{}({}:{})\n{}({}:41)\n{}({})", caller, file, line,
                    mode == PlanMode::kBatch ? "com.example.etl.DailyOrdersEtl$.main"
                                             : "com.example.etl.OrdersStream$.main",
                    file,
                    mode == PlanMode::kBatch ? "com.example.etl.DailyOrdersEtl.main"
                                             : "com.example.etl.OrdersStream.main",
                    file) +
        kCallSiteTail;
    q.job_group = fmt::format("daily-orders-etl-{:03}", qi);
    q.job_description =
        fmt::format("Build curated.daily_{}_summary (step {})", kTables[qi % 8], qi + 1);
    for (int s = 0; s < k; ++s) {
      LogicalStage st;
      st.query = qi;
      st.index_in_query = s;
      if (mode == PlanMode::kContinuous) {
        st.kind = StageKind::kContinuous;
      } else if (k == 1) {
        st.kind = StageKind::kScanResult;
      } else {
        st.kind = s == 0 ? StageKind::kScanMap
                         : (s == k - 1 ? StageKind::kResultWrite : StageKind::kShuffleMap);
      }
      st.partitions = partitions;
      st.name = q.description;
      st.details = q.details;
      if (st.writes_shuffle()) st.shuffle_id = ids.shuffle++;
      st.parent = s == 0 ? -1 : static_cast<int>(app.stages.size()) - 1;
      BuildRddInfo(&st, &ids, q.description, s + 1);
      Profile(&st, &rng);
      q.stages.push_back(static_cast<int>(app.stages.size()));
      app.stages.push_back(std::move(st));
    }
    if (mode == PlanMode::kContinuous) {
      BuildContinuousNodes(&q, &app);
    } else {
      BuildBatchNodes(&q, &app, k, partitions, &ids, mode);
    }
    app.queries.push_back(std::move(q));
  }
  return app;
}

void AssignMetricIds(QueryPlan* q, int64_t* next_id) {
  for (SqlMetric& m : q->metrics) m.id = (*next_id)++;
}

namespace {

// The chain as displayed: adaptive wrapper, codegen wrappers and query stages only in the
// plans that have them.
struct Shown {
  const QueryPlan::Node* node;
  std::string name;
  std::string simple;
  bool star = false;
  int codegen = 0;
};

std::vector<Shown> DisplayChain(const QueryPlan& q, bool adaptive, bool final_plan) {
  std::vector<Shown> out;
  if (adaptive) {
    out.push_back(Shown{
        nullptr, "AdaptiveSparkPlan",
        final_plan ? "AdaptiveSparkPlan isFinalPlan=true" : "AdaptiveSparkPlan isFinalPlan=false"});
  }
  int query_stage = 0;
  for (const QueryPlan::Node& n : q.nodes) {
    if (n.codegen_stage < 0) {  // WholeStageCodegen marker node
      if (final_plan || !adaptive) out.push_back(Shown{&n, n.name, n.simple});
      continue;
    }
    if (n.name == "Exchange" && adaptive && final_plan) {
      out.push_back(Shown{nullptr, "AQEShuffleRead", "AQEShuffleRead coalesced"});
      out.push_back(Shown{nullptr, "ShuffleQueryStage",
                          "ShuffleQueryStage " + std::to_string(query_stage++)});
    }
    Shown s{&n, n.name, n.simple};
    s.star = (final_plan || !adaptive) && n.codegen_stage > 0;
    s.codegen = s.star ? n.codegen_stage : 0;
    out.push_back(s);
  }
  return out;
}

}  // namespace

std::string PhysicalPlanText(const QueryPlan& q, bool adaptive, bool final_plan) {
  std::vector<Shown> chain = DisplayChain(q, adaptive, final_plan);
  std::vector<Shown> listed;
  for (const Shown& s : chain) {
    if (s.name.rfind("WholeStageCodegen", 0) != 0) listed.push_back(s);
  }
  const int n = static_cast<int>(listed.size());
  std::string out = "== Physical Plan ==\n";
  for (int i = 0; i < n; ++i) {
    std::string indent = i == 0 ? "" : std::string(3 * (i - 1), ' ') + "+- ";
    out += fmt::format("{}{}{} ({})\n", indent, listed[i].star ? "* " : "", listed[i].name, n - i);
  }
  out += "\n\n";
  for (int i = n - 1; i >= 0; --i) {
    const Shown& s = listed[i];
    out += fmt::format("({}) {}", n - i, s.name);
    if (s.codegen > 0) out += fmt::format(" [codegen id : {}]", s.codegen);
    out += "\n";
    if (s.node != nullptr) {
      for (const std::string& line : s.node->detail_lines) out += line + "\n";
    } else if (s.name == "AdaptiveSparkPlan") {
      out +=
          fmt::format("Output [3]: [customer_id, order_date, total]\nArguments: isFinalPlan={}\n",
                      final_plan ? "true" : "false");
    } else {
      out += "Arguments: coalesced\n";
    }
    out += "\n";
  }
  return out;
}

std::string SparkPlanInfoJson(const QueryPlan& q, bool adaptive, bool final_plan) {
  std::vector<Shown> chain = DisplayChain(q, adaptive, final_plan);
  Buf b;
  for (const Shown& s : chain) {
    Raw(b, "{\"nodeName\":");
    Str(b, s.name);
    Raw(b, ",\"simpleString\":");
    Str(b, s.simple);
    Raw(b, ",\"children\":[");
  }
  for (size_t i = chain.size(); i-- > 0;) {
    Raw(b, "],\"metadata\":{},\"metrics\":[");
    const Shown& s = chain[i];
    if (s.node != nullptr) {
      bool first = true;
      for (int m : s.node->metrics) {
        if (!first) b.push_back(',');
        first = false;
        Raw(b, "{\"name\":");
        Str(b, q.metrics[m].name);
        Raw(b, ",\"accumulatorId\":");
        Int(b, q.metrics[m].id);
        Raw(b, ",\"metricType\":");
        Str(b, q.metrics[m].type);
        b.push_back('}');
      }
    }
    Raw(b, "]}");
  }
  return std::string(b.data(), b.size());
}

}  // namespace sparkmedic::gen
