#include "frontends/report/executor_logs_report.h"

#include <fmt/format.h>

namespace sparkmedic::report {

using nlohmann::ordered_json;

namespace {

ordered_json LineJson(const LogLineRef& l) {
  return {{"path", l.path}, {"line", l.line}, {"text", l.text}};
}

ordered_json EvidenceJson(const ExecutorEvidence& e) {
  ordered_json hits = ordered_json::array();
  for (const LogEvidence& h : e.hits) {
    hits.push_back({{"rule", h.rule},
                    {"class", FailureClassName(h.cls)},
                    {"relation", EvidenceRelationName(h.relation)},
                    {"lines", h.lines},
                    {"first", LineJson(h.first)}});
  }
  return {{"executor", e.executor},
          {"scanned", e.scanned},
          {"lines_read", e.lines_read},
          {"supporting_lines", e.supporting_lines},
          {"hits", hits}};
}

}  // namespace

void AddExecutorLogsJson(const ExecutorLogReport& logs, const ExecutorLogJoin& join,
                         ordered_json* d) {
  ordered_json& findings = (*d)["findings"];
  for (size_t i = 0; i < join.findings.size() && i < findings.size(); ++i) {
    const FindingLogEvidence& f = join.findings[i];
    ordered_json execs = ordered_json::array();
    for (const ExecutorEvidence& e : f.executors) execs.push_back(EvidenceJson(e));
    findings[i]["executor_logs"] = {{"confirmed", f.confirmed},
                                    {"executors_scanned", f.executors_scanned},
                                    {"executors_supporting", f.executors_supporting},
                                    {"executors_omitted", f.executors_omitted},
                                    {"executors", execs}};
  }
  ordered_json rules = ordered_json::array();
  for (const RuleHits& r : logs.rules) {
    rules.push_back({{"rule", r.rule},
                     {"class", FailureClassName(r.cls)},
                     {"lines", r.lines},
                     {"first", LineJson(r.first)}});
  }
  ordered_json exceptions = ordered_json::array();
  for (const ExceptionLineCount& e : logs.exceptions) {
    ordered_json per = ordered_json::object();
    for (const auto& [x, n] : e.executors) per[x] = n;
    exceptions.push_back({{"text", e.text}, {"count", e.count}, {"executors", per}});
  }
  ordered_json unexplained = ordered_json::array();
  for (const ExecutorEvidence& e : join.unexplained) unexplained.push_back(EvidenceJson(e));
  ordered_json sources = ordered_json::array();
  for (const LogSourceStats& s : logs.sources) {
    ordered_json o = {{"path", s.path},
                      {"executor", s.executor},
                      {"attributed_by", AttributionSourceName(s.attributed_by)},
                      {"bytes", s.bytes},
                      {"lines", s.lines}};
    if (!s.error.empty()) o["error"] = s.error;
    sources.push_back(std::move(o));
  }
  (*d)["executor_logs"] = {
      {"path", logs.path},         {"files", logs.files}, {"files_failed", logs.files_failed},
      {"bytes", logs.bytes},       {"lines", logs.lines}, {"exception_lines", logs.exception_lines},
      {"sources", sources},        {"rules", rules},      {"exceptions", exceptions},
      {"unexplained", unexplained}};
}

std::string ExecutorLogsText(const ExecutorLogReport& logs, const ExecutorLogJoin& join,
                             const Diagnosis& d) {
  std::string out = fmt::format("\nExecutor logs ({} file(s), {} lines, {} with \"exception\")\n",
                                logs.files, logs.lines, logs.exception_lines);
  for (size_t i = 0; i < join.findings.size() && i < d.findings.size(); ++i) {
    const FindingLogEvidence& f = join.findings[i];
    if (f.executors_scanned == 0) continue;  // no log of its executors was given
    out += fmt::format("  {}: {} — logs of {} of its executors, {} support it\n",
                       FailureClassTitle(d.findings[i].cls),
                       f.confirmed ? "confirmed by the executor logs" : "not confirmed",
                       f.executors_scanned, f.executors_supporting);
    for (const ExecutorEvidence& e : f.executors) {
      if (!e.scanned) continue;
      for (const LogEvidence& h : e.hits) {
        if (h.relation == EvidenceRelation::kOther) continue;  // JSON keeps every hit
        out += fmt::format("    exec {}  {} x{} ({})  {}:{}  {}\n", e.executor, h.rule, h.lines,
                           EvidenceRelationName(h.relation), h.first.path, h.first.line,
                           h.first.text.substr(0, 120));
      }
    }
  }
  for (const ExecutorEvidence& e : join.unexplained) {
    out +=
        fmt::format("  executor {}: failures in its logs that no finding explains:\n", e.executor);
    for (const LogEvidence& h : e.hits) {
      out += fmt::format("    {} x{}  {}:{}  {}\n", h.rule, h.lines, h.first.path, h.first.line,
                         h.first.text.substr(0, 120));
    }
  }
  if (!logs.exceptions.empty()) {
    out += "  most frequent exception lines (grep -i exception | sort | uniq -c):\n";
    for (size_t i = 0; i < logs.exceptions.size() && i < 8; ++i) {
      out += fmt::format("    {:>7} {}\n", logs.exceptions[i].count,
                         logs.exceptions[i].text.substr(0, 140));
    }
  }
  for (const LogSourceStats& s : logs.sources) {
    if (!s.error.empty()) out += fmt::format("  {}: {}\n", s.path, s.error);
  }
  return out;
}

}  // namespace sparkmedic::report
