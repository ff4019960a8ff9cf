// EventParser: task, stage and job events (the bulk of every log; TaskEnd is the hot path,
// see the PERF NOTES in event_parser.cc), with the nested shapes only they contain.
#include <charconv>
#include <memory>

#include "core/model/event_parser_internal.h"

namespace sparkmedic::event_parser_internal {

namespace {

// Walker plus the shapes of task, stage and job events: Task Info, task metrics, end reasons,
// accumulables, executor metrics, Stage Info, job properties.
//
// PERF NOTES: the shapes are file-local and defined in the class, in the file of their only
// callers, so the compiler may still inline those read once per line (Task Metrics, Shuffle
// Read Metrics, Task End Reason) into ParseTaskEnd, as when everything was in one file.
class TaskWalker : public Walker {
 public:
  using Walker::Walker;

  // `accs`: where to put the "Accumulables" (null: skip them).
  bool TaskInfo(od::value v, TaskInfoData* ti, Arena* arena,
                std::vector<Accumulable>* accs = nullptr) {
    od::object obj;
    if (auto e = v.get_object().get(obj)) return Fail("Task Info", e);
    bool saw_id = false;
    for (auto fr : obj) {
      od::field f;
      if (auto e = std::move(fr).get(f)) return Fail("Task Info", e);
      std::string_view k = RawKey(f);
      od::value fv = f.value();
      bool ok = true;
      if (k == "Task ID") {
        ok = Int(fv, &ti->task_id, "Task ID");
        saw_id = true;
      } else if (k == "Index") {
        ok = Int32(fv, &ti->index, "Index");
      } else if (k == "Attempt") {
        ok = Int32(fv, &ti->attempt, "Attempt");
      } else if (k == "Partition ID") {
        ok = Int32(fv, &ti->partition_id, "Partition ID");
      } else if (k == "Launch Time") {
        ok = Int(fv, &ti->launch_time, "Launch Time");
      } else if (k == "Executor ID") {
        ok = View(fv, &ti->executor_id, arena, "Executor ID");
      } else if (k == "Host") {
        ok = View(fv, &ti->host, arena, "Host");
      } else if (k == "Locality") {
        std::string_view s;
        if (auto e = fv.get_string().get(s)) return Fail("Locality", e);
        ti->locality = ParseLocalityName(s);
      } else if (k == "Speculative") {
        ok = Bool(fv, &ti->speculative, "Speculative");
      } else if (k == "Getting Result Time") {
        ok = Int(fv, &ti->getting_result_time, "Getting Result Time");
      } else if (k == "Finish Time") {
        ok = Int(fv, &ti->finish_time, "Finish Time");
      } else if (k == "Failed") {
        ok = Bool(fv, &ti->failed, "Failed");
      } else if (k == "Killed") {
        ok = Bool(fv, &ti->killed, "Killed");
      } else if (accs && k == "Accumulables") {
        ok = Accumulables(fv, accs);
      }
      if (!ok) return false;
    }
    if (!saw_id) return Missing("Task Info.Task ID");
    return true;
  }

  bool ShuffleReadMetrics(od::value v, TaskMetrics* m) {
    od::object obj;
    if (auto e = v.get_object().get(obj)) return Fail("Shuffle Read Metrics", e);
    for (auto fr : obj) {
      od::field f;
      if (auto e = std::move(fr).get(f)) return Fail("Shuffle Read Metrics", e);
      std::string_view k = RawKey(f);
      od::value fv = f.value();
      bool ok = true;
      if (k == "Remote Blocks Fetched")
        ok = U32(fv, &m->sr_remote_blocks_fetched, k);
      else if (k == "Local Blocks Fetched")
        ok = U32(fv, &m->sr_local_blocks_fetched, k);
      else if (k == "Fetch Wait Time")
        ok = U32(fv, &m->sr_fetch_wait_time, k);
      else if (k == "Remote Bytes Read")
        ok = Int(fv, &m->sr_remote_bytes_read, k);
      else if (k == "Remote Bytes Read To Disk")
        ok = Int(fv, &m->sr_remote_bytes_read_to_disk, k);
      else if (k == "Local Bytes Read")
        ok = Int(fv, &m->sr_local_bytes_read, k);
      else if (k == "Total Records Read")
        ok = Int(fv, &m->sr_records_read, k);
      else if (k == "Remote Requests Duration")
        ok = U32(fv, &m->sr_remote_reqs_duration, k);
      if (!ok) return false;
    }
    return true;
  }

