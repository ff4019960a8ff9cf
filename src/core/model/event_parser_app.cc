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

}  // namespace sparkmedic::event_parser_internal
