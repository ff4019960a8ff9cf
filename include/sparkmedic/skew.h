// Data skew per stage attempt: task quantiles, skewed partitions, AQE settings, advice.
//
// For every stage attempt AnalyzeSkew computes the quantiles 0, 0.25, 0.5, 0.75 and 1 of task
// duration, input bytes and shuffle-read bytes over the attempt's *successful* tasks, by the
// rule the Spark UI uses (sort, take element min(floor(q × n), n − 1), no interpolation). It
// then flags skewed partitions (task indices):
//
//   * by bytes, with Spark AQE's own skew-join rule (OptimizeSkewedJoin): a partition is
//     skewed iff its bytes are strictly greater than
//     max(skewedPartitionThresholdInBytes, skewedPartitionFactor × median), where median is
//     AQE's median (mean of the two middle values for an even count, at least 1). Applied to
//     shuffle-read bytes (what AQE measures) and, for information, to input bytes;
//   * by time: duration ≥ duration_ratio × median duration AND duration ≥ duration_floor_ms.
//
// It says whether the stage ran inside a SQL join, reads the AQE settings from the app's conf
// (or Spark's defaults for the log's version), grades each stage and recommends configuration
// changes. docs/skew.md explains the rules, the defaults and what each recommendation does.
//
// Task bytes only approximate AQE's partition sizes (a task's shuffle read sums both join
// sides, and with AQE on it is measured after coalescing/splitting): see docs/skew.md, Limits.
#ifndef SPARKMEDIC_SKEW_H_
#define SPARKMEDIC_SKEW_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sparkmedic/model.h"

namespace sparkmedic {

// ---- Spark configuration values -----------------------------------------------------------

// Parses a size as Spark's JavaUtils.byteStringAsBytes does: trimmed, case-insensitive digits
// with an optional binary suffix b, k/kb, m/mb, g/gb, t/tb, p/pb ("256MB", "256m", "1g",
// "268435456b"); plain digits are bytes. Returns nullopt for anything else: empty, negative,
// fractional ("1.5g", which Spark rejects too), unknown suffix, or a value over INT64_MAX.
std::optional<int64_t> ParseSparkBytes(std::string_view text);

// Parses a Spark boolean: "true" or "false", case-insensitive, surrounding whitespace ignored.
std::optional<bool> ParseSparkBool(std::string_view text);

// The major.minor of a Spark version string: "3.0.1" → {3, 0}, "3.3.0-amzn-1" → {3, 3}.
struct SparkVersion {
  int major = 0;
  int minor = 0;
  bool AtLeast(int mj, int mn) const { return major > mj || (major == mj && minor >= mn); }
};
// Nullopt when `text` does not start with "<digits>.<digits>".
std::optional<SparkVersion> ParseSparkVersion(std::string_view text);

// Where a setting's value came from.
enum class SettingSource : uint8_t {
  kDefault,      // not in the app's conf: Spark's default for the log's version
  kConf,         // the app's Spark properties
  kOption,       // SkewOptions overrode it
  kInvalidConf,  // in the conf but unparsable (Spark would fail): the default is used
};
const char* SettingSourceName(SettingSource s);  // "default", "conf", "option", "invalid-conf"

template <typename T>
struct Setting {
  T value{};
  SettingSource source = SettingSource::kDefault;
  std::string raw;  // the conf text when the conf has the key, else empty
};

inline constexpr char kAdaptiveEnabledKey[] = "spark.sql.adaptive.enabled";
inline constexpr char kSkewJoinEnabledKey[] = "spark.sql.adaptive.skewJoin.enabled";
inline constexpr char kSkewFactorKey[] = "spark.sql.adaptive.skewJoin.skewedPartitionFactor";
inline constexpr char kSkewThresholdKey[] =
    "spark.sql.adaptive.skewJoin.skewedPartitionThresholdInBytes";
inline constexpr char kForceSkewJoinKey[] = "spark.sql.adaptive.forceOptimizeSkewedJoin";
inline constexpr char kAdvisorySizeKey[] = "spark.sql.adaptive.advisoryPartitionSizeInBytes";
inline constexpr char kLegacyAdvisorySizeKey[] =
    "spark.sql.adaptive.shuffle.targetPostShuffleInputSize";
inline constexpr double kDefaultSkewFactor = 5.0;
inline constexpr int64_t kDefaultSkewThresholdBytes = 256LL << 20;  // 256MB
inline constexpr int64_t kDefaultAdvisoryBytes = 64LL << 20;        // 64MB

// The AQE skew-join settings of one application.
struct AqeSettings {
  // nullopt when Application::spark_version is empty or unparsable; such a log is treated as
  // pre-3.0 (empty versions come from Spark 1.2-era logs).
  std::optional<SparkVersion> spark_version;
  Setting<bool> adaptive_enabled;                     // default true from 3.2, false before
  Setting<bool> skew_join_enabled;                    // default true
  Setting<double> skewed_partition_factor;            // default 5
  Setting<int64_t> skewed_partition_threshold_bytes;  // default 256MB
  Setting<bool> force_optimize_skewed_join;           // default false; exists from 3.3
  // spark.sql.adaptive.advisoryPartitionSizeInBytes, else the legacy
  // spark.sql.adaptive.shuffle.targetPostShuffleInputSize, else 64MB: the size AQE splits
  // skewed partitions into (at least), so a partition under it gains nothing from a split.
  Setting<int64_t> advisory_partition_bytes;

