#include "sparkmedic/skew.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace sparkmedic {
namespace {

// PERF NOTES: a stage attempt is read in one pass over its task list into three value vectors
// (duration, input, shuffle read) plus the successful tasks' positions; the vectors are
// sorted as copies for the quantiles, and a second pass over the successful tasks flags
// partitions. The vectors live in a Scratch reused across stages, so a report allocates
// only its own output.
struct Scratch {
  std::vector<const TaskAttempt*> ok;
  std::vector<int64_t> duration, input, shuffle_read;
  std::vector<int64_t> sorted;
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Power of 1024 of a Spark size suffix (JavaUtils.byteSuffixes), or -1.
int SuffixShift(std::string_view suffix) {
  static constexpr std::pair<const char*, int> kSuffixes[] = {
      {"", 0},   {"b", 0},   {"k", 10}, {"kb", 10}, {"m", 20}, {"mb", 20},
      {"g", 30}, {"gb", 30}, {"t", 40}, {"tb", 40}, {"p", 50}, {"pb", 50}};
  for (const auto& [name, shift] : kSuffixes) {
    if (EqualsIgnoreCase(suffix, name)) return shift;
  }
  return -1;
}

// Spark's quantile rule (AppStatusUtils.getQuantilesValue): element min(floor(q × n), n − 1).
Quantiles SparkQuantiles(const std::vector<int64_t>& sorted) {
  Quantiles q{};
  if (sorted.empty()) return q;
  const size_t n = sorted.size();
  for (size_t i = 0; i < kSkewQuantiles.size(); ++i) {
    size_t at = static_cast<size_t>(std::floor(kSkewQuantiles[i] * static_cast<double>(n)));
    q[i] = sorted[std::min(at, n - 1)];
  }
  return q;
}

// OptimizeSkewedJoin's median: the middle value, or the mean of the two middle values for an
// even count (integer division), and at least 1 byte.
int64_t AqeMedian(const std::vector<int64_t>& sorted) {
  const size_t n = sorted.size();
  if (n == 0) return 1;
  int64_t m = n % 2 == 0 ? sorted[n / 2 - 1] / 2 + sorted[n / 2] / 2 +
                               (sorted[n / 2 - 1] % 2 + sorted[n / 2] % 2) / 2
                         : sorted[n / 2];
  return std::max<int64_t>(m, 1);
}

// max(threshold, (median × factor) truncated), saturating at INT64_MAX.
int64_t ByteThreshold(int64_t median, double factor, int64_t threshold) {
  double scaled = static_cast<double>(median) * factor;
  constexpr double kMax = 9.2e18;  // a double just under INT64_MAX (≈ 9.22e18)
  int64_t by_median =
      scaled >= kMax ? std::numeric_limits<int64_t>::max() : static_cast<int64_t>(scaled);
  return std::max(threshold, by_median);
}

double MaxOverMedian(const Quantiles& q) {
  return static_cast<double>(q[4]) / static_cast<double>(std::max<int64_t>(q[2], 1));
}

std::string FormatBytes(int64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  double v = static_cast<double>(bytes);
  size_t u = 0;
  while (v >= 1024 && u + 1 < std::size(kUnits)) {
    v /= 1024;
    ++u;
  }
  return u == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", v, kUnits[u]);
}

std::string FormatMs(int64_t ms) {
  return ms < 1000 ? fmt::format("{} ms", ms) : fmt::format("{:.1f} s", ms / 1000.0);
}

// ---- settings -----------------------------------------------------------------------------

template <typename T, typename Parse>
Setting<T> ReadSetting(const Application& app, std::string_view key, T dflt, Parse parse) {
  Setting<T> s;
  s.value = dflt;
  auto raw = app.SparkConf(key);
  if (!raw) return s;
  s.raw = std::string(*raw);
  if (auto v = parse(*raw)) {
    s.value = *v;
    s.source = SettingSource::kConf;
  } else {
    s.source = SettingSource::kInvalidConf;
  }
  return s;
}

// A non-negative decimal (Spark 3.x reads the factor as an int, 4.x as a double; we accept
// both spellings).
std::optional<double> ParseFactor(std::string_view text) {
  text = Trim(text);
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || !(v >= 0) || std::isinf(v)) {
    return std::nullopt;
  }
  return v;
}

// ---- joins --------------------------------------------------------------------------------

void AddJoinNode(StageJoins* j, const std::string& node) {
  auto has = [&](std::string_view part) { return node.find(part) != std::string::npos; };
  bool smj = has("SortMergeJoin"), shj = has("ShuffledHashJoin");
  bool bcast = has("BroadcastHashJoin") || has("BroadcastNestedLoopJoin");
  bool cart = has("CartesianProduct");
  if (!(smj || shj || bcast || cart)) return;
  j->sort_merge |= smj;
  j->shuffled_hash |= shj;
  j->broadcast |= bcast;
  j->cartesian |= cart;
  j->skew_split_seen |= has("(skew=true)");
  if (std::find(j->join_nodes.begin(), j->join_nodes.end(), node) == j->join_nodes.end()) {
    j->join_nodes.push_back(node);
  }
}

void AddJobJoins(const Application& app, int32_t job_id, StageJoins* j) {
  auto job = app.jobs.find(job_id);
  if (job == app.jobs.end() || !job->second.sql_execution_id) return;
  int64_t id = *job->second.sql_execution_id;
  auto& ids = j->sql_execution_ids;
  if (std::find(ids.begin(), ids.end(), id) != ids.end()) return;
  ids.push_back(id);
  auto exec = app.sql_executions.find(id);
  if (exec == app.sql_executions.end()) return;
  for (const std::string& node : exec->second.plan_nodes) AddJoinNode(j, node);
}

// The jobs of every attempt of the stage: a JobStart lists only first attempts, so a retried
// attempt (FetchFailed → attempt 1) knows its jobs through attempt 0.
StageJoins CollectJoins(const Application& app, int32_t stage_id) {
  StageJoins j;
  for (auto it = app.stages.lower_bound({stage_id, 0});
       it != app.stages.end() && it->first.first == stage_id; ++it) {
    for (int32_t job_id : it->second.job_ids) AddJobJoins(app, job_id, &j);
  }
  return j;
}

// ---- times --------------------------------------------------------------------------------

// The app's end: ApplicationEnd's time, or (still running, or no end event) the last event.
TimeMs AppEnd(const Application& app) {
  return app.completed && app.end_time != kNoTime ? app.end_time : app.last_event_time;
}

std::optional<int64_t> Span(TimeMs start, TimeMs end) {
  if (start == kNoTime || end == kNoTime || end < start) return std::nullopt;
  return end - start;
}

void SetWallTime(const Application& app, const StageAttempt& stage, std::optional<int64_t> app_wall,
                 StageSkew* out) {
  TimeMs end = stage.completion_time != kNoTime ? stage.completion_time : AppEnd(app);
  out->wall_ms = Span(stage.submission_time, end);
  if (out->wall_ms && app_wall && *app_wall > 0) {
    out->share_of_app = static_cast<double>(*out->wall_ms) / static_cast<double>(*app_wall);
  }
}

// ---- per stage ----------------------------------------------------------------------------

// Pass 1: the successful task attempts and their three values.
void Collect(const Application& app, const StageAttempt& stage, Scratch* s) {
  s->ok.clear();
  s->duration.clear();
  s->input.clear();
  s->shuffle_read.clear();
  for (uint32_t i : stage.tasks) {
    const TaskAttempt& t = app.tasks[i];
    if (t.end != TaskEndKind::kSuccess) continue;
    s->ok.push_back(&t);
    s->duration.push_back(t.duration().value_or(0));
    s->input.push_back(t.metrics.input_bytes_read);
    s->shuffle_read.push_back(t.metrics.sr_total_bytes_read());
  }
}

Quantiles SortedQuantiles(const std::vector<int64_t>& values, Scratch* s,
                          int64_t* aqe_median = nullptr) {
  s->sorted.assign(values.begin(), values.end());
  std::sort(s->sorted.begin(), s->sorted.end());
  if (aqe_median) *aqe_median = AqeMedian(s->sorted);
  return SparkQuantiles(s->sorted);
}

ByteRule MakeByteRule(int64_t aqe_median, const AqeSettings& aqe) {
  ByteRule r;
  r.aqe_median = aqe_median;
  r.threshold = ByteThreshold(aqe_median, aqe.skewed_partition_factor.value,
                              aqe.skewed_partition_threshold_bytes.value);
  return r;
}

// Pass 2: flags partitions. Each task index is listed once: a second successful attempt of
// the same index (a speculative copy) counts in the quantiles but the first one is listed.
void FlagPartitions(const Application& app, const Scratch& s, const SkewOptions& opt,
                    StageSkew* out) {
  const double median = static_cast<double>(std::max<int64_t>(out->duration_ms[2], 1));
  const double duration_bar = opt.duration_ratio * median;
  for (size_t i = 0; i < s.ok.size(); ++i) {
    const TaskAttempt& t = *s.ok[i];
    SkewedPartition p;
    p.by_shuffle_read = s.shuffle_read[i] > out->shuffle_read_rule.threshold;
    p.by_input = s.input[i] > out->input_rule.threshold;
    p.by_duration = static_cast<double>(s.duration[i]) >= duration_bar &&
                    s.duration[i] >= opt.duration_floor_ms;
    if (!(p.by_shuffle_read || p.by_input || p.by_duration)) continue;
    p.index = t.index;
    p.partition_id = t.partition_id;
    p.task_id = t.task_id;
    p.attempt = t.attempt;
    p.shuffle_read_bytes = s.shuffle_read[i];
    p.input_bytes = s.input[i];
    p.duration_ms = s.duration[i];
    p.executor = std::string(app.ExecutorOf(t));
    p.host = std::string(app.HostOf(t));
    out->skewed.push_back(std::move(p));
  }
  auto& v = out->skewed;
  std::stable_sort(v.begin(), v.end(),
                   [](const auto& a, const auto& b) { return a.index < b.index; });
  v.erase(std::unique(v.begin(), v.end(),
                      [](const auto& a, const auto& b) { return a.index == b.index; }),
          v.end());
  for (const SkewedPartition& p : v) {
    out->shuffle_read_rule.num_skewed += p.by_shuffle_read;
    out->input_rule.num_skewed += p.by_input;
    out->num_skewed_by_duration += p.by_duration;
  }
  out->num_skewed_partitions = static_cast<int32_t>(v.size());
  std::stable_sort(v.begin(), v.end(),
                   [](const auto& a, const auto& b) { return a.duration_ms > b.duration_ms; });
  if (v.size() > opt.max_listed_partitions) v.resize(opt.max_listed_partitions);
}

Severity Grade(const StageSkew& st, const SkewOptions& opt) {
  if (!st.is_skewed()) return Severity::kNone;
  // The max/median of the metrics that flagged something.
  double ratio = 0;
  if (st.num_skewed_by_duration > 0) ratio = std::max(ratio, st.duration_max_over_median);
  if (st.shuffle_read_rule.num_skewed > 0) {
    ratio = std::max(ratio, st.shuffle_read_max_over_median);
  }
  if (st.input_rule.num_skewed > 0) ratio = std::max(ratio, st.input_max_over_median);
  if (!st.share_of_app) return Severity::kMedium;
  if (*st.share_of_app < opt.low_share) return Severity::kLow;
  if (*st.share_of_app >= opt.high_share && ratio >= opt.high_ratio) return Severity::kHigh;
  return Severity::kMedium;
}

// ---- recommendations ----------------------------------------------------------------------

std::string StageLabel(const StageSkew& st) {
  return fmt::format("stage {}.{}", st.stage_id, st.attempt_id);
}

// The largest shuffle read among partitions the time rule flagged but AQE's byte rule did not
// (only the listed partitions: the worst ones). 0 when there is none.
int64_t SlowUnsplitBytes(const StageSkew& st) {
  int64_t b = 0;
  for (const SkewedPartition& p : st.skewed) {
    if (p.by_duration && !p.by_shuffle_read) b = std::max(b, p.shuffle_read_bytes);
  }
  return b;
}

// The factor that makes AQE flag a partition `times` × the median: the largest integer
// below `times`. Under 2 it is not worth it (AQE would split every partition above median).
int64_t FactorFor(double times) { return static_cast<int64_t>(std::ceil(times)) - 1; }

// Whether slow partitions of `bytes` could be split by AQE with lower settings: over the
// advisory size (AQE's split target, so smaller partitions gain nothing) and either already
// over factor × median or more than 2× the median (a factor ≥ 2 then flags them).
bool BytesCanExplain(const AqeSettings& aqe, const StageSkew& st, int64_t bytes) {
  if (bytes <= aqe.advisory_partition_bytes.value) return false;
  double times = static_cast<double>(bytes) / static_cast<double>(st.shuffle_read_rule.aqe_median);
  return times > aqe.skewed_partition_factor.value || FactorFor(times) >= 2;
}

void NoteNotBytes(const AqeSettings& aqe, int64_t bytes, StageSkew* st) {
  const int64_t advisory = aqe.advisory_partition_bytes.value;
  st->notes.push_back(
      bytes <= advisory
          ? fmt::format("the slow partitions read at most {} of shuffle data, not more than the "
                        "advisory partition size ({}): AQE cannot split them usefully; the skew "
                        "is in rows or compute, not bytes (look at the join key's distribution)",
                        FormatBytes(bytes), FormatBytes(advisory))
          : fmt::format("the slow partitions read only {:.1f}× the median shuffle bytes: the "
                        "skew is in rows or compute, not bytes; AQE's byte rule cannot see it",
                        static_cast<double>(bytes) /
                            static_cast<double>(st->shuffle_read_rule.aqe_median)));
}

// What AQE needs to flag slow partitions of `bytes` that its current rule leaves alone:
// a lower threshold and/or a lower factor. REQUIRES: BytesCanExplain(aqe, *st, bytes).
void RecommendThresholds(const AqeSettings& aqe, int64_t bytes, StageSkew* st) {
  const int64_t threshold = aqe.skewed_partition_threshold_bytes.value;
  if (bytes <= threshold) {
    // Half the slow size (margin for the next run's data), never under the advisory size.
    int64_t mib =
        std::max<int64_t>(std::max(aqe.advisory_partition_bytes.value, bytes / 2) >> 20, 1);
    st->recommendations.push_back(
        {kSkewThresholdKey, fmt::format("{}MB", mib),
         fmt::format("{}: tasks run up to {} (median {}) on up to {} of shuffle data, under "
                     "the skew threshold {}; {}MB lets AQE split them",
                     StageLabel(*st), FormatMs(st->duration_ms[4]), FormatMs(st->duration_ms[2]),
                     FormatBytes(bytes), FormatBytes(threshold), mib)});
  }
  const int64_t median = st->shuffle_read_rule.aqe_median;
  double times = static_cast<double>(bytes) / static_cast<double>(median);
  if (times <= aqe.skewed_partition_factor.value) {
    st->recommendations.push_back(
        {kSkewFactorKey, std::to_string(FactorFor(times)),
         fmt::format("{}: the slow tasks read {:.1f}× the median ({}), not more than the "
                     "factor {}; a factor of {} lets AQE flag them",
                     StageLabel(*st), times, FormatBytes(median), aqe.skewed_partition_factor.value,
                     FactorFor(times))});
  }
}

void RecommendEnable(const AqeSettings& aqe, StageSkew* st) {
  const char* why =
      "a skewed sort-merge/shuffled-hash join stage; AQE splits skewed "
      "partitions only when adaptive execution and its skew join are on";
  if (!aqe.adaptive_enabled.value) {
    st->recommendations.push_back(
        {kAdaptiveEnabledKey, "true",
         fmt::format("{}: {} (adaptive execution is {})", StageLabel(*st), why,
                     aqe.adaptive_enabled.source == SettingSource::kConf
                         ? "off in the conf"
                         : "off by default before Spark 3.2")});
  }
  if (!aqe.skew_join_enabled.value) {
    st->recommendations.push_back(
        {kSkewJoinEnabledKey, "true",
         fmt::format("{}: {} (skew join is off in the conf)", StageLabel(*st), why)});
  }
}

// AQE is on and task bytes are over its threshold, yet the plan shows no split.
void RecommendForce(const AqeSettings& aqe, StageSkew* st) {
  if (st->joins.skew_split_seen) {
    st->notes.push_back(
        "AQE did split skewed partitions in this query (a join named \"(skew=true)\"), yet "
        "tasks remain over the threshold: a task's shuffle read adds both join sides, or "
        "another join of the query is the skewed one");
    return;
  }
  if (aqe.force_optimize_skewed_join.value) return;
  if (!aqe.ForceAvailable()) {
    st->notes.push_back(
        "AQE left partitions over its threshold unsplit, most likely because splitting "
        "would add a shuffle; spark.sql.adaptive.forceOptimizeSkewedJoin needs Spark 3.3+");
    return;
  }
  st->recommendations.push_back(
      {kForceSkewJoinKey, "true",
       fmt::format("{}: {} partitions exceed AQE's skew threshold ({}) but the plan shows no "
                   "split join; AQE declines a split that would add a shuffle unless forced",
                   StageLabel(*st), st->shuffle_read_rule.num_skewed,
                   FormatBytes(st->shuffle_read_rule.threshold))});
}

// Notes for a skewed stage whose join AQE cannot split (or that is no join's reduce side).
bool NoteUnsplittable(const AqeSettings& aqe, StageSkew* st) {
  const StageJoins& j = st->joins;
  if (st->shuffle_read_bytes[4] == 0) {
    st->notes.push_back(
        st->input_rule.num_skewed > 0
            ? "input skew: uneven input splits (file sizes); AQE's skew join does not act on scans"
            : "this stage reads no shuffle data, so it is no join's reduce side; AQE's skew "
              "join does not apply");
    return true;
  }
  if (!j.any()) {
    st->notes.push_back(
        "not part of a SQL join: AQE's skew-join rule does not apply; "
        "repartition or salt the skewed key");
    return true;
  }
  if (!j.splittable()) {
    st->notes.push_back(j.cartesian && !j.broadcast
                            ? "a cartesian product: AQE does not split its partitions"
                            : "broadcast joins are not split by AQE's skew rule (it handles "
                              "sort-merge and shuffled-hash joins only)");
    return true;
  }
  if (!aqe.SkewJoinAvailable()) {
    st->notes.push_back(fmt::format(
        "AQE skew-join handling needs Spark 3.0+; this log's version is {}",
        aqe.spark_version ? fmt::format("{}.{}", aqe.spark_version->major, aqe.spark_version->minor)
                          : std::string("unknown")));
    return true;
  }
  if (!j.sort_merge && !aqe.SplitsShuffledHashJoin()) {
    st->notes.push_back(
        "Spark before 3.2 splits skew only in sort-merge joins, not "
        "shuffled-hash joins (SPARK-35214)");
  }
  return false;
}

// Enabling AQE is advised only when AQE could then act: partitions over its threshold, or
// slow partitions that lower settings would bring over it.
void Recommend(const AqeSettings& aqe, StageSkew* st) {
  if (!st->is_skewed() || NoteUnsplittable(aqe, st)) return;
  const bool over = st->shuffle_read_rule.num_skewed > 0;
  const int64_t slow = SlowUnsplitBytes(*st);
  const bool lowerable = slow > 0 && BytesCanExplain(aqe, *st, slow);
  if (slow > 0 && !lowerable) NoteNotBytes(aqe, slow, st);
  if (!over && !lowerable) return;
  if (!aqe.SkewJoinActive()) RecommendEnable(aqe, st);
  if (over && aqe.SkewJoinActive()) RecommendForce(aqe, st);
  if (lowerable) RecommendThresholds(aqe, slow, st);
}

// For the same key keeps the value that covers every stage: the lowest size or factor.
void MergeRecommendation(const Recommendation& r, std::vector<Recommendation>* out) {
  auto it = std::find_if(out->begin(), out->end(), [&](const auto& x) { return x.key == r.key; });
  if (it == out->end()) {
    out->push_back(r);
    return;
  }
  bool lower = false;
  if (r.key == kSkewThresholdKey) {
    lower = ParseSparkBytes(r.value).value_or(0) < ParseSparkBytes(it->value).value_or(0);
  } else if (r.key == kSkewFactorKey) {
    lower = ParseFactor(r.value).value_or(0) < ParseFactor(it->value).value_or(0);
  }
  if (lower) *it = r;
}

StageSkew AnalyzeStage(const Application& app, const StageAttempt& stage, const AqeSettings& aqe,
                       const SkewOptions& opt, std::optional<int64_t> app_wall, Scratch* s) {
  StageSkew st;
  st.stage_id = stage.stage_id;
  st.attempt_id = stage.attempt_id;
  st.name = stage.name;
  Collect(app, stage, s);
  st.num_tasks = static_cast<int32_t>(s->ok.size());
  st.judged = st.num_tasks >= opt.min_tasks;
  int64_t sr_median = 1, in_median = 1;
  st.duration_ms = SortedQuantiles(s->duration, s);
  st.input_bytes = SortedQuantiles(s->input, s, &in_median);
  st.shuffle_read_bytes = SortedQuantiles(s->shuffle_read, s, &sr_median);
  st.shuffle_read_rule = MakeByteRule(sr_median, aqe);
  st.input_rule = MakeByteRule(in_median, aqe);
  st.duration_max_over_median = MaxOverMedian(st.duration_ms);
  st.input_max_over_median = MaxOverMedian(st.input_bytes);
  st.shuffle_read_max_over_median = MaxOverMedian(st.shuffle_read_bytes);
  SetWallTime(app, stage, app_wall, &st);
  st.joins = CollectJoins(app, stage.stage_id);
  if (st.judged) FlagPartitions(app, *s, opt, &st);
  st.severity = Grade(st, opt);
  Recommend(aqe, &st);
  return st;
}

SkewOptions Clamp(SkewOptions o) {
  if (!(o.duration_ratio >= 1)) o.duration_ratio = 1;
  o.duration_floor_ms = std::max<int64_t>(o.duration_floor_ms, 0);
  o.min_tasks = std::max(o.min_tasks, 1);
  return o;
}

}  // namespace

