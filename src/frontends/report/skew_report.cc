#include "frontends/report/skew_report.h"

#include <fmt/format.h>

#include "frontends/report/diagnosis_report.h"

namespace sparkmedic::report {

using nlohmann::ordered_json;

std::string FormatBytes(int64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  return u == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", v, units[u]);
}

namespace {

template <typename T>
ordered_json SettingJson(const Setting<T>& s) {
  ordered_json o = {{"value", s.value}, {"source", SettingSourceName(s.source)}};
  if (!s.raw.empty()) o["raw"] = s.raw;
  return o;
}

ordered_json QuantilesJson(const Quantiles& q) { return ordered_json(q); }

ordered_json RecJson(const std::vector<Recommendation>& recs) {
  ordered_json a = ordered_json::array();
  for (const Recommendation& r : recs) {
    a.push_back({{"key", r.key}, {"value", r.value}, {"reason", r.reason}});
  }
  return a;
}

ordered_json StageJson(const StageSkew& s) {
  ordered_json parts = ordered_json::array();
  for (const SkewedPartition& p : s.skewed) {
    std::vector<std::string> rules;
    if (p.by_shuffle_read) rules.push_back("shuffle-read-bytes");
    if (p.by_input) rules.push_back("input-bytes");
    if (p.by_duration) rules.push_back("duration");
    parts.push_back({{"index", p.index},
                     {"partition_id", p.partition_id},
                     {"task_id", p.task_id},
                     {"attempt", p.attempt},
                     {"shuffle_read_bytes", p.shuffle_read_bytes},
                     {"input_bytes", p.input_bytes},
                     {"duration_ms", p.duration_ms},
                     {"executor", p.executor},
                     {"host", p.host},
                     {"rules", rules}});
  }
  return {{"stage_id", s.stage_id},
          {"attempt", s.attempt_id},
          {"name", s.name},
          {"successful_tasks", s.num_tasks},
          {"judged", s.judged},
          {"quantiles", {0.0, 0.25, 0.5, 0.75, 1.0}},
          {"duration_ms", QuantilesJson(s.duration_ms)},
          {"input_bytes", QuantilesJson(s.input_bytes)},
          {"shuffle_read_bytes", QuantilesJson(s.shuffle_read_bytes)},
          {"shuffle_read_rule",
           {{"aqe_median", s.shuffle_read_rule.aqe_median},
            {"threshold", s.shuffle_read_rule.threshold},
            {"skewed", s.shuffle_read_rule.num_skewed}}},
          {"input_rule",
           {{"aqe_median", s.input_rule.aqe_median},
            {"threshold", s.input_rule.threshold},
            {"skewed", s.input_rule.num_skewed}}},
          {"skewed_by_duration", s.num_skewed_by_duration},
          {"skewed_partitions", s.num_skewed_partitions},
          {"duration_max_over_median", s.duration_max_over_median},
          {"shuffle_read_max_over_median", s.shuffle_read_max_over_median},
          {"input_max_over_median", s.input_max_over_median},
          {"wall_ms", s.wall_ms ? ordered_json(*s.wall_ms) : ordered_json(nullptr)},
          {"share_of_app", s.share_of_app ? ordered_json(*s.share_of_app) : ordered_json(nullptr)},
          {"joins", s.joins.join_nodes},
          {"severity", SeverityName(s.severity)},
          {"partitions", parts},
          {"recommendations", RecJson(s.recommendations)},
          {"notes", s.notes}};
}

}  // namespace

ordered_json SkewJson(const SkewReport& r, bool all_stages) {
  ordered_json stages = ordered_json::array();
  for (const StageSkew& s : r.stages) {
    if (all_stages ? s.judged : s.is_skewed()) stages.push_back(StageJson(s));
  }
  const AqeSettings& a = r.aqe;
  return {{"schema", "sparkmedic.skew/v1"},
          {"aqe",
           {{"spark_version", a.spark_version
                                  ? ordered_json(fmt::format("{}.{}", a.spark_version->major,
                                                             a.spark_version->minor))
                                  : ordered_json(nullptr)},
            {"adaptive_enabled", SettingJson(a.adaptive_enabled)},
            {"skew_join_enabled", SettingJson(a.skew_join_enabled)},
            {"skewed_partition_factor", SettingJson(a.skewed_partition_factor)},
            {"skewed_partition_threshold_bytes", SettingJson(a.skewed_partition_threshold_bytes)},
            {"force_optimize_skewed_join", SettingJson(a.force_optimize_skewed_join)},
            {"advisory_partition_bytes", SettingJson(a.advisory_partition_bytes)},
            {"skew_join_active", a.SkewJoinActive()}}},
          {"rules",
           {{"duration_ratio", r.options.duration_ratio},
            {"duration_floor_ms", r.options.duration_floor_ms},
            {"min_tasks", r.options.min_tasks}}},
          {"app_wall_ms", r.app_wall_ms ? ordered_json(*r.app_wall_ms) : ordered_json(nullptr)},
          {"stages_judged", std::count_if(r.stages.begin(), r.stages.end(),
                                          [](const StageSkew& s) { return s.judged; })},
          {"skewed_stages", r.num_skewed_stages},
          {"stages", stages},
          {"recommendations", RecJson(r.recommendations)}};
}

std::string SkewText(const SkewReport& r, bool all_stages, bool color) {
  auto bold = [&](const std::string& s) { return color ? "\033[1m" + s + "\033[0m" : s; };
  std::string out;
  if (r.num_skewed_stages == 0) {
    out += fmt::format(
        "No skew: none of {} stage attempts has a partition over AQE's threshold "
        "or {}x the median duration (and at least {}).\n",
        r.stages.size(), r.options.duration_ratio, FormatDuration(r.options.duration_floor_ms));
  } else {
    out += bold(fmt::format("Skew in {} stage attempt(s)", r.num_skewed_stages)) + "\n";
  }
  const AqeSettings& a = r.aqe;
  out += fmt::format(
      "  AQE: adaptive {} ({}), skew join {} ({}), factor {} ({}), threshold {} "
      "({})\n",
      a.adaptive_enabled.value ? "on" : "off", SettingSourceName(a.adaptive_enabled.source),
      a.skew_join_enabled.value ? "on" : "off", SettingSourceName(a.skew_join_enabled.source),
      a.skewed_partition_factor.value, SettingSourceName(a.skewed_partition_factor.source),
      FormatBytes(a.skewed_partition_threshold_bytes.value),
      SettingSourceName(a.skewed_partition_threshold_bytes.source));
  for (const StageSkew& s : r.stages) {
    if (!(all_stages ? s.judged : s.is_skewed())) continue;
    out += fmt::format(
        "\n  stage {}.{} \"{}\" — {} tasks, severity {}{}{}\n", s.stage_id, s.attempt_id, s.name,
        s.num_tasks, SeverityName(s.severity),
        s.wall_ms ? fmt::format(", {}", FormatDuration(*s.wall_ms)) : "",
        s.share_of_app ? fmt::format(" ({:.0f}% of the app)", *s.share_of_app * 100) : "");
    auto q = [](const Quantiles& v, bool bytes) {
      std::string o;
      for (size_t i = 0; i < v.size(); ++i) {
        o += (i ? " / " : "") + (bytes ? FormatBytes(v[i]) : FormatDuration(v[i]));
      }
      return o;
    };
    out += "    min / p25 / median / p75 / max\n";
    out += fmt::format("    duration      {}\n", q(s.duration_ms, false));
    out += fmt::format("    shuffle read  {}\n", q(s.shuffle_read_bytes, true));
    out += fmt::format("    input         {}\n", q(s.input_bytes, true));
    if (!s.joins.join_nodes.empty()) {
      std::string j;
      for (const auto& n : s.joins.join_nodes) j += (j.empty() ? "" : ", ") + n;
      out += fmt::format("    joins: {}\n", j);
    }
    for (const SkewedPartition& p : s.skewed) {
      out += fmt::format("    partition {}: {} shuffle read, {} input, {} on executor {} ({})\n",
                         p.index, FormatBytes(p.shuffle_read_bytes), FormatBytes(p.input_bytes),
                         FormatDuration(p.duration_ms), p.executor, p.host);
    }
    if (s.num_skewed_partitions > static_cast<int32_t>(s.skewed.size())) {
      out += fmt::format("    … {} skewed partitions in all\n", s.num_skewed_partitions);
    }
    for (const std::string& n : s.notes) out += "    note: " + n + "\n";
  }
  if (!r.recommendations.empty()) {
    out += "\n" + bold("Recommended settings") + "\n";
    for (const Recommendation& rec : r.recommendations) {
      out += fmt::format("  {}={}  — {}\n", rec.key, rec.value, rec.reason);
    }
  }
  return out;
}

std::string SkewMarkdown(const SkewReport& r) {
  std::string out = fmt::format("### Skew\n\n{} skewed stage attempt(s).\n\n", r.num_skewed_stages);
  if (r.num_skewed_stages > 0) {
    out +=
        "| stage | name | tasks | median time | max time | median shuffle read | max shuffle "
        "read | skewed partitions | severity |\n|---|---|---:|---:|---:|---:|---:|---:|---|\n";
    for (const StageSkew& s : r.stages) {
      if (!s.is_skewed()) continue;
      out += fmt::format("| {}.{} | {} | {} | {} | {} | {} | {} | {} | {} |\n", s.stage_id,
                         s.attempt_id, s.name, s.num_tasks, FormatDuration(s.duration_ms[2]),
                         FormatDuration(s.duration_ms[4]), FormatBytes(s.shuffle_read_bytes[2]),
                         FormatBytes(s.shuffle_read_bytes[4]), s.num_skewed_partitions,
                         SeverityName(s.severity));
    }
  }
  for (const Recommendation& rec : r.recommendations) {
    out += fmt::format("\n- `{}={}`: {}", rec.key, rec.value, rec.reason);
  }
  return out + "\n";
}

}  // namespace sparkmedic::report
