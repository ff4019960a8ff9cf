#include "sparkmedic/discovery.h"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

namespace sparkmedic {
namespace {

namespace fs = std::filesystem;
using testing::ScratchDir;
using testing::WriteFileOrDie;

const std::string kJsonLine = "{\"Event\":\"SparkListenerLogStart\",\"Spark Version\":\"3.5.0\"}\n";
// The first bytes of Spark's lz4 stream (lz4-java LZ4BlockOutputStream).
const std::string kLz4Head = "LZ4Block\x10\x00\x00\x00\x00";

// Creates the parent directories too.
void Write(const fs::path& path, const std::string& data = kJsonLine) {
  fs::create_directories(path.parent_path());
  WriteFileOrDie(path, data);
}

void SetMtimeMs(const fs::path& path, int64_t ms) {
  struct timespec times[2];
  times[0].tv_sec = ms / 1000;
  times[0].tv_nsec = (ms % 1000) * 1000000;
  times[1] = times[0];
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0) << path;
}

std::vector<LogSource> DiscoverOk(const fs::path& path) {
  Result<std::vector<LogSource>> logs = DiscoverLogs(path.string());
  EXPECT_TRUE(logs.ok()) << logs.status().ToString();
  if (!logs.ok()) return {};
  return std::move(logs).value();
}

// The file names of a log's files, in reading order.
std::vector<std::string> FileNames(const LogSource& log) {
  std::vector<std::string> names;
  for (const LogFile& f : log.files) names.push_back(fs::path(f.path).filename().string());
  return names;
}

std::vector<std::string> Names(const std::vector<LogSource>& logs) {
  std::vector<std::string> names;
  for (const LogSource& log : logs) names.push_back(fs::path(log.path).filename().string());
  return names;
}

std::pair<std::string, std::string> Split(const std::string& name) {
  std::string app = "junk";
  std::string attempt = "junk";
  SplitAppAndAttempt(name, &app, &attempt);
  return {app, attempt};
}

using AppAttempt = std::pair<std::string, std::string>;

// ---------------------------------------------------------------- names

TEST(DiscoveryNamingTest, YarnAttemptSuffixIsSplit) {
  EXPECT_EQ(Split("application_1536831636016_59384_1"),
            AppAttempt("application_1536831636016_59384", "1"));
  EXPECT_EQ(Split("application_1_0001_12"), AppAttempt("application_1_0001", "12"));
}

TEST(DiscoveryNamingTest, YarnIdWithoutAttemptIsKeptWhole) {
  EXPECT_EQ(Split("application_1506645932520_24630151"),
            AppAttempt("application_1506645932520_24630151", ""));
  EXPECT_EQ(Split("application_1538416563558_0014"),
            AppAttempt("application_1538416563558_0014", ""));
}

TEST(DiscoveryNamingTest, LocalStandaloneAndKubernetesAttemptsAreSplit) {
  EXPECT_EQ(Split("local-1430917381535_1"), AppAttempt("local-1430917381535", "1"));
  EXPECT_EQ(Split("local-1430917381535_2"), AppAttempt("local-1430917381535", "2"));
  EXPECT_EQ(Split("app-20161115172038-0000_3"), AppAttempt("app-20161115172038-0000", "3"));
  EXPECT_EQ(Split("spark-0123456789abcdef0123456789abcdef_1"),
            AppAttempt("spark-0123456789abcdef0123456789abcdef", "1"));
}

TEST(DiscoveryNamingTest, AppIdsWithoutSuffixAreKeptWhole) {
  EXPECT_EQ(Split("local-1430917381534"), AppAttempt("local-1430917381534", ""));
  EXPECT_EQ(Split("app-20161115172038-0000"), AppAttempt("app-20161115172038-0000", ""));
}

TEST(DiscoveryNamingTest, UnknownShapesAreNeverSplit) {
  EXPECT_EQ(Split("tasks_executors_fail_2"), AppAttempt("tasks_executors_fail_2", ""));
  EXPECT_EQ(Split("eventlog_2"), AppAttempt("eventlog_2", ""));
  EXPECT_EQ(Split("local-abc_1"), AppAttempt("local-abc_1", ""));
  EXPECT_EQ(Split("local-1_x"), AppAttempt("local-1_x", ""));
  EXPECT_EQ(Split("application_1_1"), AppAttempt("application_1_1", ""));
  EXPECT_EQ(Split("spark-0123_1"), AppAttempt("spark-0123_1", ""));
  EXPECT_EQ(Split("local-1_"), AppAttempt("local-1_", ""));
  EXPECT_EQ(Split(""), AppAttempt("", ""));
}

TEST(DiscoveryNamingTest, LayoutNames) {
  EXPECT_STREQ(LogLayoutName(LogLayout::kSingleFile), "single-file");
  EXPECT_STREQ(LogLayoutName(LogLayout::kRolling), "rolling");
  EXPECT_STREQ(LogLayoutName(LogLayout::kSpark1Dir), "spark1-dir");
  EXPECT_STREQ(LogLayoutName(LogLayout::kDatabricks), "databricks");
}

// ---------------------------------------------------------------- errors

TEST(DiscoveryTest, MissingPathIsNotFoundWithPath) {
  ScratchDir dir;
  std::string missing = (dir / "no-such-log").string();
  Result<std::vector<LogSource>> logs = DiscoverLogs(missing);
  ASSERT_FALSE(logs.ok());
  EXPECT_EQ(logs.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(logs.status().path(), missing);
  EXPECT_NE(logs.status().ToString().find(missing), std::string::npos);
}

TEST(DiscoveryTest, PathBelowAFileIsNotFound) {
  ScratchDir dir;
  Write(dir / "file");
  Result<std::vector<LogSource>> logs = DiscoverLogs((dir / "file" / "x").string());
  ASSERT_FALSE(logs.ok());
  EXPECT_EQ(logs.status().code(), StatusCode::kNotFound);
}

TEST(DiscoveryTest, SymlinkLoopAsPathIsIOError) {
  ScratchDir dir;
  fs::create_symlink(dir / "loop", dir / "loop");
  Result<std::vector<LogSource>> logs = DiscoverLogs((dir / "loop").string());
  ASSERT_FALSE(logs.ok());
  EXPECT_EQ(logs.status().code(), StatusCode::kIOError);
  EXPECT_EQ(logs.status().path(), (dir / "loop").string());
}

TEST(DiscoveryTest, FifoIsInvalidArgument) {
  ScratchDir dir;
  ASSERT_EQ(::mkfifo((dir / "pipe").c_str(), 0600), 0);
  Result<std::vector<LogSource>> logs = DiscoverLogs((dir / "pipe").string());
  ASSERT_FALSE(logs.ok());
  EXPECT_EQ(logs.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(logs.status().path(), (dir / "pipe").string());
}

// Permission bits do not stop root, so these run only as an ordinary user.
TEST(DiscoveryTest, UnreadableDirectoryIsIOError) {
  if (::geteuid() == 0) GTEST_SKIP() << "running as root: permissions are not enforced";
  ScratchDir dir;
  fs::create_directory(dir / "locked");
  Write(dir / "locked" / "local-1");
  fs::permissions(dir / "locked", fs::perms::none);
  Result<std::vector<LogSource>> logs = DiscoverLogs((dir / "locked").string());
  fs::permissions(dir / "locked", fs::perms::owner_all);
  ASSERT_FALSE(logs.ok());
  EXPECT_EQ(logs.status().code(), StatusCode::kIOError);
  EXPECT_EQ(logs.status().path(), (dir / "locked").string());
}

TEST(DiscoveryTest, UnreadableRollingDirBelowIsIOErrorButPlainSubdirIsSkipped) {
  if (::geteuid() == 0) GTEST_SKIP() << "running as root: permissions are not enforced";
  ScratchDir dir;
  Write(dir / "local-1");
  Write(dir / "private" / "local-2");
  fs::permissions(dir / "private", fs::perms::none);
  std::vector<LogSource> logs = DiscoverOk(dir.path());
  EXPECT_EQ(Names(logs), std::vector<std::string>{"local-1"});

  Write(dir / "eventlog_v2_local-3" / "events_1_local-3");
  fs::permissions(dir / "eventlog_v2_local-3", fs::perms::none);
  Result<std::vector<LogSource>> failed = DiscoverLogs(dir.path().string());
  fs::permissions(dir / "private", fs::perms::owner_all);
  fs::permissions(dir / "eventlog_v2_local-3", fs::perms::owner_all);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), StatusCode::kIOError);
  EXPECT_EQ(failed.status().path(), (dir / "eventlog_v2_local-3").string());
}

// ---------------------------------------------------------------- single files

TEST(DiscoveryTest, SingleFileFillsEveryField) {
  ScratchDir dir;
  fs::path file = dir / "application_1536831636016_59384_1";
  Write(file, kJsonLine + kJsonLine);
  SetMtimeMs(file, 1700000000123);
  std::vector<LogSource> logs = DiscoverOk(file);
  ASSERT_EQ(logs.size(), 1u);
  const LogSource& log = logs[0];
  EXPECT_EQ(log.path, file.string());
  EXPECT_EQ(log.layout, LogLayout::kSingleFile);
  EXPECT_EQ(log.app_id, "application_1536831636016_59384");
  EXPECT_EQ(log.attempt_id, "1");
  EXPECT_FALSE(log.in_progress);
  ASSERT_EQ(log.files.size(), 1u);
  EXPECT_EQ(log.files[0].path, file.string());
  EXPECT_EQ(log.files[0].codec, Codec::kNone);
  EXPECT_EQ(log.files[0].size, 2 * kJsonLine.size());
  EXPECT_FALSE(log.files[0].compact);
  EXPECT_EQ(log.files[0].index, 0);
  EXPECT_EQ(log.total_size, 2 * kJsonLine.size());
  EXPECT_EQ(log.mtime_ms, 1700000000123);
}

TEST(DiscoveryTest, SingleFileCodecAndInProgressFromSuffixes) {
  ScratchDir dir;
  Write(dir / "app-20161116163331-0000.lz4.inprogress", kLz4Head);
  Write(dir / "local-1430917381535_2.zstd", "\x28\xb5\x2f\xfd");
  Write(dir / "local-1.inprogress");
  std::vector<LogSource> logs = DiscoverOk(dir.path());
  ASSERT_EQ(logs.size(), 3u);
  EXPECT_EQ(logs[0].app_id, "app-20161116163331-0000");
  EXPECT_EQ(logs[0].attempt_id, "");
  EXPECT_TRUE(logs[0].in_progress);
  EXPECT_EQ(logs[0].files[0].codec, Codec::kLz4);
  EXPECT_EQ(logs[1].app_id, "local-1");
  EXPECT_TRUE(logs[1].in_progress);
  EXPECT_EQ(logs[1].files[0].codec, Codec::kNone);
  EXPECT_EQ(logs[2].app_id, "local-1430917381535");
  EXPECT_EQ(logs[2].attempt_id, "2");
  EXPECT_FALSE(logs[2].in_progress);
  EXPECT_EQ(logs[2].files[0].codec, Codec::kZstd);
}

TEST(DiscoveryTest, FileGivenDirectlyIsALogWhateverItsName) {
  ScratchDir dir;
  Write(dir / "README.md", "# not a log\n");
  std::vector<LogSource> logs = DiscoverOk(dir / "README.md");
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0].app_id, "README.md");
  EXPECT_EQ(logs[0].layout, LogLayout::kSingleFile);
}