  bool PairMetrics(od::value v, std::string_view where, std::string_view k1, int64_t* v1,
                   std::string_view k2, int64_t* v2, std::string_view k3 = {},
                   int64_t* v3 = nullptr) {
    od::object obj;
    if (auto e = v.get_object().get(obj)) return Fail(where, e);
    for (auto fr : obj) {
      od::field f;
      if (auto e = std::move(fr).get(f)) return Fail(where, e);
      std::string_view k = RawKey(f);
      od::value fv = f.value();
      bool ok = true;
      if (k == k1)
        ok = Int(fv, v1, k);
      else if (k == k2)
        ok = Int(fv, v2, k);
      else if (v3 && k == k3)
        ok = Int(fv, v3, k);
      if (!ok) return false;
    }
    return true;
  }

  // An "Executor Metrics" object: metric name → number; unknown names are skipped.
  bool ExecMetrics(od::value v, PeakExecutorMetrics* m, std::string_view where) {
    m->set = true;
    bool is_null = false;
    if (!v.is_null().get(is_null) && is_null) return true;
    od::object obj;
    if (auto e = v.get_object().get(obj)) return Fail(where, e);
    for (auto fr : obj) {
      od::field f;
      if (auto e = std::move(fr).get(f)) return Fail(where, e);
      std::string_view k = RawKey(f);
      for (int i = 0; i < kNumExecutorMetrics; ++i) {
        if (k == kExecutorMetricNames[i]) {
          if (!Int(f.value(), &m->values[static_cast<size_t>(i)], k)) return false;
          break;
        }
      }
    }
    return true;
  }

  bool Metrics(od::value v, TaskMetrics* m) {
    od::object obj;
    if (auto e = v.get_object().get(obj)) return Fail("Task Metrics", e);
    for (auto fr : obj) {
      od::field f;
      if (auto e = std::move(fr).get(f)) return Fail("Task Metrics", e);
      std::string_view k = RawKey(f);
      od::value fv = f.value();
      bool ok = true;
      if (k == "Executor Deserialize Time")
        ok = U32(fv, &m->executor_deserialize_time, k);
      else if (k == "Executor Deserialize CPU Time")
        ok = Int(fv, &m->executor_deserialize_cpu_time, k);
      else if (k == "Executor Run Time")
        ok = U32(fv, &m->executor_run_time, k);
      else if (k == "Executor CPU Time")
        ok = Int(fv, &m->executor_cpu_time, k);
      else if (k == "Peak Execution Memory")
        ok = Int(fv, &m->peak_execution_memory, k);
      else if (k == "Peak On Heap Execution Memory")
        ok = Int(fv, &m->peak_on_heap_execution_memory, k);
      else if (k == "Peak Off Heap Execution Memory")
        ok = Int(fv, &m->peak_off_heap_execution_memory, k);
      else if (k == "Result Size")
        ok = Int(fv, &m->result_size, k);
      else if (k == "JVM GC Time")
        ok = U32(fv, &m->jvm_gc_time, k);
      else if (k == "Result Serialization Time")
        ok = U32(fv, &m->result_serialization_time, k);
      else if (k == "Memory Bytes Spilled")
        ok = Int(fv, &m->memory_bytes_spilled, k);
      else if (k == "Disk Bytes Spilled")
        ok = Int(fv, &m->disk_bytes_spilled, k);
      else if (k == "Shuffle Read Metrics")
        ok = ShuffleReadMetrics(fv, m);
      else if (k == "Shuffle Write Metrics")
        ok = PairMetrics(fv, k, "Shuffle Bytes Written", &m->sw_bytes_written, "Shuffle Write Time",
                         &m->sw_write_time, "Shuffle Records Written", &m->sw_records_written);
      else if (k == "Input Metrics")
        ok = PairMetrics(fv, k, "Bytes Read", &m->input_bytes_read, "Records Read",
                         &m->input_records_read);
      else if (k == "Output Metrics")
        ok = PairMetrics(fv, k, "Bytes Written", &m->output_bytes_written, "Records Written",
                         &m->output_records_written);
      if (!ok) return false;
    }
    return true;
  }

