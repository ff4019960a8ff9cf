// Skew analysis on hand-built models (each test states the rule and its hand-computed figures)
// and on real corpus logs.
#include "sparkmedic/skew.h"

#include <initializer_list>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "testutil.h"

namespace sparkmedic {
namespace {

constexpr int64_t kMB = 1LL << 20;
constexpr int64_t kSec = 1000;

// A hand-built Application: an app from t=0 to t=1000 s, stages and successful tasks added
// with the values under test.
class ModelBuilder {
 public:
  explicit ModelBuilder(std::string version = "3.3.1") {
    app_.spark_version = std::move(version);
    app_.start_time = 0;
    app_.end_time = 1000 * kSec;
    app_.last_event_time = 1000 * kSec;
    app_.completed = true;
  }

  ModelBuilder& Conf(std::string key, std::string value) {
    app_.spark_properties.emplace_back(std::move(key), std::move(value));
    return *this;
  }

  // Stage `id` attempt 0, submitted at `submit` and completed at `complete` (ms), in job `id`.
  StageAttempt& Stage(int32_t id, TimeMs submit = 0, TimeMs complete = 10 * kSec) {
    StageAttempt& st = app_.stages[{id, 0}];
    st.stage_id = id;
    st.name = "stage " + std::to_string(id);
    st.submission_time = submit;
    st.completion_time = complete;
    st.job_ids = {id};
    app_.jobs[id].job_id = id;
    return st;
  }

  // A task of stage `id` (attempt 0) with index = the stage's task count so far.
  TaskAttempt& Task(int32_t id, int64_t duration_ms, int64_t shuffle_read = 0, int64_t input = 0,
                    TaskEndKind end = TaskEndKind::kSuccess) {
    StageAttempt& st = app_.stages.at({id, 0});
    TaskAttempt& t = app_.tasks.emplace_back();
    t.task_id = static_cast<int64_t>(app_.tasks.size()) - 1;
    t.stage_id = id;
    t.index = static_cast<int32_t>(st.tasks.size());
    t.launch_time = 1000;
    t.finish_time = end == TaskEndKind::kRunning ? 0 : 1000 + duration_ms;
    t.end = end;
    std::string exec = std::to_string(t.index % 3 + 1);
    t.executor = app_.strings.Intern(exec);
    t.host = app_.strings.Intern("host-" + exec);
    t.metrics.input_bytes_read = input;
    t.metrics.sr_remote_bytes_read = shuffle_read - shuffle_read / 4;
    t.metrics.sr_local_bytes_read = shuffle_read / 4;
    st.tasks.push_back(static_cast<uint32_t>(app_.tasks.size() - 1));
    return t;
  }

  // Tasks with these shuffle-read bytes, each taking `duration_ms`.
  ModelBuilder& ShuffleTasks(int32_t id, std::initializer_list<int64_t> bytes,
                             int64_t duration_ms = kSec) {
    for (int64_t b : bytes) Task(id, duration_ms, b);
    return *this;
  }

  // Stage `id`'s job runs for SQL execution `exec_id` whose plan has `nodes`.
  ModelBuilder& Sql(int32_t id, int64_t exec_id, std::vector<std::string> nodes) {
    app_.jobs[id].sql_execution_id = exec_id;
    SqlExecution& e = app_.sql_executions[exec_id];
    e.execution_id = exec_id;
    e.job_ids.push_back(id);
    e.plan_nodes = std::move(nodes);
    return *this;
  }

  Application& app() { return app_; }

 private:
  Application app_;
};

const StageSkew& StageOf(const SkewReport& r, int32_t id) {
  for (const StageSkew& s : r.stages) {
    if (s.stage_id == id) return s;
  }
  ADD_FAILURE() << "no stage " << id;
  static const StageSkew kNone;
  return kNone;
}

const Recommendation* Find(const std::vector<Recommendation>& recs, std::string_view key) {
  for (const Recommendation& r : recs) {
    if (r.key == key) return &r;
  }
  return nullptr;
}

// ---- configuration values -----------------------------------------------------------------

TEST(ParseSparkBytesTest, SuffixesAreBinaryAndCaseInsensitivePlainNumbersAreBytes) {
  EXPECT_EQ(ParseSparkBytes("256MB"), 268435456);
  EXPECT_EQ(ParseSparkBytes("256m"), 268435456);
  EXPECT_EQ(ParseSparkBytes("256Mb"), 268435456);
  EXPECT_EQ(ParseSparkBytes("1g"), 1073741824);
  EXPECT_EQ(ParseSparkBytes("1GB"), 1073741824);
  EXPECT_EQ(ParseSparkBytes("268435456b"), 268435456);
  EXPECT_EQ(ParseSparkBytes("268435456"), 268435456);
  EXPECT_EQ(ParseSparkBytes("64k"), 65536);
  EXPECT_EQ(ParseSparkBytes("2t"), 2LL << 40);
  EXPECT_EQ(ParseSparkBytes("3pb"), 3LL << 50);
  EXPECT_EQ(ParseSparkBytes("  128mb \t"), 128 * kMB);  // trimmed, as Spark does
  EXPECT_EQ(ParseSparkBytes("0"), 0);
  EXPECT_EQ(ParseSparkBytes("9223372036854775807"), INT64_MAX);
}

TEST(ParseSparkBytesTest, RejectsWhatSparkRejects) {
  EXPECT_EQ(ParseSparkBytes(""), std::nullopt);
  EXPECT_EQ(ParseSparkBytes("MB"), std::nullopt);
  EXPECT_EQ(ParseSparkBytes("1.5g"), std::nullopt);  // "Fractional values are not supported"
  EXPECT_EQ(ParseSparkBytes("-1"), std::nullopt);
  EXPECT_EQ(ParseSparkBytes("256 MB"), std::nullopt);  // no space inside
  EXPECT_EQ(ParseSparkBytes("10x"), std::nullopt);
  EXPECT_EQ(ParseSparkBytes("10mib"), std::nullopt);
  EXPECT_EQ(ParseSparkBytes("9223372036854775808"), std::nullopt);  // over INT64_MAX
  EXPECT_EQ(ParseSparkBytes("8192p"), std::nullopt);                // 2^63 bytes
}

TEST(ParseSparkBoolTest, TrueFalseOnly) {
  EXPECT_EQ(ParseSparkBool("true"), true);
  EXPECT_EQ(ParseSparkBool(" FALSE "), false);
  EXPECT_EQ(ParseSparkBool("True"), true);
  EXPECT_EQ(ParseSparkBool("yes"), std::nullopt);
  EXPECT_EQ(ParseSparkBool("1"), std::nullopt);
  EXPECT_EQ(ParseSparkBool(""), std::nullopt);
}

TEST(ParseSparkVersionTest, MajorMinorOfReleaseAndVendorStrings) {
  auto v = ParseSparkVersion("3.0.1");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->major, 3);
  EXPECT_EQ(v->minor, 0);
  v = ParseSparkVersion("3.3.0-amzn-1");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->minor, 3);
  EXPECT_TRUE(v->AtLeast(3, 3));
  EXPECT_FALSE(v->AtLeast(3, 4));
  EXPECT_TRUE(v->AtLeast(2, 9));
  v = ParseSparkVersion("4.0.0-preview2");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->major, 4);
  EXPECT_FALSE(ParseSparkVersion(""));
  EXPECT_FALSE(ParseSparkVersion("3"));
  EXPECT_FALSE(ParseSparkVersion("spark-3.1"));
}