TEST(DiscoveryTest, EmptyDirectoryYieldsNoLogs) {
  ScratchDir dir;
  EXPECT_TRUE(DiscoverOk(dir.path()).empty());
}

TEST(DiscoveryTest, DirectoryOfLogsSkipsHiddenChecksumTempAndClutter) {
  ScratchDir dir;
  Write(dir / "local-1");
  Write(dir / ".local-2");
  Write(dir / ".local-3.crc");
  Write(dir / "local-4.crc");
  Write(dir / "local-5.tmp");
  Write(dir / "README", "How these logs were collected\n");
  Write(dir / "README.md", "# notes\n");
  Write(dir / "notes.txt", "{ not json either, but the extension says clutter\n");
  Write(dir / "driverlog", "23/11/07 10:59:24.335 main INFO DriverLogger: Added a local log\n");
  Write(dir / "local-6", "");                                  // a log that has not flushed yet
  Write(dir / "local-7", std::string(100, '\n') + kJsonLine);  // leading blank lines
  Write(dir / "renamed", kLz4Head);                            // compressed, extension lost
  Write(dir / "local-8.snappy", "junk is the reader's business");
  std::vector<LogSource> logs = DiscoverOk(dir.path());
  EXPECT_EQ(Names(logs), (std::vector<std::string>{"local-1", "local-6", "local-7",
                                                   "local-8.snappy", "renamed"}));
}