  bool Frames(od::value v, std::vector<StackFrame>* out) {
    od::array arr;
    if (auto e = v.get_array().get(arr)) {
      bool is_null = false;
      if (!v.is_null().get(is_null) && is_null) return true;
      return Fail("Stack Trace", e);
    }
    for (auto er : arr) {
      od::object fo;
      if (auto e = er.get_object().get(fo)) return Fail("Stack Trace", e);
      StackFrame sf;
      for (auto fr : fo) {
        od::field f;
        if (auto e = std::move(fr).get(f)) return Fail("Stack Trace", e);
        std::string_view k = RawKey(f);
        od::value fv = f.value();
        bool ok = true;
        if (k == "Declaring Class")
          ok = Str(fv, &sf.declaring_class, k);
        else if (k == "Method Name")
          ok = Str(fv, &sf.method_name, k);
        else if (k == "File Name")
          ok = OptStr(fv, &sf.file_name, k);
        else if (k == "Line Number")
          ok = Int32(fv, &sf.line_number, k);
        if (!ok) return false;
      }
      out->push_back(std::move(sf));
    }
    return true;
  }

  bool BlockManagerAddress(od::value v, TaskFailure* tf) {
    bool is_null = false;
    if (!v.is_null().get(is_null) && is_null) return true;
    od::object obj;
    if (auto e = v.get_object().get(obj)) return Fail("Block Manager Address", e);
    tf->has_block_manager = true;
    for (auto fr : obj) {
      od::field f;
      if (auto e = std::move(fr).get(f)) return Fail("Block Manager Address", e);
      std::string_view k = RawKey(f);
      od::value fv = f.value();
      bool ok = true;
      if (k == "Executor ID")
        ok = Str(fv, &tf->bm_executor_id, k);
      else if (k == "Host")
        ok = Str(fv, &tf->bm_host, k);
      else if (k == "Port")
        ok = Int32(fv, &tf->bm_port, k);
      if (!ok) return false;
    }
    return true;
  }

  // Task End Reason → kind and, for non-success, a TaskFailure with Spark's read defaults.
  bool EndReason(od::value v, TaskEndEvent* ev) {
    od::object obj;
    if (auto e = v.get_object().get(obj)) return Fail("Task End Reason", e);
    auto tf = std::make_unique<TaskFailure>();
    std::string reason;
    bool saw_exec = false, saw_kill = false, saw_msg = false;
    for (auto fr : obj) {
      od::field f;
      if (auto e = std::move(fr).get(f)) return Fail("Task End Reason", e);
      std::string_view k = RawKey(f);
      od::value fv = f.value();
      bool ok = true;
      if (k == "Reason")
        ok = Str(fv, &reason, k);
      else if (k == "Class Name")
        ok = Str(fv, &tf->class_name, k);
      else if (k == "Description")
        ok = Str(fv, &tf->description, k);
      else if (k == "Stack Trace")
        ok = Frames(fv, &tf->stack_trace);
      else if (k == "Full Stack Trace")
        ok = OptStr(fv, &tf->full_stack_trace, k);
      else if (k == "Block Manager Address")
        ok = BlockManagerAddress(fv, tf.get());
      else if (k == "Shuffle ID")
        ok = Int32(fv, &tf->shuffle_id, k);
      else if (k == "Map ID")
        ok = Int(fv, &tf->map_id, k);
      else if (k == "Map Index") {
        int32_t mi = 0;
        ok = Int32(fv, &mi, k);
        tf->map_index = mi;
      } else if (k == "Reduce ID")
        ok = Int32(fv, &tf->reduce_id, k);
      else if (k == "Message") {
        ok = Str(fv, &tf->message, k);
        saw_msg = true;
      } else if (k == "Executor ID") {
        ok = Str(fv, &tf->lost_executor_id, k);
        saw_exec = true;
      } else if (k == "Exit Caused By App")
        ok = Bool(fv, &tf->exit_caused_by_app, k);
      else if (k == "Loss Reason")
        ok = OptStr(fv, &tf->loss_reason, k);
      else if (k == "Kill Reason") {
        ok = Str(fv, &tf->kill_reason, k);
        saw_kill = true;
      } else if (k == "Job ID")
        ok = Int32(fv, &tf->commit_job_id, k);
      else if (k == "Partition ID")
        ok = Int32(fv, &tf->commit_partition_id, k);
      else if (k == "Attempt Number")
        ok = Int32(fv, &tf->commit_attempt_number, k);
      if (!ok) return false;
    }
    if (reason.empty()) return Missing("Task End Reason.Reason");
    TaskEndKind kind = ParseReason(reason);
    ev->kind = kind;
    if (kind == TaskEndKind::kSuccess) return true;
    tf->kind = kind;
    if (kind == TaskEndKind::kOther) tf->raw_reason = reason;
    if (kind == TaskEndKind::kExecutorLostFailure && !saw_exec) tf->lost_executor_id = "Unknown";
    if (kind == TaskEndKind::kTaskKilled && !saw_kill) tf->kill_reason = "unknown reason";
    if (kind == TaskEndKind::kFetchFailed && !saw_msg) tf->message = "Unknown reason";
    ev->failure = std::move(tf);
    return true;
  }

