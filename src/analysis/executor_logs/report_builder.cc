#include "report_builder.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

namespace sparkmedic::exlogs {
namespace {

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Numeric ids by value, then other ids, "unknown" last.
bool ExecutorBefore(const std::string& a, const std::string& b) {
  bool ua = a == kUnknownExecutor, ub = b == kUnknownExecutor;
  if (ua != ub) return ub;
  bool da = IsDigits(a), db = IsDigits(b);
  if (da != db) return da;
  if (da && a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

void SortHits(std::vector<RuleHits>* hits) {
  std::sort(hits->begin(), hits->end(), [](const RuleHits& a, const RuleHits& b) {
    if (a.lines != b.lines) return a.lines > b.lines;
    return a.rule < b.rule;
  });
}

std::vector<RuleHits> SourceHits(const SourceAcc& s, const std::deque<RuleSlot>& slots) {
  std::vector<RuleHits> hits;
  for (size_t i = 0; i < s.rules.size(); ++i) {
    const RuleAcc& a = s.rules[i];
    if (a.lines == 0) continue;
    hits.push_back({slots[i].id,
                    slots[i].cls,
                    a.lines,
                    {s.stats.path, a.first_line, a.first_text},
                    {s.stats.path, a.last_line, a.last_text}});
  }
  SortHits(&hits);
  return hits;
}

// Adds `from` (a later source's hits) into `into`: counts add up, `first` stays, `last` moves.
void MergeHits(const std::vector<RuleHits>& from, std::vector<RuleHits>* into) {
  for (const RuleHits& h : from) {
    auto it = std::find_if(into->begin(), into->end(),
                           [&](const RuleHits& x) { return x.rule == h.rule; });
    if (it == into->end()) {
      into->push_back(h);
    } else {
      it->lines += h.lines;
      it->last = h.last;
    }
  }
}

void AddCounts(const RunbookCounts& from, RunbookCounts* into) {
  for (size_t i = 0; i < from.size(); ++i) (*into)[i] += from[i];
}

std::vector<ExecutorLogStats> Executors(const std::vector<LogSourceStats>& sources) {
  std::map<std::string, ExecutorLogStats, decltype(&ExecutorBefore)> by_id(&ExecutorBefore);
  for (size_t i = 0; i < sources.size(); ++i) {
    const LogSourceStats& s = sources[i];
    ExecutorLogStats& e = by_id[s.executor];
    e.executor = s.executor;
    e.sources.push_back(i);
    e.bytes += s.bytes;
    e.lines += s.lines;
    AddCounts(s.grep, &e.grep);
    MergeHits(s.rules, &e.rules);
  }
  std::vector<ExecutorLogStats> out;
  for (auto& [id, e] : by_id) {
    SortHits(&e.rules);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<ExceptionLineCount> TopExceptions(LogScanner* scanner,
                                              const std::vector<LogSourceStats>& sources,
                                              size_t top) {
  std::vector<std::pair<const std::string*, ExceptionGroup*>> groups;
  for (auto& [text, g] : scanner->exceptions()) groups.emplace_back(&text, &g);
  auto before = [](const auto& a, const auto& b) {
    if (a.second->count != b.second->count) return a.second->count > b.second->count;
    return *a.first < *b.first;
  };
  size_t n = std::min(top, groups.size());
  std::partial_sort(groups.begin(), groups.begin() + static_cast<ptrdiff_t>(n), groups.end(),
                    before);
  std::vector<ExceptionLineCount> out;
  for (size_t i = 0; i < n; ++i) {
    ExceptionGroup& g = *groups[i].second;
    ExceptionLineCount e{*groups[i].first,
                         g.count,
                         {sources[g.first_source].path, g.first_line, std::move(g.first_text)},
                         {}};
    std::map<std::string, uint64_t> per_exec;
    for (const auto& [source, lines] : g.per_source) per_exec[sources[source].executor] += lines;
    e.executors.assign(per_exec.begin(), per_exec.end());
    std::stable_sort(e.executors.begin(), e.executors.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    out.push_back(std::move(e));
  }
  return out;
}

void Tasks(LogScanner* scanner, ExecutorLogReport* r) {
  r->tasks.reserve(scanner->tasks().size());
  for (const auto& [tid, t] : scanner->tasks()) {
    r->tasks.push_back(t.ref);
    if (t.other_source != kNoSource &&
        r->sources[t.other_source].executor != r->sources[t.ref.source].executor) {
      ++r->tid_conflicts;
    }
  }
  std::sort(r->tasks.begin(), r->tasks.end(),
            [](const TaskLogRef& a, const TaskLogRef& b) { return a.tid < b.tid; });
  r->task_refs_dropped = scanner->task_refs_dropped();
}

}  // namespace

void AttributeByTasks(const Application& app, LogScanner* scanner) {
  std::unordered_map<int64_t, uint32_t> executor_of;
  for (SourceAcc& s : scanner->sources()) {
    if (s.stats.attributed_by != AttributionSource::kNone || s.tid_sample.empty()) continue;
    if (executor_of.empty()) {
      executor_of.reserve(app.tasks.size());
      for (const TaskAttempt& t : app.tasks) executor_of.emplace(t.task_id, t.executor);
    }
    uint32_t executor = kNoIndex;
    size_t known = 0;
    bool agree = true;
    for (int64_t tid : s.tid_sample) {
      auto it = executor_of.find(tid);
      if (it == executor_of.end() || it->second == kNoIndex) continue;
      ++known;
      if (executor != kNoIndex && executor != it->second) agree = false;
      executor = it->second;
    }
    if (known == 0 || !agree) continue;
    s.stats.executor = std::string(app.strings.Get(executor));
    s.stats.attributed_by = AttributionSource::kTasks;
    s.stats.attribution = fmt::format(
        "tasks: the {} TIDs of the application among the {} it "
        "mentions first ran on executor {}",
        known, s.tid_sample.size(), s.stats.executor);
  }
}

ExecutorLogReport BuildReport(const std::string& path, const LogFiles& files,
                              const ExecutorLogOptions& options, LogScanner* scanner) {
  ExecutorLogReport r;
  r.path = path;
  r.files = files.files.size();
  r.files_skipped = files.files_skipped;
  r.dirs_skipped = files.dirs_skipped;
  for (SourceAcc& s : scanner->sources()) {
    s.stats.rules = SourceHits(s, scanner->slots());
    s.stats.exception_lines = s.stats.grep[static_cast<size_t>(RunbookWord::kException)];
    r.lines += s.stats.lines;
    r.files_failed += s.stats.error.empty() ? 0 : 1;
    AddCounts(s.stats.grep, &r.grep);
    MergeHits(s.stats.rules, &r.rules);
    r.sources.push_back(std::move(s.stats));
  }
  SortHits(&r.rules);
  r.executors = Executors(r.sources);
  r.exceptions = TopExceptions(scanner, r.sources, options.top_exceptions);
  r.exception_lines = r.grep[static_cast<size_t>(RunbookWord::kException)];
  r.distinct_exceptions = scanner->exceptions().size();
  r.exceptions_not_grouped = scanner->exceptions_not_grouped();
  Tasks(scanner, &r);
  r.bytes = scanner->bytes();
  r.lines_checked = scanner->lines_checked();
  r.lines_matched = scanner->lines_matched();
  return r;
}

}  // namespace sparkmedic::exlogs