TEST(DiscoveryTest, DirectoryOfLogsIsSortedByAppAttemptAndPath) {
  ScratchDir dir;
  Write(dir / "local-5_10");
  Write(dir / "local-5_2");
  Write(dir / "local-5_1.lz4", kLz4Head);
  Write(dir / "local-5_1");
  Write(dir / "app-1-2");
  Write(dir / "application_1_2");
  std::vector<LogSource> logs = DiscoverOk(dir.path());
  EXPECT_EQ(Names(logs), (std::vector<std::string>{"app-1-2", "application_1_2", "local-5_1",
                                                   "local-5_1.lz4", "local-5_2", "local-5_10"}));
  ASSERT_EQ(logs.size(), 6u);
  EXPECT_EQ(logs[5].app_id, "local-5");
  EXPECT_EQ(logs[5].attempt_id, "10");
}

// ---------------------------------------------------------------- rolling

TEST(DiscoveryTest, RollingFilesAreReadInNumericOrder) {
  ScratchDir dir;
  fs::path roll = dir / "eventlog_v2_local-1623876083964";
  for (int n : {1, 2, 9, 10, 11}) {
    fs::path f = roll / ("events_" + std::to_string(n) + "_local-1623876083964.zstd");
    Write(f, std::string(static_cast<size_t>(n), 'x'));
    SetMtimeMs(f, 1000 * n);
  }
  Write(roll / "appstatus_local-1623876083964", "");
  SetMtimeMs(roll / "appstatus_local-1623876083964", 999999);
  std::vector<LogSource> logs = DiscoverOk(roll);
  ASSERT_EQ(logs.size(), 1u);
  const LogSource& log = logs[0];
  EXPECT_EQ(log.path, roll.string());
  EXPECT_EQ(log.layout, LogLayout::kRolling);
  EXPECT_EQ(log.app_id, "local-1623876083964");
  EXPECT_EQ(log.attempt_id, "");
  EXPECT_FALSE(log.in_progress);
  ASSERT_EQ(log.files.size(), 5u);
  std::vector<int64_t> indices;
  for (const LogFile& f : log.files) {
    indices.push_back(f.index);
    EXPECT_EQ(f.codec, Codec::kZstd);
    EXPECT_FALSE(f.compact);
    EXPECT_EQ(f.size, static_cast<uint64_t>(f.index));
  }
  EXPECT_EQ(indices, (std::vector<int64_t>{1, 2, 9, 10, 11}));
  EXPECT_EQ(log.total_size, 1u + 2 + 9 + 10 + 11);
  EXPECT_EQ(log.mtime_ms, 11000);  // the events files, not the marker
}