// ---- AQE settings -------------------------------------------------------------------------

TEST(AqeSettingsTest, AdaptiveDefaultsToOnFrom32AndOffBefore) {
  struct Case {
    const char* version;
    bool adaptive, available, shj, force;
  };
  for (const Case& c :
       {Case{"3.2.0", true, true, true, false}, Case{"3.5.1", true, true, true, true},
        Case{"3.1.2", false, true, false, false}, Case{"3.0.1", false, true, false, false},
        Case{"2.4.8", false, false, false, false}, Case{"", false, false, false, false}}) {
    ModelBuilder b(c.version);
    AqeSettings a = ReadAqeSettings(b.app(), {});
    SCOPED_TRACE(c.version);
    EXPECT_EQ(a.adaptive_enabled.value, c.adaptive);
    EXPECT_EQ(a.adaptive_enabled.source, SettingSource::kDefault);
    EXPECT_TRUE(a.skew_join_enabled.value);
    EXPECT_EQ(a.SkewJoinAvailable(), c.available);
    EXPECT_EQ(a.SplitsShuffledHashJoin(), c.shj);
    EXPECT_EQ(a.ForceAvailable(), c.force);
    EXPECT_EQ(a.SkewJoinActive(), c.available && c.adaptive);
    EXPECT_EQ(a.skewed_partition_factor.value, 5.0);
    EXPECT_EQ(a.skewed_partition_threshold_bytes.value, 256 * kMB);
    EXPECT_EQ(a.advisory_partition_bytes.value, 64 * kMB);
    EXPECT_FALSE(a.force_optimize_skewed_join.value);
  }
}

TEST(AqeSettingsTest, ConfWinsOverDefaultsLastValueWinsOptionsWinOverConf) {
  ModelBuilder b("3.1.1");
  b.Conf(kAdaptiveEnabledKey, "false")
      .Conf(kAdaptiveEnabledKey, "TRUE")  // the later property wins, as Application::SparkConf
      .Conf(kSkewJoinEnabledKey, "false")
      .Conf(kSkewFactorKey, "3")
      .Conf(kSkewThresholdKey, "100m")
      .Conf(kLegacyAdvisorySizeKey, "32MB")
      .Conf(kForceSkewJoinKey, "true");
  AqeSettings a = ReadAqeSettings(b.app(), {});
  EXPECT_TRUE(a.adaptive_enabled.value);
  EXPECT_EQ(a.adaptive_enabled.source, SettingSource::kConf);
  EXPECT_EQ(a.adaptive_enabled.raw, "TRUE");
  EXPECT_FALSE(a.skew_join_enabled.value);
  EXPECT_EQ(a.skewed_partition_factor.value, 3.0);
  EXPECT_EQ(a.skewed_partition_threshold_bytes.value, 100 * kMB);
  EXPECT_EQ(a.skewed_partition_threshold_bytes.source, SettingSource::kConf);
  EXPECT_EQ(a.advisory_partition_bytes.value, 32 * kMB);  // the legacy key, when alone
  EXPECT_TRUE(a.force_optimize_skewed_join.value);

  b.Conf(kAdvisorySizeKey, "16m");  // the current key beats the legacy one
  SkewOptions o;
  o.skewed_partition_factor = 2.5;
  o.skewed_partition_threshold_bytes = 10 * kMB;
  a = ReadAqeSettings(b.app(), o);
  EXPECT_EQ(a.advisory_partition_bytes.value, 16 * kMB);
  EXPECT_EQ(a.skewed_partition_factor.value, 2.5);
  EXPECT_EQ(a.skewed_partition_factor.source, SettingSource::kOption);
  EXPECT_EQ(a.skewed_partition_threshold_bytes.value, 10 * kMB);
  EXPECT_EQ(a.skewed_partition_threshold_bytes.source, SettingSource::kOption);
}

TEST(AqeSettingsTest, UnparsableConfKeepsTheDefaultAndSaysSo) {
  ModelBuilder b("3.3.0");
  b.Conf(kAdaptiveEnabledKey, "yes").Conf(kSkewFactorKey, "five").Conf(kSkewThresholdKey, "1.5g");
  AqeSettings a = ReadAqeSettings(b.app(), {});
  EXPECT_TRUE(a.adaptive_enabled.value);
  EXPECT_EQ(a.adaptive_enabled.source, SettingSource::kInvalidConf);
  EXPECT_EQ(a.adaptive_enabled.raw, "yes");
  EXPECT_EQ(a.skewed_partition_factor.value, 5.0);
  EXPECT_EQ(a.skewed_partition_factor.source, SettingSource::kInvalidConf);
  EXPECT_EQ(a.skewed_partition_threshold_bytes.value, 256 * kMB);
  EXPECT_EQ(a.skewed_partition_threshold_bytes.source, SettingSource::kInvalidConf);
  EXPECT_STREQ(SettingSourceName(SettingSource::kInvalidConf), "invalid-conf");
}

// ---- quantiles ----------------------------------------------------------------------------

TEST(SkewQuantilesTest, SparkRuleNoInterpolationOverSuccessfulTasksOnly) {
  ModelBuilder b;
  b.Stage(1);
  // Out of order on purpose. Sorted 1..6 MB; n = 6: q0 → [0], q.25 → [floor(1.5)] = [1],
  // q.5 → [3], q.75 → [floor(4.5)] = [4], q1 → [min(6, 5)] = [5]. (Interpolating tools would
  // say 2.25, 3.5 and 4.75 MB.)
  b.ShuffleTasks(1, {4 * kMB, 1 * kMB, 6 * kMB, 2 * kMB, 5 * kMB, 3 * kMB});
  b.Task(1, 999 * kSec, 900 * kMB, 900 * kMB, TaskEndKind::kExceptionFailure);
  b.Task(1, 999 * kSec, 900 * kMB, 900 * kMB, TaskEndKind::kTaskKilled);
  b.Task(1, 0, 0, 0, TaskEndKind::kRunning);
  // Durations 10, 20, 30, 40, 50 ms on a second stage: n = 5 → [0], [1], [2], [3], [4].
  b.Stage(2);
  for (int64_t d : {50, 10, 40, 20, 30}) b.Task(2, d, 0, d * 1000);
  SkewReport r = AnalyzeSkew(b.app());
  const StageSkew& s1 = StageOf(r, 1);
  EXPECT_EQ(s1.num_tasks, 6);
  EXPECT_EQ(s1.shuffle_read_bytes, (Quantiles{1 * kMB, 2 * kMB, 4 * kMB, 5 * kMB, 6 * kMB}));
  EXPECT_EQ(s1.duration_ms, (Quantiles{kSec, kSec, kSec, kSec, kSec}));
  EXPECT_EQ(s1.input_bytes, (Quantiles{0, 0, 0, 0, 0}));
  EXPECT_DOUBLE_EQ(s1.shuffle_read_max_over_median, 1.5);
  // AQE's median of an even count is the mean of the two middle values: (3 + 4) / 2 MB.
  EXPECT_EQ(s1.shuffle_read_rule.aqe_median, 3 * kMB + kMB / 2);
  EXPECT_EQ(s1.input_rule.aqe_median, 1);  // at least 1 byte
  const StageSkew& s2 = StageOf(r, 2);
  EXPECT_EQ(s2.duration_ms, (Quantiles{10, 20, 30, 40, 50}));
  EXPECT_EQ(s2.input_bytes, (Quantiles{10000, 20000, 30000, 40000, 50000}));
  EXPECT_EQ(s2.input_rule.aqe_median, 30000);
  EXPECT_EQ(r.num_skewed_stages, 0);
}

