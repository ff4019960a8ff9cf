// EventParser: application, environment, executor, block manager, exclusion, SQL and
// streaming events (a few lines per log, beside the task, stage and job events of
// event_parser_tasks.cc).
#include <algorithm>
#include <string>
#include <vector>

#include "core/model/event_parser_internal.h"

namespace sparkmedic::event_parser_internal {

namespace {

// Walker plus the SQL plan shape, which only the SQL events read.
class SqlWalker : public Walker {
 public:
  using Walker::Walker;

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
        if (std::find(out->begin(), out->end(), name) == out->end())
          out->push_back(std::move(name));
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
};

}  // namespace

ParseOutcome ParseLogStart(const EventLine& line) {
  Walker w(line.error);
  LogStartEvent ev;
  bool ok = w.Each(line.obj, [&](std::string_view k, od::value v) {
    if (k == "Spark Version") return w.Str(v, &ev.spark_version, k);
    return true;
  });
  if (ok) *line.out = std::move(ev);
  return w.Finish(ok);
}

ParseOutcome ParseAppStart(const EventLine& line) {
  Walker w(line.error);
  AppStartEvent ev;
  bool ok = w.Each(line.obj, [&](std::string_view k, od::value v) {
    if (k == "App Name") return w.Str(v, &ev.name, k);
    if (k == "App ID") return w.OptStr(v, &ev.app_id, k);
    if (k == "Timestamp") return w.Int(v, &ev.time, k);
    if (k == "User") return w.Str(v, &ev.user, k);
    if (k == "App Attempt ID") return w.OptStr(v, &ev.attempt_id, k);
    return true;
  });
  if (ok) *line.out = std::move(ev);
  return w.Finish(ok);
}

ParseOutcome ParseAppEnd(const EventLine& line) {
  Walker w(line.error);
  AppEndEvent ev;
  bool ok = w.Each(line.obj, [&](std::string_view k, od::value v) {
    if (k == "Timestamp") return w.Int(v, &ev.time, k);
    if (k == "ExitCode") {
      int32_t c = 0;
      if (!w.Int32(v, &c, k)) return false;
      ev.exit_code = c;
    }
    return true;
  });
  if (ok) *line.out = std::move(ev);
  return w.Finish(ok);
}

ParseOutcome ParseEnvUpdate(const EventLine& line) {
  Walker w(line.error);
  EnvUpdateEvent ev;
  bool ok = w.Each(line.obj, [&](std::string_view k, od::value v) {
    if (k == "JVM Information") return w.StringMap(v, &ev.jvm, k);
    if (k == "Spark Properties") return w.StringMap(v, &ev.spark, k);
    if (k == "Hadoop Properties") return w.StringMap(v, &ev.hadoop, k);
    if (k == "System Properties") return w.StringMap(v, &ev.system, k);
    if (k == "Classpath Entries") return w.StringMap(v, &ev.classpath, k);
    if (k == "Metrics Properties") return w.StringMap(v, &ev.metrics, k);
    return true;
  });
  if (ok) *line.out = std::move(ev);
  return w.Finish(ok);
}

ParseOutcome ParseResourceProfile(const EventLine& line) {
  Walker w(line.error);
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
      // One pass over the request's fields (see Walker::FindField).
      std::string text;
      std::pair<std::string, std::string> details;
      bool ok = w.Fields(f.value(), where, [&](std::string_view rk, od::value rv) {
        if (rk == "Amount") return w.ScalarText(rv, &text, "Amount");
        if (executor && rk == "Discovery Script")
          return w.ScalarText(rv, &details.first, "Discovery Script");
        if (executor && rk == "Vendor") return w.ScalarText(rv, &details.second, "Vendor");
        return true;
      });
      if (!ok) return false;
      if (executor) {
        ev.executor_details.emplace_back(name_copy, std::move(details));
      }
      out_reqs->emplace_back(std::move(name_copy), std::move(text));
    }
    return true;
  };
  bool ok = w.Each(line.obj, [&](std::string_view k, od::value v) {
    if (k == "Resource Profile Id") return w.Int32(v, &ev.id, k);
    if (k == "Executor Resource Requests") return requests(v, &ev.executor_requests, k, true);
    if (k == "Task Resource Requests") return requests(v, &ev.task_requests, k, false);
    return true;
  });
  if (ok) *line.out = std::move(ev);
  return w.Finish(ok);
}