TEST(DiscoveryTest, RollingInProgressMarkerMeansRunning) {
  ScratchDir dir;
  fs::path roll = dir / "eventlog_v2_application_1_0002_3";
  Write(roll / "events_1_application_1_0002_3.lz4", kLz4Head);
  Write(roll / "appstatus_application_1_0002_3.inprogress", "");
  std::vector<LogSource> logs = DiscoverOk(roll);
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_TRUE(logs[0].in_progress);
  EXPECT_EQ(logs[0].app_id, "application_1_0002");
  EXPECT_EQ(logs[0].attempt_id, "3");
  EXPECT_EQ(logs[0].files[0].codec, Codec::kLz4);

  // The rename at clean shutdown completes it, even if the old marker lingers.
  Write(roll / "appstatus_application_1_0002_3", "");
  logs = DiscoverOk(roll);
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_FALSE(logs[0].in_progress);
}

TEST(DiscoveryTest, RollingWithoutMarkerIsInProgress) {
  ScratchDir dir;
  fs::path roll = dir / "eventlog_v2_local-1";
  Write(roll / "events_1_local-1");
  std::vector<LogSource> logs = DiscoverOk(roll);
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_TRUE(logs[0].in_progress);
}

TEST(DiscoveryTest, RollingNewestCompactReplacesEverythingUpToItsIndex) {
  ScratchDir dir;
  fs::path roll = dir / "eventlog_v2_local-1";
  Write(roll / "appstatus_local-1", "");
  Write(roll / "events_2_local-1.zstd.compact", "old compact");
  Write(roll / "events_3_local-1.zstd", "leftover original");
  Write(roll / "events_5_local-1.zstd.compact", "compact");
  Write(roll / "events_5_local-1.zstd", "original not yet deleted");
  Write(roll / "events_6_local-1.zstd", "six");
  Write(roll / "events_10_local-1.zstd", "ten");
  Write(roll / "events_7_local-1.zstd", "seven");
  std::vector<LogSource> logs = DiscoverOk(roll);
  ASSERT_EQ(logs.size(), 1u);
  const LogSource& log = logs[0];
  EXPECT_EQ(FileNames(log),
            (std::vector<std::string>{"events_5_local-1.zstd.compact", "events_6_local-1.zstd",
                                      "events_7_local-1.zstd", "events_10_local-1.zstd"}));
  ASSERT_EQ(log.files.size(), 4u);
  EXPECT_TRUE(log.files[0].compact);
  EXPECT_EQ(log.files[0].index, 5);
  EXPECT_EQ(log.files[0].codec, Codec::kZstd);
  EXPECT_FALSE(log.files[1].compact);
  EXPECT_EQ(log.total_size, 7u + 3 + 5 + 3);
}

TEST(DiscoveryTest, RollingCompactAloneIsTheWholeLog) {
  ScratchDir dir;
  fs::path roll = dir / "eventlog_v2_local-1";
  Write(roll / "events_4_local-1.compact");
  std::vector<LogSource> logs = DiscoverOk(roll);
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(FileNames(logs[0]), std::vector<std::string>{"events_4_local-1.compact"});
  EXPECT_EQ(logs[0].files[0].codec, Codec::kNone);
}

TEST(DiscoveryTest, RollingIgnoresFilesThatAreNotEventsFiles) {
  ScratchDir dir;
  fs::path roll = dir / "eventlog_v2_local-1";
  Write(roll / "events_1_local-1");
  Write(roll / ".events_1_local-1.crc");
  Write(roll / "events_x_local-1");
  Write(roll / "events_2");
  Write(roll / "README");
  fs::create_directories(roll / "events_3_local-1");
  std::vector<LogSource> logs = DiscoverOk(roll);
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(FileNames(logs[0]), std::vector<std::string>{"events_1_local-1"});
}

TEST(DiscoveryTest, RollingDirWithoutEventsYieldsNothing) {
  ScratchDir dir;
  fs::path roll = dir / "eventlog_v2_local-1";
  Write(roll / "appstatus_local-1.inprogress", "");
  EXPECT_TRUE(DiscoverOk(roll).empty());
  EXPECT_TRUE(DiscoverOk(dir.path()).empty());
}