TEST(SkewQuantilesTest, StageWithNoSuccessfulTaskHasZeroQuantilesAndIsNotJudged) {
  ModelBuilder b;
  b.Stage(1);
  b.Task(1, 5 * kSec, 0, 0, TaskEndKind::kFetchFailed);
  SkewReport r = AnalyzeSkew(b.app());
  ASSERT_EQ(r.stages.size(), 1u);
  EXPECT_EQ(r.stages[0].num_tasks, 0);
  EXPECT_FALSE(r.stages[0].judged);
  EXPECT_EQ(r.stages[0].duration_ms, (Quantiles{0, 0, 0, 0, 0}));
}

// ---- the AQE byte rule --------------------------------------------------------------------

TEST(SkewByteRuleTest, ThresholdIsStrictlyGreaterAtTheBoundary) {
  // Median 10 MB, 5 × 10 MB = 50 MB < 256 MB → threshold 256 MB; exactly 256 MB is not skewed.
  ModelBuilder b;
  b.Stage(1).name = "at the threshold";
  b.ShuffleTasks(1, {10 * kMB, 10 * kMB, 10 * kMB, 10 * kMB, 256 * kMB});
  b.Stage(2).name = "one byte over";
  b.ShuffleTasks(2, {10 * kMB, 10 * kMB, 10 * kMB, 10 * kMB, 256 * kMB + 1});
  SkewReport r = AnalyzeSkew(b.app());
  const StageSkew& at = StageOf(r, 1);
  EXPECT_EQ(at.shuffle_read_rule.threshold, 256 * kMB);
  EXPECT_EQ(at.shuffle_read_rule.num_skewed, 0);
  EXPECT_FALSE(at.is_skewed());
  const StageSkew& over = StageOf(r, 2);
  EXPECT_EQ(over.shuffle_read_rule.num_skewed, 1);
  ASSERT_EQ(over.skewed.size(), 1u);
  EXPECT_EQ(over.skewed[0].index, 4);
  EXPECT_EQ(over.skewed[0].shuffle_read_bytes, 256 * kMB + 1);
  EXPECT_TRUE(over.skewed[0].by_shuffle_read);
  EXPECT_FALSE(over.skewed[0].by_duration);
  EXPECT_EQ(r.num_skewed_stages, 1);
}

TEST(SkewByteRuleTest, MedianTimesFactorBeatsThresholdAndUsesAqeMedian) {
  // Sorted 100, 100, 100, 110, 120, x MB. AQE median = (100 + 110) / 2 = 105 MB;
  // 5 × 105 = 525 MB > 256 MB → threshold 525 MB. (The quantile median, element 3 = 110 MB,
  // would give 550 MB: 540 MB tells the two apart.)
  ModelBuilder b;
  b.Stage(1);
  b.ShuffleTasks(1, {100 * kMB, 110 * kMB, 100 * kMB, 120 * kMB, 100 * kMB, 540 * kMB});
  b.Stage(2);
  b.ShuffleTasks(2, {100 * kMB, 110 * kMB, 100 * kMB, 120 * kMB, 100 * kMB, 520 * kMB});
  SkewReport r = AnalyzeSkew(b.app());
  const StageSkew& s1 = StageOf(r, 1);
  EXPECT_EQ(s1.shuffle_read_rule.aqe_median, 105 * kMB);
  EXPECT_EQ(s1.shuffle_read_rule.threshold, 525 * kMB);
  EXPECT_EQ(s1.shuffle_read_bytes[2], 110 * kMB);
  EXPECT_EQ(s1.shuffle_read_rule.num_skewed, 1);
  // 520 MB is over 256 MB but not over 5 × the median.
  EXPECT_EQ(StageOf(r, 2).shuffle_read_rule.num_skewed, 0);
}

TEST(SkewByteRuleTest, FactorAndThresholdFromConfAndOptions) {
  // Median 105 MB as above. Conf factor 3, threshold 100m → max(100, 315) = 315 MB.
  ModelBuilder b;
  b.Conf(kSkewFactorKey, "3").Conf(kSkewThresholdKey, "100m");
  b.Stage(1);
  b.ShuffleTasks(1, {100 * kMB, 110 * kMB, 100 * kMB, 120 * kMB, 100 * kMB, 320 * kMB});
  SkewReport r = AnalyzeSkew(b.app());
  EXPECT_EQ(StageOf(r, 1).shuffle_read_rule.threshold, 315 * kMB);
  EXPECT_EQ(StageOf(r, 1).shuffle_read_rule.num_skewed, 1);
  // Options override: factor 10, threshold 2g → max(2048, 1050) = 2048 MB.
  SkewOptions o;
  o.skewed_partition_factor = 10;
  o.skewed_partition_threshold_bytes = 2048 * kMB;
  r = AnalyzeSkew(b.app(), o);
  EXPECT_EQ(StageOf(r, 1).shuffle_read_rule.threshold, 2048 * kMB);
  EXPECT_EQ(StageOf(r, 1).shuffle_read_rule.num_skewed, 0);
  EXPECT_EQ(r.aqe.skewed_partition_factor.source, SettingSource::kOption);
}

TEST(SkewByteRuleTest, InputBytesAreJudgedByTheSameRuleForInformation) {
  // A scan stage: inputs 10 MB × 4 and 300 MB; no shuffle read. Median 10 MB → threshold
  // 256 MB → the 300 MB split is flagged by_input; no recommendation (AQE does not act on scans).
  ModelBuilder b("3.3.0");
  b.Stage(1);
  for (int64_t in : {10 * kMB, 10 * kMB, 300 * kMB, 10 * kMB, 10 * kMB}) b.Task(1, kSec, 0, in);
  SkewReport r = AnalyzeSkew(b.app());
  const StageSkew& s = StageOf(r, 1);
  EXPECT_EQ(s.input_rule.threshold, 256 * kMB);
  EXPECT_EQ(s.input_rule.num_skewed, 1);
  ASSERT_EQ(s.skewed.size(), 1u);
  EXPECT_TRUE(s.skewed[0].by_input);
  EXPECT_FALSE(s.skewed[0].by_shuffle_read);
  EXPECT_EQ(s.skewed[0].index, 2);
  EXPECT_EQ(s.skewed[0].input_bytes, 300 * kMB);
  EXPECT_TRUE(s.recommendations.empty());
  ASSERT_EQ(s.notes.size(), 1u);
  EXPECT_NE(s.notes[0].find("input skew"), std::string::npos);
}

// ---- the time rule ------------------------------------------------------------------------

