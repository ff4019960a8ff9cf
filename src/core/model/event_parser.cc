// EventParser implementation.
//
// PERF NOTES: this is the hot path of every command. Objects are walked once, in document
// order, dispatching on the raw key text (Spark's keys never contain escapes), so no key is
// unescaped or looked up twice. Values we do not need are never touched: On-Demand skips them
// using the structural index built in stage 1. TaskEnd lines are 60-90% accumulables and
// executor metrics, all skipped. Strings are unescaped only when kept.
#include "core/model/event_parser.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include <fmt/format.h>

namespace sparkmedic {

namespace od = simdjson::ondemand;
using simdjson::error_code;

namespace {

// The raw text of a key (between the quotes); Spark's keys have no escapes.
inline std::string_view RawKey(od::field& f) {
  const char* p = f.key().raw();
  const char* q = p;
  while (*q != '"') {
    if (*q == '\\') ++q;  // never in Spark keys; stay safe anyway
    ++q;
  }
  return std::string_view(p, static_cast<size_t>(q - p));
}

// Simple name of an event class: text after the last '.' and '$'.
std::string_view SimpleName(std::string_view name) {
  size_t cut = name.find_last_of(".$");
  return cut == std::string_view::npos ? name : name.substr(cut + 1);
}

class Walker {
 public:
  explicit Walker(std::string* error) : error_(error) {}

  bool Fail(std::string_view where, error_code e) {
    if (error_->empty()) *error_ = fmt::format("{}: {}", where, simdjson::error_message(e));
    return false;
  }
  bool Missing(std::string_view what) {
    missing_ = true;
    if (error_->empty()) *error_ = fmt::format("missing field \"{}\"", what);
    return false;
  }
  bool missing() const { return missing_; }

  // Reads an integer; accepts floating-point numbers (truncated) and numeric strings, which
  // some writers produce.
  bool Int(od::value v, int64_t* out, std::string_view where) {
    int64_t i;
    error_code e = v.get_int64().get(i);
    if (!e) {
      *out = i;
      return true;
    }
    double d;
    if (!v.get_double().get(d)) {
      *out = static_cast<int64_t>(d);
      return true;
    }
    uint64_t u;
    if (!v.get_uint64().get(u)) {
      *out = static_cast<int64_t>(u);
      return true;
    }
    std::string_view s;
    if (!v.get_string().get(s)) {
      auto r = std::from_chars(s.data(), s.data() + s.size(), i);
      if (r.ec == std::errc()) {
        *out = i;
        return true;
      }
    }
    bool is_null = false;
    if (!v.is_null().get(is_null) && is_null) return true;  // keep the default
    return Fail(where, e);
  }
  bool Int32(od::value v, int32_t* out, std::string_view where) {
    int64_t i = *out;
    if (!Int(v, &i, where)) return false;
    *out = static_cast<int32_t>(i);
    return true;
  }
  bool U32(od::value v, uint32_t* out, std::string_view where) {
    int64_t i = *out;
    if (!Int(v, &i, where)) return false;
    *out = static_cast<uint32_t>(i < 0 ? 0 : (i > 0xFFFFFFFFLL ? 0xFFFFFFFFLL : i));
    return true;
  }
  bool Bool(od::value v, bool* out, std::string_view where) {
    error_code e = v.get_bool().get(*out);
    if (!e) return true;
    bool is_null = false;
    if (!v.is_null().get(is_null) && is_null) return true;
    return Fail(where, e);
  }
  // A string; JSON null gives nullopt.
  bool OptStr(od::value v, std::optional<std::string>* out, std::string_view where) {
    bool is_null = false;
    if (!v.is_null().get(is_null) && is_null) {
      out->reset();
      return true;
    }
    std::string_view s;
    error_code e = v.get_string().get(s);
    if (e) {
      // Numbers or other scalars where a string is expected: keep their text.
      std::string_view raw = v.raw_json_token();
      *out = std::string(TrimRight(raw));
      return true;
    }
    *out = std::string(s);
    return true;
  }
  bool Str(od::value v, std::string* out, std::string_view where) {
    std::optional<std::string> o;
    if (!OptStr(v, &o, where)) return false;
    *out = o ? std::move(*o) : std::string();
    return true;
  }
  bool View(od::value v, std::string_view* out, Arena* arena, std::string_view where) {
    std::string_view s;
    error_code e = v.get_string().get(s);
    if (e) {
      bool is_null = false;
      if (!v.is_null().get(is_null) && is_null) {
        *out = {};
        return true;
      }
      return Fail(where, e);
    }
    *out = arena->Copy(s);
    return true;
  }
  // A JSON object of string → scalar.
  bool StringMap(od::value v, std::vector<std::pair<std::string, std::string>>* out,
                 std::string_view where) {
    od::object obj;
    if (auto e = v.get_object().get(obj)) {
      bool is_null = false;
      if (!v.is_null().get(is_null) && is_null) return true;
      return Fail(where, e);
    }
    for (auto fr : obj) {
      od::field f;
      if (auto e = std::move(fr).get(f)) return Fail(where, e);
      std::string_view k;
      if (auto e = f.unescaped_key().get(k)) return Fail(where, e);
      std::string key(k);
      std::string val;
      if (!Str(f.value(), &val, where)) return false;
      out->emplace_back(std::move(key), std::move(val));
    }
    return true;
  }
  bool IntArray(od::value v, std::vector<int32_t>* out, std::string_view where) {
    od::array arr;
    if (auto e = v.get_array().get(arr)) return Fail(where, e);
    for (auto er : arr) {
      od::value ev;
      if (auto e = std::move(er).get(ev)) return Fail(where, e);
      int32_t x = 0;
      if (!Int32(ev, &x, where)) return false;
      out->push_back(x);
    }
    return true;
  }
  // The raw text of a scalar (for accumulable values), strings unescaped.
  bool ScalarText(od::value v, std::string* out, std::string_view where) {
    od::json_type t;
    if (auto e = v.type().get(t)) return Fail(where, e);
    if (t == od::json_type::string) return Str(v, out, where);
    std::string_view raw = v.raw_json_token();
    *out = std::string(TrimRight(raw));
    return true;
  }