  // Spark ≥ 3.0: the OptimizeSkewedJoin rule exists.
  bool SkewJoinAvailable() const { return spark_version && spark_version->AtLeast(3, 0); }
  // Spark ≥ 3.2: the rule also splits shuffled-hash joins (SPARK-35214); before, sort-merge only.
  bool SplitsShuffledHashJoin() const { return spark_version && spark_version->AtLeast(3, 2); }
  // Spark ≥ 3.3: spark.sql.adaptive.forceOptimizeSkewedJoin exists.
  bool ForceAvailable() const { return spark_version && spark_version->AtLeast(3, 3); }
  // The rule runs: available, adaptive execution on and skew join on.
  bool SkewJoinActive() const {
    return SkewJoinAvailable() && adaptive_enabled.value && skew_join_enabled.value;
  }
};

// ---- Options ------------------------------------------------------------------------------

struct SkewOptions {
  // Time rule: a task is skewed iff duration ≥ duration_ratio × median AND ≥ duration_floor_ms.
  double duration_ratio = 5.0;
  int64_t duration_floor_ms = 60'000;
  // Stage attempts with fewer successful tasks are reported (quantiles) but not judged.
  int32_t min_tasks = 5;
  // Replace the app's conf (source kOption) for the byte rule.
  std::optional<double> skewed_partition_factor;
  std::optional<int64_t> skewed_partition_threshold_bytes;
  // Severity: a skewed stage under low_share of the app's time is low; at or over high_share
  // with max/median ≥ high_ratio it is high; otherwise medium.
  double low_share = 0.05;
  double high_share = 0.25;
  double high_ratio = 10.0;
  // At most this many skewed partitions are listed per stage (the worst first); the counts in
  // StageSkew cover all of them.
  size_t max_listed_partitions = 20;
};

// ---- The report ---------------------------------------------------------------------------

// Values at quantiles 0, 0.25, 0.5, 0.75, 1 (kSkewQuantiles); all 0 when there is no task.
inline constexpr std::array<double, 5> kSkewQuantiles = {0.0, 0.25, 0.5, 0.75, 1.0};
using Quantiles = std::array<int64_t, 5>;

// The byte rule as applied to one metric of one stage attempt.
struct ByteRule {
  int64_t aqe_median = 0;  // AQE's median (even count: mean of the two middle values; ≥ 1)
  int64_t threshold = 0;   // max(threshold bytes, factor × aqe_median); skewed iff bytes > this
  int32_t num_skewed = 0;  // partitions over the threshold
};

struct SkewedPartition {
  int32_t index = -1;         // task index: the partition within this stage attempt
  int32_t partition_id = -1;  // Spark 3.3+ "Partition ID", else -1
  int64_t task_id = -1;
  int32_t attempt = 0;
  int64_t shuffle_read_bytes = 0;
  int64_t input_bytes = 0;
  int64_t duration_ms = 0;
  std::string executor;
  std::string host;
  bool by_shuffle_read = false;  // AQE byte rule on shuffle-read bytes
  bool by_input = false;         // AQE byte rule on input bytes (information only)
  bool by_duration = false;      // time rule
};

enum class Severity : uint8_t { kNone, kLow, kMedium, kHigh };
const char* SeverityName(Severity s);  // "none", "low", "medium", "high"

// The SQL joins of the executions a stage's jobs ran for (plan node names: docs/skew.md).
struct StageJoins {
  std::vector<int64_t> sql_execution_ids;
  std::vector<std::string> join_nodes;  // distinct join node names, e.g. "SortMergeJoin"
  bool sort_merge = false;              // *SortMergeJoin*
  bool shuffled_hash = false;           // *ShuffledHashJoin*
  bool broadcast = false;               // *BroadcastHashJoin* or *BroadcastNestedLoopJoin*
  bool cartesian = false;               // *CartesianProduct*
  bool skew_split_seen = false;         // a join named "...(skew=true)": AQE split partitions
  bool any() const { return !join_nodes.empty(); }
  // Joins AQE can split: sort-merge and shuffled-hash (broadcast and cartesian never).
  bool splittable() const { return sort_merge || shuffled_hash; }
};

// One configuration change: set `key` to `value` because `reason`.
struct Recommendation {
  std::string key;
  std::string value;
  std::string reason;
};

struct StageSkew {
  int32_t stage_id = -1;
  int32_t attempt_id = 0;
  std::string name;
  int32_t num_tasks = 0;           // successful task attempts: the population of every figure
  bool judged = false;             // num_tasks ≥ SkewOptions::min_tasks
  Quantiles duration_ms{};         // Finish Time − Launch Time
  Quantiles input_bytes{};         // Input Metrics.Bytes Read
  Quantiles shuffle_read_bytes{};  // remote + local bytes read
  ByteRule shuffle_read_rule;
  ByteRule input_rule;
  int32_t num_skewed_by_duration = 0;
  int32_t num_skewed_partitions = 0;    // distinct indices flagged by any rule
  std::vector<SkewedPartition> skewed;  // worst first (longest duration), at most max_listed
  // max / median (median at least 1) per metric, by the Spark quantile rule.
  double duration_max_over_median = 0;
  double input_max_over_median = 0;
  double shuffle_read_max_over_median = 0;
  // completion − submission (a stage with no completion: the app's end or last event).
  std::optional<int64_t> wall_ms;
  std::optional<double> share_of_app;  // wall_ms / app wall time; stages overlap, shares add > 1
  StageJoins joins;
  Severity severity = Severity::kNone;
  std::vector<Recommendation> recommendations;
  std::vector<std::string> notes;  // why no (other) recommendation applies; caveats