TEST(SkewTimeRuleTest, RatioAndFloorAreBothInclusive) {
  ModelBuilder b;
  // Median 12 s, max 60 s: 60 ≥ 5 × 12 and 60 ≥ the 60 s floor → skewed.
  b.Stage(1);
  for (int64_t d : {12, 12, 12, 12, 60}) b.Task(1, d * kSec);
  // Median 12.001 s: 5 × 12.001 = 60.005 s > 60 s → not skewed.
  b.Stage(2);
  for (int64_t d : {12001, 12001, 12001, 12001, 60000}) b.Task(2, d);
  SkewReport r = AnalyzeSkew(b.app());
  const StageSkew& s1 = StageOf(r, 1);
  EXPECT_EQ(s1.num_skewed_by_duration, 1);
  ASSERT_EQ(s1.skewed.size(), 1u);
  EXPECT_TRUE(s1.skewed[0].by_duration);
  EXPECT_EQ(s1.skewed[0].duration_ms, 60 * kSec);
  EXPECT_DOUBLE_EQ(s1.duration_max_over_median, 5.0);
  EXPECT_EQ(StageOf(r, 2).num_skewed_by_duration, 0);
}

TEST(SkewTimeRuleTest, ShortStagesAreNoiseUnderTheFloor) {
  // Max/median = 59.999 s / 1 s ≈ 60×, but the slow task is under the 60 s floor.
  ModelBuilder b;
  b.Stage(1);
  for (int64_t d : {1000, 1000, 1000, 1000, 59999}) b.Task(1, d);
  SkewReport r = AnalyzeSkew(b.app());
  EXPECT_FALSE(StageOf(r, 1).is_skewed());
  // A lower floor (an option) flags it.
  SkewOptions o;
  o.duration_floor_ms = 30 * kSec;
  r = AnalyzeSkew(b.app(), o);
  EXPECT_EQ(StageOf(r, 1).num_skewed_by_duration, 1);
  // A higher ratio (an option) does not: 59.999 < 100 × 1 s.
  o.duration_ratio = 100;
  r = AnalyzeSkew(b.app(), o);
  EXPECT_FALSE(StageOf(r, 1).is_skewed());
}

TEST(SkewTimeRuleTest, StagesWithFewerThanMinTasksAreNotJudged) {
  ModelBuilder b;
  b.Stage(1);
  for (int64_t d : {1, 1, 1, 900}) b.Task(1, d * kSec);
  SkewReport r = AnalyzeSkew(b.app());
  const StageSkew& s = StageOf(r, 1);
  EXPECT_EQ(s.num_tasks, 4);
  EXPECT_FALSE(s.judged);
  EXPECT_FALSE(s.is_skewed());
  EXPECT_EQ(s.severity, Severity::kNone);
  EXPECT_EQ(s.duration_ms[4], 900 * kSec);  // quantiles are still reported
  SkewOptions o;
  o.min_tasks = 4;
  r = AnalyzeSkew(b.app(), o);
  EXPECT_TRUE(StageOf(r, 1).judged);
  EXPECT_TRUE(StageOf(r, 1).is_skewed());
}

// ---- skewed partitions --------------------------------------------------------------------

TEST(SkewPartitionsTest, ListedWorstFirstWithExecutorHostBytesAndTime) {
  // 30 tasks: 25 of 1 s and 5 slow ones of 100..500 s. Median 1 s → all 5 flagged by time;
  // listed longest first, capped by max_listed_partitions.
  ModelBuilder b;
  b.Stage(1);
  for (int i = 0; i < 30; ++i) b.Task(1, i % 6 == 5 ? (i / 6 + 1) * 100 * kSec : kSec, i * kMB);
  SkewOptions o;
  o.max_listed_partitions = 3;
  SkewReport r = AnalyzeSkew(b.app(), o);
  const StageSkew& s = StageOf(r, 1);
  EXPECT_EQ(s.num_skewed_partitions, 5);
  EXPECT_EQ(s.num_skewed_by_duration, 5);
  ASSERT_EQ(s.skewed.size(), 3u);
  EXPECT_EQ(s.skewed[0].index, 29);
  EXPECT_EQ(s.skewed[0].duration_ms, 500 * kSec);
  EXPECT_EQ(s.skewed[0].shuffle_read_bytes, 29 * kMB);
  EXPECT_EQ(s.skewed[0].executor, "3");  // 29 % 3 + 1
  EXPECT_EQ(s.skewed[0].host, "host-3");
  EXPECT_EQ(s.skewed[0].task_id, 29);
  EXPECT_EQ(s.skewed[1].index, 23);
  EXPECT_EQ(s.skewed[2].index, 17);
}

TEST(SkewPartitionsTest, ASecondSuccessfulAttemptOfAnIndexIsListedOnce) {
  ModelBuilder b;
  b.Stage(1);
  for (int i = 0; i < 5; ++i) b.Task(1, kSec);
  b.Task(1, 300 * kSec).index = 2;  // a slow speculative copy of index 2 that also succeeded
  b.Task(1, 200 * kSec).index = 2;
  SkewReport r = AnalyzeSkew(b.app());
  const StageSkew& s = StageOf(r, 1);
  EXPECT_EQ(s.num_tasks, 7);  // both copies count in the quantiles, as in the Spark UI
  EXPECT_EQ(s.num_skewed_partitions, 1);
  ASSERT_EQ(s.skewed.size(), 1u);
  EXPECT_EQ(s.skewed[0].duration_ms, 300 * kSec);  // the first one in launch order
}

// ---- joins --------------------------------------------------------------------------------

TEST(SkewJoinsTest, JoinKindsFromPlanNodesOfTheStagesJobsExecutions) {
  ModelBuilder b;
  b.Stage(1);
  b.Task(1, kSec);
  b.Sql(1, 7, {"Exchange", "SortMergeJoin", "Sort", "BroadcastHashJoin"});
  b.Stage(2);
  b.Task(2, kSec);
  b.Sql(2, 8, {"GpuShuffledHashJoin", "GpuColumnarExchange"});
  b.Stage(3);
  b.Task(3, kSec);
  b.Sql(3, 9, {"SortMergeJoin(skew=true)", "AQEShuffleRead"});
  b.Stage(4);
  b.Task(4, kSec);
  b.Sql(4, 10, {"BroadcastNestedLoopJoin", "CartesianProduct", "Project"});
  b.Stage(5);  // no SQL execution
  b.Task(5, kSec);
  b.Stage(6).job_ids = {1, 6};  // two jobs, one of them execution 7
  b.Task(6, kSec);
  SkewReport r = AnalyzeSkew(b.app());

  const StageJoins& j1 = StageOf(r, 1).joins;
  EXPECT_EQ(j1.sql_execution_ids, (std::vector<int64_t>{7}));
  EXPECT_EQ(j1.join_nodes, (std::vector<std::string>{"SortMergeJoin", "BroadcastHashJoin"}));
  EXPECT_TRUE(j1.sort_merge && j1.broadcast && j1.splittable());
  EXPECT_FALSE(j1.shuffled_hash || j1.cartesian || j1.skew_split_seen);
  const StageJoins& j2 = StageOf(r, 2).joins;
  EXPECT_TRUE(j2.shuffled_hash && j2.splittable());
  EXPECT_FALSE(j2.sort_merge);
  EXPECT_EQ(j2.join_nodes, (std::vector<std::string>{"GpuShuffledHashJoin"}));
  const StageJoins& j3 = StageOf(r, 3).joins;
  EXPECT_TRUE(j3.sort_merge && j3.skew_split_seen);
  const StageJoins& j4 = StageOf(r, 4).joins;
  EXPECT_TRUE(j4.broadcast && j4.cartesian && j4.any());
  EXPECT_FALSE(j4.splittable());
  const StageJoins& j5 = StageOf(r, 5).joins;
  EXPECT_FALSE(j5.any());
  EXPECT_TRUE(j5.sql_execution_ids.empty());
  EXPECT_EQ(StageOf(r, 6).joins.sql_execution_ids, (std::vector<int64_t>{7}));
}

