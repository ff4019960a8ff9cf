// sparkmedic-gen output layouts: codecs, Spark's rolling directory, in-progress logs, and
// the --inject syntax.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <zlib.h>
#include <zstd.h>

#include "gen_eventlog/generator.h"
#include "recount.h"
#include "testutil.h"

namespace sparkmedic::gen {
namespace {

namespace fs = std::filesystem;
using sparkmedic::testing::ReadFileOrDie;
using sparkmedic::testing::ScratchDir;

std::string Zstd(const std::string& in) {
  std::string out;
  ZSTD_DCtx* d = ZSTD_createDCtx();
  ZSTD_inBuffer src{in.data(), in.size(), 0};
  std::string buf(1 << 16, '\0');
  while (src.pos < src.size) {
    ZSTD_outBuffer dst{buf.data(), buf.size(), 0};
    size_t rc = ZSTD_decompressStream(d, &dst, &src);
    if (ZSTD_isError(rc)) {
      ADD_FAILURE() << ZSTD_getErrorName(rc);
      break;
    }
    out.append(buf.data(), dst.pos);
  }
  ZSTD_freeDCtx(d);
  return out;
}

std::string Gunzip(const std::string& in) {
  z_stream z{};
  inflateInit2(&z, 15 + 16);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  std::string out, buf(1 << 16, '\0');
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buf.data());
    z.avail_out = static_cast<uInt>(buf.size());
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf.data(), buf.size() - z.avail_out);
  }
  EXPECT_EQ(rc, Z_STREAM_END);
  inflateEnd(&z);
  return out;
}

Options Small() {
  Options o;
  o.tasks = 1500;
  o.partitions_per_stage = 50;
  o.seed = 11;
  return o;
}

std::string InMemory(const Options& o) {
  std::string out;
  EXPECT_TRUE(GenerateToString(o, &out, nullptr).ok());
  return out;
}

TEST(GenOutput, ZstdAndGzipDecompressToThePlainLog) {
  ScratchDir dir;
  for (Codec codec : {Codec::kZstd, Codec::kGzip}) {
    Options o = Small();
    o.codec = codec;
    o.output = (dir / "log").string();
    Manifest m;
    ASSERT_TRUE(GenerateToOutput(o, &m).ok());
    const std::string raw = ReadFileOrDie(o.output);
    const std::string text = codec == Codec::kZstd ? Zstd(raw) : Gunzip(raw);
    EXPECT_EQ(text, InMemory(o));
    EXPECT_EQ(text.size(), m.uncompressed_bytes);
    if (codec == Codec::kZstd) {
      EXPECT_EQ(raw.compare(0, 4, "\x28\xB5\x2F\xFD"), 0);
      // Spark closes a frame at every flushing event: many frames, not one.
      size_t frames = 0;
      for (size_t pos = 0; (pos = raw.find("\x28\xB5\x2F\xFD", pos)) != std::string::npos; ++pos)
        ++frames;
      EXPECT_GT(frames, 10u);
    }
  }
}

TEST(GenOutput, DirectoryOutputUsesSparkFileNames) {
  ScratchDir dir;
  Options o = Small();
  o.codec = Codec::kZstd;
  o.output = dir.path().string();
  ASSERT_TRUE(GenerateToOutput(o, nullptr).ok());
  EXPECT_TRUE(fs::exists(dir / (ResolveAppId(o) + ".zstd")));
  EXPECT_EQ(ResolveAppId(o).rfind("spark-", 0), 0u);
  EXPECT_EQ(ResolveAppId(o).size(), 38u);
}

TEST(GenOutput, RollingDirectoryMatchesRollingEventLogFilesWriter) {
  ScratchDir dir;
  Options o = Small();
  o.codec = Codec::kZstd;
  o.rolling_max_bytes = 1 << 20;
  o.output = dir.path().string();
  Manifest m;
  ASSERT_TRUE(GenerateToOutput(o, &m).ok());
  const std::string app = ResolveAppId(o);
  const fs::path root = dir / ("eventlog_v2_" + app);
  ASSERT_TRUE(fs::is_directory(root));
  EXPECT_TRUE(fs::exists(root / ("appstatus_" + app)));
  EXPECT_FALSE(fs::exists(root / ("appstatus_" + app + ".inprogress")));
  std::vector<int> indices;
  for (const auto& entry : fs::directory_iterator(root)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("events_", 0) != 0) continue;
    EXPECT_EQ(name.substr(name.size() - (app.size() + 5)), app + ".zstd") << name;
    indices.push_back(std::stoi(name.substr(7)));
  }
  std::sort(indices.begin(), indices.end());
  ASSERT_GT(indices.size(), 3u);
  std::string all;
  for (size_t i = 0; i < indices.size(); ++i) {
    EXPECT_EQ(indices[i], static_cast<int>(i) + 1);
    const std::string part =
        Zstd(ReadFileOrDie(root / ("events_" + std::to_string(indices[i]) + "_" + app + ".zstd")));
    EXPECT_EQ(part.find("SparkListenerLogStart") != std::string::npos, i == 0);
    EXPECT_EQ(part.back(), '\n');
    // A file never exceeds the limit unless its one line is larger than the limit.
    if (part.find('\n') != part.size() - 1) {
      EXPECT_LE(part.size(), static_cast<size_t>(o.rolling_max_bytes));
    }
    all += part;
  }
  EXPECT_EQ(all, InMemory(o));
  EXPECT_EQ(m.files.size(), indices.size() + 1);
}