ParseOutcome ParseExecutorAdded(const EventLine& line) {
  Walker w(line.error);
  ExecutorAddedEvent ev;
  bool saw_id = false;
  bool ok = w.Each(line.obj, [&](std::string_view k, od::value v) {
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
        if (ik == "Host")
          ok2 = w.Str(iv, &ev.host, ik);
        else if (ik == "Total Cores")
          ok2 = w.Int32(iv, &ev.total_cores, ik);
        else if (ik == "Log Urls")
          ok2 = w.StringMap(iv, &ev.log_urls, ik);
        else if (ik == "Attributes")
          ok2 = w.StringMap(iv, &ev.attributes, ik);
        else if (ik == "Resource Profile Id")
          ok2 = w.Int32(iv, &ev.resource_profile_id, ik);
        if (!ok2) return false;
      }
      return true;
    }
    return true;
  });
  if (ok && !saw_id) ok = w.Missing("Executor ID");
  if (ok) *line.out = std::move(ev);
  return w.Finish(ok);
}

ParseOutcome ParseExecutorRemoved(const EventLine& line) {
  Walker w(line.error);
  ExecutorRemovedEvent ev;
  bool saw_id = false;
  bool ok = w.Each(line.obj, [&](std::string_view k, od::value v) {
    if (k == "Timestamp") return w.Int(v, &ev.time, k);
    if (k == "Executor ID") return saw_id = true, w.Str(v, &ev.executor_id, k);
    if (k == "Removed Reason") return w.Str(v, &ev.reason, k);
    return true;
  });
  if (ok && !saw_id) ok = w.Missing("Executor ID");
  if (ok) *line.out = std::move(ev);
  return w.Finish(ok);
}