TEST(SkewJoinsTest, ARetriedAttemptKnowsItsJobsThroughTheFirstAttempt) {
  // JobStart lists first attempts only; attempt 1 (after a FetchFailed) has no job ids.
  ModelBuilder b;
  b.Stage(1);
  b.Task(1, kSec);
  b.Sql(1, 3, {"SortMergeJoin"});
  StageAttempt& retry = b.app().stages[{1, 1}];
  retry.stage_id = 1;
  retry.attempt_id = 1;
  retry.tasks = {0};
  SkewReport r = AnalyzeSkew(b.app());
  ASSERT_EQ(r.stages.size(), 2u);
  EXPECT_EQ(r.stages[1].attempt_id, 1);
  EXPECT_TRUE(r.stages[1].joins.sort_merge);
  EXPECT_EQ(r.stages[1].joins.sql_execution_ids, (std::vector<int64_t>{3}));
}

// ---- recommendations ----------------------------------------------------------------------

// A sort-merge join stage whose index 5 reads 600 MB against a 100 MB median (AQE median
// (100 + 100) / 2 = 100 MB → threshold max(256, 500) = 500 MB) and takes 300 s against 10 s.
ModelBuilder SkewedJoin(const std::string& version,
                        std::vector<std::string> nodes = {"SortMergeJoin"}) {
  ModelBuilder b(version);
  b.Stage(1, 0, 400 * kSec);
  for (int i = 0; i < 5; ++i) b.Task(1, 10 * kSec, 100 * kMB);
  b.Task(1, 300 * kSec, 600 * kMB);
  b.Sql(1, 1, std::move(nodes));
  return b;
}

TEST(SkewRecommendTest, AdaptiveOffByDefaultBefore32RecommendsEnablingIt) {
  ModelBuilder b = SkewedJoin("3.1.2");
  SkewReport r = AnalyzeSkew(b.app());
  const StageSkew& s = StageOf(r, 1);
  EXPECT_EQ(s.shuffle_read_rule.threshold, 500 * kMB);
  EXPECT_EQ(s.shuffle_read_rule.num_skewed, 1);
  ASSERT_EQ(s.recommendations.size(), 1u);
  EXPECT_EQ(s.recommendations[0].key, "spark.sql.adaptive.enabled");
  EXPECT_EQ(s.recommendations[0].value, "true");
  EXPECT_NE(s.recommendations[0].reason.find("before Spark 3.2"), std::string::npos);
  ASSERT_EQ(r.recommendations.size(), 1u);
  EXPECT_EQ(r.recommendations[0].key, "spark.sql.adaptive.enabled");
}

TEST(SkewRecommendTest, ExplicitlyDisabledKeysAreRecommendedOnWithTheirExactNames) {
  ModelBuilder b = SkewedJoin("3.3.2");
  b.Conf("spark.sql.adaptive.enabled", "false")
      .Conf("spark.sql.adaptive.skewJoin.enabled", "false");
  SkewReport r = AnalyzeSkew(b.app());
  const auto& recs = StageOf(r, 1).recommendations;
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].key, "spark.sql.adaptive.enabled");
  EXPECT_NE(recs[0].reason.find("off in the conf"), std::string::npos);
  EXPECT_EQ(recs[1].key, "spark.sql.adaptive.skewJoin.enabled");
  EXPECT_EQ(recs[1].value, "true");
  // Only skew join off: one recommendation.
  ModelBuilder c = SkewedJoin("3.3.2");
  c.Conf("spark.sql.adaptive.skewJoin.enabled", "false");
  r = AnalyzeSkew(c.app());
  ASSERT_EQ(StageOf(r, 1).recommendations.size(), 1u);
  EXPECT_EQ(StageOf(r, 1).recommendations[0].key, "spark.sql.adaptive.skewJoin.enabled");
}

TEST(SkewRecommendTest, AqeOnButUnsplitOverThresholdRecommendsForceFrom33) {
  ModelBuilder b = SkewedJoin("3.3.2");
  SkewReport r = AnalyzeSkew(b.app());
  EXPECT_TRUE(r.aqe.SkewJoinActive());
  const auto& recs = StageOf(r, 1).recommendations;
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].key, "spark.sql.adaptive.forceOptimizeSkewedJoin");
  EXPECT_EQ(recs[0].value, "true");
  // Already forced: nothing left to recommend.
  b.Conf(kForceSkewJoinKey, "true");
  EXPECT_TRUE(StageOf(AnalyzeSkew(b.app()), 1).recommendations.empty());
  // 3.2: the key does not exist; a note says so instead.
  SkewReport r32 = AnalyzeSkew(SkewedJoin("3.2.4").app());
  EXPECT_TRUE(StageOf(r32, 1).recommendations.empty());
  ASSERT_EQ(StageOf(r32, 1).notes.size(), 1u);
  EXPECT_NE(StageOf(r32, 1).notes[0].find("3.3"), std::string::npos);
}

TEST(SkewRecommendTest, NoForceWhenThePlanShowsAqeAlreadySplitTheJoin) {
  SkewReport r = AnalyzeSkew(SkewedJoin("3.4.1", {"SortMergeJoin(skew=true)"}).app());
  const StageSkew& s = StageOf(r, 1);
  EXPECT_TRUE(s.is_skewed());
  EXPECT_TRUE(s.recommendations.empty());
  ASSERT_EQ(s.notes.size(), 1u);
  EXPECT_NE(s.notes[0].find("(skew=true)"), std::string::npos);
}

TEST(SkewRecommendTest, SlowButUnderTheThresholdRecommendsLowerThresholdAndFactor) {
  // Index 4 reads 200 MB (median 40 MB → AQE threshold max(256, 200) = 256 MB: not flagged)
  // but takes 120 s against 10 s. Threshold: half of 200 MB = 100MB. Factor: 200 / 40 = 5.0,
  // not more than 5 → ceil(5) − 1 = 4.
  ModelBuilder b("3.5.0");
  b.Stage(1, 0, 500 * kSec);
  for (int i = 0; i < 4; ++i) b.Task(1, 10 * kSec, 40 * kMB);
  b.Task(1, 120 * kSec, 200 * kMB);
  b.Sql(1, 1, {"SortMergeJoin"});
  SkewReport r = AnalyzeSkew(b.app());
  const StageSkew& s = StageOf(r, 1);
  EXPECT_EQ(s.shuffle_read_rule.num_skewed, 0);
  EXPECT_EQ(s.num_skewed_by_duration, 1);
  ASSERT_EQ(s.recommendations.size(), 2u);
  EXPECT_EQ(s.recommendations[0].key, kSkewThresholdKey);
  EXPECT_EQ(s.recommendations[0].value, "100MB");
  EXPECT_EQ(s.recommendations[1].key, kSkewFactorKey);
  EXPECT_EQ(s.recommendations[1].value, "4");
}

