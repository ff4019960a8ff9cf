// JoinExecutorLogs: the executor-log evidence for each finding of a Diagnosis.
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "sparkmedic/executor_logs.h"

namespace sparkmedic {
namespace {

// Classes whose cause the driver cannot see: the executor's own log is where it is.
bool DriverBlind(FailureClass c) {
  return c == FailureClass::kExecutorLost || c == FailureClass::kTaskTimeoutKill ||
         c == FailureClass::kUnknown;
}

// Log rules that name a failure (not a speculative duplicate's or a cancellation's kill).
bool IsFailureEvidence(FailureClass c) {
  return IsRealFailure(c) && c != FailureClass::kStageCancelled && c != FailureClass::kUnknown;
}

std::vector<LogEvidence> Evidence(const ExecutorLogStats& stats, FailureClass finding,
                                  uint64_t* supporting) {
  std::vector<LogEvidence> hits;
  for (const RuleHits& h : stats.rules) {
    EvidenceRelation rel = RelationOf(finding, h.cls);
    if (rel != EvidenceRelation::kOther) *supporting += h.lines;
    hits.push_back({h.rule, h.cls, rel, h.lines, h.first});
  }
  std::stable_sort(hits.begin(), hits.end(), [](const LogEvidence& a, const LogEvidence& b) {
    if (a.relation != b.relation) return a.relation < b.relation;
    return a.lines > b.lines;
  });
  return hits;
}

FindingLogEvidence ForFinding(
    const Finding& f, const std::unordered_map<std::string_view, const ExecutorLogStats*>& by_id,
    const ExecutorLogJoinOptions& options) {
  FindingLogEvidence out;
  for (const std::string& id : f.executors) {
    ExecutorEvidence e;
    e.executor = id;
    auto it = by_id.find(id);
    if (it != by_id.end()) {
      e.scanned = true;
      e.lines_read = it->second->lines;
      e.hits = Evidence(*it->second, f.cls, &e.supporting_lines);
      ++out.executors_scanned;
      out.executors_supporting += e.supporting_lines > 0 ? 1 : 0;
      out.confirmed = out.confirmed || std::any_of(e.hits.begin(), e.hits.end(), [](auto& h) {
                        return h.relation == EvidenceRelation::kAgrees;
                      });
      if (e.hits.size() > options.max_rules_per_executor) {
        e.hits.resize(options.max_rules_per_executor);
      }
    }
    out.executors.push_back(std::move(e));
  }
  std::stable_sort(out.executors.begin(), out.executors.end(),
                   [](const ExecutorEvidence& a, const ExecutorEvidence& b) {
                     if (a.supporting_lines != b.supporting_lines) {
                       return a.supporting_lines > b.supporting_lines;
                     }
                     return a.scanned && !b.scanned;
                   });
  if (out.executors.size() > options.max_executors_per_finding) {
    out.executors_omitted = out.executors.size() - options.max_executors_per_finding;
    out.executors.resize(options.max_executors_per_finding);
  }
  return out;
}

}  // namespace

const char* EvidenceRelationName(EvidenceRelation r) {
  switch (r) {
    case EvidenceRelation::kAgrees:
      return "agrees";
    case EvidenceRelation::kMayExplain:
      return "may-explain";
    case EvidenceRelation::kOther:
      return "other";
  }
  return "other";
}

EvidenceRelation RelationOf(FailureClass finding, FailureClass log_rule) {
  if (!IsFailureEvidence(log_rule)) return EvidenceRelation::kOther;
  if (finding == log_rule) return EvidenceRelation::kAgrees;
  int scenario = RunbookScenario(finding);
  if (scenario != 0 && scenario == RunbookScenario(log_rule)) return EvidenceRelation::kAgrees;
  if (DriverBlind(finding)) return EvidenceRelation::kMayExplain;
  return EvidenceRelation::kOther;
}

ExecutorLogJoin JoinExecutorLogs(const ExecutorLogReport& logs, const Diagnosis& diagnosis,
                                 const ExecutorLogJoinOptions& options) {
  std::unordered_map<std::string_view, const ExecutorLogStats*> by_id;
  for (const ExecutorLogStats& e : logs.executors) by_id.emplace(e.executor, &e);
  ExecutorLogJoin out;
  std::unordered_set<std::string_view> in_findings;
  for (const Finding& f : diagnosis.findings) {
    out.findings.push_back(ForFinding(f, by_id, options));
    in_findings.insert(f.executors.begin(), f.executors.end());
  }
  for (const ExecutorLogStats& e : logs.executors) {
    if (e.rules.empty() || in_findings.count(e.executor) != 0) continue;
    ExecutorEvidence ev;
    ev.executor = e.executor;
    ev.scanned = true;
    ev.lines_read = e.lines;
    for (const RuleHits& h : e.rules) {
      if (ev.hits.size() == options.max_rules_per_executor) break;
      ev.hits.push_back({h.rule, h.cls, EvidenceRelation::kOther, h.lines, h.first});
    }
    out.unexplained.push_back(std::move(ev));
  }
  return out;
}

}  // namespace sparkmedic
