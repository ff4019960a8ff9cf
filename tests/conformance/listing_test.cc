// The cheap listing reads (frontends/server/listing.h) against the full load.
//
// The expectation is the model LoadApplication builds from every line of the log: the cheap
// reads must give the same application list values for every log of the corpus. Synthetic
// logs pin what is read (the tail only) and the History Server's limit (an ApplicationEnd
// farther from the end than the tail is not seen).
#include "frontends/server/listing.h"

#include <chrono>
#include <iostream>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "sparkmedic/discovery.h"
#include "sparkmedic/loader.h"

#include "testutil.h"

namespace sparkmedic {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

struct Cost {
  double seconds = 0;
  uint64_t raw_bytes = 0;
};

// Compares the cheap facts of every log under `dir` with its full load; returns the number
// of logs compared and adds the cost each way.
int CompareDir(const fs::path& dir, Cost* full_cost, Cost* cheap_cost) {
  auto found = DiscoverLogs(dir.string());
  EXPECT_TRUE(found.ok()) << found.status().ToString();
  if (!found.ok()) return 0;
  int n = 0;
  for (const LogSource& src : *found) {
    SCOPED_TRACE(src.path);
    auto t0 = Clock::now();
    ReadStats stats;
    Result<Application> full = LoadApplication(src, LoadOptions{}, nullptr, &stats);
    auto t1 = Clock::now();
    Result<server::ListingFacts> cheap = server::ReadListingFacts(src);
    auto t2 = Clock::now();
    full_cost->seconds += Seconds(t1 - t0);
    cheap_cost->seconds += Seconds(t2 - t1);
    full_cost->raw_bytes += stats.raw_bytes;
    ++n;
    EXPECT_EQ(cheap.ok(), full.ok()) << (full.ok() ? cheap.status() : full.status()).ToString();
    if (!full.ok() || !cheap.ok()) continue;
    const Application& a = *full;
    EXPECT_EQ(cheap->app_id, a.app_id);
    EXPECT_EQ(cheap->attempt_id, a.attempt_id);
    EXPECT_EQ(cheap->app_name, a.name);
    EXPECT_EQ(cheap->start_time, a.start_time);
    EXPECT_EQ(cheap->spark_user, a.user);
    EXPECT_EQ(cheap->spark_version, a.spark_version);
    EXPECT_EQ(cheap->has_application_start, a.has_application_start);
    EXPECT_EQ(cheap->completed, a.completed);
    EXPECT_EQ(cheap->end_time, a.completed ? a.end_time : kNoTime);
    cheap_cost->raw_bytes += cheap->raw_bytes_read;
  }
  return n;
}

TEST(RestListing, MatchesFullLoadForEveryCorpusLog) {
  auto corpus = testing::CorpusDir();
  if (!corpus) GTEST_SKIP() << "corpus absent (set SPARKMEDIC_CORPUS_DIR)";
  // The conformance test's directories first, then every other directory of logs.
  std::vector<fs::path> dirs = {*corpus / "eventlogs/spark-2.4-tests",
                                *corpus / "eventlogs/spark-current-tests"};
  for (const auto& d : fs::directory_iterator(*corpus / "eventlogs")) {
    if (d.is_directory() && d.path() != dirs[0] && d.path() != dirs[1]) dirs.push_back(d.path());
  }
  int total = 0;
  for (const fs::path& dir : dirs) {
    SCOPED_TRACE(dir.string());
    Cost full, cheap;
    int n = CompareDir(dir, &full, &cheap);
    total += n;
    std::cout << fmt::format(
        "[ listing  ] {:<22} {:3} logs: full load {:.3f} s {:.1f} MB read, cheap {:.3f} s "
        "{:.1f} MB read\n",
        dir.filename().string(), n, full.seconds, full.raw_bytes / 1e6, cheap.seconds,
        cheap.raw_bytes / 1e6);
  }
  EXPECT_GE(total, 20);  // the conformance directories alone hold 18 logs
}

// A finished uncompressed log of about `filler_bytes` of other events around the end.
std::string SyntheticLog(size_t filler_before_end, size_t filler_after_end) {
  std::string s =
      "{\"Event\":\"SparkListenerLogStart\",\"Spark Version\":\"3.5.1\"}\n"
      "{\"Event\":\"SparkListenerApplicationStart\",\"App Name\":\"big\",\"App ID\":"
      "\"app-20240101000000-0001\",\"Timestamp\":1704067200000,\"User\":\"alice\"}\n";
  auto filler = [&](size_t bytes, int first_job) {
    int job = first_job;
    for (size_t start = s.size(); s.size() - start < bytes; ++job) {
      s += fmt::format(
          "{{\"Event\":\"SparkListenerJobStart\",\"Job ID\":{},\"Submission Time\":{},"
          "\"Stage Infos\":[],\"Stage IDs\":[],\"Properties\":{{\"padding\":\"{}\"}}}}\n",
          job, 1704067200000 + job, std::string(200, 'x'));
    }
    return job;
  };
  int next = filler(filler_before_end, 0);
  s += "{\"Event\":\"SparkListenerApplicationEnd\",\"Timestamp\":1704070800000}\n";
  filler(filler_after_end, next);
  return s;
}

LogSource OnlyLog(const fs::path& path) {
  auto found = DiscoverLogs(path.string());
  EXPECT_TRUE(found.ok() && found->size() == 1);
  return found.ok() && found->size() == 1 ? (*found)[0] : LogSource{};
}

TEST(RestListing, ReadsOnlyTheTailOfALargeUncompressedLog) {
  testing::ScratchDir dir;
  std::string text = SyntheticLog(8 << 20, 0);
  testing::WriteFileOrDie(dir / "app-20240101000000-0001", text);
  auto facts = server::ReadListingFacts(OnlyLog(dir / "app-20240101000000-0001"));
  ASSERT_TRUE(facts.ok()) << facts.status().ToString();
  EXPECT_EQ(facts->app_id, "app-20240101000000-0001");
  EXPECT_EQ(facts->app_name, "big");
  EXPECT_EQ(facts->spark_user, "alice");
  EXPECT_EQ(facts->spark_version, "3.5.1");
  EXPECT_EQ(facts->start_time, 1704067200000);
  EXPECT_TRUE(facts->completed);
  EXPECT_EQ(facts->end_time, 1704070800000);
  // The head (at most one read buffer of 1 MiB) and the tail (1 MiB + 1 byte): not 8 MiB.
  EXPECT_LE(facts->raw_bytes_read, (uint64_t{2} << 20) + 1 + 16);
  EXPECT_LT(facts->raw_bytes_read, text.size() / 3);
}

TEST(RestListing, EndEventBeforeTheTailIsNotSeenLikeTheHistoryServer) {
  // FsHistoryProvider reparses only endEventReparseChunkSize (1 MiB) of the end: an
  // ApplicationEnd followed by more than that is missed there too.
  testing::ScratchDir dir;
  testing::WriteFileOrDie(dir / "app-20240101000000-0001", SyntheticLog(1000, 3 << 20));
  auto facts = server::ReadListingFacts(OnlyLog(dir / "app-20240101000000-0001"));
  ASSERT_TRUE(facts.ok()) << facts.status().ToString();
  EXPECT_FALSE(facts->completed);
  EXPECT_EQ(facts->end_time, kNoTime);
  // ...whereas an ApplicationEnd just inside the tail is seen.
  testing::WriteFileOrDie(dir / "app-20240101000000-0001",
                          SyntheticLog(1000, server::kEndEventTailBytes - 1000));
  facts = server::ReadListingFacts(OnlyLog(dir / "app-20240101000000-0001"));
  ASSERT_TRUE(facts.ok());
  EXPECT_TRUE(facts->completed);
}

TEST(RestListing, CompressedLogIsScannedToItsEnd) {
  testing::ScratchDir dir;
  // ApplicationEnd followed by 3 MiB (decoded): beyond any tail, found by the scan.
  testing::WriteFileOrDie(dir / "plain", SyntheticLog(1 << 20, 3 << 20));
  std::string out;
  ASSERT_EQ(testing::RunCommand(fmt::format("zstd -q -o {} {} 2>&1",
                                            (dir / "app-20240101000000-0001.zstd").string(),
                                            (dir / "plain").string()),
                                &out),
            0)
      << out;
  fs::remove(dir / "plain");
  auto facts = server::ReadListingFacts(OnlyLog(dir / "app-20240101000000-0001.zstd"));
  ASSERT_TRUE(facts.ok()) << facts.status().ToString();
  EXPECT_TRUE(facts->completed);
  EXPECT_EQ(facts->end_time, 1704070800000);
  EXPECT_EQ(facts->app_id, "app-20240101000000-0001");
  EXPECT_EQ(facts->decoded_bytes_scanned, SyntheticLog(1 << 20, 3 << 20).size());
}

TEST(RestListing, InProgressLogIsRunningEvenWithAnEndEvent) {
  testing::ScratchDir dir;
  testing::WriteFileOrDie(dir / "app-20240101000000-0001.inprogress", SyntheticLog(1000, 0));
  auto facts = server::ReadListingFacts(OnlyLog(dir / "app-20240101000000-0001.inprogress"));
  ASSERT_TRUE(facts.ok()) << facts.status().ToString();
  EXPECT_FALSE(facts->completed);
  EXPECT_EQ(facts->end_time, kNoTime);
  EXPECT_EQ(facts->start_time, 1704067200000);
}

TEST(RestListing, TextThatIsNotAnEventLogIsAnError) {
  testing::ScratchDir dir;
  testing::WriteFileOrDie(dir / "app-20240101000000-0001.inprogress",
                          "24/01/01 00:00:00 INFO SparkContext: Running Spark version 3.5.1\n");
  auto facts = server::ReadListingFacts(OnlyLog(dir / "app-20240101000000-0001.inprogress"));
  ASSERT_FALSE(facts.ok());
  EXPECT_EQ(facts.status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace sparkmedic