TEST(DiscoveryTest, RollingDirNameSurvivesTrailingSlashAndDot) {
  ScratchDir dir;
  fs::path roll = dir / "eventlog_v2_local-7_2";
  Write(roll / "events_1_local-7_2");
  for (const std::string& path :
       {roll.string() + "/", roll.string() + "//", roll.string() + "/."}) {
    Result<std::vector<LogSource>> logs = DiscoverLogs(path);
    ASSERT_TRUE(logs.ok()) << path;
    ASSERT_EQ(logs->size(), 1u) << path;
    EXPECT_EQ((*logs)[0].layout, LogLayout::kRolling) << path;
    EXPECT_EQ((*logs)[0].app_id, "local-7") << path;
    EXPECT_EQ((*logs)[0].attempt_id, "2") << path;
  }
}

TEST(DiscoveryTest, RenamedRollingDirIsRecognisedByItsContents) {
  ScratchDir dir;
  fs::path roll = dir / "downloaded";
  Write(roll / "appstatus_application_1_0002_1", "");
  Write(roll / "events_1_application_1_0002_1.lz4", kLz4Head);
  std::vector<LogSource> logs = DiscoverOk(roll);
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0].layout, LogLayout::kRolling);
  EXPECT_EQ(logs[0].app_id, "application_1_0002");
  EXPECT_EQ(logs[0].attempt_id, "1");
  EXPECT_FALSE(logs[0].in_progress);
}

// ---------------------------------------------------------------- Spark 1.x

TEST(DiscoveryTest, Spark1DirTakesCodecFromItsCodecFile) {
  ScratchDir dir;
  fs::path app = dir / "local-1422981759269";
  Write(app / "EVENT_LOG_1", "lzf bytes");
  Write(app / "EVENT_LOG_10", "ten");
  Write(app / "EVENT_LOG_2", "two");
  Write(app / "SPARK_VERSION_1.2.0", "");
  Write(app / "COMPRESSION_CODEC_org.apache.spark.io.LZFCompressionCodec", "");
  Write(app / "APPLICATION_COMPLETE", "");
  SetMtimeMs(app / "EVENT_LOG_2", 5000);
  SetMtimeMs(app / "EVENT_LOG_1", 4000);
  SetMtimeMs(app / "EVENT_LOG_10", 3000);
  std::vector<LogSource> logs = DiscoverOk(app);
  ASSERT_EQ(logs.size(), 1u);
  const LogSource& log = logs[0];
  EXPECT_EQ(log.layout, LogLayout::kSpark1Dir);
  EXPECT_EQ(log.app_id, "local-1422981759269");
  EXPECT_EQ(log.attempt_id, "");
  EXPECT_FALSE(log.in_progress);
  EXPECT_EQ(FileNames(log),
            (std::vector<std::string>{"EVENT_LOG_1", "EVENT_LOG_2", "EVENT_LOG_10"}));
  for (const LogFile& f : log.files) EXPECT_EQ(f.codec, Codec::kLzf);
  EXPECT_EQ(log.files[2].index, 10);
  EXPECT_EQ(log.total_size, 9u + 3 + 3);
  EXPECT_EQ(log.mtime_ms, 5000);
}

TEST(DiscoveryTest, Spark1DirWithoutCompleteMarkerIsInProgress) {
  ScratchDir dir;
  fs::path app = dir / "spark-pi-1400000000000";
  Write(app / "EVENT_LOG_1");
  Write(app / "SPARK_VERSION_1.0.0", "");
  std::vector<LogSource> logs = DiscoverOk(app);
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_TRUE(logs[0].in_progress);
  EXPECT_EQ(logs[0].app_id, "spark-pi-1400000000000");
  EXPECT_EQ(logs[0].files[0].codec, Codec::kNone);
}

TEST(DiscoveryTest, Spark1CodecFileMayUseShortNamesAndOtherClasses) {
  const std::map<std::string, Codec> cases = {
      {"COMPRESSION_CODEC_snappy", Codec::kSnappy},
      {"COMPRESSION_CODEC_org.apache.spark.io.SnappyCompressionCodec", Codec::kSnappy},
      {"COMPRESSION_CODEC_org.apache.spark.io.LZ4CompressionCodec", Codec::kLz4},
      {"COMPRESSION_CODEC_lz4", Codec::kLz4},
      {"COMPRESSION_CODEC_org.apache.spark.io.ZStdCompressionCodec", Codec::kZstd},
      {"COMPRESSION_CODEC_com.example.MyCodec", Codec::kNone},
  };
  for (const auto& [codec_file, codec] : cases) {
    ScratchDir dir;
    Write(dir / "app" / "EVENT_LOG_1", "x");
    Write(dir / "app" / codec_file, "");
    std::vector<LogSource> logs = DiscoverOk(dir / "app");
    ASSERT_EQ(logs.size(), 1u) << codec_file;
    EXPECT_EQ(logs[0].files[0].codec, codec) << codec_file;
  }
}

// ---------------------------------------------------------------- Databricks