TEST(SkewRecommendTest, SlowPartitionsUnderTheAdvisorySizeGetANoteNotAConfChange) {
  ModelBuilder b("3.5.0");
  b.Stage(1, 0, 500 * kSec);
  for (int i = 0; i < 4; ++i) b.Task(1, 10 * kSec, 1 * kMB);
  b.Task(1, 120 * kSec, 2 * kMB);
  b.Sql(1, 1, {"ShuffledHashJoin"});
  SkewReport r = AnalyzeSkew(b.app());
  const StageSkew& s = StageOf(r, 1);
  EXPECT_TRUE(s.is_skewed());
  EXPECT_TRUE(s.recommendations.empty());
  ASSERT_EQ(s.notes.size(), 1u);
  EXPECT_NE(s.notes[0].find("advisory"), std::string::npos);
}

TEST(SkewRecommendTest, BroadcastCartesianNonSqlAndPre30GetNotesOnly) {
  struct Case {
    std::string version;
    std::vector<std::string> nodes;
    const char* note;
  };
  for (const Case& c :
       {Case{"3.5.0", {"BroadcastHashJoin"}, "broadcast"},
        Case{"3.5.0", {"CartesianProduct"}, "cartesian"},
        Case{"3.5.0", {"Exchange", "HashAggregate"}, "not part of a SQL join"},
        Case{"2.4.8", {"SortMergeJoin"}, "Spark 3.0+; this log's version is 2.4"}}) {
    SCOPED_TRACE(c.note);
    ModelBuilder b = SkewedJoin(c.version, c.nodes);
    b.Conf(kAdaptiveEnabledKey, "false");
    SkewReport r = AnalyzeSkew(b.app());
    const StageSkew& s = StageOf(r, 1);
    EXPECT_TRUE(s.is_skewed());
    EXPECT_TRUE(s.recommendations.empty());
    ASSERT_EQ(s.notes.size(), 1u);
    EXPECT_NE(s.notes[0].find(c.note), std::string::npos) << s.notes[0];
  }
}

TEST(SkewRecommendTest, ShuffledHashJoinBefore32IsNotedAlongsideTheRecommendation) {
  SkewReport r = AnalyzeSkew(SkewedJoin("3.1.1", {"ShuffledHashJoin"}).app());
  const StageSkew& s = StageOf(r, 1);
  ASSERT_EQ(s.recommendations.size(), 1u);
  EXPECT_EQ(s.recommendations[0].key, kAdaptiveEnabledKey);
  ASSERT_EQ(s.notes.size(), 1u);
  EXPECT_NE(s.notes[0].find("SPARK-35214"), std::string::npos);
}

TEST(SkewRecommendTest, NoSkewNoRecommendation) {
  ModelBuilder b("3.0.1");
  b.Conf(kAdaptiveEnabledKey, "false");
  b.Stage(1);
  b.ShuffleTasks(1, {100 * kMB, 100 * kMB, 100 * kMB, 100 * kMB, 100 * kMB});
  b.Sql(1, 1, {"SortMergeJoin"});
  SkewReport r = AnalyzeSkew(b.app());
  EXPECT_EQ(r.num_skewed_stages, 0);
  EXPECT_TRUE(r.recommendations.empty());
  EXPECT_TRUE(StageOf(r, 1).notes.empty());
}

TEST(SkewRecommendTest, ReportMergesByKeyKeepingTheLowestThresholdAndFactor) {
  // Median 40 MB in both stages. Stage 1: a 200 MB slow partition → threshold 100MB, factor
  // ceil(5.0) − 1 = 4. Stage 2: 160 MB → 80MB, factor ceil(4.0) − 1 = 3.
  ModelBuilder b("3.5.0");
  for (int32_t id : {1, 2}) {
    b.Stage(id, 0, 500 * kSec);
    for (int i = 0; i < 4; ++i) b.Task(id, 10 * kSec, 40 * kMB);
    b.Task(id, 120 * kSec, id == 1 ? 200 * kMB : 160 * kMB);
    b.Sql(id, id, {"SortMergeJoin"});
  }
  SkewReport r = AnalyzeSkew(b.app());
  EXPECT_EQ(r.num_skewed_stages, 2);
  const Recommendation* t1 = Find(StageOf(r, 1).recommendations, kSkewThresholdKey);
  const Recommendation* t2 = Find(StageOf(r, 2).recommendations, kSkewThresholdKey);
  ASSERT_TRUE(t1 && t2);
  EXPECT_EQ(t1->value, "100MB");
  EXPECT_EQ(t2->value, "80MB");
  ASSERT_EQ(r.recommendations.size(), 2u);
  EXPECT_EQ(r.recommendations[0].key, kSkewThresholdKey);
  EXPECT_EQ(r.recommendations[0].value, "80MB");
  EXPECT_NE(r.recommendations[0].reason.find("stage 2.0"), std::string::npos);
  EXPECT_EQ(r.recommendations[1].key, kSkewFactorKey);
  EXPECT_EQ(r.recommendations[1].value, "3");
}

TEST(SkewRecommendTest, SlowPartitionsBarelyOverTheMedianAreNotBytesSkew) {
  // 200 MB against a 100 MB median: 2× — even factor 2 would not flag it (2 × 100 = 200, not
  // more). Lowering the threshold alone would not help either: a note, no conf change, and
  // (AQE being off) no advice to enable it.
  ModelBuilder b("3.1.1");
  b.Stage(1, 0, 500 * kSec);
  for (int i = 0; i < 4; ++i) b.Task(1, 10 * kSec, 100 * kMB);
  b.Task(1, 120 * kSec, 200 * kMB);
  b.Sql(1, 1, {"SortMergeJoin"});
  SkewReport r = AnalyzeSkew(b.app());
  const StageSkew& s = StageOf(r, 1);
  EXPECT_TRUE(s.is_skewed());
  EXPECT_TRUE(s.recommendations.empty());
  ASSERT_EQ(s.notes.size(), 1u);
  EXPECT_NE(s.notes[0].find("2.0× the median"), std::string::npos) << s.notes[0];
}

// ---- wall time, share, severity -----------------------------------------------------------

TEST(SkewSeverityTest, ShareOfAppTimeAndMaxOverMedianGrade) {
  // App 0..1000 s. Every stage: median 10 s, one 300 s task (30×).
  ModelBuilder b;
  auto skewed_stage = [&](int32_t id, TimeMs submit, TimeMs complete) {
    b.Stage(id, submit, complete);
    for (int i = 0; i < 5; ++i) b.Task(id, 10 * kSec);
    b.Task(id, 300 * kSec);
  };
  skewed_stage(1, 100 * kSec, 400 * kSec);  // 300 s = 30 % and 30× → high
  skewed_stage(2, 0, 100 * kSec);           // 10 % → medium
  skewed_stage(3, 0, 40 * kSec);            // 4 % < 5 % → low
  SkewReport r = AnalyzeSkew(b.app());
  EXPECT_EQ(r.app_wall_ms, 1000 * kSec);
  const StageSkew& s1 = StageOf(r, 1);
  EXPECT_EQ(s1.wall_ms, 300 * kSec);
  EXPECT_DOUBLE_EQ(*s1.share_of_app, 0.3);
  EXPECT_DOUBLE_EQ(s1.duration_max_over_median, 30.0);
  EXPECT_EQ(s1.severity, Severity::kHigh);
  EXPECT_EQ(StageOf(r, 2).severity, Severity::kMedium);
  EXPECT_EQ(StageOf(r, 3).severity, Severity::kLow);
  EXPECT_STREQ(SeverityName(Severity::kHigh), "high");
  // 30 % but only 8× (a 80 s task): not high.
  ModelBuilder c;
  c.Stage(1, 100 * kSec, 400 * kSec);
  for (int i = 0; i < 5; ++i) c.Task(1, 10 * kSec);
  c.Task(1, 80 * kSec);
  EXPECT_EQ(StageOf(AnalyzeSkew(c.app()), 1).severity, Severity::kMedium);
}