// ---- public -------------------------------------------------------------------------------

std::optional<int64_t> ParseSparkBytes(std::string_view text) {
  text = Trim(text);
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0) return std::nullopt;
  int shift = SuffixShift(text.substr(digits));
  if (shift < 0) return std::nullopt;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + digits, v);
  if (ec != std::errc() || end != text.data() + digits) return std::nullopt;
  if (shift > 0 && v > (std::numeric_limits<int64_t>::max() >> shift)) return std::nullopt;
  return v << shift;
}

std::optional<bool> ParseSparkBool(std::string_view text) {
  text = Trim(text);
  if (EqualsIgnoreCase(text, "true")) return true;
  if (EqualsIgnoreCase(text, "false")) return false;
  return std::nullopt;
}

std::optional<SparkVersion> ParseSparkVersion(std::string_view text) {
  text = Trim(text);
  SparkVersion v;
  const char* p = text.data();
  const char* e = p + text.size();
  auto r1 = std::from_chars(p, e, v.major);
  if (r1.ec != std::errc() || r1.ptr == e || *r1.ptr != '.') return std::nullopt;
  auto r2 = std::from_chars(r1.ptr + 1, e, v.minor);
  if (r2.ec != std::errc() || v.major < 0 || v.minor < 0) return std::nullopt;
  return v;
}