TEST(DiscoveryTest, DatabricksPartsOldestFirstThenCurrentLast) {
  ScratchDir dir;
  fs::path db = dir / "0614-203317-abcd1234_10_0_0_1" / "3423198462983";
  Write(db / "eventlog", "current");
  Write(db / "eventlog-2021-06-14--20-00.gz", "third");
  Write(db / "eventlog-2021-06-14--18-00.gz", "second");
  Write(db / "eventlog-2021-06-13--23-30.gz", "first");
  Write(db / ".eventlog.crc");
  std::vector<LogSource> logs = DiscoverOk(db);
  ASSERT_EQ(logs.size(), 1u);
  const LogSource& log = logs[0];
  EXPECT_EQ(log.layout, LogLayout::kDatabricks);
  EXPECT_EQ(log.app_id, "");
  EXPECT_EQ(log.attempt_id, "");
  EXPECT_FALSE(log.in_progress);
  EXPECT_EQ(FileNames(log), (std::vector<std::string>{
                                "eventlog-2021-06-13--23-30.gz", "eventlog-2021-06-14--18-00.gz",
                                "eventlog-2021-06-14--20-00.gz", "eventlog"}));
  ASSERT_EQ(log.files.size(), 4u);
  EXPECT_EQ(log.files[0].codec, Codec::kGzip);
  EXPECT_EQ(log.files[3].codec, Codec::kNone);
  for (size_t i = 0; i < log.files.size(); ++i) {
    EXPECT_EQ(log.files[i].index, static_cast<int64_t>(i + 1));
  }
  EXPECT_EQ(log.total_size, 7u + 5 + 6 + 5);

  // Found the same way when searching from the cluster's log directory.
  std::vector<LogSource> found = DiscoverOk(dir.path());
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].path, db.string());
}

TEST(DiscoveryTest, DatabricksDirWithOnlyTheCurrentFile) {
  ScratchDir dir;
  Write(dir / "ctx" / "eventlog");
  std::vector<LogSource> logs = DiscoverOk(dir / "ctx");
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0].layout, LogLayout::kDatabricks);
  EXPECT_EQ(FileNames(logs[0]), std::vector<std::string>{"eventlog"});
}

TEST(DiscoveryTest, FileNamedEventlogAmongOtherLogsIsJustASingleFile) {
  ScratchDir dir;
  Write(dir / "eventlog");
  Write(dir / "local-2");
  std::vector<LogSource> logs = DiscoverOk(dir.path());
  ASSERT_EQ(logs.size(), 2u);
  EXPECT_EQ(logs[0].layout, LogLayout::kSingleFile);
  EXPECT_EQ(logs[0].app_id, "eventlog");
  EXPECT_EQ(logs[1].app_id, "local-2");
}

// ---------------------------------------------------------------- directories of logs

TEST(DiscoveryTest, MixedDirectoryFindsEveryLayout) {
  ScratchDir dir;
  Write(dir / "application_1_0001_1.lz4", kLz4Head);
  Write(dir / "eventlog_v2_local-2" / "events_1_local-2");
  Write(dir / "eventlog_v2_local-2" / "appstatus_local-2", "");
  Write(dir / "local-3" / "EVENT_LOG_1");
  Write(dir / "local-3" / "APPLICATION_COMPLETE", "");
  Write(dir / "databricks" / "eventlog");
  Write(dir / "notes" / "README.md", "# clutter\n");
  Write(dir / "notes" / "old" / "local-4");
  Write(dir / ".git" / "local-5");
  std::vector<LogSource> logs = DiscoverOk(dir.path());
  ASSERT_EQ(logs.size(), 5u);
  std::vector<std::pair<std::string, LogLayout>> got;
  for (const LogSource& log : logs) got.emplace_back(log.app_id, log.layout);
  EXPECT_EQ(got, (std::vector<std::pair<std::string, LogLayout>>{
                     {"", LogLayout::kDatabricks},
                     {"application_1_0001", LogLayout::kSingleFile},
                     {"local-2", LogLayout::kRolling},
                     {"local-3", LogLayout::kSpark1Dir},
                     {"local-4", LogLayout::kSingleFile}}));
  EXPECT_EQ(logs[4].path, (dir / "notes" / "old" / "local-4").string());
}

TEST(DiscoveryTest, SearchStopsAtMaxDepth) {
  static_assert(kMaxSearchDepth == 3, "update the paths below");
  ScratchDir dir;
  Write(dir / "a" / "b" / "c" / "local-3");
  Write(dir / "a" / "b" / "c" / "d" / "local-4");
  Write(dir / "a" / "b" / "c" / "d" / "eventlog_v2_local-5" / "events_1_local-5");
  std::vector<LogSource> logs = DiscoverOk(dir.path());
  EXPECT_EQ(Names(logs), std::vector<std::string>{"local-3"});
  // Depth counts from the path given.
  logs = DiscoverOk(dir / "a" / "b");
  EXPECT_EQ(Names(logs), (std::vector<std::string>{"local-3", "local-4", "eventlog_v2_local-5"}));
}