  static TaskEndKind ParseReason(std::string_view r) {
    if (r == "Success") return TaskEndKind::kSuccess;
    if (r == "Resubmitted") return TaskEndKind::kResubmitted;
    if (r == "TaskResultLost") return TaskEndKind::kTaskResultLost;
    if (r == "UnknownReason") return TaskEndKind::kUnknownReason;
    if (r == "FetchFailed") return TaskEndKind::kFetchFailed;
    if (r == "ExceptionFailure") return TaskEndKind::kExceptionFailure;
    if (r == "TaskCommitDenied") return TaskEndKind::kTaskCommitDenied;
    if (r == "ExecutorLostFailure") return TaskEndKind::kExecutorLostFailure;
    if (r == "TaskKilled") return TaskEndKind::kTaskKilled;
    return TaskEndKind::kOther;
  }

  bool Accumulables(od::value v, std::vector<Accumulable>* out) {
    od::array arr;
    if (auto e = v.get_array().get(arr)) return Fail("Accumulables", e);
    for (auto er : arr) {
      od::object ao;
      if (auto e = er.get_object().get(ao)) return Fail("Accumulables", e);
      Accumulable a;
      for (auto fr : ao) {
        od::field f;
        if (auto e = std::move(fr).get(f)) return Fail("Accumulables", e);
        std::string_view k = RawKey(f);
        od::value fv = f.value();
        bool ok = true;
        if (k == "ID")
          ok = Int(fv, &a.id, k);
        else if (k == "Name")
          ok = Str(fv, &a.name, k);
        else if (k == "Value") {
          od::json_type t;
          if (auto e = fv.type().get(t)) return Fail("Accumulables.Value", e);
          // updatedBlockStatuses values are arrays: not kept.
          if (t != od::json_type::array && t != od::json_type::object)
            ok = ScalarText(fv, &a.value, k);
        } else if (k == "Update") {
          od::json_type t;
          if (auto e = fv.type().get(t)) return Fail("Accumulables.Update", e);
          if (t != od::json_type::array && t != od::json_type::object) {
            a.update.emplace();
            ok = ScalarText(fv, &*a.update, k);
          }
        } else if (k == "Internal") {
          ok = Bool(fv, &a.internal, k);
        } else if (k == "Metadata") {
          std::string_view md;
          if (!fv.get_string().get(md)) a.sql = md == "sql";
        }
        if (!ok) return false;
      }
      out->push_back(std::move(a));
    }
    return true;
  }

