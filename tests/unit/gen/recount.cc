#include "recount.h"

namespace sparkmedic::gen::testing {

using simdjson::dom::element;

size_t ForEachEvent(std::string_view text, const std::function<void(element, std::string_view)>& fn,
                    std::string* partial) {
  simdjson::dom::parser parser;
  size_t bad = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    const bool last = nl == std::string_view::npos;
    std::string_view line = text.substr(pos, last ? std::string_view::npos : nl - pos);
    pos = last ? text.size() : nl + 1;
    element doc;
    std::string_view event;
    if (parser.parse(line.data(), line.size(), true).get(doc) != simdjson::SUCCESS ||
        doc["Event"].get_string().get(event) != simdjson::SUCCESS) {
      if (last && partial != nullptr) {
        *partial = std::string(line);
      } else {
        ++bad;
      }
      continue;
    }
    fn(doc, line);
  }
  return bad;
}

namespace {

std::string S(element e, const char* key) {
  std::string_view v;
  if (e[key].get_string().get(v) != simdjson::SUCCESS) return "";
  return std::string(v);
}
int64_t I(element e, const char* key) {
  int64_t v = 0;
  if (e[key].get_int64().get(v) != simdjson::SUCCESS) return -1;
  return v;
}
bool B(element e, const char* key) {
  bool v = false;
  if (e[key].get_bool().get(v) != simdjson::SUCCESS) return false;
  return v;
}

void CountTaskEnd(Recount* c, element doc) {
  element reason = doc["Task End Reason"];
  element info = doc["Task Info"];
  const std::string r = S(reason, "Reason");
  ++c->task_ends;
  ++c->reasons[r];
  if (r == "Success") {
    ++c->shs_completed;
  } else if (r == "TaskKilled" || r == "TaskCommitDenied") {
    ++c->shs_killed;
  } else {
    ++c->shs_failed;
  }
  if (r == "ExceptionFailure") ++c->exception_classes[S(reason, "Class Name")];
  if (r == "TaskKilled") ++c->kill_reasons[S(reason, "Kill Reason")];
  if (r == "ExecutorLostFailure")
    ++(B(reason, "Exit Caused By App") ? c->lost_by_app : c->lost_not_by_app);
  if (B(info, "Failed")) {
    ++c->partition_failed[{static_cast<int>(I(doc, "Stage ID")),
                           static_cast<int>(I(info, "Partition ID"))}];
  }
}

void CountStage(Recount* c, element doc, const std::string& event) {
  element si = doc["Stage Info"];
  if (event == "SparkListenerStageSubmitted") {
    ++c->stage_attempts;
    c->submitted_ids.insert(I(si, "Stage ID"));
    if (I(si, "Stage Attempt ID") > 0) c->retried_ids.insert(I(si, "Stage ID"));
  } else {
    std::string_view reason;
    if (si["Failure Reason"].get_string().get(reason) == simdjson::SUCCESS)
      ++c->stage_failed_attempts;
  }
}

}  // namespace

Recount CountLog(std::string_view text) {
  Recount c;
  c.bad_lines = ForEachEvent(text, [&](element doc, std::string_view) {
    const std::string event = S(doc, "Event");
    ++c.lines;
    ++c.events[event];
    if (event == "SparkListenerTaskStart") {
      c.task_ids_started.insert(I(doc["Task Info"], "Task ID"));
      if (B(doc["Task Info"], "Speculative")) ++c.speculative;
    } else if (event == "SparkListenerTaskEnd") {
      CountTaskEnd(&c, doc);
    } else if (event == "SparkListenerStageSubmitted" || event == "SparkListenerStageCompleted") {
      CountStage(&c, doc, event);
    } else if (event == "SparkListenerJobStart") {
      ++c.jobs;
      for (element si : doc["Stage Infos"].get_array()) c.stage_ids.insert(I(si, "Stage ID"));
    } else if (event == "SparkListenerJobEnd") {
      ++(S(doc["Job Result"], "Result") == "JobSucceeded" ? c.jobs_ok : c.jobs_failed);
    } else if (event == "SparkListenerExecutorAdded") {
      ++c.executors_added;
    } else if (event == "SparkListenerExecutorRemoved") {
      ++c.executors_removed;
    } else if (event == "org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart") {
      ++c.sql_starts;
    } else if (event == "org.apache.spark.sql.streaming.StreamingQueryListener$QueryStartedEvent") {
      ++c.queries_started;
    } else if (event ==
               "org.apache.spark.sql.streaming.StreamingQueryListener$QueryProgressEvent") {
      ++c.progress;
    } else if (event ==
               "org.apache.spark.sql.streaming.StreamingQueryListener$QueryTerminatedEvent") {
      ++c.terminated;
      if (!doc["exception"].is_null()) ++c.terminated_with_exception;
    }
  });
  return c;
}

}  // namespace sparkmedic::gen::testing