TEST(SkewSeverityTest, RunningAppAndRunningStageUseTheLastEvent) {
  ModelBuilder b;
  b.app().completed = false;
  b.app().end_time = kNoTime;
  b.app().last_event_time = 400 * kSec;
  b.Stage(1, 200 * kSec, kNoTime);
  for (int i = 0; i < 5; ++i) b.Task(1, 10 * kSec);
  b.Task(1, 150 * kSec);
  SkewReport r = AnalyzeSkew(b.app());
  EXPECT_EQ(r.app_wall_ms, 400 * kSec);
  EXPECT_EQ(StageOf(r, 1).wall_ms, 200 * kSec);
  EXPECT_DOUBLE_EQ(*StageOf(r, 1).share_of_app, 0.5);
  EXPECT_EQ(StageOf(r, 1).severity, Severity::kHigh);  // 50 % and 15×
}

TEST(SkewSeverityTest, UnknownTimesGiveNoShareAndMediumSeverity) {
  ModelBuilder b;
  b.app().start_time = kNoTime;
  b.Stage(1, kNoTime, kNoTime);
  for (int i = 0; i < 5; ++i) b.Task(1, 10 * kSec);
  b.Task(1, 300 * kSec);
  SkewReport r = AnalyzeSkew(b.app());
  EXPECT_FALSE(r.app_wall_ms);
  EXPECT_FALSE(StageOf(r, 1).wall_ms);
  EXPECT_FALSE(StageOf(r, 1).share_of_app);
  EXPECT_EQ(StageOf(r, 1).severity, Severity::kMedium);
}

TEST(SkewOptionsTest, OutOfRangeOptionsAreClamped) {
  SkewOptions o;
  o.duration_ratio = 0.5;
  o.duration_floor_ms = -5;
  o.min_tasks = 0;
  ModelBuilder b;
  SkewReport r = AnalyzeSkew(b.app(), o);
  EXPECT_EQ(r.options.duration_ratio, 1.0);
  EXPECT_EQ(r.options.duration_floor_ms, 0);
  EXPECT_EQ(r.options.min_tasks, 1);
  EXPECT_TRUE(r.stages.empty());
}

// ---- through the loader -------------------------------------------------------------------

// A small Spark 3.1 event log, written out and loaded: a sort-merge join whose reduce stage
// has one 600 MB partition against 100 MB ones, and AQE off in the conf. Checks what the
// loader hands the analysis (plan node names, the job's SQL execution id, the conf, shuffle
// read = remote + local, executor and host) end to end.
TEST(SkewLoadedLogTest, SkewedSortMergeJoinFromEventLogText) {
  auto task = [](int64_t tid, int index, const char* exec, int64_t launch, int64_t finish,
                 int64_t remote, int64_t local) {
    return fmt::format(
        R"({{"Event":"SparkListenerTaskStart","Stage ID":1,"Stage Attempt ID":0,"Task Info":{{"Task ID":{0},"Index":{1},"Attempt":0,"Launch Time":{3},"Executor ID":"{2}","Host":"node-{2}","Locality":"NODE_LOCAL","Speculative":false,"Getting Result Time":0,"Finish Time":0,"Failed":false,"Killed":false,"Accumulables":[]}}}})"
        "\n"
        R"({{"Event":"SparkListenerTaskEnd","Stage ID":1,"Stage Attempt ID":0,"Task Type":"ResultTask","Task End Reason":{{"Reason":"Success"}},"Task Info":{{"Task ID":{0},"Index":{1},"Attempt":0,"Launch Time":{3},"Executor ID":"{2}","Host":"node-{2}","Locality":"NODE_LOCAL","Speculative":false,"Getting Result Time":0,"Finish Time":{4},"Failed":false,"Killed":false,"Accumulables":[]}},"Task Metrics":{{"Executor Run Time":{5},"Shuffle Read Metrics":{{"Remote Blocks Fetched":1,"Local Blocks Fetched":1,"Fetch Wait Time":0,"Remote Bytes Read":{6},"Local Bytes Read":{7},"Total Records Read":10}}}}}})"
        "\n",
        tid, index, exec, launch, finish, finish - launch, remote, local);
  };
  std::string log =
      R"({"Event":"SparkListenerLogStart","Spark Version":"3.1.2"})"
      "\n"
      R"({"Event":"SparkListenerEnvironmentUpdate","JVM Information":{},"Spark Properties":{"spark.sql.adaptive.enabled":"false","spark.app.name":"join"},"Hadoop Properties":{},"System Properties":{},"Classpath Entries":{}})"
      "\n"
      R"({"Event":"SparkListenerApplicationStart","App Name":"join","App ID":"local-1","Timestamp":0,"User":"ops"})"
      "\n"
      R"j({"Event":"org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart","executionId":4,"description":"q","details":"","physicalPlanDescription":"","sparkPlanInfo":{"nodeName":"WholeStageCodegen (3)","simpleString":"","children":[{"nodeName":"SortMergeJoin","simpleString":"","children":[{"nodeName":"Exchange","simpleString":"","children":[],"metadata":{},"metrics":[]}],"metadata":{},"metrics":[]}],"metadata":{},"metrics":[]},"time":10})j"
      "\n"
      R"({"Event":"SparkListenerJobStart","Job ID":0,"Submission Time":10,"Stage Infos":[{"Stage ID":1,"Stage Attempt ID":0,"Stage Name":"join at Q.scala:1","Number of Tasks":6,"RDD Info":[],"Parent IDs":[],"Details":"","Accumulables":[]}],"Stage IDs":[1],"Properties":{"spark.sql.execution.id":"4"}})"
      "\n"
      R"({"Event":"SparkListenerStageSubmitted","Stage Info":{"Stage ID":1,"Stage Attempt ID":0,"Stage Name":"join at Q.scala:1","Number of Tasks":6,"RDD Info":[],"Parent IDs":[],"Details":"","Submission Time":100000,"Accumulables":[]},"Properties":{"spark.sql.execution.id":"4"}})"
      "\n";
  const char* execs[] = {"1", "2", "3", "1", "2", "3"};
  for (int i = 0; i < 6; ++i) {
    bool slow = i == 4;
    int64_t bytes = (slow ? 600 : 100) * kMB;
    log += task(10 + i, i, execs[i], 100000, 100000 + (slow ? 300 : 10) * kSec, bytes - bytes / 3,
                bytes / 3);
  }
  log +=
      R"({"Event":"SparkListenerStageCompleted","Stage Info":{"Stage ID":1,"Stage Attempt ID":0,"Stage Name":"join at Q.scala:1","Number of Tasks":6,"RDD Info":[],"Parent IDs":[],"Details":"","Submission Time":100000,"Completion Time":400000,"Accumulables":[]}})"
      "\n"
      R"({"Event":"SparkListenerJobEnd","Job ID":0,"Completion Time":400000,"Job Result":{"Result":"JobSucceeded"}})"
      "\n"
      R"({"Event":"org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionEnd","executionId":4,"time":400000})"
      "\n"
      R"({"Event":"SparkListenerApplicationEnd","Timestamp":1000000})"
      "\n";
  testing::ScratchDir dir;
  testing::WriteFileOrDie(dir / "local-1", log);
  Application app = testing::LoadOne(dir / "local-1");
  SkewReport r = AnalyzeSkew(app);
  ASSERT_EQ(r.stages.size(), 1u);
  const StageSkew& s = r.stages[0];
  EXPECT_EQ(s.name, "join at Q.scala:1");
  EXPECT_EQ(s.num_tasks, 6);
  EXPECT_EQ(s.shuffle_read_bytes,
            (Quantiles{100 * kMB, 100 * kMB, 100 * kMB, 100 * kMB, 600 * kMB}));
  EXPECT_EQ(s.shuffle_read_rule.threshold, 500 * kMB);  // max(256 MB, 5 × 100 MB)
  EXPECT_EQ(s.wall_ms, 300 * kSec);
  EXPECT_DOUBLE_EQ(*s.share_of_app, 0.3);
  EXPECT_EQ(s.severity, Severity::kHigh);  // 30 % of the app, 30× the median time
  EXPECT_TRUE(s.joins.sort_merge);
  EXPECT_EQ(s.joins.sql_execution_ids, (std::vector<int64_t>{4}));
  ASSERT_EQ(s.skewed.size(), 1u);
  EXPECT_EQ(s.skewed[0].index, 4);
  EXPECT_EQ(s.skewed[0].task_id, 14);
  EXPECT_EQ(s.skewed[0].shuffle_read_bytes, 600 * kMB);
  EXPECT_EQ(s.skewed[0].duration_ms, 300 * kSec);
  EXPECT_EQ(s.skewed[0].executor, "2");
  EXPECT_EQ(s.skewed[0].host, "node-2");
  EXPECT_TRUE(s.skewed[0].by_shuffle_read && s.skewed[0].by_duration);
  EXPECT_EQ(r.aqe.adaptive_enabled.source, SettingSource::kConf);
  ASSERT_EQ(r.recommendations.size(), 1u);
  EXPECT_EQ(r.recommendations[0].key, "spark.sql.adaptive.enabled");
  EXPECT_EQ(r.recommendations[0].value, "true");
}