  static std::string_view TrimRight(std::string_view s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' ||
                          s.back() == '\t' || s.back() == ',' || s.back() == '}' ||
                          s.back() == ']')) {
      s.remove_suffix(1);
    }
    return s;
  }

  // ---- nested shapes ----

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
      if (k == "Remote Blocks Fetched") ok = U32(fv, &m->sr_remote_blocks_fetched, k);
      else if (k == "Local Blocks Fetched") ok = U32(fv, &m->sr_local_blocks_fetched, k);
      else if (k == "Fetch Wait Time") ok = U32(fv, &m->sr_fetch_wait_time, k);
      else if (k == "Remote Bytes Read") ok = Int(fv, &m->sr_remote_bytes_read, k);
      else if (k == "Remote Bytes Read To Disk") ok = Int(fv, &m->sr_remote_bytes_read_to_disk, k);
      else if (k == "Local Bytes Read") ok = Int(fv, &m->sr_local_bytes_read, k);
      else if (k == "Total Records Read") ok = Int(fv, &m->sr_records_read, k);
      else if (k == "Remote Requests Duration") ok = U32(fv, &m->sr_remote_reqs_duration, k);
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
      if (k == k1) ok = Int(fv, v1, k);
      else if (k == k2) ok = Int(fv, v2, k);
      else if (v3 && k == k3) ok = Int(fv, v3, k);
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
      if (k == "Executor Deserialize Time") ok = U32(fv, &m->executor_deserialize_time, k);
      else if (k == "Executor Deserialize CPU Time") ok = Int(fv, &m->executor_deserialize_cpu_time, k);
      else if (k == "Executor Run Time") ok = U32(fv, &m->executor_run_time, k);
      else if (k == "Executor CPU Time") ok = Int(fv, &m->executor_cpu_time, k);
      else if (k == "Peak Execution Memory") ok = Int(fv, &m->peak_execution_memory, k);
      else if (k == "Peak On Heap Execution Memory") ok = Int(fv, &m->peak_on_heap_execution_memory, k);
      else if (k == "Peak Off Heap Execution Memory") ok = Int(fv, &m->peak_off_heap_execution_memory, k);
      else if (k == "Result Size") ok = Int(fv, &m->result_size, k);
      else if (k == "JVM GC Time") ok = U32(fv, &m->jvm_gc_time, k);
      else if (k == "Result Serialization Time") ok = U32(fv, &m->result_serialization_time, k);
      else if (k == "Memory Bytes Spilled") ok = Int(fv, &m->memory_bytes_spilled, k);
      else if (k == "Disk Bytes Spilled") ok = Int(fv, &m->disk_bytes_spilled, k);
      else if (k == "Shuffle Read Metrics") ok = ShuffleReadMetrics(fv, m);
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
        if (k == "Declaring Class") ok = Str(fv, &sf.declaring_class, k);
        else if (k == "Method Name") ok = Str(fv, &sf.method_name, k);
        else if (k == "File Name") ok = OptStr(fv, &sf.file_name, k);
        else if (k == "Line Number") ok = Int32(fv, &sf.line_number, k);
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
      if (k == "Executor ID") ok = Str(fv, &tf->bm_executor_id, k);
      else if (k == "Host") ok = Str(fv, &tf->bm_host, k);
      else if (k == "Port") ok = Int32(fv, &tf->bm_port, k);
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
      if (k == "Reason") ok = Str(fv, &reason, k);
      else if (k == "Class Name") ok = Str(fv, &tf->class_name, k);
      else if (k == "Description") ok = Str(fv, &tf->description, k);
      else if (k == "Stack Trace") ok = Frames(fv, &tf->stack_trace);
      else if (k == "Full Stack Trace") ok = OptStr(fv, &tf->full_stack_trace, k);
      else if (k == "Block Manager Address") ok = BlockManagerAddress(fv, tf.get());
      else if (k == "Shuffle ID") ok = Int32(fv, &tf->shuffle_id, k);
      else if (k == "Map ID") ok = Int(fv, &tf->map_id, k);
      else if (k == "Map Index") {
        int32_t mi = 0;
        ok = Int32(fv, &mi, k);
        tf->map_index = mi;
      } else if (k == "Reduce ID") ok = Int32(fv, &tf->reduce_id, k);
      else if (k == "Message") {
        ok = Str(fv, &tf->message, k);
        saw_msg = true;
      } else if (k == "Executor ID") {
        ok = Str(fv, &tf->lost_executor_id, k);
        saw_exec = true;
      } else if (k == "Exit Caused By App") ok = Bool(fv, &tf->exit_caused_by_app, k);
      else if (k == "Loss Reason") ok = OptStr(fv, &tf->loss_reason, k);
      else if (k == "Kill Reason") {
        ok = Str(fv, &tf->kill_reason, k);
        saw_kill = true;
      } else if (k == "Job ID") ok = Int32(fv, &tf->commit_job_id, k);
      else if (k == "Partition ID") ok = Int32(fv, &tf->commit_partition_id, k);
      else if (k == "Attempt Number") ok = Int32(fv, &tf->commit_attempt_number, k);
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
        if (k == "ID") ok = Int(fv, &a.id, k);
        else if (k == "Name") ok = Str(fv, &a.name, k);
        else if (k == "Value") {
          od::json_type t;
          if (auto e = fv.type().get(t)) return Fail("Accumulables.Value", e);
          // updatedBlockStatuses values are arrays: not kept.
          if (t != od::json_type::array && t != od::json_type::object) ok = ScalarText(fv, &a.value, k);
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

  bool StageInfo(od::value v, StageInfoData* si) {
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
      } else if (k == "Stage Attempt ID") ok = Int32(fv, &si->attempt_id, k);
      else if (k == "Stage Name") ok = Str(fv, &si->name, k);
      else if (k == "Number of Tasks") ok = Int32(fv, &si->num_tasks, k);
      else if (k == "RDD Info") ok = RddIds(fv, &si->rdd_ids);
      else if (k == "Parent IDs") ok = IntArray(fv, &si->parent_ids, k);
      else if (k == "Details") ok = Str(fv, &si->details, k);
      else if (k == "Submission Time") {
        int64_t t = kNoTime;
        ok = Int(fv, &t, k);
        si->submission_time = t;
      } else if (k == "Completion Time") {
        int64_t t = kNoTime;
        ok = Int(fv, &t, k);
        si->completion_time = t;
      } else if (k == "Failure Reason") ok = OptStr(fv, &si->failure_reason, k);
      else if (k == "Accumulables") ok = Accumulables(fv, &si->accumulables);
      else if (k == "Resource Profile Id") ok = Int32(fv, &si->resource_profile_id, k);
      if (!ok) return false;
    }
    if (!saw_id) return Missing("Stage Info.Stage ID");
    return true;
  }

  bool RddIds(od::value v, std::vector<int32_t>* out) {
    od::array arr;
    if (auto e = v.get_array().get(arr)) return Fail("RDD Info", e);
    for (auto er : arr) {
      od::object ro;
      if (auto e = er.get_object().get(ro)) return Fail("RDD Info", e);
      od::value idv;
      if (auto e = ro.find_field_unordered("RDD ID").get(idv)) return Fail("RDD Info.RDD ID", e);
      int32_t id = -1;
      if (!Int32(idv, &id, "RDD ID")) return false;
      out->push_back(id);
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
      } else if (k == "spark.jobGroup.id") ok = OptStr(fv, &p->job_group, k);
      else if (k == "spark.job.description") ok = OptStr(fv, &p->description, k);
      else if (k == "spark.scheduler.pool") ok = OptStr(fv, &p->scheduling_pool, k);
      else if (k.find("streaming") != std::string_view::npos || k.find("epoch") != std::string_view::npos) {
        std::string s;
        ok = Str(fv, &s, k);
        p->streaming.emplace_back(std::string(k), std::move(s));
      }
      if (!ok) return false;
    }
    return true;
  }

  // Collects distinct "nodeName"s of a sparkPlanInfo tree (children recursively).
  bool PlanNodes(od::value v, std::vector<std::string>* out, int depth) {
    if (depth > 200) return true;  // absurdly deep plans: keep what we have
    od::object obj;
    if (auto e = v.get_object().get(obj)) return Fail("sparkPlanInfo", e);
    for (auto fr : obj) {
      od::field f;
      if (auto e = std::move(fr).get(f)) return Fail("sparkPlanInfo", e);
      std::string_view k = RawKey(f);
      if (k == "nodeName") {
        std::string name;
        if (!Str(f.value(), &name, k)) return false;
        if (std::find(out->begin(), out->end(), name) == out->end()) out->push_back(std::move(name));
      } else if (k == "children") {
        od::array arr;
        if (auto e = f.value().get_array().get(arr)) return Fail("sparkPlanInfo.children", e);
        for (auto er : arr) {
          od::value cv;
          if (auto e = std::move(er).get(cv)) return Fail("sparkPlanInfo.children", e);
          if (!PlanNodes(cv, out, depth + 1)) return false;
        }
      }
    }
    return true;
  }

 private:
  std::string* error_;
  bool missing_ = false;
};

}  // namespace

