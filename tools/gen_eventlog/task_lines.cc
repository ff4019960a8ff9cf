// Rendering of stage and task events, the generator's hot path. See simulator.h.
//
// PERF NOTES: a million-task log is two million TaskStart/TaskEnd lines of 0.5-6 KB. Each
// line is appended piecewise into line_ (a reused fmt::memory_buffer): keys as literals,
// numbers via fmt::format_int, executor ids and hosts pre-quoted. No per-line allocation
// happens except for Resubmitted bookkeeping (the saved Task Info of map tasks, kept only
// when an executor loss can occur).
#include <fmt/format.h>

#include "simulator.h"
#include "spark_texts.h"

namespace sparkmedic::gen::internal {
namespace {

constexpr const char* kSlotNames[kSlotCount] = {
    "internal.metrics.executorDeserializeTime",
    "internal.metrics.executorDeserializeCpuTime",
    "internal.metrics.executorRunTime",
    "internal.metrics.executorCpuTime",
    "internal.metrics.resultSize",
    "internal.metrics.jvmGCTime",
    "internal.metrics.resultSerializationTime",
    "internal.metrics.memoryBytesSpilled",
    "internal.metrics.diskBytesSpilled",
    "internal.metrics.peakExecutionMemory",
    "internal.metrics.peakOnHeapExecutionMemory",
    "internal.metrics.peakOffHeapExecutionMemory",
    "internal.metrics.updatedBlockStatuses",
    "internal.metrics.shuffle.read.remoteBlocksFetched",
    "internal.metrics.shuffle.read.localBlocksFetched",
    "internal.metrics.shuffle.read.remoteBytesRead",
    "internal.metrics.shuffle.read.remoteBytesReadToDisk",
    "internal.metrics.shuffle.read.localBytesRead",
    "internal.metrics.shuffle.read.fetchWaitTime",
    "internal.metrics.shuffle.read.recordsRead",
    "internal.metrics.shuffle.push.read.corruptMergedBlockChunks",
    "internal.metrics.shuffle.push.read.mergedFetchFallbackCount",
    "internal.metrics.shuffle.push.read.remoteMergedBlocksFetched",
    "internal.metrics.shuffle.push.read.localMergedBlocksFetched",
    "internal.metrics.shuffle.push.read.remoteMergedChunksFetched",
    "internal.metrics.shuffle.push.read.localMergedChunksFetched",
    "internal.metrics.shuffle.push.read.remoteMergedBytesRead",
    "internal.metrics.shuffle.push.read.localMergedBytesRead",
    "internal.metrics.shuffle.read.remoteReqsDuration",
    "internal.metrics.shuffle.push.read.remoteMergedReqsDuration",
    "internal.metrics.shuffle.write.bytesWritten",
    "internal.metrics.shuffle.write.recordsWritten",
    "internal.metrics.shuffle.write.writeTime",
    "internal.metrics.input.bytesRead",
    "internal.metrics.input.recordsRead",
    "internal.metrics.output.bytesWritten",
    "internal.metrics.output.recordsWritten",
};

constexpr const char* kLocality[] = {"PROCESS_LOCAL", "NODE_LOCAL", "NO_PREF", "RACK_LOCAL", "ANY"};

constexpr const char* kExecMetricsZero =
    "{\"JVMHeapMemory\":0,\"JVMOffHeapMemory\":0,\"OnHeapExecutionMemory\":0,"
    "\"OffHeapExecutionMemory\":0,\"OnHeapStorageMemory\":0,\"OffHeapStorageMemory\":0,"
    "\"OnHeapUnifiedMemory\":0,\"OffHeapUnifiedMemory\":0,\"DirectPoolMemory\":0,"
    "\"MappedPoolMemory\":0,\"ProcessTreeJVMVMemory\":0,\"ProcessTreeJVMRSSMemory\":0,"
    "\"ProcessTreePythonVMemory\":0,\"ProcessTreePythonRSSMemory\":0,"
    "\"ProcessTreeOtherVMemory\":0,\"ProcessTreeOtherRSSMemory\":0,\"MinorGCCount\":0,"
    "\"MinorGCTime\":0,\"MajorGCCount\":0,\"MajorGCTime\":0,\"TotalGCTime\":0,"
    "\"ConcurrentGCCount\":0,\"ConcurrentGCTime\":0}";
// ExecutorMetrics built from an empty peak array: JVMHeapMemory defaults to -1.
constexpr const char* kExecMetricsUnset =
    "{\"JVMHeapMemory\":-1,\"JVMOffHeapMemory\":0,\"OnHeapExecutionMemory\":0,"
    "\"OffHeapExecutionMemory\":0,\"OnHeapStorageMemory\":0,\"OffHeapStorageMemory\":0,"
    "\"OnHeapUnifiedMemory\":0,\"OffHeapUnifiedMemory\":0,\"DirectPoolMemory\":0,"
    "\"MappedPoolMemory\":0,\"ProcessTreeJVMVMemory\":0,\"ProcessTreeJVMRSSMemory\":0,"
    "\"ProcessTreePythonVMemory\":0,\"ProcessTreePythonRSSMemory\":0,"
    "\"ProcessTreeOtherVMemory\":0,\"ProcessTreeOtherRSSMemory\":0,\"MinorGCCount\":0,"
    "\"MinorGCTime\":0,\"MajorGCCount\":0,\"MajorGCTime\":0,\"TotalGCTime\":0,"
    "\"ConcurrentGCCount\":0,\"ConcurrentGCTime\":0}";

}  // namespace

void Simulator::Begin() { line_.clear(); }

void Simulator::Emit(bool flush, const char* event_name) {
  std::string_view line(line_.data(), line_.size());
  if (m_->task_attempts >= stop_after_tasks_) {
    if (o_.cut_last_line) (void)sink_->WritePartial(line.substr(0, line.size() / 2));
    throw StopGeneration{};
  }
  Status st = sink_->WriteLine(line, flush);
  if (!st.ok()) throw st;
  ++event_counts_[event_name];
}

bool Simulator::SlotActive(int slot) const {
  if (slot == kPeakOn || slot == kPeakOff) return v4_;
  return true;
}

int64_t Simulator::SlotId(const TaskSet& ts, int slot) const {
  int64_t offset = slot;
  if (!v4_ && slot > kPeakOff) offset -= 2;
  return ts.internal_base + offset;
}

void Simulator::WriteAccum(int64_t id, const char* name, int64_t update, int64_t value, bool sql) {
  Raw(line_, "{\"ID\":");
  Int(line_, id);
  Raw(line_, ",\"Name\":\"");
  Raw(line_, name);
  if (sql) {
    Raw(line_, "\",\"Update\":\"");
    Int(line_, update);
    Raw(line_, "\",\"Value\":\"");
    Int(line_, value);
    Raw(line_, "\",\"Internal\":true,\"Count Failed Values\":true,\"Metadata\":\"sql\"}");
  } else {
    Raw(line_, "\",\"Update\":");
    Int(line_, update);
    Raw(line_, ",\"Value\":");
    Int(line_, value);
    Raw(line_, ",\"Internal\":true,\"Count Failed Values\":true}");
  }
}

void Simulator::WriteStageInfo(int inst, int attempt, int num_tasks, const TaskSet* ts,
                               bool completed) {
  const Instance& in = instances_[inst];
  const LogicalStage& st = plan_.stages[in.logical];
  Raw(line_, "{\"Stage ID\":");
  Int(line_, in.id);
  Raw(line_, ",\"Stage Attempt ID\":");
  Int(line_, attempt);
  Raw(line_, ",\"Stage Name\":");
  Raw(line_, quoted_stage_name_[in.logical]);
  Raw(line_, ",\"Number of Tasks\":");
  Int(line_, num_tasks);
  Raw(line_, ",\"RDD Info\":");
  Raw(line_, st.rdd_info_json);
  Raw(line_, ",\"Parent IDs\":[");
  if (in.parent >= 0) Int(line_, instances_[in.parent].id);
  Raw(line_, "],\"Details\":");
  Raw(line_, quoted_stage_details_[in.logical]);
  if (ts != nullptr) {
    Raw(line_, ",\"Submission Time\":");
    Int(line_, ts->submitted);
  }
  if (completed) {
    Raw(line_, ",\"Completion Time\":");
    Int(line_, ts->completed_at);
    if (!ts->failure_reason.empty()) {
      Raw(line_, ",\"Failure Reason\":");
      Str(line_, ts->failure_reason);
    }
  }
  Raw(line_, ",\"Accumulables\":[");
  if (completed) {
    bool first = true;
    const QueryPlan& q = plan_.queries[st.query];
    for (size_t k = 0; k < st.sql_metric_index.size(); ++k) {
      if (!ts->sql_touched[k]) continue;
      const SqlMetric& mdef = q.metrics[st.sql_metric_index[k]];
      if (!first) line_.push_back(',');
      first = false;
      Raw(line_, "{\"ID\":");
      Int(line_, mdef.id);
      Raw(line_, ",\"Name\":");
      Str(line_, mdef.name);
      Raw(line_, ",\"Value\":\"");
      Int(line_, sql_totals_[st.sql_metric_index[k]]);
      Raw(line_, "\",\"Internal\":true,\"Count Failed Values\":true,\"Metadata\":\"sql\"}");
    }
    for (int s = 0; s < kSlotCount; ++s) {
      if (!ts->touched[s] || !SlotActive(s)) continue;
      if (!first) line_.push_back(',');
      first = false;
      Raw(line_, "{\"ID\":");
      Int(line_, SlotId(*ts, s));
      Raw(line_, ",\"Name\":\"");
      Raw(line_, kSlotNames[s]);
      Raw(line_, "\",\"Value\":");
      Int(line_, ts->totals[s]);
      Raw(line_, ",\"Internal\":true,\"Count Failed Values\":true}");
    }
  }
  Raw(line_,
      "],\"Resource Profile Id\":0,\"Shuffle Push Enabled\":false,\"Shuffle Push Mergers "
      "Count\":0}");
}

void Simulator::EmitStageSubmitted(TaskSet* ts, const Job& job) {
  Begin();
  Raw(line_, "{\"Event\":\"SparkListenerStageSubmitted\",\"Stage Info\":");
  WriteStageInfo(ts->inst, ts->attempt, static_cast<int>(ts->parts.size()), ts, false);
  Raw(line_, ",\"Properties\":");
  Raw(line_, job.properties);
  line_.push_back('}');
  Emit(false, "SparkListenerStageSubmitted");
  ++m_->stage_attempts;
  stage_ids_submitted_.insert(instances_[ts->inst].id);
  if (ts->attempt > 0) stage_ids_retried_.insert(instances_[ts->inst].id);
}

void Simulator::EmitStageCompleted(TaskSet* ts) {
  Begin();
  Raw(line_, "{\"Event\":\"SparkListenerStageCompleted\",\"Stage Info\":");
  WriteStageInfo(ts->inst, ts->attempt, static_cast<int>(ts->parts.size()), ts, true);
  line_.push_back('}');
  Emit(true, "SparkListenerStageCompleted");
  if (!ts->failure_reason.empty()) ++m_->stage_attempts_failed;
}

void Simulator::WriteTaskInfoHead(const TaskSet& ts, const TaskRun& r) {
  const Exec& e = execs_[r.exec];
  Raw(line_, "{\"Task ID\":");
  Int(line_, r.tid);
  Raw(line_, ",\"Index\":");
  Int(line_, r.index);
  Raw(line_, ",\"Attempt\":");
  Int(line_, r.attempt);
  Raw(line_, ",\"Partition ID\":");
  Int(line_, ts.parts[r.index]);
  Raw(line_, ",\"Launch Time\":");
  Int(line_, r.launch);
  Raw(line_, ",\"Executor ID\":");
  Raw(line_, e.quoted_id);
  Raw(line_, ",\"Host\":");
  Raw(line_, e.quoted_host);
  Raw(line_, ",\"Locality\":\"");
  Raw(line_, kLocality[r.locality]);
  Raw(line_, r.speculative ? "\",\"Speculative\":true" : "\",\"Speculative\":false");
  Raw(line_, ",\"Getting Result Time\":0,\"Finish Time\":");
}

void Simulator::EmitTaskStart(const TaskSet& ts, const TaskRun& r) {
  Begin();
  Raw(line_, "{\"Event\":\"SparkListenerTaskStart\",\"Stage ID\":");
  Int(line_, instances_[ts.inst].id);
  Raw(line_, ",\"Stage Attempt ID\":");
  Int(line_, ts.attempt);
  Raw(line_, ",\"Task Info\":");
  WriteTaskInfoHead(ts, r);
  Raw(line_, "0,\"Failed\":false,\"Killed\":false,\"Accumulables\":[]}}");
  Emit(false, "SparkListenerTaskStart");
  ++m_->task_attempts;
  if (r.speculative) ++m_->speculative_attempts;
}

int64_t Simulator::SqlValue(const LogicalStage& st, SqlSrc src, const TaskVals& v) const {
  switch (src) {
    case SqlSrc::kScanRows:
      return v.in_records;
    case SqlSrc::kFilesRead:
      return v.in_bytes > 0 ? 1 + (v.in_bytes > 134217728) : 0;
    case SqlSrc::kFileBytes:
      return v.in_bytes;
    case SqlSrc::kScanTime:
      return v.in_bytes > 0 ? v.run * 35 / 100 : 0;
    case SqlSrc::kAggTime:
      return v.run * 22 / 100;
    case SqlSrc::kPeakMem:
      return v.peak;
    case SqlSrc::kRowsOut:
      return st.writes_shuffle() ? v.wr_records : v.out_records;
    case SqlSrc::kDuration:
      return v.run * 93 / 100;
    case SqlSrc::kShuffleRecordsWritten:
      return v.wr_records;
    case SqlSrc::kShuffleWriteTime:
      return v.wr_time;
    case SqlSrc::kDataSize:
      return v.wr_bytes * 3;
    case SqlSrc::kShuffleBytesWritten:
      return v.wr_bytes;
    case SqlSrc::kRecordsRead:
      return v.rd_records;
    case SqlSrc::kLocalBytesRead:
      return v.rd_local_bytes;
    case SqlSrc::kFetchWait:
      return v.rd_fetch_wait;
    case SqlSrc::kRemoteBytesRead:
      return v.rd_remote_bytes;
    case SqlSrc::kLocalBlocks:
      return v.rd_local_blocks;
    case SqlSrc::kRemoteBlocks:
      return v.rd_remote_blocks;
    case SqlSrc::kRemoteReqsDuration:
      return v.rd_reqs_dur;
    case SqlSrc::kSortTime:
      return v.run * 12 / 100;
    case SqlSrc::kNone:
      break;
  }
  return 0;
}

void Simulator::WriteTaskMetrics(const TaskVals& v, bool full) {
  // `full` = false: the metrics rebuilt from a failed/killed task's accumulator updates
  // (only run time and GC time are known).
  auto f = [&](const char* key, int64_t val) {
    Raw(line_, key);
    Int(line_, full ? val : 0);
  };
  Raw(line_, "{\"Executor Deserialize Time\":");
  Int(line_, full ? v.deser : 0);
  f(",\"Executor Deserialize CPU Time\":", v.deser_cpu);
  Raw(line_, ",\"Executor Run Time\":");
  Int(line_, v.run);
  f(",\"Executor CPU Time\":", v.cpu);
  f(",\"Peak Execution Memory\":", v.peak);
  if (v4_) {
    f(",\"Peak On Heap Execution Memory\":", v.peak);
    Raw(line_, ",\"Peak Off Heap Execution Memory\":0");
  }
  f(",\"Result Size\":", v.result_size);
  Raw(line_, ",\"JVM GC Time\":");
  Int(line_, v.gc);
  f(",\"Result Serialization Time\":", v.ser);
  f(",\"Memory Bytes Spilled\":", v.mem_spill);
  f(",\"Disk Bytes Spilled\":", v.disk_spill);
  f(",\"Shuffle Read Metrics\":{\"Remote Blocks Fetched\":", v.rd_remote_blocks);
  f(",\"Local Blocks Fetched\":", v.rd_local_blocks);
  f(",\"Fetch Wait Time\":", v.rd_fetch_wait);
  f(",\"Remote Bytes Read\":", v.rd_remote_bytes);
  Raw(line_, ",\"Remote Bytes Read To Disk\":0");
  f(",\"Local Bytes Read\":", v.rd_local_bytes);
  f(",\"Total Records Read\":", v.rd_records);
  f(",\"Remote Requests Duration\":", v.rd_reqs_dur);
  Raw(line_,
      ",\"Push Based Shuffle\":{\"Corrupt Merged Block Chunks\":0,\"Merged Fetch Fallback "
      "Count\":0,"
      "\"Merged Remote Blocks Fetched\":0,\"Merged Local Blocks Fetched\":0,"
      "\"Merged Remote Chunks Fetched\":0,\"Merged Local Chunks Fetched\":0,"
      "\"Merged Remote Bytes Read\":0,\"Merged Local Bytes Read\":0,"
      "\"Merged Remote Requests Duration\":0}}");
  f(",\"Shuffle Write Metrics\":{\"Shuffle Bytes Written\":", v.wr_bytes);
  f(",\"Shuffle Write Time\":", v.wr_time);
  f(",\"Shuffle Records Written\":", v.wr_records);
  f("},\"Input Metrics\":{\"Bytes Read\":", v.in_bytes);
  f(",\"Records Read\":", v.in_records);
  f("},\"Output Metrics\":{\"Bytes Written\":", v.out_bytes);
  f(",\"Records Written\":", v.out_records);
  Raw(line_, "},\"Updated Blocks\":[]}");
}

void Simulator::EmitTaskEndSuccess(TaskSet* ts, TaskRun* r) {
  const LogicalStage& st = plan_.stages[ts->logical];
  const TaskVals& v = r->v;
  Begin();
  Raw(line_, "{\"Event\":\"SparkListenerTaskEnd\",\"Stage ID\":");
  Int(line_, instances_[ts->inst].id);
  Raw(line_, ",\"Stage Attempt ID\":");
  Int(line_, ts->attempt);
  Raw(line_,
      st.result_task() ? ",\"Task Type\":\"ResultTask\"" : ",\"Task Type\":\"ShuffleMapTask\"");
  Raw(line_, ",\"Task End Reason\":{\"Reason\":\"Success\"},\"Task Info\":");
  const size_t info_start = line_.size();
  WriteTaskInfoHead(*ts, *r);
  Int(line_, r->finish);
  Raw(line_, ",\"Failed\":false,\"Killed\":false,\"Accumulables\":[");
  bool first = true;
  const QueryPlan& q = plan_.queries[st.query];
  for (size_t k = 0; k < st.sql_metric_index.size(); ++k) {
    int mi = st.sql_metric_index[k];
    int64_t val = SqlValue(st, q.metrics[mi].src, v);
    if (val <= 0) continue;
    sql_totals_[mi] += val;
    ts->sql_touched[k] = 1;
    if (!first) line_.push_back(',');
    first = false;
    WriteAccum(q.metrics[mi].id, q.metrics[mi].name.c_str(), val, sql_totals_[mi], true);
  }
  auto acc = [&](int slot, int64_t val, bool present) {
    if (!present) return;
    ts->totals[slot] += val;
    ts->touched[slot] = 1;
    if (!first) line_.push_back(',');
    first = false;
    WriteAccum(SlotId(*ts, slot), kSlotNames[slot], val, ts->totals[slot], false);
  };
  acc(kDeserTime, v.deser, v.deser > 0);
  acc(kDeserCpu, v.deser_cpu, v.deser_cpu > 0);
  acc(kRunTime, v.run, true);
  acc(kCpuTime, v.cpu, v.cpu > 0);
  acc(kResultSize, v.result_size, true);
  acc(kGcTime, v.gc, v.gc > 0);
  acc(kResultSer, v.ser, v.ser > 0);
  acc(kMemSpill, v.mem_spill, v.mem_spill > 0);
  acc(kDiskSpill, v.disk_spill, v.disk_spill > 0);
  acc(kPeak, v.peak, v.peak > 0);
  if (v4_) acc(kPeakOn, v.peak, v.peak > 0);
  if (st.reads_shuffle()) {
    acc(kRdRemoteBlocks, v.rd_remote_blocks, true);
    acc(kRdLocalBlocks, v.rd_local_blocks, true);
    acc(kRdRemoteBytes, v.rd_remote_bytes, true);
    acc(kRdRemoteToDisk, 0, true);
    acc(kRdLocalBytes, v.rd_local_bytes, true);
    acc(kRdFetchWait, v.rd_fetch_wait, true);
    acc(kRdRecords, v.rd_records, true);
    for (int s = kPushCorrupt; s <= kPushLocalBytes; ++s) acc(s, 0, true);
    acc(kRdRemoteReqsDur, v.rd_reqs_dur, true);
    acc(kPushRemoteReqsDur, 0, true);
  }
  if (st.writes_shuffle()) {
    acc(kWrBytes, v.wr_bytes, true);
    acc(kWrRecords, v.wr_records, true);
    acc(kWrTime, v.wr_time, true);
  }
  if (st.reads_input()) {
    acc(kInBytes, v.in_bytes, true);
    acc(kInRecords, v.in_records, true);
  }
  acc(kOutBytes, v.out_bytes, v.out_bytes > 0);
  acc(kOutRecords, v.out_records, v.out_bytes > 0);
  Raw(line_, "]}");
  if (save_infos_ && !st.result_task()) {
    r->saved_info.assign(line_.data() + info_start, line_.size() - info_start);
  }
  if (r->late_start) EmitLateTaskStart(*ts, r, info_start);
  Raw(line_, ",\"Task Executor Metrics\":");
  Raw(line_, kExecMetricsZero);
  Raw(line_, ",\"Task Metrics\":");
  WriteTaskMetrics(v, true);
  line_.push_back('}');
  Emit(false, "SparkListenerTaskEnd");
  CountTaskEnd(*ts, *r, "Success", false);
}

void Simulator::EmitLateTaskStart(const TaskSet& ts, TaskRun* r, size_t info_start) {
  // line_ holds the TaskEnd up to the end of its Task Info; write the TaskStart carrying that
  // finished Task Info first, then restore the TaskEnd prefix.
  const std::string pending(line_.data(), line_.size());
  Begin();
  Raw(line_, "{\"Event\":\"SparkListenerTaskStart\",\"Stage ID\":");
  Int(line_, instances_[ts.inst].id);
  Raw(line_, ",\"Stage Attempt ID\":");
  Int(line_, ts.attempt);
  Raw(line_, ",\"Task Info\":");
  Raw(line_, std::string_view(pending).substr(info_start));
  line_.push_back('}');
  Emit(false, "SparkListenerTaskStart");
  ++m_->task_attempts;
  r->late_start = false;
  Begin();
  Raw(line_, pending);
}

void Simulator::EmitTaskEndFailure(TaskSet* ts, TaskRun* r, const std::string& reason_json,
                                   const char* reason_name, bool with_metrics, bool killed) {
  if (r->late_start) {  // ended before its deferred TaskStart was due: write a plain one
    r->late_start = false;
    EmitTaskStart(*ts, *r);
  }
  const LogicalStage& st = plan_.stages[ts->logical];
  const bool failed = !killed;
  Begin();
  Raw(line_, "{\"Event\":\"SparkListenerTaskEnd\",\"Stage ID\":");
  Int(line_, instances_[ts->inst].id);
  Raw(line_, ",\"Stage Attempt ID\":");
  Int(line_, ts->attempt);
  Raw(line_,
      st.result_task() ? ",\"Task Type\":\"ResultTask\"" : ",\"Task Type\":\"ShuffleMapTask\"");
  Raw(line_, ",\"Task End Reason\":");
  Raw(line_, reason_json);
  Raw(line_, ",\"Task Info\":");
  WriteTaskInfoHead(*ts, *r);
  Int(line_, r->finish);
  Raw(line_, failed ? ",\"Failed\":true,\"Killed\":false" : ",\"Failed\":false,\"Killed\":true");
  Raw(line_, ",\"Accumulables\":[");
  // DAGScheduler merges the updates of ExceptionFailure / TaskKilled into the stage's
  // accumulators, unless the stage is already gone (late kills after completion or abort).
  if (with_metrics && !ts->completed && !ts->aborted) {
    ts->totals[kRunTime] += r->v.run;
    ts->touched[kRunTime] = 1;
    WriteAccum(SlotId(*ts, kRunTime), kSlotNames[kRunTime], r->v.run, ts->totals[kRunTime], false);
    if (r->v.gc > 0) {
      ts->totals[kGcTime] += r->v.gc;
      ts->touched[kGcTime] = 1;
      line_.push_back(',');
      WriteAccum(SlotId(*ts, kGcTime), kSlotNames[kGcTime], r->v.gc, ts->totals[kGcTime], false);
    }
  }
  Raw(line_, "]},\"Task Executor Metrics\":");
  Raw(line_, with_metrics ? kExecMetricsZero : kExecMetricsUnset);
  if (with_metrics) {
    Raw(line_, ",\"Task Metrics\":");
    WriteTaskMetrics(r->v, false);
  }
  line_.push_back('}');
  Emit(false, "SparkListenerTaskEnd");
  CountTaskEnd(*ts, *r, reason_name, failed);
}

void Simulator::EmitResubmitted(TaskSet* ts, TaskRun* r) {
  Begin();
  Raw(line_, "{\"Event\":\"SparkListenerTaskEnd\",\"Stage ID\":");
  Int(line_, instances_[ts->inst].id);
  Raw(line_, ",\"Stage Attempt ID\":");
  Int(line_, ts->attempt);
  Raw(line_,
      ",\"Task Type\":\"ShuffleMapTask\",\"Task End Reason\":{\"Reason\":\"Resubmitted\"},\"Task "
      "Info\":");
  Raw(line_, r->saved_info);
  Raw(line_, ",\"Task Executor Metrics\":");
  Raw(line_, kExecMetricsUnset);
  line_.push_back('}');
  Emit(false, "SparkListenerTaskEnd");
  CountTaskEnd(*ts, *r, "Resubmitted", false);
}

void Simulator::CountTaskEnd(const TaskSet& ts, const TaskRun& r, const char* reason, bool failed) {
  ++m_->task_ends;
  ++m_->task_end_reasons[reason];
  std::string_view rs(reason);
  if (rs == "Success") {
    ++m_->shs_completed;
  } else if (rs == "TaskKilled" || rs == "TaskCommitDenied") {
    ++m_->shs_killed;
  } else {
    ++m_->shs_failed;
  }
  if (failed) {
    auto& pf = m_->partitions[{instances_[ts.inst].id, ts.parts[r.index]}];
    ++pf.failed_attempts;
    ++pf.reasons[reason];
  }
}

}  // namespace sparkmedic::gen::internal