  // `persisted_rdds`: also read which RDDs are persisted (only StageSubmitted needs them;
  // AppStatusListener.onStageSubmitted is where a LiveRDD starts).
  bool StageInfo(od::value v, StageInfoData* si, bool persisted_rdds = false) {
    od::object obj;
    if (auto e = v.get_object().get(obj)) return Fail("Stage Info", e);
    bool saw_id = false;
    for (auto fr : obj) {
      od::field f;
      if (auto e = std::move(fr).get(f)) return Fail("Stage Info", e);
      std::string_view k = RawKey(f);
      od::value fv = f.value();
      bool ok = true;
      if (k == "Stage ID") {
        ok = Int32(fv, &si->stage_id, k);
        saw_id = true;
      } else if (k == "Stage Attempt ID")
        ok = Int32(fv, &si->attempt_id, k);
      else if (k == "Stage Name")
        ok = Str(fv, &si->name, k);
      else if (k == "Number of Tasks")
        ok = Int32(fv, &si->num_tasks, k);
      else if (k == "RDD Info")
        ok = RddIds(fv, si, persisted_rdds);
      else if (k == "Parent IDs")
        ok = IntArray(fv, &si->parent_ids, k);
      else if (k == "Details")
        ok = Str(fv, &si->details, k);
      else if (k == "Submission Time") {
        int64_t t = kNoTime;
        ok = Int(fv, &t, k);
        si->submission_time = t;
      } else if (k == "Completion Time") {
        int64_t t = kNoTime;
        ok = Int(fv, &t, k);
        si->completion_time = t;
      } else if (k == "Failure Reason")
        ok = OptStr(fv, &si->failure_reason, k);
      else if (k == "Accumulables")
        ok = Accumulables(fv, &si->accumulables);
      else if (k == "Resource Profile Id")
        ok = Int32(fv, &si->resource_profile_id, k);
      if (!ok) return false;
    }
    if (!saw_id) return Missing("Stage Info.Stage ID");
    return true;
  }

  // The ids of the "RDD Info" list, and with `persisted` the RDDs whose storage level is valid.
  // PERF NOTES: every stage info repeats its RDD infos and few are persisted, so levels are
  // read only for StageSubmitted (JobStart and StageCompleted repeat the same infos); without
  // `persisted` the walk stops at "RDD ID" (Spark writes it first; the rest is skipped by the
  // structural index), and the name is copied only for a valid level.
  bool RddIds(od::value v, StageInfoData* si, bool persisted) {
    od::array arr;
    if (auto e = v.get_array().get(arr)) return Fail("RDD Info", e);
    for (auto er : arr) {
      od::object ro;
      if (auto e = er.get_object().get(ro)) return Fail("RDD Info", e);
      // One pass over the fields (repeated find_field_unordered on a broken object wraps
      // around into code simdjson only allows on validated JSON: fuzz_event_log). The name
      // comes before the level in Spark's order, so it is held as a view (valid until the next
      // line) and copied only for an RDD with a valid level.
      int32_t id = -1;
      bool saw_id = false, saw_level = false;
      CachedRddInfo info;
      std::string_view name;
      for (auto fr : ro) {
        od::field f;
        if (auto e = std::move(fr).get(f)) return Fail("RDD Info", e);
        std::string_view k = RawKey(f);
        bool ok = true;
        if (k == "RDD ID") {
          ok = Int32(f.value(), &id, "RDD ID");
          saw_id = true;
          if (ok && !persisted) break;
        } else if (!persisted) {
          continue;
        } else if (k == "Storage Level") {
          ok = Level(f.value(), &info.level, "RDD Info.Storage Level");
          saw_level = true;
        } else if (k == "Number of Partitions") {
          ok = Int32(f.value(), &info.num_partitions, "Number of Partitions");
        } else if (k == "Name") {
          if (auto e = f.value().get_string().get(name)) return Fail("RDD Info.Name", e);
        }
        if (!ok) return false;
      }
      if (!saw_id) return Missing("RDD Info.RDD ID");
      si->rdd_ids.push_back(id);
      if (!persisted || !saw_level || !info.level.IsValid()) continue;
      info.id = id;
      info.name = std::string(name);
      si->cached_rdds.push_back(std::move(info));
    }
    return true;
  }

