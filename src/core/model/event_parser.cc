// EventParser implementation.
//
// PERF NOTES: this is the hot path of every command. Objects are walked once, in document
// order, dispatching on the raw key text (Spark's keys never contain escapes), so no key is
// unescaped or looked up twice. Values we do not need are never touched: On-Demand skips them
// using the structural index built in stage 1. TaskEnd lines are 60-90% accumulables and
// executor metrics, all skipped. Strings are unescaped only when kept.
//
// This file reads what every line has (the "Event" name) and hands the line to the routine of
// its event: event_parser_tasks.cc (tasks, stages, jobs) or event_parser_app.cc (the rest). The
// readers they share are in event_parser_internal.h.
#include "core/model/event_parser.h"

#include <fmt/format.h>
#include <simdjson.h>

#include "core/model/event_parser_internal.h"

namespace sparkmedic {

namespace od = simdjson::ondemand;
namespace epi = event_parser_internal;
using epi::Kind;

struct EventParser::Impl {
  od::parser parser;
};

EventParser::EventParser() : impl_(std::make_unique<Impl>()) {}
EventParser::~EventParser() = default;

namespace {

// Simple name of an event class: text after the last '.' and '$'.
std::string_view SimpleName(std::string_view name) {
  size_t cut = name.find_last_of(".$");
  return cut == std::string_view::npos ? name : name.substr(cut + 1);
}

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
      {"SparkListenerBlockUpdated", Kind::kBlockUpdated},
      {"SparkListenerUnpersistRDD", Kind::kUnpersistRdd},
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
  epi::Walker w(error);
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
      *error = e == simdjson::NO_SUCH_FIELD
                   ? "no \"Event\" field"
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

  const epi::EventLine line{
      obj, arena, out, error, keep_task_accumulables_, keep_executor_metrics_};
  switch (kind) {
    case Kind::kTaskEnd:
      return epi::ParseTaskEnd(line);
    case Kind::kTaskStart:
    case Kind::kTaskGettingResult:
      return epi::ParseTaskStart(line, kind);
    case Kind::kStageSubmitted:
    case Kind::kStageCompleted:
      return epi::ParseStage(line, kind);
    case Kind::kJobStart:
      return epi::ParseJobStart(line);
    case Kind::kJobEnd:
      return epi::ParseJobEnd(line);
    case Kind::kLogStart:
      return epi::ParseLogStart(line);
    case Kind::kAppStart:
      return epi::ParseAppStart(line);
    case Kind::kAppEnd:
      return epi::ParseAppEnd(line);
    case Kind::kEnv:
      return epi::ParseEnvUpdate(line);
    case Kind::kResourceProfile:
      return epi::ParseResourceProfile(line);
    case Kind::kExecAdded:
      return epi::ParseExecutorAdded(line);
    case Kind::kExecRemoved:
      return epi::ParseExecutorRemoved(line);
    case Kind::kBmAdded:
    case Kind::kBmRemoved:
      return epi::ParseBlockManager(line, kind);
    case Kind::kIgnored:  // only SparkListenerStageExecutorMetrics gets here
      return epi::ParseStageExecutorMetrics(line);
    case Kind::kExclusion:
      return epi::ParseExclusion(line, ek, legacy);
    case Kind::kSqlStart:
      return epi::ParseSqlStart(line);
    case Kind::kSqlPlanUpdate:
      return epi::ParseSqlPlanUpdate(line);
    case Kind::kSqlEnd:
      return epi::ParseSqlEnd(line);
    case Kind::kQueryStarted:
      return epi::ParseQueryStarted(line);
    case Kind::kQueryProgress:
      return epi::ParseQueryProgress(line);
    case Kind::kQueryTerminated:
      return epi::ParseQueryTerminated(line);
    case Kind::kBlockUpdated:
      return epi::ParseBlockUpdated(line);
    case Kind::kUnpersistRdd:
      return epi::ParseUnpersistRdd(line);
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
  if (!num(0, 4, &y) || !num(5, 2, &mo) || !num(8, 2, &d) || !num(11, 2, &h) || !num(14, 2, &mi) ||
      !num(17, 2, &se)) {
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