  bool is_skewed() const { return num_skewed_partitions > 0; }
};

struct SkewReport {
  AqeSettings aqe;
  // The time rule and grading used (a copy of the options, clamped to sane values).
  SkewOptions options;
  std::optional<int64_t> app_wall_ms;  // end − start; a running app: last event − start
  std::vector<StageSkew> stages;       // every stage attempt with a task, by (id, attempt)
  int32_t num_skewed_stages = 0;
  // The stages' recommendations merged by key: for the same key the lowest threshold/factor
  // wins, so one conf change covers every stage.
  std::vector<Recommendation> recommendations;
};

// Reads the AQE settings from `app`'s Spark properties (the last value of a repeated key),
// falling back to the defaults of its Spark version; options.skewed_partition_* override the
// conf (source kOption). Unparsable conf text keeps the default (source kInvalidConf).
AqeSettings ReadAqeSettings(const Application& app, const SkewOptions& options);

// Analyses every stage attempt of `app` that has at least one task attempt. Never fails: a
// model with missing times or metrics yields nullopt shares and zero quantiles, not errors.
// Out-of-range options are clamped (ratio ≥ 1, floor ≥ 0, min_tasks ≥ 1).
// The report owns all its strings (no views into `app`); `app` may be destroyed afterwards.
// Thread-safety: only reads `app`; concurrent calls on one const Application are safe.
// Cost: one pass over each stage's task list plus three sorts of its successful tasks' values;
// scratch vectors are reused across stages.
SkewReport AnalyzeSkew(const Application& app, const SkewOptions& options = {});

}  // namespace sparkmedic

#endif  // SPARKMEDIC_SKEW_H_