TEST(GenOutput, InProgressLogKeepsInProgressNamesAndCutsTheLastLine) {
  ScratchDir dir;
  Options o = Small();
  o.in_progress = true;
  o.stop_at = 0.5;
  o.output = dir.path().string();
  Manifest m;
  ASSERT_TRUE(GenerateToOutput(o, &m).ok());
  const fs::path file = dir / (ResolveAppId(o) + ".inprogress");
  ASSERT_TRUE(fs::exists(file));
  const std::string text = ReadFileOrDie(file);
  std::string partial;
  const testing::Recount c = testing::CountLog(text);
  testing::ForEachEvent(
      text, [](simdjson::dom::element, std::string_view) {}, &partial);
  EXPECT_FALSE(partial.empty());
  EXPECT_NE(text.back(), '\n');
  EXPECT_EQ(c.lines, m.lines);
  EXPECT_TRUE(m.in_progress);
  EXPECT_FALSE(m.application_end);
  EXPECT_EQ(c.events.count("SparkListenerApplicationEnd"), 0u);
  EXPECT_LE(c.task_ids_started.size(), 800u);
}

TEST(GenOutput, InProgressRollingZstdLeavesTheMarkerInProgress) {
  ScratchDir dir;
  Options o = Small();
  o.in_progress = true;
  o.codec = Codec::kZstd;
  o.rolling_max_bytes = 1 << 20;
  o.output = dir.path().string();
  Manifest m;
  ASSERT_TRUE(GenerateToOutput(o, &m).ok());
  const std::string app = ResolveAppId(o);
  const fs::path root = dir / ("eventlog_v2_" + app);
  EXPECT_TRUE(fs::exists(root / ("appstatus_" + app + ".inprogress")));
  EXPECT_FALSE(m.application_end);
  // The last event file ends in a zstd frame that was never finished (the writer is still
  // running), holding half a line; everything before it decodes to complete lines.
  ASSERT_GE(m.files.size(), 2u);
  const std::string last = ReadFileOrDie(m.files[m.files.size() - 2]);
  size_t pos = 0, complete_frames = 0;
  for (;;) {
    const size_t n = ZSTD_findFrameCompressedSize(last.data() + pos, last.size() - pos);
    if (ZSTD_isError(n)) break;
    pos += n;
    ++complete_frames;
  }
  EXPECT_GT(complete_frames, 0u);
  EXPECT_LT(pos, last.size());
  std::string all;
  for (size_t i = 0; i + 1 < m.files.size(); ++i) all += Zstd(ReadFileOrDie(m.files[i]));
  std::string partial;
  const testing::Recount c = testing::CountLog(all);
  testing::ForEachEvent(
      all, [](simdjson::dom::element, std::string_view) {}, &partial);
  EXPECT_FALSE(partial.empty());
  EXPECT_EQ(c.lines, m.lines);
}

TEST(GenInject, ParsesCountsRatesAllAndTargets) {
  std::vector<InjectSpec> specs;
  ASSERT_TRUE(
      ParseInjectList("exception:NullPointerException=20, oom=0.5%,"
                      "executor-lost:heartbeat=2@host:1,exception:BadRecord=all@stage:last.3,"
                      "fetch-failed=3@reduce",
                      &specs)
          .ok());
  ASSERT_EQ(specs.size(), 5u);
  EXPECT_EQ(specs[0].kind, FailureKind::kException);
  EXPECT_EQ(specs[0].count, 20u);
  EXPECT_EQ(specs[1].amount, InjectSpec::Amount::kRate);
  EXPECT_DOUBLE_EQ(specs[1].rate, 0.005);
  EXPECT_EQ(specs[2].arg, "heartbeat");
  EXPECT_EQ(specs[2].target.host, 1);
  EXPECT_EQ(specs[3].amount, InjectSpec::Amount::kAll);
  EXPECT_EQ(specs[3].target.stage, -2);
  EXPECT_EQ(specs[3].target.partition, 3);
  EXPECT_EQ(specs[4].target.task_type, 3);
}

TEST(GenInject, RejectsMalformedItems) {
  for (const char* bad : {"oom", "exception:NoSuchThing=1", "executor-lost:99=1", "oom=-1",
                          "oom=150%", "bogus=1", "oom=1@host:x", "unknown:arg=1"}) {
    std::vector<InjectSpec> specs;
    Status st = ParseInjectList(bad, &specs);
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(GenInject, EveryScenarioPresetIsValid) {
  for (const std::string& name : ScenarioNames()) {
    Options o;
    ASSERT_TRUE(ApplyScenario(name, &o).ok()) << name;
    EXPECT_TRUE(Validate(o).ok()) << name;
    EXPECT_FALSE(ScenarioDescription(name).empty());
  }
  Options o;
  EXPECT_FALSE(ApplyScenario("nope", &o).ok());
}

}  // namespace
}  // namespace sparkmedic::gen