struct EventParser::Impl {
  od::parser parser;
};

EventParser::EventParser() : impl_(std::make_unique<Impl>()) {}
EventParser::~EventParser() = default;

namespace {

// Dispatch table from simple event name to a parse routine.
enum class Kind {
  kIgnored, kUnknown, kLogStart, kAppStart, kAppEnd, kEnv, kResourceProfile, kExecAdded,
  kExecRemoved, kBmAdded, kBmRemoved, kJobStart, kJobEnd, kStageSubmitted, kStageCompleted,
  kTaskStart, kTaskGettingResult, kTaskEnd, kExclusion, kSqlStart, kSqlPlanUpdate, kSqlEnd,
  kQueryStarted,
  kQueryProgress, kQueryTerminated,
};

struct ExclusionName {
  std::string_view name;
  ExclusionKind kind;
  bool legacy;
};
constexpr ExclusionName kExclusionNames[] = {
    {"SparkListenerExecutorExcluded", ExclusionKind::kExecutorExcluded, false},
    {"SparkListenerExecutorBlacklisted", ExclusionKind::kExecutorExcluded, true},
    {"SparkListenerExecutorUnexcluded", ExclusionKind::kExecutorUnexcluded, false},
    {"SparkListenerExecutorUnblacklisted", ExclusionKind::kExecutorUnexcluded, true},
    {"SparkListenerExecutorExcludedForStage", ExclusionKind::kExecutorExcludedForStage, false},
    {"SparkListenerExecutorBlacklistedForStage", ExclusionKind::kExecutorExcludedForStage, true},
    {"SparkListenerNodeExcluded", ExclusionKind::kNodeExcluded, false},
    {"SparkListenerNodeBlacklisted", ExclusionKind::kNodeExcluded, true},
    {"SparkListenerNodeUnexcluded", ExclusionKind::kNodeUnexcluded, false},
    {"SparkListenerNodeUnblacklisted", ExclusionKind::kNodeUnexcluded, true},
    {"SparkListenerNodeExcludedForStage", ExclusionKind::kNodeExcludedForStage, false},
    {"SparkListenerNodeBlacklistedForStage", ExclusionKind::kNodeExcludedForStage, true},
};

// Events Spark (or common plugins) write that the model does not need.
constexpr std::string_view kIgnoredNames[] = {
    "SparkListenerExecutorMetricsUpdate",
    "SparkListenerStageExecutorMetrics",
    "SparkListenerBlockUpdated",
    "SparkListenerUnpersistRDD",
    "SparkListenerSQLAdaptiveSQLMetricUpdates",
    "SparkListenerDriverAccumUpdates",
    "SparkListenerSpeculativeTaskSubmitted",
    "SparkListenerUnschedulableTaskSetAdded",
    "SparkListenerUnschedulableTaskSetRemoved",
    "SparkListenerMiscellaneousProcessAdded",
    "SparkListenerExecutorBlacklistedForStage_",  // placeholder never matched
    "QueryIdleEvent",
    "SparkListenerApplicationEnvironmentUpdate",
    "SparkListenerResourceProfileRemoved",
    "SparkListenerTaskResubmitted",
    "SparkListenerSQLExecutionEvent",
    "SparkListenerEffectiveSQLConf",
    "SparkRapidsBuildInfoEvent",
    "SparkListenerJobTagsUpdate",
};

Kind Classify(std::string_view simple, ExclusionKind* ek, bool* legacy) {
  static const std::pair<std::string_view, Kind> kTable[] = {
      {"SparkListenerTaskEnd", Kind::kTaskEnd},
      {"SparkListenerTaskStart", Kind::kTaskStart},
      {"SparkListenerTaskGettingResult", Kind::kTaskGettingResult},
      {"SparkListenerStageSubmitted", Kind::kStageSubmitted},
      {"SparkListenerStageCompleted", Kind::kStageCompleted},
      {"SparkListenerJobStart", Kind::kJobStart},
      {"SparkListenerJobEnd", Kind::kJobEnd},
      {"SparkListenerLogStart", Kind::kLogStart},
      {"SparkListenerApplicationStart", Kind::kAppStart},
      {"SparkListenerApplicationEnd", Kind::kAppEnd},
      {"SparkListenerEnvironmentUpdate", Kind::kEnv},
      {"SparkListenerResourceProfileAdded", Kind::kResourceProfile},
      {"SparkListenerExecutorAdded", Kind::kExecAdded},
      {"SparkListenerExecutorRemoved", Kind::kExecRemoved},
      {"SparkListenerBlockManagerAdded", Kind::kBmAdded},
      {"SparkListenerBlockManagerRemoved", Kind::kBmRemoved},
      {"SparkListenerSQLExecutionStart", Kind::kSqlStart},
      {"SparkListenerSQLExecutionEnd", Kind::kSqlEnd},
      {"SparkListenerSQLAdaptiveExecutionUpdate", Kind::kSqlPlanUpdate},
      {"QueryStartedEvent", Kind::kQueryStarted},
      {"QueryProgressEvent", Kind::kQueryProgress},
      {"QueryTerminatedEvent", Kind::kQueryTerminated},
  };
  for (const auto& [name, kind] : kTable) {
    if (simple == name) return kind;
  }
  for (const auto& x : kExclusionNames) {
    if (simple == x.name) {
      *ek = x.kind;
      *legacy = x.legacy;
      return Kind::kExclusion;
    }
  }
  for (std::string_view n : kIgnoredNames) {
    if (simple == n) return Kind::kIgnored;
  }
  return Kind::kUnknown;
}

}  // namespace