const char* SettingSourceName(SettingSource s) {
  switch (s) {
    case SettingSource::kDefault:
      return "default";
    case SettingSource::kConf:
      return "conf";
    case SettingSource::kOption:
      return "option";
    case SettingSource::kInvalidConf:
      return "invalid-conf";
  }
  return "?";
}

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kNone:
      return "none";
    case Severity::kLow:
      return "low";
    case Severity::kMedium:
      return "medium";
    case Severity::kHigh:
      return "high";
  }
  return "?";
}

AqeSettings ReadAqeSettings(const Application& app, const SkewOptions& options) {
  AqeSettings a;
  a.spark_version = ParseSparkVersion(app.spark_version);
  const bool adaptive_default = a.spark_version && a.spark_version->AtLeast(3, 2);
  a.adaptive_enabled = ReadSetting(app, kAdaptiveEnabledKey, adaptive_default, ParseSparkBool);
  a.skew_join_enabled = ReadSetting(app, kSkewJoinEnabledKey, true, ParseSparkBool);
  a.skewed_partition_factor = ReadSetting(app, kSkewFactorKey, kDefaultSkewFactor, ParseFactor);
  a.skewed_partition_threshold_bytes =
      ReadSetting(app, kSkewThresholdKey, kDefaultSkewThresholdBytes, ParseSparkBytes);
  a.force_optimize_skewed_join = ReadSetting(app, kForceSkewJoinKey, false, ParseSparkBool);
  a.advisory_partition_bytes =
      app.SparkConf(kAdvisorySizeKey)
          ? ReadSetting(app, kAdvisorySizeKey, kDefaultAdvisoryBytes, ParseSparkBytes)
          : ReadSetting(app, kLegacyAdvisorySizeKey, kDefaultAdvisoryBytes, ParseSparkBytes);
  if (options.skewed_partition_factor) {
    a.skewed_partition_factor.value = std::max(*options.skewed_partition_factor, 0.0);
    a.skewed_partition_factor.source = SettingSource::kOption;
  }
  if (options.skewed_partition_threshold_bytes) {
    a.skewed_partition_threshold_bytes.value =
        std::max<int64_t>(*options.skewed_partition_threshold_bytes, 0);
    a.skewed_partition_threshold_bytes.source = SettingSource::kOption;
  }
  return a;
}

SkewReport AnalyzeSkew(const Application& app, const SkewOptions& options) {
  SkewReport r;
  r.options = Clamp(options);
  r.aqe = ReadAqeSettings(app, r.options);
  r.app_wall_ms = Span(app.start_time, AppEnd(app));
  Scratch scratch;
  for (const auto& [key, stage] : app.stages) {
    if (stage.tasks.empty()) continue;
    r.stages.push_back(AnalyzeStage(app, stage, r.aqe, r.options, r.app_wall_ms, &scratch));
    const StageSkew& st = r.stages.back();
    r.num_skewed_stages += st.is_skewed();
    for (const Recommendation& rec : st.recommendations)
      MergeRecommendation(rec, &r.recommendations);
  }
  return r;
}

}  // namespace sparkmedic