TEST(DiscoveryTest, SymlinkLoopsAreCutAndLinkedLogsFollowed) {
  ScratchDir dir;
  Write(dir / "logs" / "local-1");
  Write(dir / "elsewhere" / "local-2");
  fs::create_directory_symlink(dir / "logs", dir / "logs" / "again");
  fs::create_directory_symlink(dir / "elsewhere", dir / "logs" / "linked");
  fs::create_symlink(dir / "elsewhere" / "local-2", dir / "logs" / "local-2-link");
  fs::create_symlink(dir / "nowhere", dir / "logs" / "dangling");
  std::vector<LogSource> logs = DiscoverOk(dir / "logs");
  EXPECT_EQ(Names(logs), (std::vector<std::string>{"local-1", "local-2", "local-2-link"}));
}

TEST(DiscoveryTest, AttemptsOfOneAppStayDistinctLogs) {
  ScratchDir dir;
  Write(dir / "eventlog_v2_application_1_0002_1" / "events_1_application_1_0002_1");
  Write(dir / "eventlog_v2_application_1_0002_2" / "events_1_application_1_0002_2");
  Write(dir / "application_1_0002_3.inprogress");
  std::vector<LogSource> logs = DiscoverOk(dir.path());
  ASSERT_EQ(logs.size(), 3u);
  for (size_t i = 0; i < logs.size(); ++i) {
    EXPECT_EQ(logs[i].app_id, "application_1_0002");
    EXPECT_EQ(logs[i].attempt_id, std::to_string(i + 1));
  }
  EXPECT_TRUE(logs[2].in_progress);
}

// ---------------------------------------------------------------- the shared corpus

std::map<std::string, const LogSource*> ByName(const std::vector<LogSource>& logs) {
  std::map<std::string, const LogSource*> by_name;
  for (const LogSource& log : logs) by_name[fs::path(log.path).filename().string()] = &log;
  return by_name;
}

void ExpectSizesMatchDisk(const std::vector<LogSource>& logs) {
  for (const LogSource& log : logs) {
    uint64_t total = 0;
    for (const LogFile& f : log.files) {
      EXPECT_EQ(f.size, fs::file_size(f.path)) << f.path;
      total += f.size;
    }
    EXPECT_EQ(log.total_size, total) << log.path;
    EXPECT_GT(log.mtime_ms, 0) << log.path;
  }
}

TEST(DiscoveryCorpusTest, Spark24TestsSplitsAttempts) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(dir, "eventlogs/spark-2.4-tests");
  std::vector<LogSource> logs = DiscoverOk(dir);
  ASSERT_EQ(logs.size(), 13u);
  ExpectSizesMatchDisk(logs);
  for (const LogSource& log : logs) {
    EXPECT_EQ(log.layout, LogLayout::kSingleFile) << log.path;
    EXPECT_FALSE(log.in_progress) << log.path;
    ASSERT_EQ(log.files.size(), 1u);
    EXPECT_EQ(log.files[0].codec, Codec::kNone) << log.path;
  }
  auto by_name = ByName(logs);
  auto app_attempt = [&](const std::string& name) {
    const LogSource* log = by_name.at(name);
    return AppAttempt(log->app_id, log->attempt_id);
  };
  EXPECT_EQ(app_attempt("application_1536831636016_59384_1"),
            AppAttempt("application_1536831636016_59384", "1"));
  EXPECT_EQ(app_attempt("local-1430917381535_1"), AppAttempt("local-1430917381535", "1"));
  EXPECT_EQ(app_attempt("local-1430917381535_2"), AppAttempt("local-1430917381535", "2"));
  EXPECT_EQ(app_attempt("application_1506645932520_24630151"),
            AppAttempt("application_1506645932520_24630151", ""));
  EXPECT_EQ(app_attempt("application_1538416563558_0014"),
            AppAttempt("application_1538416563558_0014", ""));
  EXPECT_EQ(app_attempt("app-20161115172038-0000"), AppAttempt("app-20161115172038-0000", ""));
  // The two attempts sort next to each other, in attempt order.
  EXPECT_EQ(Names(logs)[11], "local-1430917381535_1");
  EXPECT_EQ(Names(logs)[12], "local-1430917381535_2");
}