  bool Props(od::value v, JobProperties* p) {
    od::object obj;
    if (auto e = v.get_object().get(obj)) {
      bool is_null = false;
      if (!v.is_null().get(is_null) && is_null) return true;
      return Fail("Properties", e);
    }
    for (auto fr : obj) {
      od::field f;
      if (auto e = std::move(fr).get(f)) return Fail("Properties", e);
      std::string_view k = RawKey(f);
      od::value fv = f.value();
      bool ok = true;
      if (k == "spark.sql.execution.id") {
        std::string s;
        ok = Str(fv, &s, k);
        int64_t id;
        auto r = std::from_chars(s.data(), s.data() + s.size(), id);
        if (ok && r.ec == std::errc()) p->sql_execution_id = id;
      } else if (k == "spark.jobGroup.id")
        ok = OptStr(fv, &p->job_group, k);
      else if (k == "spark.job.description")
        ok = OptStr(fv, &p->description, k);
      else if (k == "spark.scheduler.pool")
        ok = OptStr(fv, &p->scheduling_pool, k);
      else if (k.find("streaming") != std::string_view::npos ||
               k.find("epoch") != std::string_view::npos) {
        std::string s;
        ok = Str(fv, &s, k);
        p->streaming.emplace_back(std::string(k), std::move(s));
      }
      if (!ok) return false;
    }
    return true;
  }
};

}  // namespace

ParseOutcome ParseTaskEnd(const EventLine& line) {
  TaskWalker w(line.error);
  TaskEndEvent ev;
  bool saw_info = false, saw_reason = false, saw_stage = false;
  bool ok = w.Each(line.obj, [&](std::string_view k, od::value v) {
    if (k == "Stage ID") return saw_stage = true, w.Int32(v, &ev.stage_id, k);
    if (k == "Stage Attempt ID") return w.Int32(v, &ev.stage_attempt, k);
    if (k == "Task Type") {
      std::string_view s;
      if (auto e = v.get_string().get(s)) return w.Fail(k, e);
      ev.shuffle_map_task = s == "ShuffleMapTask";
      return true;
    }
    if (k == "Task End Reason") return saw_reason = true, w.EndReason(v, &ev);
    if (k == "Task Info") {
      saw_info = true;
      return w.TaskInfo(v, &ev.info, line.arena,
                        line.keep_task_accumulables ? &ev.accumulables : nullptr);
    }
    if (k == "Task Executor Metrics" && line.keep_executor_metrics) {
      if (!ev.executor_metrics) ev.executor_metrics = std::make_unique<PeakExecutorMetrics>();
      return w.ExecMetrics(v, ev.executor_metrics.get(), k);
    }
    if (k == "Task Metrics") {
      bool is_null = false;
      if (!v.is_null().get(is_null) && is_null) return true;
      ev.has_metrics = true;
      return w.Metrics(v, &ev.metrics);
    }
    return true;
  });
  if (ok && !saw_stage) ok = w.Missing("Stage ID");
  if (ok && line.keep_executor_metrics) {  // zeros when absent, as Spark's JsonProtocol
    if (!ev.executor_metrics) ev.executor_metrics = std::make_unique<PeakExecutorMetrics>();
    ev.executor_metrics->set = true;
  }
  if (ok && !saw_reason) ok = w.Missing("Task End Reason");
  if (ok && !saw_info) ok = w.Missing("Task Info");
  if (ok) *line.out = std::move(ev);
  return w.Finish(ok);
}

ParseOutcome ParseTaskStart(const EventLine& line, Kind kind) {
  TaskWalker w(line.error);
  TaskStartEvent ev;
  bool saw_info = false;
  bool ok = w.Each(line.obj, [&](std::string_view k, od::value v) {
    if (k == "Stage ID") return w.Int32(v, &ev.stage_id, k);
    if (k == "Stage Attempt ID") return w.Int32(v, &ev.stage_attempt, k);
    if (k == "Task Info") return saw_info = true, w.TaskInfo(v, &ev.info, line.arena);
    return true;
  });
  if (ok && !saw_info) ok = w.Missing("Task Info");
  if (ok) {
    if (kind == Kind::kTaskStart) {
      *line.out = std::move(ev);
    } else {
      *line.out = TaskGettingResultEvent{ev.info};
    }
  }
  return w.Finish(ok);
}

ParseOutcome ParseStage(const EventLine& line, Kind kind) {
  TaskWalker w(line.error);
  StageSubmittedEvent ev;
  bool saw_info = false;
  // AppStatusListener starts a LiveRDD only at StageSubmitted.
  const bool persisted_rdds = kind == Kind::kStageSubmitted;
  bool ok = w.Each(line.obj, [&](std::string_view k, od::value v) {
    if (k == "Stage Info") return saw_info = true, w.StageInfo(v, &ev.info, persisted_rdds);
    if (k == "Properties") return w.Props(v, &ev.properties);
    return true;
  });
  if (ok && !saw_info) ok = w.Missing("Stage Info");
  if (ok) {
    if (kind == Kind::kStageSubmitted) {
      *line.out = std::move(ev);
    } else {
      *line.out = StageCompletedEvent{std::move(ev.info)};
    }
  }
  return w.Finish(ok);
}

ParseOutcome ParseStageExecutorMetrics(const EventLine& line) {
  TaskWalker w(line.error);
  StageExecutorMetricsEvent ev;
  bool ok = w.Each(line.obj, [&](std::string_view k, od::value v) {
    if (k == "Stage ID" || k == "stageId") return w.Int32(v, &ev.stage_id, k);
    if (k == "Stage Attempt ID" || k == "stageAttemptId") return w.Int32(v, &ev.stage_attempt, k);
    if (k == "Executor ID" || k == "execId") return w.Str(v, &ev.executor_id, k);
    if (k == "Executor Metrics" || k == "executorMetrics") return w.ExecMetrics(v, &ev.metrics, k);
    return true;
  });
  if (ok) *line.out = std::move(ev);
  return w.Finish(ok);
}

ParseOutcome ParseJobStart(const EventLine& line) {
  TaskWalker w(line.error);
  JobStartEvent ev;
  bool saw_id = false;
  bool ok = w.Each(line.obj, [&](std::string_view k, od::value v) {
    if (k == "Job ID") return saw_id = true, w.Int32(v, &ev.job_id, k);
    if (k == "Submission Time") return w.Int(v, &ev.time, k);
    if (k == "Stage Infos") {
      od::array arr;
      if (auto e = v.get_array().get(arr)) return w.Fail(k, e);
      for (auto er : arr) {
        od::value sv;
        if (auto e = std::move(er).get(sv)) return w.Fail(k, e);
        StageInfoData si;
        if (!w.StageInfo(sv, &si)) return false;
        ev.stage_infos.push_back(std::move(si));
      }
      return true;
    }
    if (k == "Stage IDs") return w.IntArray(v, &ev.stage_ids, k);
    if (k == "Properties") return w.Props(v, &ev.properties);
    return true;
  });
  if (ok && !saw_id) ok = w.Missing("Job ID");
  if (ok) *line.out = std::move(ev);
  return w.Finish(ok);
}

ParseOutcome ParseJobEnd(const EventLine& line) {
  TaskWalker w(line.error);
  JobEndEvent ev;
  bool saw_id = false;
  bool ok = w.Each(line.obj, [&](std::string_view k, od::value v) {
    if (k == "Job ID") return saw_id = true, w.Int32(v, &ev.job_id, k);
    if (k == "Completion Time") return w.Int(v, &ev.time, k);
    if (k == "Job Result") {
      od::object ro;
      if (auto e = v.get_object().get(ro)) return w.Fail(k, e);
      for (auto fr : ro) {
        od::field f;
        if (auto e = std::move(fr).get(f)) return w.Fail(k, e);
        std::string_view rk = RawKey(f);
        if (rk == "Result") {
          if (!w.Str(f.value(), &ev.result, rk)) return false;
        } else if (rk == "Exception") {
          od::object eo;
          if (auto e = f.value().get_object().get(eo)) return w.Fail(rk, e);
          od::value mv;
          bool found = false;
          if (!w.FindField(eo, "Message", &mv, &found, "Job Result.Exception.Message"))
            return false;
          if (found && !w.OptStr(mv, &ev.exception_message, "Message")) return false;
        }
      }
      ev.succeeded = ev.result == "JobSucceeded";
      return true;
    }
    return true;
  });
  if (ok && !saw_id) ok = w.Missing("Job ID");
  if (ok) *line.out = std::move(ev);
  return w.Finish(ok);
}

}  // namespace sparkmedic::event_parser_internal
