// Small model helpers: names, the interned string pool, Spark's error strings.
#include "sparkmedic/model.h"

#include <fmt/format.h>

namespace sparkmedic {

uint32_t StringPool::Intern(std::string_view s) {
  auto it = index_.find(s);
  if (it != index_.end()) return it->second;
  uint32_t id = static_cast<uint32_t>(strings_.size());
  strings_.emplace_back(s);
  index_.emplace(strings_.back(), id);
  return id;
}

uint32_t StringPool::Find(std::string_view s) const {
  auto it = index_.find(s);
  return it == index_.end() ? kNoIndex : it->second;
}

const char* TaskEndKindName(TaskEndKind kind) {
  switch (kind) {
    case TaskEndKind::kRunning:
      return "Running";
    case TaskEndKind::kSuccess:
      return "Success";
    case TaskEndKind::kResubmitted:
      return "Resubmitted";
    case TaskEndKind::kTaskResultLost:
      return "TaskResultLost";
    case TaskEndKind::kUnknownReason:
      return "UnknownReason";
    case TaskEndKind::kFetchFailed:
      return "FetchFailed";
    case TaskEndKind::kExceptionFailure:
      return "ExceptionFailure";
    case TaskEndKind::kTaskCommitDenied:
      return "TaskCommitDenied";
    case TaskEndKind::kExecutorLostFailure:
      return "ExecutorLostFailure";
    case TaskEndKind::kTaskKilled:
      return "TaskKilled";
    case TaskEndKind::kOther:
      return "Other";
  }
  return "Other";
}

const char* LocalityName(Locality l) {
  switch (l) {
    case Locality::kProcessLocal:
      return "PROCESS_LOCAL";
    case Locality::kNodeLocal:
      return "NODE_LOCAL";
    case Locality::kNoPref:
      return "NO_PREF";
    case Locality::kRackLocal:
      return "RACK_LOCAL";
    case Locality::kAny:
      return "ANY";
    case Locality::kUnknown:
      return "UNKNOWN";
  }
  return "UNKNOWN";
}

Locality ParseLocalityName(std::string_view s) {
  if (s == "PROCESS_LOCAL") return Locality::kProcessLocal;
  if (s == "NODE_LOCAL") return Locality::kNodeLocal;
  if (s == "NO_PREF") return Locality::kNoPref;
  if (s == "RACK_LOCAL") return Locality::kRackLocal;
  if (s == "ANY") return Locality::kAny;
  return Locality::kUnknown;
}

std::string StorageLevel::Description() const {
  // StorageLevel.description (Spark 3.x/4.x).
  std::string out;
  if (use_disk) out += "Disk ";
  if (use_memory) out += use_off_heap ? "Memory (off heap) " : "Memory ";
  out += deserialized ? "Deserialized " : "Serialized ";
  out += std::to_string(replication) + "x Replicated";
  return out;
}

const char* StageStatusName(StageStatus s) {
  switch (s) {
    case StageStatus::kPending:
      return "PENDING";
    case StageStatus::kActive:
      return "ACTIVE";
    case StageStatus::kComplete:
      return "COMPLETE";
    case StageStatus::kFailed:
      return "FAILED";
    case StageStatus::kSkipped:
      return "SKIPPED";
  }
  return "PENDING";
}

const char* JobStatusName(JobStatus s) {
  switch (s) {
    case JobStatus::kRunning:
      return "RUNNING";
    case JobStatus::kSucceeded:
      return "SUCCEEDED";
    case JobStatus::kFailed:
      return "FAILED";
    case JobStatus::kUnknown:
      return "UNKNOWN";
  }
  return "UNKNOWN";
}

const char* ExclusionKindName(ExclusionKind k) {
  switch (k) {
    case ExclusionKind::kExecutorExcluded:
      return "executor-excluded";
    case ExclusionKind::kExecutorUnexcluded:
      return "executor-unexcluded";
    case ExclusionKind::kExecutorExcludedForStage:
      return "executor-excluded-for-stage";
    case ExclusionKind::kNodeExcluded:
      return "node-excluded";
    case ExclusionKind::kNodeUnexcluded:
      return "node-unexcluded";
    case ExclusionKind::kNodeExcludedForStage:
      return "node-excluded-for-stage";
  }
  return "unknown";
}

const char* TaskAttempt::StatusString() const {
  if (finish_time == 0) return getting_result_time != 0 ? "GET RESULT" : "RUNNING";
  if (failed) return "FAILED";
  if (killed) return "KILLED";
  return "SUCCESS";
}

namespace {

// java.lang.StackTraceElement.toString for elements built without module information.
std::string FrameString(const StackFrame& f) {
  std::string where;
  if (f.line_number == -2) {
    where = "Native Method";
  } else if (!f.file_name) {
    where = "Unknown Source";
  } else if (f.line_number >= 0) {
    where = fmt::format("{}:{}", *f.file_name, f.line_number);
  } else {
    where = *f.file_name;
  }
  return fmt::format("{}.{}({})", f.declaring_class, f.method_name, where);
}

}  // namespace

std::string TaskFailure::ErrorString() const {
  switch (kind) {
    case TaskEndKind::kFetchFailed: {
      std::string bm = has_block_manager ? fmt::format("BlockManagerId({}, {}, {}, None)",
                                                       bm_executor_id, bm_host, bm_port)
                                         : "null";
      if (map_index) {
        return fmt::format(
            "FetchFailed({}, shuffleId={}, mapIndex={}, mapId={}, reduceId={}, message=\n{}\n)", bm,
            shuffle_id, *map_index, map_id, reduce_id, message);
      }
      return fmt::format("FetchFailed({}, shuffleId={}, mapId={}, reduceId={}, message=\n{}\n)", bm,
                         shuffle_id, map_id, reduce_id, message);
    }
    case TaskEndKind::kExceptionFailure: {
      if (full_stack_trace) return *full_stack_trace;
      std::string out = fmt::format("{}: {}\n", class_name, description);
      for (size_t i = 0; i < stack_trace.size(); ++i) {
        if (i > 0) out += '\n';
        out += "        ";
        out += FrameString(stack_trace[i]);
      }
      return out;
    }
    case TaskEndKind::kExecutorLostFailure: {
      std::string out = fmt::format("ExecutorLostFailure (executor {} exited {})", lost_executor_id,
                                    exit_caused_by_app ? "caused by one of the running tasks"
                                                       : "unrelated to the running tasks");
      if (loss_reason) out += " Reason: " + *loss_reason;
      return out;
    }
    case TaskEndKind::kTaskKilled:
      return fmt::format("TaskKilled ({})", kill_reason);
    case TaskEndKind::kTaskCommitDenied:
      return fmt::format(
          "TaskCommitDenied (Driver denied task commit) for job: {}, partition: {}, "
          "attemptNumber: {}",
          commit_job_id, commit_partition_id, commit_attempt_number);
    case TaskEndKind::kTaskResultLost:
      return "TaskResultLost (result lost from block manager)";
    case TaskEndKind::kResubmitted:
      return "Resubmitted (resubmitted due to lost executor)";
    case TaskEndKind::kUnknownReason:
      return "UnknownReason";
    case TaskEndKind::kOther:
      return raw_reason;
    case TaskEndKind::kRunning:
    case TaskEndKind::kSuccess:
      return "";
  }
  return "";
}

bool CountsTowardTaskFailures(const TaskFailure& f) {
  switch (f.kind) {
    case TaskEndKind::kExceptionFailure:
    case TaskEndKind::kTaskResultLost:
    case TaskEndKind::kUnknownReason:
    case TaskEndKind::kOther:
      return true;
    case TaskEndKind::kExecutorLostFailure:
      return f.exit_caused_by_app;
    default:
      return false;
  }
}

bool StreamingQuery::IsContinuous() const {
  if (continuous_epoch_jobs) return true;
  if (micro_batch_jobs || progress_events > 0) return false;
  // Continuous execution never reports progress; a query that ran jobs without any is one.
  return jobs > 0;
}

std::optional<std::string_view> Application::SparkConf(std::string_view key) const {
  for (auto it = spark_properties.rbegin(); it != spark_properties.rend(); ++it) {
    if (it->first == key) return std::string_view(it->second);
  }
  return std::nullopt;
}

const StageAttempt* Application::FindStage(int32_t stage_id, int32_t attempt) const {
  auto it = stages.find({stage_id, attempt});
  return it == stages.end() ? nullptr : &it->second;
}

}  // namespace sparkmedic