TEST(DiscoveryCorpusTest, SparkCodecsHasEveryCodecInProgressFilesAndARollingDir) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(dir, "eventlogs/spark-codecs");
  std::vector<LogSource> logs = DiscoverOk(dir);
  ASSERT_EQ(logs.size(), 12u);
  ExpectSizesMatchDisk(logs);
  auto by_name = ByName(logs);
  const LogSource& roll = *by_name.at("eventlog_v2_local-1430917381534");
  EXPECT_EQ(roll.layout, LogLayout::kRolling);
  EXPECT_EQ(roll.app_id, "local-1430917381534");
  EXPECT_FALSE(roll.in_progress);
  EXPECT_EQ(FileNames(roll), (std::vector<std::string>{"events_1_local-1430917381534.lz4",
                                                       "events_2_local-1430917381534.lz4"}));
  for (const LogFile& f : roll.files) EXPECT_EQ(f.codec, Codec::kLz4);

  const std::map<std::string, std::pair<Codec, bool>> singles = {
      {"app-20161116163331-0000.lz4", {Codec::kLz4, false}},
      {"app-20161116163331-0000.lzf", {Codec::kLzf, false}},
      {"app-20161116163331-0000.snappy", {Codec::kSnappy, false}},
      {"app-20161116163331-0000.zstd", {Codec::kZstd, false}},
      {"application_1603128018386_7846.lz4", {Codec::kLz4, false}},
      {"application_1603128018386_7846.lz4.inprogress", {Codec::kLz4, true}},
      {"application_1603128018386_7846.lzf.inprogress", {Codec::kLzf, true}},
      {"application_1603128018386_7846.snappy.inprogress", {Codec::kSnappy, true}},
      {"application_1603128018386_7846.zstd.inprogress", {Codec::kZstd, true}},
  };
  for (const auto& [name, expected] : singles) {
    ASSERT_TRUE(by_name.count(name)) << name;
    const LogSource& log = *by_name.at(name);
    EXPECT_EQ(log.files[0].codec, expected.first) << name;
    EXPECT_EQ(log.in_progress, expected.second) << name;
    EXPECT_EQ(log.attempt_id, "") << name;
    EXPECT_TRUE(log.app_id == "app-20161116163331-0000" ||
                log.app_id == "application_1603128018386_7846")
        << name << " -> " << log.app_id;
  }
}

TEST(DiscoveryCorpusTest, RapidsQualificationRollingZstdAndNestedClusterLogs) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(dir, "eventlogs/rapids-qualification");
  std::vector<LogSource> logs = DiscoverOk(dir);
  // 23 files at the top, the rolling dir, 5 in cluster_information, 5 in its platform/.
  EXPECT_EQ(logs.size(), 34u);
  ExpectSizesMatchDisk(logs);
  auto by_name = ByName(logs);
  ASSERT_TRUE(by_name.count("eventlog_v2_local-1623876083964"));
  const LogSource& roll = *by_name.at("eventlog_v2_local-1623876083964");
  EXPECT_EQ(roll.layout, LogLayout::kRolling);
  EXPECT_EQ(roll.app_id, "local-1623876083964");
  EXPECT_FALSE(roll.in_progress);
  EXPECT_EQ(FileNames(roll), (std::vector<std::string>{"events_1_local-1623876083964.zstd",
                                                       "events_2_local-1623876083964.zstd"}));
  EXPECT_EQ(roll.files[1].codec, Codec::kZstd);
  EXPECT_EQ(roll.files[1].index, 2);
  EXPECT_TRUE(by_name.count("eventlog_3nodes_12cores_exec_removed"));
  EXPECT_TRUE(by_name.count("databricks-azure"));
  EXPECT_EQ(by_name.at("complex_dec_eventlog.zstd")->app_id, "complex_dec_eventlog");
}

TEST(DiscoveryCorpusTest, RapidsProfilingSkipsTheDriverTextLog) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(dir, "eventlogs/rapids-profiling");
  std::vector<LogSource> logs = DiscoverOk(dir);
  EXPECT_EQ(logs.size(), 14u);
  auto by_name = ByName(logs);
  EXPECT_FALSE(by_name.count("driverlog"));
  EXPECT_TRUE(by_name.count("rp_nosql_eventlog"));
  // Given directly, it is taken at its word: the reader will say it is not an event log.
  EXPECT_EQ(DiscoverOk(dir / "driverlog").size(), 1u);
}

TEST(DiscoveryCorpusTest, SparkCurrentTestsUncompressedRollingLog) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(dir,
                                 "eventlogs/spark-current-tests/eventlog_v2_local-1766844910796");
  std::vector<LogSource> logs = DiscoverOk(dir);
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0].app_id, "local-1766844910796");
  EXPECT_FALSE(logs[0].in_progress);
  ASSERT_EQ(logs[0].files.size(), 1u);
  EXPECT_EQ(logs[0].files[0].codec, Codec::kNone);
}

TEST(DiscoveryCorpusTest, WholeCorpusIsFoundThroughNestedDirectories) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(dir, "eventlogs");
  std::vector<LogSource> logs = DiscoverOk(dir);
  size_t expected = 0;
  for (const char* sub : {"spark-2.4-tests", "spark-current-tests", "spark-codecs",
                          "rapids-profiling", "rapids-qualification", "rapids-e2e"}) {
    if (!fs::exists(dir / sub)) continue;
    expected += DiscoverOk(dir / sub).size();
  }
  EXPECT_EQ(logs.size(), expected);
  EXPECT_GT(logs.size(), 70u);
  ExpectSizesMatchDisk(logs);
}

}  // namespace
}  // namespace sparkmedic