ParseOutcome ParseBlockManager(const EventLine& line, Kind kind) {
  Walker w(line.error);
  BlockManagerAddedEvent ev;
  bool saw_id = false;
  bool ok = w.Each(line.obj, [&](std::string_view k, od::value v) {
    if (k == "Block Manager ID") {
      od::object bo;
      if (auto e = v.get_object().get(bo)) return w.Fail(k, e);
      for (auto fr : bo) {
        od::field f;
        if (auto e = std::move(fr).get(f)) return w.Fail(k, e);
        std::string_view bk = RawKey(f);
        bool ok2 = true;
        if (bk == "Executor ID")
          ok2 = saw_id = true, w.Str(f.value(), &ev.executor_id, bk);
        else if (bk == "Host")
          ok2 = w.Str(f.value(), &ev.host, bk);
        else if (bk == "Port")
          ok2 = w.Int32(f.value(), &ev.port, bk);
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
      *line.out = std::move(ev);
    } else {
      *line.out = BlockManagerRemovedEvent{ev.time, std::move(ev.executor_id), std::move(ev.host)};
    }
  }
  return w.Finish(ok);
}

ParseOutcome ParseExclusion(const EventLine& line, ExclusionKind kind, bool legacy_name) {
  Walker w(line.error);
  ExclusionEventData ev;
  ev.e.kind = kind;
  ev.legacy_name = legacy_name;
  bool ok = w.Each(line.obj, [&](std::string_view k, od::value v) {
    if (k == "time") return w.Int(v, &ev.e.time, k);
    if (k == "executorId" || k == "hostId") return w.Str(v, &ev.e.target, k);
    if (k == "taskFailures" || k == "executorFailures") return w.Int32(v, &ev.e.failures, k);
    if (k == "stageId") return w.Int32(v, &ev.e.stage_id, k);
    if (k == "stageAttemptId") return w.Int32(v, &ev.e.stage_attempt, k);
    return true;
  });
  if (ok && ev.e.target.empty()) ok = w.Missing("executorId/hostId");
  if (ok) *line.out = std::move(ev);
  return w.Finish(ok);
}

ParseOutcome ParseSqlStart(const EventLine& line) {
  SqlWalker w(line.error);
  SqlStartEvent ev;
  bool saw_id = false;
  bool ok = w.Each(line.obj, [&](std::string_view k, od::value v) {
    if (k == "executionId") return saw_id = true, w.Int(v, &ev.execution_id, k);
    if (k == "description") return w.Str(v, &ev.description, k);
    if (k == "details") return w.Str(v, &ev.details, k);
    if (k == "time") return w.Int(v, &ev.time, k);
    if (k == "sparkPlanInfo") return w.PlanNodes(v, &ev.plan_nodes, 0);
    return true;
  });
  if (ok && !saw_id) ok = w.Missing("executionId");
  if (ok) *line.out = std::move(ev);
  return w.Finish(ok);
}

ParseOutcome ParseSqlPlanUpdate(const EventLine& line) {
  SqlWalker w(line.error);
  SqlPlanUpdateEvent ev;
  bool saw_id = false;
  bool ok = w.Each(line.obj, [&](std::string_view k, od::value v) {
    if (k == "executionId") return saw_id = true, w.Int(v, &ev.execution_id, k);
    if (k == "sparkPlanInfo") return w.PlanNodes(v, &ev.plan_nodes, 0);
    return true;
  });
  if (ok && !saw_id) ok = w.Missing("executionId");
  if (ok) *line.out = std::move(ev);
  return w.Finish(ok);
}

ParseOutcome ParseSqlEnd(const EventLine& line) {
  Walker w(line.error);
  SqlEndEvent ev;
  bool saw_id = false;
  bool ok = w.Each(line.obj, [&](std::string_view k, od::value v) {
    if (k == "executionId") return saw_id = true, w.Int(v, &ev.execution_id, k);
    if (k == "time") return w.Int(v, &ev.time, k);
    if (k == "errorMessage") return w.OptStr(v, &ev.error, k);
    return true;
  });
  if (ok && !saw_id) ok = w.Missing("executionId");
  if (ok) *line.out = std::move(ev);
  return w.Finish(ok);
}

ParseOutcome ParseQueryStarted(const EventLine& line) {
  Walker w(line.error);
  QueryStartedEvent ev;
  bool ok = w.Each(line.obj, [&](std::string_view k, od::value v) {
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
  if (ok) *line.out = std::move(ev);
  return w.Finish(ok);
}

ParseOutcome ParseQueryProgress(const EventLine& line) {
  Walker w(line.error);
  QueryProgressEvent ev;
  bool ok = w.Each(line.obj, [&](std::string_view k, od::value v) {
    if (k != "progress") return true;
    od::object po;
    if (auto e = v.get_object().get(po)) return w.Fail(k, e);
    for (auto fr : po) {
      od::field f;
      if (auto e = std::move(fr).get(f)) return w.Fail(k, e);
      std::string_view pk = RawKey(f);
      bool ok2 = true;
      if (pk == "id")
        ok2 = w.Str(f.value(), &ev.id, pk);
      else if (pk == "runId")
        ok2 = w.Str(f.value(), &ev.run_id, pk);
      else if (pk == "batchId")
        ok2 = w.Int(f.value(), &ev.batch_id, pk);
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
  if (ok) *line.out = std::move(ev);
  return w.Finish(ok);
}

ParseOutcome ParseQueryTerminated(const EventLine& line) {
  Walker w(line.error);
  QueryTerminatedEvent ev;
  bool ok = w.Each(line.obj, [&](std::string_view k, od::value v) {
    if (k == "id") return w.Str(v, &ev.id, k);
    if (k == "runId") return w.Str(v, &ev.run_id, k);
    if (k == "exception") return w.OptStr(v, &ev.exception, k);
    return true;
  });
  if (ok && ev.id.empty()) ok = w.Missing("id");
  if (ok) *line.out = std::move(ev);
  return w.Finish(ok);
}

namespace {

// Digits only, fitting an Int (Scala's "[0-9]+" then toInt).
bool BlockIdInt(std::string_view s, int32_t* out) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

// BlockId.apply for the two kinds AppStatusListener accounts: RDD "rdd_([0-9]+)_([0-9]+)" and
// broadcast "broadcast_([0-9]+)([_A-Za-z0-9]*)". Returns false for other names.
bool ClassifyBlockId(std::string_view id, BlockUpdatedEvent* ev, bool* malformed) {
  if (id.starts_with("rdd_")) {
    std::string_view rest = id.substr(4);
    size_t cut = rest.find('_');
    if (cut == std::string_view::npos || !BlockIdInt(rest.substr(0, cut), &ev->rdd_id) ||
        !BlockIdInt(rest.substr(cut + 1), &ev->split)) {
      *malformed = true;  // Spark's BlockId() rejects it (UnrecognizedBlockId)
      return false;
    }
    ev->kind = BlockUpdatedEvent::BlockKind::kRdd;
    return true;
  }
  if (id.starts_with("broadcast_")) {
    std::string_view rest = id.substr(10);
    size_t digits = 0;
    while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
    if (digits == 0) return false;
    for (char c : rest.substr(digits)) {
      bool word =
          c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (!word) return false;
    }
    ev->kind = BlockUpdatedEvent::BlockKind::kBroadcast;
    return true;
  }
  return false;
}

}  // namespace

// SparkListenerBlockUpdated: {"Block Updated Info": {"Block Manager ID": {...}, "Block ID",
// "Storage Level": {...}, "Memory Size", "Disk Size"}} (JsonProtocol.blockUpdatedInfoFromJson).
// Only RDD and broadcast blocks are kept: AppStatusListener accounts no other kind in the
// endpoints we serve (stream blocks feed only the streaming UI's block list).
ParseOutcome ParseBlockUpdated(const EventLine& line) {
  Walker w(line.error);
  BlockUpdatedEvent ev;
  bool saw_info = false, saw_exec = false, saw_level = false, keep = false, bad_id = false;
  std::string_view block_id;
  bool saw_block = false;
  bool ok = w.Each(line.obj, [&](std::string_view k, od::value v) {
    if (k != "Block Updated Info") return true;
    saw_info = true;
    od::object io;
    if (auto e = v.get_object().get(io)) return w.Fail(k, e);
    for (auto fr : io) {
      od::field f;
      if (auto e = std::move(fr).get(f)) return w.Fail(k, e);
      std::string_view ik = RawKey(f);
      bool ok2 = true;
      if (ik == "Block Manager ID") {
        od::object bo;
        if (auto e = f.value().get_object().get(bo)) return w.Fail(ik, e);
        od::value xv;
        if (auto e = bo.find_field_unordered("Executor ID").get(xv)) {
          if (e != simdjson::NO_SUCH_FIELD) return w.Fail(ik, e);
        } else {
          saw_exec = true;
          ok2 = w.Str(xv, &ev.executor_id, "Executor ID");
        }
      } else if (ik == "Block ID") {
        if (auto e = f.value().get_string().get(block_id)) return w.Fail(ik, e);
        saw_block = true;
        keep = ClassifyBlockId(block_id, &ev, &bad_id);
      } else if (ik == "Storage Level") {
        saw_level = true;
        ok2 = w.Level(f.value(), &ev.level, ik);
      } else if (ik == "Memory Size") {
        ok2 = w.Int(f.value(), &ev.memory_size, ik);
      } else if (ik == "Disk Size") {
        ok2 = w.Int(f.value(), &ev.disk_size, ik);
      }
      if (!ok2) return false;
    }
    return true;
  });
  if (ok && !saw_info) ok = w.Missing("Block Updated Info");
  if (ok && !saw_exec) ok = w.Missing("Block Updated Info.Block Manager ID.Executor ID");
  if (ok && !saw_block) ok = w.Missing("Block Updated Info.Block ID");
  if (ok && !saw_level) ok = w.Missing("Block Updated Info.Storage Level");
  if (ok && bad_id) {
    *line.error = fmt::format("unrecognized block id \"{}\"", block_id);
    return ParseOutcome::kMalformed;
  }
  if (!ok) return w.Finish(false);
  if (keep) {
    *line.out = std::move(ev);
  } else {
    *line.out = IgnoredEvent{};
  }
  return ParseOutcome::kOk;
}

ParseOutcome ParseUnpersistRdd(const EventLine& line) {
  Walker w(line.error);
  UnpersistRddEvent ev;
  bool saw_id = false;
  bool ok = w.Each(line.obj, [&](std::string_view k, od::value v) {
    if (k == "RDD ID") return saw_id = true, w.Int32(v, &ev.rdd_id, k);
    return true;
  });
  if (ok && !saw_id) ok = w.Missing("RDD ID");
  if (ok) *line.out = ev;
  return w.Finish(ok);
}

}  // namespace sparkmedic::event_parser_internal
