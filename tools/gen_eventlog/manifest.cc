// Manifest JSON. See manifest.h.
#include "manifest.h"

#include <fmt/format.h>

#include "json_out.h"

namespace sparkmedic::gen {
namespace {

void Map(Buf& b, const char* key, const std::map<std::string, uint64_t>& m, const char* indent) {
  fmt::format_to(fmt::appender(b), "{}\"{}\": {{", indent, key);
  bool first = true;
  for (const auto& [k, v] : m) {
    fmt::format_to(fmt::appender(b), "{}\n{}  ", first ? "" : ",", indent);
    Str(b, k);
    fmt::format_to(fmt::appender(b), ": {}", v);
    first = false;
  }
  fmt::format_to(fmt::appender(b), "{}}}", first ? "" : fmt::format("\n{}", indent));
}

}  // namespace

std::string ManifestJson(const Manifest& m) {
  Buf b;
  auto num = [&](const char* k, uint64_t v) {
    fmt::format_to(fmt::appender(b), "  \"{}\": {},\n", k, v);
  };
  auto str = [&](const char* k, const std::string& v) {
    fmt::format_to(fmt::appender(b), "  \"{}\": ", k);
    Str(b, v);
    Raw(b, ",\n");
  };
  Raw(b, "{\n  \"generator\": \"sparkmedic-gen\",\n  \"schema_version\": 1,\n");
  num("seed", m.seed);
  str("scenario", m.scenario);
  str("spark_version", m.spark_version);
  str("app_id", m.app_id);
  str("app_name", m.app_name);
  fmt::format_to(fmt::appender(b), "  \"in_progress\": {},\n  \"application_end\": {},\n",
                 m.in_progress, m.application_end);
  fmt::format_to(fmt::appender(b), "  \"exit_code\": {},\n", m.exit_code);
  num("lines", m.lines);
  num("uncompressed_bytes", m.uncompressed_bytes);
  Raw(b, "  \"files\": [");
  for (size_t i = 0; i < m.files.size(); ++i) {
    if (i) Raw(b, ", ");
    Str(b, m.files[i]);
  }
  Raw(b, "],\n");
  Map(b, "events", m.events, "  ");
  Raw(b, ",\n  \"tasks\": {\n");
  fmt::format_to(
      fmt::appender(b),
      "    \"attempts\": {},\n    \"task_ends\": {},\n    \"speculative_attempts\": {},\n",
      m.task_attempts, m.task_ends, m.speculative_attempts);
  Map(b, "by_reason", m.task_end_reasons, "    ");
  Raw(b, ",\n");
  Map(b, "exception_classes", m.exception_classes, "    ");
  Raw(b, ",\n");
  Map(b, "kill_reasons", m.kill_reasons, "    ");
  fmt::format_to(
      fmt::appender(b),
      ",\n    \"executor_lost\": {{\"exit_caused_by_app\": {}, \"not_caused_by_app\": {}}},\n",
      m.executor_lost_caused_by_app, m.executor_lost_not_caused_by_app);
  fmt::format_to(fmt::appender(b),
                 "    \"history_server\": {{\"completed\": {}, \"failed\": {}, \"killed\": {}}},\n",
                 m.shs_completed, m.shs_failed, m.shs_killed);
  Map(b, "injected", m.injected, "    ");
  Raw(b, "\n  },\n");
  fmt::format_to(fmt::appender(b),
                 "  \"jobs\": {{\"total\": {}, \"succeeded\": {}, \"failed\": {}}},\n", m.jobs,
                 m.jobs_succeeded, m.jobs_failed);
  fmt::format_to(
      fmt::appender(b),
      "  \"stages\": {{\"ids\": {}, \"submitted\": {}, \"skipped\": {}, \"attempts\": {}, "
      "\"failed_attempts\": {}, \"retried\": {}}},\n",
      m.stage_ids, m.stages_submitted, m.stages_skipped, m.stage_attempts, m.stage_attempts_failed,
      m.stages_retried);
  num("sql_executions", m.sql_executions);
  fmt::format_to(fmt::appender(b),
                 "  \"executors\": {{\n    \"added\": {},\n    \"removed\": {},\n",
                 m.executors_added, m.executors_removed);
  Map(b, "removed_by_kind", m.executors_removed_by_kind, "    ");
  Raw(b, "\n  },\n");
  Map(b, "exclusion_events", m.exclusion_events, "  ");
  Raw(b, ",\n  \"partition_failures\": [");
  bool first = true;
  for (const auto& [key, pf] : m.partitions) {
    fmt::format_to(
        fmt::appender(b),
        "{}\n    {{\"stage\": {}, \"partition\": {}, \"failed_attempts\": {}, \"reasons\": {{",
        first ? "" : ",", key.first, key.second, pf.failed_attempts);
    bool f2 = true;
    for (const auto& [r, n] : pf.reasons) {
      if (!f2) Raw(b, ", ");
      Str(b, r);
      fmt::format_to(fmt::appender(b), ": {}", n);
      f2 = false;
    }
    Raw(b, "}}");
    first = false;
  }
  Raw(b, first ? "],\n" : "\n  ],\n");
  Raw(b, "  \"skewed_partitions\": [");
  for (size_t i = 0; i < m.skewed.size(); ++i) {
    const auto& s = m.skewed[i];
    fmt::format_to(fmt::appender(b),
                   "{}\n    {{\"stage\": {}, \"partition\": {}, \"shuffle_read_bytes\": {}, "
                   "\"median_shuffle_read_bytes\": {}, \"duration_ms\": {}}}",
                   i ? "," : "", s.stage, s.partition, s.shuffle_read_bytes,
                   s.median_shuffle_read_bytes, s.duration_ms);
  }
  Raw(b, m.skewed.empty() ? "],\n" : "\n  ],\n");
  Raw(b, "  \"aborts\": [");
  for (size_t i = 0; i < m.aborts.size(); ++i) {
    const auto& a = m.aborts[i];
    fmt::format_to(fmt::appender(b),
                   "{}\n    {{\"job\": {}, \"stage\": {}, \"stage_attempt\": {}, \"partition\": "
                   "{}, \"message\": ",
                   i ? "," : "", a.job, a.stage, a.stage_attempt, a.partition);
    Str(b, a.message);
    Raw(b, "}");
  }
  Raw(b, m.aborts.empty() ? "],\n" : "\n  ],\n");
  fmt::format_to(fmt::appender(b),
                 "  \"streaming\": {{\"queries_started\": {}, \"progress_events\": {}, "
                 "\"terminated\": {}, \"terminated_with_exception\": {}}}\n}}\n",
                 m.queries_started, m.query_progress_events, m.queries_terminated,
                 m.queries_terminated_with_exception);
  return std::string(b.data(), b.size());
}

}  // namespace sparkmedic::gen