// ---- real logs ----------------------------------------------------------------------------

// spark-rapids-tools' join test log: Spark 3.0.1, local mode, one GPU shuffled-hash join.
// Figures computed independently with python over `zstd -dc` of the log (TaskEnd events with
// Reason "Success"; quantile element min(floor(q × n), n − 1) of the sorted values; shuffle read
// = Remote Bytes Read + Local Bytes Read):
//   stage 2.0 (200 tasks): shuffle read 397220, 400040, 401480, 402607, 405854 bytes;
//     AQE median (401479 + 401480) / 2 = 401479; duration 10, 22, 27, 33, 237 ms.
//   stages 0.0 and 1.0 (6 tasks each) read no shuffle data; stage 3.0 has 1 task.
// The 237 ms task is 8.8× the median but far under the 60 s floor, and 405854 bytes are far
// under 256 MB: no skew.
TEST(SkewCorpusTest, RapidsJoinLogQuantilesAndNoSkew) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(path, "eventlogs/rapids-profiling/rapids_join_eventlog.zstd");
  Application app = testing::LoadOne(path);
  SkewReport r = AnalyzeSkew(app);
  ASSERT_EQ(r.stages.size(), 4u);
  const StageSkew& s = StageOf(r, 2);
  EXPECT_EQ(s.num_tasks, 200);
  EXPECT_TRUE(s.judged);
  EXPECT_EQ(s.shuffle_read_bytes, (Quantiles{397220, 400040, 401480, 402607, 405854}));
  EXPECT_EQ(s.shuffle_read_rule.aqe_median, 401479);
  EXPECT_EQ(s.shuffle_read_rule.threshold, 256 * kMB);
  EXPECT_EQ(s.duration_ms, (Quantiles{10, 22, 27, 33, 237}));
  EXPECT_EQ(s.input_bytes, (Quantiles{0, 0, 0, 0, 0}));
  EXPECT_TRUE(s.joins.shuffled_hash);
  EXPECT_FALSE(s.joins.sort_merge);
  EXPECT_EQ(s.joins.join_nodes, (std::vector<std::string>{"GpuShuffledHashJoin"}));
  EXPECT_EQ(s.joins.sql_execution_ids, (std::vector<int64_t>{0}));
  EXPECT_EQ(StageOf(r, 0).num_tasks, 6);
  EXPECT_EQ(StageOf(r, 0).shuffle_read_bytes[4], 0);
  EXPECT_EQ(StageOf(r, 3).num_tasks, 1);
  EXPECT_FALSE(StageOf(r, 3).judged);
  // Spark 3.0.1 with no AQE keys in the conf: adaptive execution off by default.
  ASSERT_TRUE(r.aqe.spark_version);
  EXPECT_EQ(r.aqe.spark_version->minor, 0);
  EXPECT_FALSE(r.aqe.adaptive_enabled.value);
  EXPECT_EQ(r.aqe.adaptive_enabled.source, SettingSource::kDefault);
  EXPECT_EQ(r.num_skewed_stages, 0);
  EXPECT_TRUE(r.recommendations.empty());
  for (const StageSkew& st : r.stages) EXPECT_EQ(st.severity, Severity::kNone) << st.stage_id;
}

// A healthy Spark 1.4 local app (a History Server test log): no false alarm.
TEST(SkewCorpusTest, HealthyLogHasNoSkewedStage) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(path, "eventlogs/spark-2.4-tests/local-1430917381534");
  Application app = testing::LoadOne(path);
  SkewReport r = AnalyzeSkew(app);
  ASSERT_EQ(r.stages.size(), 2u);
  // Stage 0.0 (100 tasks): durations 21, 33, 40, 74, 435 ms — max/median 10.9×, over
  // DataFlint's 10× bar, but a 435 ms task is noise: the 60 s floor keeps it quiet.
  const StageSkew& s0 = StageOf(r, 0);
  EXPECT_EQ(s0.num_tasks, 100);
  EXPECT_EQ(s0.duration_ms, (Quantiles{21, 33, 40, 74, 435}));
  EXPECT_GT(s0.duration_max_over_median, 10);
  EXPECT_EQ(r.num_skewed_stages, 0);
  EXPECT_TRUE(r.recommendations.empty());
  for (const StageSkew& st : r.stages) {
    EXPECT_FALSE(st.is_skewed()) << st.stage_id;
    EXPECT_TRUE(st.notes.empty()) << st.stage_id;
  }
}

}  // namespace
}  // namespace sparkmedic
