// Application-level flow of the simulation: setup, header events, environment, application
// end and the manifest. Queries/streaming live in queries.cc, executors in executors.cc.
// See simulator.h.
#include "simulator.h"

#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>

#include "spark_texts.h"

namespace sparkmedic::gen::internal {
namespace {

std::string Hex(Rng* r, int digits) {
  std::string s;
  for (int i = 0; i < digits; ++i) s.push_back("0123456789abcdef"[r->Below(16)]);
  return s;
}

void JsonObject(Buf& b, const std::vector<std::pair<std::string, std::string>>& kv) {
  b.push_back('{');
  for (size_t i = 0; i < kv.size(); ++i) {
    if (i) b.push_back(',');
    KeyStr(b, kv[i].first, kv[i].second);
  }
  b.push_back('}');
}

}  // namespace

Simulator::Simulator(const Options& opts, LineSink* sink, Manifest* manifest)
    : o_(opts), sink_(sink), m_(manifest), rng_(opts.seed) {}

std::string Simulator::Uuid() {
  std::string h = Hex(&rng_, 32);
  h[12] = '4';
  h[16] = "89ab"[rng_.Below(4)];
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

void Simulator::Setup() {
  v4_ = std::atoi(o_.spark_version.c_str()) >= 4;
  java17_ = v4_;
  Rng ids = rng_.Fork(7);
  app_id_ = o_.app_id.empty() ? "spark-" + Hex(&ids, 32) : o_.app_id;
  if (!o_.app_name.empty()) {
    app_name_ = o_.app_name;
  } else if (o_.streaming == Streaming::kContinuous) {
    app_name_ = "orders-mirror";
  } else if (o_.streaming == Streaming::kMicroBatch) {
    app_name_ = "orders-enrichment-stream";
  } else {
    app_name_ = "daily-orders-etl";
  }
  pod_prefix_ = app_name_ + "-" + Hex(&ids, 16);
  driver_host_ = pod_prefix_ + "-driver-svc.spark-jobs.svc";
  query_id_ = Uuid();
  run_id_ = Uuid();

  PlanMode mode = PlanMode::kBatch;
  int k = o_.stages_per_query;
  int partitions = o_.partitions_per_stage;
  int queries = 1;
  int exact_stages = 0;
  if (o_.streaming == Streaming::kContinuous) {
    mode = PlanMode::kContinuous;
    k = 1;
    if (partitions == 0) partitions = 8;
  } else if (o_.streaming == Streaming::kMicroBatch) {
    mode = PlanMode::kMicroBatch;
    k = 2;
    if (partitions == 0) partitions = 16;
    queries = o_.micro_batches;
  } else {
    const uint64_t tasks = o_.tasks;
    if (partitions == 0) {
      partitions = o_.stages > 0 ? static_cast<int>((tasks + o_.stages - 1) / o_.stages)
                                 : static_cast<int>(std::min<uint64_t>(200, tasks));
    }
    const uint64_t total_stages =
        o_.stages > 0 ? static_cast<uint64_t>(o_.stages) : (tasks + partitions - 1) / partitions;
    queries = static_cast<int>(std::max<uint64_t>(1, (total_stages + k - 1) / k));
    exact_stages = static_cast<int>(total_stages);
  }
  partitions_ = partitions;
  plan_ = BuildPlan(mode, queries, k, partitions, o_.seed, exact_stages);
  const size_t n = plan_.stages.size();
  out_exec_.resize(n);
  out_tid_.resize(n);
  out_lost_.resize(n);
  finished_.resize(n);
  registered_outputs_.assign(n, 0);
  lost_outputs_.assign(n, 0);
  logical_ran_.assign(n, 0);
  first_launched_.assign(n, 0);
  uint64_t planned = 0;
  for (size_t l = 0; l < n; ++l) {
    const LogicalStage& st = plan_.stages[l];
    planned += static_cast<uint64_t>(st.partitions);
    if (st.writes_shuffle()) {
      out_exec_[l].assign(st.partitions, -1);
      out_tid_[l].assign(st.partitions, 0);
      out_lost_[l].assign(st.partitions, -1);
    } else {
      finished_[l].assign(st.partitions, 0);
    }
    quoted_stage_name_.push_back(Quoted(st.name));
    quoted_stage_details_.push_back(Quoted(st.details));
  }
  last_stage_logical_ = static_cast<int>(n) - 1;
  for (int i = 0; i < o_.executors; ++i) CreateExecutor(o_.hosts > 0 ? i % o_.hosts : -1);

  if (o_.skew_partitions > 0) {
    const int mid_query = queries / 2;
    for (size_t l = 0; l < n; ++l) {
      if (plan_.stages[l].reads_shuffle() && plan_.stages[l].query >= mid_query) {
        skew_stage_ = static_cast<int>(l);
        break;
      }
    }
    for (int i = 0; skew_stage_ >= 0 && i < std::min(o_.skew_partitions, partitions); ++i) {
      int p;
      do {
        p = static_cast<int>(rng_.Below(static_cast<uint64_t>(partitions)));
      } while (std::find(skewed_.begin(), skewed_.end(), p) != skewed_.end());
      skewed_.push_back(p);
    }
  }

  spec_state_.resize(o_.injects.size());
  for (size_t i = 0; i < o_.injects.size(); ++i) {
    const InjectSpec& s = o_.injects[i];
    injected_[s.text] = 0;
    if (s.kind == FailureKind::kExecutorLost || s.kind == FailureKind::kOom ||
        s.kind == FailureKind::kOomDirect) {
      save_infos_ = true;
    }
    for (const LogicalStage& st : plan_.stages) {
      if (StageEligible(st, s)) spec_state_[i].universe += static_cast<uint64_t>(st.partitions);
    }
    spec_state_[i].reserve = spec_state_[i].universe / 8;
  }
  if (o_.in_progress) {
    stop_after_tasks_ = std::max<uint64_t>(1, static_cast<uint64_t>(planned * o_.stop_at));
  }
}

Status Simulator::Run() {
  bool stopped = false;
  try {
    Setup();
    EmitHeader();
    switch (o_.streaming) {
      case Streaming::kNone:
        RunBatch();
        break;
      case Streaming::kContinuous:
        RunContinuous();
        break;
      case Streaming::kMicroBatch:
        RunMicroBatch();
        break;
    }
    if (o_.in_progress) stop_after_tasks_ = 0;  // an in-progress log never has ApplicationEnd
    EmitAppEnd();
  } catch (const StopGeneration&) {
    stopped = true;
  } catch (const Status& st) {
    return st;
  }
  SPARKMEDIC_RETURN_IF_ERROR(sink_->Finish(!stopped));
  FillManifest(stopped);
  return Status::Ok();
}

// ---------------------------------------------------------------------------------------
// Header and environment

void Simulator::EmitHeader() {
  now_ = o_.start_time_ms;
  Begin();
  Raw(line_, "{\"Event\":\"SparkListenerLogStart\",\"Spark Version\":");
  Str(line_, o_.spark_version);
  line_.push_back('}');
  Emit(true, "SparkListenerLogStart");
  Begin();
  fmt::format_to(
      fmt::appender(line_),
      "{{\"Event\":\"SparkListenerResourceProfileAdded\",\"Resource Profile Id\":0,"
      "\"Executor Resource Requests\":{{\"cores\":{{\"Resource Name\":\"cores\",\"Amount\":{},"
      "\"Discovery Script\":\"\",\"Vendor\":\"\"}},\"memory\":{{\"Resource Name\":\"memory\","
      "\"Amount\":{},\"Discovery Script\":\"\",\"Vendor\":\"\"}},\"offHeap\":{{\"Resource Name\":"
      "\"offHeap\",\"Amount\":0,\"Discovery Script\":\"\",\"Vendor\":\"\"}}}},"
      "\"Task Resource Requests\":{{\"cpus\":{{\"Resource Name\":\"cpus\",\"Amount\":1.0}}}}}}",
      o_.cores, kExecutorMemoryMb);
  Emit(true, "SparkListenerResourceProfileAdded");
  Begin();
  const int64_t driver_mem = 2101975449;
  Raw(line_,
      "{\"Event\":\"SparkListenerBlockManagerAdded\",\"Block Manager ID\":{\"Executor "
      "ID\":\"driver\",\"Host\":");
  Str(line_, driver_host_);
  Raw(line_, ",\"Port\":7079},\"Maximum Memory\":");
  Int(line_, driver_mem);
  Raw(line_, ",\"Timestamp\":");
  Int(line_, now_ + 1180);
  Raw(line_, ",\"Maximum Onheap Memory\":");
  Int(line_, driver_mem);
  Raw(line_, ",\"Maximum Offheap Memory\":0}");
  Emit(true, "SparkListenerBlockManagerAdded");
  EmitEnvironment();
  Begin();
  Raw(line_, "{\"Event\":\"SparkListenerApplicationStart\",\"App Name\":");
  Str(line_, app_name_);
  Raw(line_, ",\"App ID\":");
  Str(line_, app_id_);
  Raw(line_, ",\"Timestamp\":");
  Int(line_, o_.start_time_ms);
  Raw(line_, ",\"User\":\"spark\"}");
  Emit(true, "SparkListenerApplicationStart");
  int64_t t = now_ + 4200;
  for (size_t e = 0; e < execs_.size(); ++e) {
    t += rng_.Range(40, 650);
    EmitExecutorAdded(static_cast<int>(e), t);
  }
  now_ = t + rng_.Range(300, 1500);
}

void Simulator::EmitEnvironment() {
  const std::string image = "apache/spark:" + o_.spark_version;
  std::vector<std::pair<std::string, std::string>> spark = {
      {"spark.app.id", app_id_},
      {"spark.app.name", app_name_},
      {"spark.app.startTime", std::to_string(o_.start_time_ms)},
      {"spark.app.submitTime", std::to_string(o_.start_time_ms - 6211)},
      {"spark.master", "k8s://https://kubernetes.default.svc:443"},
      {"spark.submit.deployMode", "cluster"},
      {"spark.submit.pyFiles", ""},
      {"spark.jars", "local:///opt/app/daily-orders-etl-1.4.2.jar"},
      {"spark.driver.host", driver_host_},
      {"spark.driver.port", "7078"},
      {"spark.driver.blockManager.port", "7079"},
      {"spark.driver.memory", "4g"},
      {"spark.driver.cores", "1"},
      {"spark.executor.id", "driver"},
      {"spark.executor.instances", std::to_string(o_.executors)},
      {"spark.executor.memory", "8g"},
      {"spark.executor.cores", std::to_string(o_.cores)},
      {"spark.kubernetes.namespace", "spark-jobs"},
      {"spark.kubernetes.container.image", image},
      {"spark.kubernetes.driver.pod.name", pod_prefix_ + "-driver"},
      {"spark.kubernetes.executor.podNamePrefix", pod_prefix_},
      {"spark.kubernetes.authenticate.driver.serviceAccountName", "spark"},
      {"spark.kubernetes.resource.type", "java"},
      {"spark.kubernetes.submitInDriver", "true"},
      {"spark.kubernetes.memoryOverheadFactor", "0.1"},
      {"spark.serializer", "org.apache.spark.serializer.KryoSerializer"},
      {"spark.scheduler.mode", "FIFO"},
      {"spark.sql.shuffle.partitions", std::to_string(partitions_)},
      {"spark.sql.catalogImplementation", "hive"},
      {"spark.hadoop.fs.s3a.impl", "org.apache.hadoop.fs.s3a.S3AFileSystem"},
      {"spark.hadoop.fs.s3a.aws.credentials.provider",
       "com.amazonaws.auth.WebIdentityTokenCredentialsProvider"},
      {"spark.hadoop.fs.s3a.secret.key", "*********(redacted)"},
      {"spark.eventLog.enabled", "true"},
      {"spark.eventLog.dir", "s3a://spark-logs/eventlog"},
  };
  if (o_.codec == Codec::kZstd) {
    spark.push_back({"spark.eventLog.compress", "true"});
    spark.push_back({"spark.eventLog.compression.codec", "zstd"});
  }
  if (o_.rolling_max_bytes > 0) {
    spark.push_back({"spark.eventLog.rolling.enabled", "true"});
    spark.push_back({"spark.eventLog.rolling.maxFileSize", std::to_string(o_.rolling_max_bytes)});
  }
  if (o_.max_failures_set)
    spark.push_back({"spark.task.maxFailures", std::to_string(o_.max_failures)});
  if (o_.aqe_conf_set) {
    spark.push_back({"spark.sql.adaptive.enabled", o_.aqe ? "true" : "false"});
    spark.push_back({"spark.sql.adaptive.coalescePartitions.enabled", "true"});
    spark.push_back(
        {"spark.sql.adaptive.skewJoin.enabled", o_.skew_partitions > 0 ? "false" : "true"});
  } else if (!o_.aqe) {
    spark.push_back({"spark.sql.adaptive.enabled", "false"});
  }
  if (o_.dynamic_allocation) {
    spark.push_back({"spark.dynamicAllocation.enabled", "true"});
    spark.push_back({"spark.dynamicAllocation.shuffleTracking.enabled", "true"});
    spark.push_back({"spark.dynamicAllocation.minExecutors", "1"});
    spark.push_back({"spark.dynamicAllocation.maxExecutors", std::to_string(o_.executors)});
    spark.push_back({"spark.dynamicAllocation.executorIdleTimeout", "60s"});
  }
  if (o_.exclude_on_failure) {
    spark.push_back({"spark.excludeOnFailure.enabled", "true"});
    spark.push_back({"spark.excludeOnFailure.timeout", "5m"});
  }
  bool speculation = false, decommission = false;
  for (const InjectSpec& s : o_.injects) {
    speculation |= s.kind == FailureKind::kSpeculation;
    decommission |= s.kind == FailureKind::kExecutorLost && s.arg == "decommission";
  }
  if (speculation) spark.push_back({"spark.speculation", "true"});
  if (decommission) spark.push_back({"spark.decommission.enabled", "true"});
  if (o_.streaming != Streaming::kNone) {
    spark.push_back(
        {"spark.sql.streaming.checkpointLocation", "s3a://datalake/checkpoints/" + app_name_});
  }
  const std::vector<std::pair<std::string, std::string>> hadoop = {
      {"fs.s3a.connection.maximum", "200"},
      {"fs.s3a.threads.max", "64"},
      {"fs.s3a.fast.upload", "true"},
      {"fs.s3a.multipart.size", "64M"},
      {"fs.s3a.committer.name", "magic"},
      {"fs.defaultFS", "file:///"},
      {"hadoop.tmp.dir", "/tmp/hadoop-spark"},
      {"io.file.buffer.size", "65536"},
      {"mapreduce.fileoutputcommitter.algorithm.version", "1"},
      {"mapreduce.outputcommitter.factory.scheme.s3a",
       "org.apache.hadoop.fs.s3a.commit.S3ACommitterFactory"},
      {"hadoop.security.authentication", "simple"},
      {"dfs.replication", "3"},
      {"fs.s3a.retry.limit", "7"},
      {"fs.s3a.attempts.maximum", "20"},
  };
  const std::vector<std::pair<std::string, std::string>> system = {
      {"java.vm.name", "OpenJDK 64-Bit Server VM"},
      {"java.vendor", "Eclipse Adoptium"},
      {"java.version", java17_ ? "17.0.10" : "11.0.22"},
      {"java.io.tmpdir", "/tmp"},
      {"user.name", "spark"},
      {"user.dir", "/opt/spark/work-dir"},
      {"os.name", "Linux"},
      {"os.arch", "amd64"},
      {"file.encoding", "UTF-8"},
      {"sun.java.command",
       "org.apache.spark.deploy.SparkSubmit --deploy-mode client --conf "
       "spark.driver.bindAddress=10.244.0.5 --properties-file /opt/spark/conf/spark.properties "
       "--class com.example.etl.DailyOrdersEtl local:///opt/app/daily-orders-etl-1.4.2.jar"},
      {"SPARK_SUBMIT", "true"},
  };
  const std::vector<std::pair<std::string, std::string>> metrics = {
      {"*.sink.servlet.class", "org.apache.spark.metrics.sink.MetricsServlet"},
      {"*.sink.servlet.path", "/metrics/json"},
      {"applications.sink.servlet.path", "/metrics/applications/json"},
      {"master.sink.servlet.path", "/metrics/master/json"},
  };
  std::vector<std::pair<std::string, std::string>> classpath;
  const std::string scala = java17_ ? "2.13" : "2.12";
  for (const char* jar :
       {"spark-core", "spark-sql", "spark-catalyst", "spark-kubernetes", "spark-network-common",
        "spark-network-shuffle", "spark-launcher", "spark-unsafe", "spark-tags", "spark-kvstore",
        "spark-sql-kafka-0-10", "spark-hive"}) {
    classpath.push_back({fmt::format("/opt/spark/jars/{}_{}-{}.jar", jar, scala, o_.spark_version),
                         "System Classpath"});
  }
  for (const char* jar :
       {"hadoop-client-api-3.3.4.jar", "hadoop-client-runtime-3.3.4.jar", "hadoop-aws-3.3.4.jar",
        "aws-java-sdk-bundle-1.12.262.jar", "parquet-hadoop-1.13.1.jar", "zstd-jni-1.5.5-4.jar",
        "kubernetes-client-6.7.2.jar", "netty-all-4.1.96.Final.jar"}) {
    classpath.push_back({std::string("/opt/spark/jars/") + jar, "System Classpath"});
  }
  classpath.push_back({"/opt/spark/conf/", "System Classpath"});
  classpath.push_back({"local:///opt/app/daily-orders-etl-1.4.2.jar", "Added By User"});

  Begin();
  Raw(line_, "{\"Event\":\"SparkListenerEnvironmentUpdate\",\"JVM Information\":");
  JsonObject(line_, {{"Java Home", "/opt/java/openjdk"},
                     {"Java Version",
                      java17_ ? "17.0.10 (Eclipse Adoptium)" : "11.0.22 (Eclipse Adoptium)"},
                     {"Scala Version", java17_ ? "version 2.13.14" : "version 2.12.18"}});
  Raw(line_, ",\"Spark Properties\":");
  JsonObject(line_, spark);
  Raw(line_, ",\"Hadoop Properties\":");
  JsonObject(line_, hadoop);
  Raw(line_, ",\"System Properties\":");
  JsonObject(line_, system);
  Raw(line_, ",\"Metrics Properties\":");
  JsonObject(line_, metrics);
  Raw(line_, ",\"Classpath Entries\":");
  JsonObject(line_, classpath);
  line_.push_back('}');
  Emit(false, "SparkListenerEnvironmentUpdate");
}

void Simulator::EmitAppEnd() {
  now_ += rng_.Range(300, 2500);
  Begin();
  Raw(line_, "{\"Event\":\"SparkListenerApplicationEnd\",\"Timestamp\":");
  Int(line_, now_);
  if (v4_) {
    Raw(line_, ",\"ExitCode\":");
    Int(line_, any_job_failed_ ? 1 : 0);
  }
  line_.push_back('}');
  Emit(true, "SparkListenerApplicationEnd");
  m_->application_end = true;
  m_->exit_code = any_job_failed_ ? 1 : 0;
}

void Simulator::FillManifest(bool stopped) {
  m_->seed = o_.seed;
  m_->scenario = o_.scenario;
  m_->spark_version = o_.spark_version;
  m_->app_id = app_id_;
  m_->app_name = app_name_;
  m_->in_progress = o_.in_progress || stopped;
  m_->lines = sink_->lines();
  m_->uncompressed_bytes = sink_->uncompressed_bytes();
  m_->files = sink_->Files();
  for (const auto& [name, n] : event_counts_) {
    if (name == "exclusion") continue;
    std::string key(name);
    if (key.rfind("SparkListenerSQL", 0) == 0) key = kSqlUi + key;
    if (key.rfind("Query", 0) == 0) key = kQueryListener + key;
    m_->events[key] += n;
  }
  for (const auto& [name, n] : m_->exclusion_events) m_->events[name] += n;
  for (const char* r :
       {"Success", "Resubmitted", "TaskResultLost", "UnknownReason", "FetchFailed",
        "ExceptionFailure", "TaskCommitDenied", "ExecutorLostFailure", "TaskKilled"}) {
    m_->task_end_reasons.emplace(r, 0);
  }
  for (const auto& [text, n] : injected_) m_->injected[text] = n;
  m_->stage_ids = stage_ids_seen_.size();
  m_->stages_submitted = stage_ids_submitted_.size();
  m_->stages_skipped = m_->stage_ids - m_->stages_submitted;
  m_->stages_retried = stage_ids_retried_.size();
  if (!skew_obs_.empty()) {
    std::vector<int64_t> sizes;
    for (const auto& [p, obs] : skew_obs_) sizes.push_back(obs.first);
    std::nth_element(sizes.begin(), sizes.begin() + sizes.size() / 2, sizes.end());
    const int64_t median = sizes[sizes.size() / 2];
    for (int p : skewed_) {
      auto it = skew_obs_.find(p);
      if (it == skew_obs_.end()) continue;
      m_->skewed.push_back({skew_stage_id_, p, it->second.first, median, it->second.second});
    }
  }
}

}  // namespace sparkmedic::gen::internal