ParseOutcome EventParser::Parse(const char* data, size_t len, size_t capacity, Arena* arena,
                                EventPayload* out, std::string* error) {
  error->clear();
  Walker w(error);
  od::document doc;
  if (auto e = impl_->parser.iterate(data, len, capacity).get(doc)) {
    w.Fail("invalid JSON", e);
    return ParseOutcome::kMalformed;
  }
  od::object obj;
  if (auto e = doc.get_object().get(obj)) {
    w.Fail("not a JSON object", e);
    return ParseOutcome::kMalformed;
  }
  // "Event" is the first field in every writer we know; find_field_unordered also copes
  // with other orders.
  std::string_view name;
  {
    od::value ev;
    if (auto e = obj.find_field_unordered("Event").get(ev)) {
      *error = e == simdjson::NO_SUCH_FIELD ? "no \"Event\" field"
                                            : fmt::format("invalid JSON: {}", simdjson::error_message(e));
      return ParseOutcome::kMalformed;
    }
    if (auto e = ev.get_string().get(name)) {
      w.Fail("\"Event\" is not a string", e);
      return ParseOutcome::kMalformed;
    }
  }
  std::string_view simple = SimpleName(name);
  ExclusionKind ek = ExclusionKind::kExecutorExcluded;
  bool legacy = false;
  Kind kind = Classify(simple, &ek, &legacy);
  if (kind == Kind::kUnknown) {
    *out = UnknownEvent{arena->Copy(name)};
    return ParseOutcome::kOk;
  }
  if (kind == Kind::kIgnored &&
      !(keep_executor_metrics_ && simple == "SparkListenerStageExecutorMetrics")) {
    *out = IgnoredEvent{};
    return ParseOutcome::kOk;
  }
  bool reset_ok = false;
  if (auto e = obj.reset().get(reset_ok)) {
    w.Fail("invalid JSON", e);
    return ParseOutcome::kMalformed;
  }

  // Walks every field of the top-level object, calling fn(key, value) → bool.
  auto each = [&](auto&& fn) -> bool {
    for (auto fr : obj) {
      od::field f;
      if (auto e = std::move(fr).get(f)) return w.Fail("invalid JSON", e);
      std::string_view k = RawKey(f);
      if (k == "Event") continue;
      if (!fn(k, f.value())) return false;
    }
    return true;
  };
  auto finish = [&](bool ok) {
    if (ok) return ParseOutcome::kOk;
    return w.missing() ? ParseOutcome::kMissingField : ParseOutcome::kMalformed;
  };

  switch (kind) {
    case Kind::kTaskEnd: {
      TaskEndEvent ev;
      bool saw_info = false, saw_reason = false, saw_stage = false;
      bool ok = each([&](std::string_view k, od::value v) {
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
          return w.TaskInfo(v, &ev.info, arena,
                            keep_task_accumulables_ ? &ev.accumulables : nullptr);
        }
        if (k == "Task Executor Metrics" && keep_executor_metrics_) {
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
      if (ok && keep_executor_metrics_) {  // zeros when absent, as Spark's JsonProtocol
        if (!ev.executor_metrics) ev.executor_metrics = std::make_unique<PeakExecutorMetrics>();
        ev.executor_metrics->set = true;
      }
      if (ok && !saw_reason) ok = w.Missing("Task End Reason");
      if (ok && !saw_info) ok = w.Missing("Task Info");
      if (ok) *out = std::move(ev);
      return finish(ok);
    }
    case Kind::kTaskStart:
    case Kind::kTaskGettingResult: {
      TaskStartEvent ev;
      bool saw_info = false;
      bool ok = each([&](std::string_view k, od::value v) {
        if (k == "Stage ID") return w.Int32(v, &ev.stage_id, k);
        if (k == "Stage Attempt ID") return w.Int32(v, &ev.stage_attempt, k);
        if (k == "Task Info") return saw_info = true, w.TaskInfo(v, &ev.info, arena);
        return true;
      });
      if (ok && !saw_info) ok = w.Missing("Task Info");
      if (ok) {
        if (kind == Kind::kTaskStart) {
          *out = std::move(ev);
        } else {
          *out = TaskGettingResultEvent{ev.info};
        }
      }
      return finish(ok);
    }
    case Kind::kStageSubmitted:
    case Kind::kStageCompleted: {
      StageSubmittedEvent ev;
      bool saw_info = false;
      bool ok = each([&](std::string_view k, od::value v) {
        if (k == "Stage Info") return saw_info = true, w.StageInfo(v, &ev.info);
        if (k == "Properties") return w.Props(v, &ev.properties);
        return true;
      });
      if (ok && !saw_info) ok = w.Missing("Stage Info");
      if (ok) {
        if (kind == Kind::kStageSubmitted) {
          *out = std::move(ev);
        } else {
          *out = StageCompletedEvent{std::move(ev.info)};
        }
      }
      return finish(ok);
    }
    case Kind::kJobStart: {
      JobStartEvent ev;
      bool saw_id = false;
      bool ok = each([&](std::string_view k, od::value v) {
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
      if (ok) *out = std::move(ev);
      return finish(ok);
    }
    case Kind::kJobEnd: {
      JobEndEvent ev;
      bool saw_id = false;
      bool ok = each([&](std::string_view k, od::value v) {
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
              auto e = eo.find_field_unordered("Message").get(mv);
              if (!e) {
                if (!w.OptStr(mv, &ev.exception_message, "Message")) return false;
              }
            }
          }
          ev.succeeded = ev.result == "JobSucceeded";
          return true;
        }
        return true;
      });
      if (ok && !saw_id) ok = w.Missing("Job ID");
      if (ok) *out = std::move(ev);
      return finish(ok);
    }
    case Kind::kLogStart: {
      LogStartEvent ev;
      bool ok = each([&](std::string_view k, od::value v) {
        if (k == "Spark Version") return w.Str(v, &ev.spark_version, k);
        return true;
      });
      if (ok) *out = std::move(ev);
      return finish(ok);
    }
    case Kind::kAppStart: {
      AppStartEvent ev;
      bool ok = each([&](std::string_view k, od::value v) {
        if (k == "App Name") return w.Str(v, &ev.name, k);
        if (k == "App ID") return w.OptStr(v, &ev.app_id, k);
        if (k == "Timestamp") return w.Int(v, &ev.time, k);
        if (k == "User") return w.Str(v, &ev.user, k);
        if (k == "App Attempt ID") return w.OptStr(v, &ev.attempt_id, k);
        return true;
      });
      if (ok) *out = std::move(ev);
      return finish(ok);
    }
    case Kind::kAppEnd: {
      AppEndEvent ev;
      bool ok = each([&](std::string_view k, od::value v) {
        if (k == "Timestamp") return w.Int(v, &ev.time, k);
        if (k == "ExitCode") {
          int32_t c = 0;
          if (!w.Int32(v, &c, k)) return false;
          ev.exit_code = c;
        }
        return true;
      });
      if (ok) *out = std::move(ev);
      return finish(ok);
    }
    case Kind::kEnv: {
      EnvUpdateEvent ev;
      bool ok = each([&](std::string_view k, od::value v) {
        if (k == "JVM Information") return w.StringMap(v, &ev.jvm, k);
        if (k == "Spark Properties") return w.StringMap(v, &ev.spark, k);
        if (k == "Hadoop Properties") return w.StringMap(v, &ev.hadoop, k);
        if (k == "System Properties") return w.StringMap(v, &ev.system, k);
        if (k == "Classpath Entries") return w.StringMap(v, &ev.classpath, k);
        if (k == "Metrics Properties") return w.StringMap(v, &ev.metrics, k);
        return true;
      });
      if (ok) *out = std::move(ev);
      return finish(ok);
    }
    case Kind::kResourceProfile: {
      ResourceProfileEvent ev;
      auto requests = [&](od::value v, std::vector<std::pair<std::string, std::string>>* out_reqs,
                          std::string_view where, bool executor) -> bool {
        od::object ro;
        if (auto e = v.get_object().get(ro)) return w.Fail(where, e);
        for (auto fr : ro) {
          od::field f;
          if (auto e = std::move(fr).get(f)) return w.Fail(where, e);
          std::string_view rname;
          if (auto e = f.unescaped_key().get(rname)) return w.Fail(where, e);
          std::string name_copy(rname);
          od::object req;
          if (auto e = f.value().get_object().get(req)) return w.Fail(where, e);
          od::value amount;
          std::string text;
          if (!req.find_field_unordered("Amount").get(amount)) {
            if (!w.ScalarText(amount, &text, "Amount")) return false;
          }
          if (executor) {
            std::pair<std::string, std::string> details;
            od::value dv;
            if (!req.find_field_unordered("Discovery Script").get(dv)) {
              if (!w.ScalarText(dv, &details.first, "Discovery Script")) return false;
            }
            if (!req.find_field_unordered("Vendor").get(dv)) {
              if (!w.ScalarText(dv, &details.second, "Vendor")) return false;
            }
            ev.executor_details.emplace_back(name_copy, std::move(details));
          }
          out_reqs->emplace_back(std::move(name_copy), std::move(text));
        }
        return true;
      };
      bool ok = each([&](std::string_view k, od::value v) {
        if (k == "Resource Profile Id") return w.Int32(v, &ev.id, k);
        if (k == "Executor Resource Requests") return requests(v, &ev.executor_requests, k, true);
        if (k == "Task Resource Requests") return requests(v, &ev.task_requests, k, false);
        return true;
      });
      if (ok) *out = std::move(ev);
      return finish(ok);
    }
    case Kind::kExecAdded: {
      ExecutorAddedEvent ev;
      bool saw_id = false;
      bool ok = each([&](std::string_view k, od::value v) {
        if (k == "Timestamp") return w.Int(v, &ev.time, k);
        if (k == "Executor ID") return saw_id = true, w.Str(v, &ev.executor_id, k);
        if (k == "Executor Info") {
          od::object io;
          if (auto e = v.get_object().get(io)) return w.Fail(k, e);
          for (auto fr : io) {
            od::field f;
            if (auto e = std::move(fr).get(f)) return w.Fail(k, e);
            std::string_view ik = RawKey(f);
            od::value iv = f.value();
            bool ok2 = true;
            if (ik == "Host") ok2 = w.Str(iv, &ev.host, ik);
            else if (ik == "Total Cores") ok2 = w.Int32(iv, &ev.total_cores, ik);
            else if (ik == "Log Urls") ok2 = w.StringMap(iv, &ev.log_urls, ik);
            else if (ik == "Attributes") ok2 = w.StringMap(iv, &ev.attributes, ik);
            else if (ik == "Resource Profile Id") ok2 = w.Int32(iv, &ev.resource_profile_id, ik);
            if (!ok2) return false;
          }
          return true;
        }
        return true;
      });
      if (ok && !saw_id) ok = w.Missing("Executor ID");
      if (ok) *out = std::move(ev);
      return finish(ok);
    }
    case Kind::kExecRemoved: {
      ExecutorRemovedEvent ev;
      bool saw_id = false;
      bool ok = each([&](std::string_view k, od::value v) {
        if (k == "Timestamp") return w.Int(v, &ev.time, k);
        if (k == "Executor ID") return saw_id = true, w.Str(v, &ev.executor_id, k);
        if (k == "Removed Reason") return w.Str(v, &ev.reason, k);
        return true;
      });
      if (ok && !saw_id) ok = w.Missing("Executor ID");
      if (ok) *out = std::move(ev);
      return finish(ok);
    }
    case Kind::kBmAdded:
    case Kind::kBmRemoved: {
      BlockManagerAddedEvent ev;
      bool saw_id = false;
      bool ok = each([&](std::string_view k, od::value v) {
        if (k == "Block Manager ID") {
          od::object bo;
          if (auto e = v.get_object().get(bo)) return w.Fail(k, e);
          for (auto fr : bo) {
            od::field f;
            if (auto e = std::move(fr).get(f)) return w.Fail(k, e);
            std::string_view bk = RawKey(f);
            bool ok2 = true;
            if (bk == "Executor ID") ok2 = saw_id = true, w.Str(f.value(), &ev.executor_id, bk);
            else if (bk == "Host") ok2 = w.Str(f.value(), &ev.host, bk);
            else if (bk == "Port") ok2 = w.Int32(f.value(), &ev.port, bk);
            if (!ok2) return false;
          }
          return true;
        }
        if (k == "Maximum Memory") return w.Int(v, &ev.max_memory, k);
        if (k == "Timestamp") return w.Int(v, &ev.time, k);
        if (k == "Maximum Onheap Memory") {
          int64_t m = 0;
          if (!w.Int(v, &m, k)) return false;
          ev.max_onheap = m;
          return true;
        }
        if (k == "Maximum Offheap Memory") {
          int64_t m = 0;
          if (!w.Int(v, &m, k)) return false;
          ev.max_offheap = m;
          return true;
        }
        return true;
      });
      if (ok && !saw_id) ok = w.Missing("Block Manager ID.Executor ID");
      if (ok) {
        if (kind == Kind::kBmAdded) {
          *out = std::move(ev);
        } else {
          *out = BlockManagerRemovedEvent{ev.time, std::move(ev.executor_id), std::move(ev.host)};
        }
      }
      return finish(ok);
    }
    case Kind::kIgnored: {  // only SparkListenerStageExecutorMetrics gets here
      StageExecutorMetricsEvent ev;
      bool ok = each([&](std::string_view k, od::value v) {
        if (k == "Stage ID" || k == "stageId") return w.Int32(v, &ev.stage_id, k);
        if (k == "Stage Attempt ID" || k == "stageAttemptId") return w.Int32(v, &ev.stage_attempt, k);
        if (k == "Executor ID" || k == "execId") return w.Str(v, &ev.executor_id, k);
        if (k == "Executor Metrics" || k == "executorMetrics") return w.ExecMetrics(v, &ev.metrics, k);
        return true;
      });
      if (ok) *out = std::move(ev);
      return finish(ok);
    }
    case Kind::kExclusion: {
      ExclusionEventData ev;
      ev.e.kind = ek;
      ev.legacy_name = legacy;
      bool ok = each([&](std::string_view k, od::value v) {
        if (k == "time") return w.Int(v, &ev.e.time, k);
        if (k == "executorId" || k == "hostId") return w.Str(v, &ev.e.target, k);
        if (k == "taskFailures" || k == "executorFailures") return w.Int32(v, &ev.e.failures, k);
        if (k == "stageId") return w.Int32(v, &ev.e.stage_id, k);
        if (k == "stageAttemptId") return w.Int32(v, &ev.e.stage_attempt, k);
        return true;
      });
      if (ok && ev.e.target.empty()) ok = w.Missing("executorId/hostId");
      if (ok) *out = std::move(ev);
      return finish(ok);
    }
    case Kind::kSqlStart: {
      SqlStartEvent ev;
      bool saw_id = false;
      bool ok = each([&](std::string_view k, od::value v) {
        if (k == "executionId") return saw_id = true, w.Int(v, &ev.execution_id, k);
        if (k == "description") return w.Str(v, &ev.description, k);
        if (k == "details") return w.Str(v, &ev.details, k);
        if (k == "time") return w.Int(v, &ev.time, k);
        if (k == "sparkPlanInfo") return w.PlanNodes(v, &ev.plan_nodes, 0);
        return true;
      });
      if (ok && !saw_id) ok = w.Missing("executionId");
      if (ok) *out = std::move(ev);
      return finish(ok);
    }
    case Kind::kSqlPlanUpdate: {
      SqlPlanUpdateEvent ev;
      bool saw_id = false;
      bool ok = each([&](std::string_view k, od::value v) {
        if (k == "executionId") return saw_id = true, w.Int(v, &ev.execution_id, k);
        if (k == "sparkPlanInfo") return w.PlanNodes(v, &ev.plan_nodes, 0);
        return true;
      });
      if (ok && !saw_id) ok = w.Missing("executionId");
      if (ok) *out = std::move(ev);
      return finish(ok);
    }
    case Kind::kSqlEnd: {
      SqlEndEvent ev;
      bool saw_id = false;
      bool ok = each([&](std::string_view k, od::value v) {
        if (k == "executionId") return saw_id = true, w.Int(v, &ev.execution_id, k);
        if (k == "time") return w.Int(v, &ev.time, k);
        if (k == "errorMessage") return w.OptStr(v, &ev.error, k);
        return true;
      });
      if (ok && !saw_id) ok = w.Missing("executionId");
      if (ok) *out = std::move(ev);
      return finish(ok);
    }
    case Kind::kQueryStarted: {
      QueryStartedEvent ev;
      bool ok = each([&](std::string_view k, od::value v) {
        if (k == "id") return w.Str(v, &ev.id, k);
        if (k == "runId") return w.Str(v, &ev.run_id, k);
        if (k == "name") return w.OptStr(v, &ev.name, k);
        if (k == "timestamp") {
          std::string s;
          if (!w.Str(v, &s, k)) return false;
          ev.time = ParseIsoUtcMillis(s);
        }
        return true;
      });
      if (ok && ev.id.empty()) ok = w.Missing("id");
      if (ok) *out = std::move(ev);
      return finish(ok);
    }
    case Kind::kQueryProgress: {
      QueryProgressEvent ev;
      bool ok = each([&](std::string_view k, od::value v) {
        if (k != "progress") return true;
        od::object po;
        if (auto e = v.get_object().get(po)) return w.Fail(k, e);
        for (auto fr : po) {
          od::field f;
          if (auto e = std::move(fr).get(f)) return w.Fail(k, e);
          std::string_view pk = RawKey(f);
          bool ok2 = true;
          if (pk == "id") ok2 = w.Str(f.value(), &ev.id, pk);
          else if (pk == "runId") ok2 = w.Str(f.value(), &ev.run_id, pk);
          else if (pk == "batchId") ok2 = w.Int(f.value(), &ev.batch_id, pk);
          else if (pk == "timestamp") {
            std::string s;
            ok2 = w.Str(f.value(), &s, pk);
            ev.time = ParseIsoUtcMillis(s);
          }
          if (!ok2) return false;
        }
        return true;
      });
      if (ok && ev.id.empty()) ok = w.Missing("progress.id");
      if (ok) *out = std::move(ev);
      return finish(ok);
    }
    case Kind::kQueryTerminated: {
      QueryTerminatedEvent ev;
      bool ok = each([&](std::string_view k, od::value v) {
        if (k == "id") return w.Str(v, &ev.id, k);
        if (k == "runId") return w.Str(v, &ev.run_id, k);
        if (k == "exception") return w.OptStr(v, &ev.exception, k);
        return true;
      });
      if (ok && ev.id.empty()) ok = w.Missing("id");
      if (ok) *out = std::move(ev);
      return finish(ok);
    }
    case Kind::kUnknown:
      break;
  }
  *out = IgnoredEvent{};
  return ParseOutcome::kOk;
}

TimeMs ParseIsoUtcMillis(std::string_view s) {
  // yyyy-MM-ddTHH:mm:ss[.SSS]Z
  auto num = [&](size_t pos, size_t n, int* out) {
    if (pos + n > s.size()) return false;
    int v = 0;
    for (size_t i = pos; i < pos + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
  };
  int y, mo, d, h, mi, se, ms = 0;
  if (!num(0, 4, &y) || !num(5, 2, &mo) || !num(8, 2, &d) || !num(11, 2, &h) ||
      !num(14, 2, &mi) || !num(17, 2, &se)) {
    return kNoTime;
  }
  if (s.size() >= 23 && s[19] == '.') num(20, 3, &ms);
  // Days from civil (Howard Hinnant's algorithm).
  y -= mo <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const int64_t days = static_cast<int64_t>(era) * 146097 + static_cast<int64_t>(doe) - 719468;
  return ((days * 24 + h) * 60 + mi) * 60000LL + se * 1000LL + ms;
}

}  // namespace sparkmedic
