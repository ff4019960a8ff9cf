#include "frontends/report/diagnosis_report.h"

#include <ctime>

#include <fmt/format.h>

namespace sparkmedic::report {

using nlohmann::ordered_json;

std::string FormatTime(TimeMs t) {
  if (t == kNoTime) return "-";
  std::time_t s = static_cast<std::time_t>(t / 1000);
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return fmt::format("{} UTC", buf);
}

std::string FormatDuration(int64_t ms) {
  double s = static_cast<double>(ms) / 1000.0;
  if (s < 120) return fmt::format("{:.1f} s", s);
  if (s < 7200) return fmt::format("{:.1f} min", s / 60);
  return fmt::format("{:.1f} h", s / 3600);
}

namespace {

ordered_json Time(TimeMs t) { return t == kNoTime ? ordered_json(nullptr) : ordered_json(t); }

ordered_json Places(const std::vector<PlaceStat>& v) {
  ordered_json a = ordered_json::array();
  for (const PlaceStat& p : v) {
    ordered_json o = {{"id", p.id}};
    if (!p.host.empty()) o["host"] = p.host;
    o["tasks"] = p.tasks;
    o["failures"] = p.failures;
    o["p_value"] = p.p_value;
    o["suspect"] = p.suspect;
    a.push_back(std::move(o));
  }
  return a;
}

std::string Join(const std::vector<std::string>& v, size_t max = 8) {
  std::string out;
  for (size_t i = 0; i < v.size() && i < max; ++i) out += (i ? ", " : "") + v[i];
  if (v.size() > max) out += fmt::format(" (+{} more)", v.size() - max);
  return out;
}

std::string JoinInts(const std::vector<int32_t>& v, size_t max = 10) {
  std::vector<std::string> s;
  for (int32_t x : v) s.push_back(std::to_string(x));
  return Join(s, max);
}

std::string Indent(const std::string& text, const std::string& pad, size_t max_lines = 12) {
  std::string out;
  size_t start = 0, lines = 0;
  while (start <= text.size() && lines < max_lines) {
    size_t nl = text.find('\n', start);
    std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    out += pad + line + "\n";
    ++lines;
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out;
}

struct Style {
  bool color;
  std::string Bold(const std::string& s) const { return color ? "\033[1m" + s + "\033[0m" : s; }
  std::string Red(const std::string& s) const { return color ? "\033[1;31m" + s + "\033[0m" : s; }
  std::string Yellow(const std::string& s) const {
    return color ? "\033[1;33m" + s + "\033[0m" : s;
  }
  std::string Green(const std::string& s) const { return color ? "\033[1;32m" + s + "\033[0m" : s; }
};

}  // namespace

ordered_json DiagnosisJson(const Diagnosis& d) {
  ordered_json j;
  j["schema"] = "sparkmedic.diagnosis/v1";
  j["app"] = {
      {"id", d.app_id},
      {"attempt_id", d.attempt_id.empty() ? ordered_json(nullptr) : ordered_json(d.attempt_id)},
      {"name", d.app_name},
      {"spark_version", d.spark_version},
      {"completed", d.completed}};
  j["verdict"] = VerdictName(d.verdict);
  j["headline"] = d.headline;
  j["tasks"] = {{"attempts", d.task_attempts},
                {"failed", d.failed_attempts},
                {"killed_not_failures", d.killed_not_failures}};
  j["failed_jobs"] = d.failed_jobs;
  ordered_json fs = ordered_json::array();
  for (auto [s, a] : d.failed_stages) fs.push_back({{"stage_id", s}, {"attempt", a}});
  j["failed_stages"] = fs;
  ordered_json findings = ordered_json::array();
  for (const Finding& f : d.findings) {
    findings.push_back({{"class", FailureClassName(f.cls)},
                        {"title", FailureClassTitle(f.cls)},
                        {"runbook_scenario", f.runbook_scenario ? ordered_json(f.runbook_scenario)
                                                                : ordered_json(nullptr)},
                        {"count", f.count},
                        {"share", f.share},
                        {"first_time", Time(f.first_time)},
                        {"last_time", Time(f.last_time)},
                        {"stages", f.stages},
                        {"executors", f.executors},
                        {"hosts", f.hosts},
                        {"message", f.message},
                        {"rule", f.rule},
                        {"confidence", ConfidenceName(f.confidence)},
                        {"counted_toward_max_failures", f.counted_toward_max_failures},
                        {"wasted_ms", f.wasted_ms}});
  }
  j["findings"] = findings;
  const Localisation& L = d.localisation;
  ordered_json excl = ordered_json::array();
  for (const ExclusionEvent& e : L.exclusions) {
    ordered_json o = {{"time", e.time},
                      {"kind", ExclusionKindName(e.kind)},
                      {"target", e.target},
                      {"failures", e.failures}};
    if (e.stage_id >= 0) {
      o["stage_id"] = e.stage_id;
      o["stage_attempt"] = e.stage_attempt;
    }
    excl.push_back(std::move(o));
  }
  j["localisation"] = {{"test", L.test},
                       {"app_failure_rate", L.app_failure_rate},
                       {"concentrated", L.concentrated},
                       {"executors", Places(L.executors)},
                       {"hosts", Places(L.hosts)},
                       {"exclusions", excl}};
  const Repetition& R = d.repetition;
  ordered_json det = ordered_json::array();
  for (const PartitionHistory& h : R.deterministic) {
    det.push_back({{"stage_id", h.stage_id},
                   {"index", h.index},
                   {"attempts", h.attempts},
                   {"failures", h.failures},
                   {"class", FailureClassName(h.cls)},
                   {"executors", h.executors}});
  }
  j["repetition"] = {
      {"deterministic", det},
      {"failed_once_then_succeeded", R.partitions_failed_once_then_succeeded},
      {"failed_repeatedly_then_succeeded", R.partitions_failed_repeatedly_then_succeeded},
      {"mostly_deterministic", R.mostly_deterministic}};
  const RetryBudget& B = d.retry;
  ordered_json closest = ordered_json::array();
  for (const BudgetEntry& e : B.closest) {
    closest.push_back({{"stage_id", e.stage_id},
                       {"stage_attempt", e.stage_attempt},
                       {"index", e.index},
                       {"counted_failures", e.counted_failures},
                       {"aborted_stage", e.aborted_stage}});
  }
  ordered_json retries = ordered_json::array();
  for (const StageRetries& r : B.stage_retries) {
    retries.push_back({{"stage_id", r.stage_id},
                       {"attempts", r.attempts},
                       {"failed_attempts", r.failed_attempts},
                       {"max_consecutive_failed", r.max_consecutive_failed},
                       {"aborted", r.aborted}});
  }
  j["retry_budget"] = {
      {"max_task_failures", B.max_task_failures},
      {"max_task_failures_source", B.max_task_failures_source},
      {"max_stage_attempts", B.max_stage_attempts},
      {"closest", closest},
      {"abort_message", B.abort_message ? ordered_json(*B.abort_message) : ordered_json(nullptr)},
      {"stage_retries", retries},
      {"wasted_ms", B.wasted_ms}};
  ordered_json streaming = ordered_json::array();
  for (const StreamingAdvice& s : d.streaming) {
    streaming.push_back({{"query_id", s.query_id},
                         {"name", s.name ? ordered_json(*s.name) : ordered_json(nullptr)},
                         {"mode", s.continuous ? "continuous" : "micro-batch"},
                         {"continuous_retry_failures", s.continuous_retry_failures},
                         {"advice", s.advice}});
  }
  j["streaming"] = streaming;
  j["advice"] = d.advice;
  return j;
}

std::string DiagnosisText(const Diagnosis& d, bool color) {
  Style st{color};
  std::string out;
  std::string verdict = d.headline;
  switch (d.verdict) {
    case Verdict::kFailed:
      verdict = st.Red(verdict);
      break;
    case Verdict::kHealthy:
      verdict = st.Green(verdict);
      break;
    default:
      verdict = st.Yellow(verdict);
      break;
  }
  out += verdict + "\n";
  out += fmt::format("  app {}{} \"{}\", Spark {}, {}\n", d.app_id,
                     d.attempt_id.empty() ? "" : " attempt " + d.attempt_id, d.app_name,
                     d.spark_version, d.completed ? "completed" : "not completed");
  if (!d.advice.empty()) {
    out += "\n" + st.Bold("What to do") + "\n";
    for (const std::string& a : d.advice) out += "  - " + a + "\n";
  }
  if (!d.findings.empty()) {
    out += "\n" + st.Bold("Why tasks failed") + "\n";
    for (const Finding& f : d.findings) {
      out += fmt::format(
          "  {} — {} attempts ({:.0f}%), {} confidence{}\n", FailureClassTitle(f.cls), f.count,
          f.share * 100, ConfidenceName(f.confidence),
          f.runbook_scenario ? fmt::format(", runbook scenario {}", f.runbook_scenario) : "");
      out += fmt::format("    stages {}; executors {}; hosts {}\n", JoinInts(f.stages),
                         Join(f.executors), Join(f.hosts));
      out += fmt::format(
          "    from {} to {}; {} counted toward spark.task.maxFailures; {} of "
          "executor time lost\n",
          FormatTime(f.first_time), FormatTime(f.last_time), f.counted_toward_max_failures,
          FormatDuration(f.wasted_ms));
      out += Indent(f.message, "    | ", 8);
    }
  }
  const Localisation& L = d.localisation;
  if (d.failed_attempts > 0) {
    out += "\n" + st.Bold("Where") + "\n";
    out += fmt::format("  {}\n", L.concentrated ? "Failures concentrate on a few places:"
                                                : "Failures are spread out (no executor or host "
                                                  "stands out).");
    for (const PlaceStat& h : L.hosts) {
      if (h.suspect) {
        out += fmt::format("    host {}: {} failures in {} attempts (p={:.2g})\n", h.id, h.failures,
                           h.tasks, h.p_value);
      }
    }
    for (const PlaceStat& e : L.executors) {
      if (e.suspect) {
        out += fmt::format("    executor {} ({}): {} failures in {} attempts (p={:.2g})\n", e.id,
                           e.host, e.failures, e.tasks, e.p_value);
      }
    }
    size_t shown = 0;
    for (const PlaceStat& e : L.executors) {
      if (shown++ == 5) break;
      out += fmt::format("    executor {:<6} {:>6} failures / {:>8} attempts\n", e.id, e.failures,
                         e.tasks);
    }
    out += fmt::format("  test: {}\n", L.test);
  }
  if (!L.exclusions.empty()) {
    out += fmt::format("  Spark excluded {} executor(s)/node(s):\n", L.exclusions.size());
    size_t shown = 0;
    for (const ExclusionEvent& e : L.exclusions) {
      if (shown++ == 6) break;
      out += fmt::format(
          "    {} {} {}{}\n", FormatTime(e.time), ExclusionKindName(e.kind), e.target,
          e.stage_id >= 0 ? fmt::format(" (stage {}.{})", e.stage_id, e.stage_attempt) : "");
    }
  }
  const Repetition& R = d.repetition;
  if (d.failed_attempts > 0) {
    out += "\n" + st.Bold("Repetition") + "\n";
    out += fmt::format(
        "  {} partition(s) failed on every attempt (deterministic), {} failed once "
        "then succeeded (transient), {} failed repeatedly then succeeded\n",
        R.deterministic.size(), R.partitions_failed_once_then_succeeded,
        R.partitions_failed_repeatedly_then_succeeded);
    for (size_t i = 0; i < R.deterministic.size() && i < 5; ++i) {
      const PartitionHistory& h = R.deterministic[i];
      out += fmt::format("    stage {} partition {}: {} of {} attempts failed ({})\n", h.stage_id,
                         h.index, h.failures, h.attempts, FailureClassName(h.cls));
    }
  }
  const RetryBudget& B = d.retry;
  if (d.failed_attempts > 0 || !B.stage_retries.empty()) {
    out += "\n" + st.Bold("Retry budget") + "\n";
    out += fmt::format(
        "  spark.task.maxFailures = {} ({}); spark.stage.maxConsecutiveAttempts = "
        "{}\n",
        B.max_task_failures, B.max_task_failures_source, B.max_stage_attempts);
    for (size_t i = 0; i < B.closest.size() && i < 5; ++i) {
      const BudgetEntry& e = B.closest[i];
      out += fmt::format("    stage {}.{} task {}: {} of {} counted failures{}\n", e.stage_id,
                         e.stage_attempt, e.index, e.counted_failures, B.max_task_failures,
                         e.aborted_stage ? " — aborted the stage" : "");
    }
    for (const StageRetries& r : B.stage_retries) {
      out += fmt::format("    stage {}: {} attempts, {} failed (max {} in a row){}\n", r.stage_id,
                         r.attempts, r.failed_attempts, r.max_consecutive_failed,
                         r.aborted ? " — aborted" : "");
    }
    if (B.abort_message)
      out += "  Spark's abort message:\n" + Indent(*B.abort_message, "    | ", 6);
    out +=
        fmt::format("  executor time lost in failed attempts: {}\n", FormatDuration(B.wasted_ms));
  }
  for (const StreamingAdvice& s : d.streaming) {
    out += "\n" + st.Bold("Streaming") + "\n";
    out += fmt::format("  query {} ({}): {}\n", s.query_id,
                       s.continuous ? "continuous" : "micro-batch", s.advice);
  }
  return out;
}

std::string DiagnosisMarkdown(const Diagnosis& d) {
  std::string out = fmt::format("## sparkmedic diagnosis: {} ({})\n\n**{}**\n\n", d.app_id,
                                d.app_name, d.headline);
  if (!d.advice.empty()) {
    out += "### What to do\n\n";
    for (const std::string& a : d.advice) out += "- " + a + "\n";
    out += "\n";
  }
  if (!d.findings.empty()) {
    out +=
        "### Why tasks failed\n\n| class | attempts | share | stages | executors | hosts | "
        "runbook |\n|---|---:|---:|---|---|---|---|\n";
    for (const Finding& f : d.findings) {
      out += fmt::format("| {} | {} | {:.0f}% | {} | {} | {} | {} |\n", FailureClassTitle(f.cls),
                         f.count, f.share * 100, JoinInts(f.stages), Join(f.executors, 5),
                         Join(f.hosts, 5),
                         f.runbook_scenario ? std::to_string(f.runbook_scenario) : "-");
    }
    out += "\n";
    for (const Finding& f : d.findings) {
      out += fmt::format("<details><summary>{}</summary>\n\n```\n{}```\n</details>\n\n",
                         FailureClassTitle(f.cls), Indent(f.message, "", 12));
    }
  }
  const Localisation& L = d.localisation;
  if (d.failed_attempts > 0) {
    out += fmt::format("### Where\n\n{}\n\n", L.concentrated ? "Failures concentrate:"
                                                             : "No executor or host stands out.");
    for (const PlaceStat& h : L.hosts) {
      if (h.suspect)
        out += fmt::format("- host `{}`: {} of {} attempts failed (p={:.2g})\n", h.id, h.failures,
                           h.tasks, h.p_value);
    }
    for (const PlaceStat& e : L.executors) {
      if (e.suspect)
        out += fmt::format("- executor `{}`: {} of {} attempts failed (p={:.2g})\n", e.id,
                           e.failures, e.tasks, e.p_value);
    }
    out += fmt::format("\n_Test: {}._\n\n", L.test);
    out += fmt::format(
        "### Retry budget\n\n`spark.task.maxFailures` = {} ({}); {} partition(s) "
        "failed on every attempt.\n\n",
        d.retry.max_task_failures, d.retry.max_task_failures_source,
        d.repetition.deterministic.size());
    if (d.retry.abort_message) {
      out += "```\n" + Indent(*d.retry.abort_message, "", 8) + "```\n";
    }
  }
  return out;
}

}  // namespace sparkmedic::report
