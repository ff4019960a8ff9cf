// The shared corpus: Spark-format files written by the Java libraries Spark uses decode to the
// plain logs they were made from; in-progress files decode to the part the writer had flushed.
// Skipped when the corpus is absent.
#include <string>

#include <gtest/gtest.h>

#include "sparkmedic/codec.h"

#include "spark_formats.h"
#include "testutil.h"

namespace sparkmedic {
namespace {

constexpr char kCodecDir[] = "eventlogs/spark-codecs/";
constexpr char kPlain2016[] = "eventlogs/spark-2.4-tests/app-20161116163331-0000";
constexpr char kZstd7846[] =
    "eventlogs/rapids-profiling/tasks_executors_fail_compressed_eventlog.zstd";

struct FileDecode {
  std::string bytes;
  Status status;  // OK for a clean end
  Codec codec = Codec::kNone;
};

FileDecode DecodeFile(const std::filesystem::path& path, size_t read_size = 1 << 16) {
  FileDecode out;
  auto s = OpenEventLogFile(path.string(), &out.codec);
  if (!s.ok()) {
    out.status = s.status();
    return out;
  }
  testing::Decoded d = testing::ReadToEnd(**s, read_size);
  out.bytes = std::move(d.bytes);
  out.status = d.status;
  return out;
}

// The plain content of application_1603128018386_7846, from the zstd log in the corpus.
std::string Plain7846(const std::filesystem::path& zstd_path) {
  FileDecode d = DecodeFile(zstd_path);
  EXPECT_TRUE(d.status.ok()) << d.status.ToString();
  EXPECT_EQ(d.codec, Codec::kZstd);
  return d.bytes;
}

// The first `lines` lines of `text`, newline included.
std::string FirstLines(const std::string& text, size_t lines) {
  size_t pos = 0;
  for (size_t i = 0; i < lines && pos != std::string::npos; ++i) {
    pos = text.find('\n', pos);
    if (pos != std::string::npos) ++pos;
  }
  return text.substr(0, pos == std::string::npos ? text.size() : pos);
}

class CorpusCodecTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CorpusCodecTest, FinishedLogDecodesToThePlainLog) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(plain, kPlain2016);
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(file,
                                 std::string(kCodecDir) + "app-20161116163331-0000." + GetParam());
  const std::string expected = testing::ReadFileOrDie(plain);
  for (size_t read_size : {size_t{1}, size_t{4096}, size_t{1} << 20}) {
    FileDecode d = DecodeFile(file, read_size);
    ASSERT_TRUE(d.status.ok()) << d.status.ToString();
    EXPECT_EQ(CodecName(d.codec), GetParam());
    ASSERT_EQ(d.bytes.size(), expected.size());
    EXPECT_TRUE(d.bytes == expected);
  }
}

// The corpus has lz4, snappy and lzf copies of 7846 (its original is the zstd log itself).
class CorpusBigLogTest : public ::testing::TestWithParam<std::string> {};

TEST_P(CorpusBigLogTest, FinishedLogDecodesToTheZstdLogsContent) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(reference, kZstd7846);
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(
      file, std::string(kCodecDir) + "application_1603128018386_7846." + GetParam());
  const std::string expected = Plain7846(reference);
  FileDecode d = DecodeFile(file);
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  ASSERT_EQ(d.bytes.size(), expected.size());
  EXPECT_TRUE(d.bytes == expected);
}

// Written from the first 9,000 lines, flushed every 50 lines and never closed. snappy, lzf and
// zstd end every flush with a block/chunk/frame, so all 9,000 lines are there and the file ends
// cleanly; lz4 (syncFlush=false) holds only the whole 32 KiB blocks, also ending cleanly.
TEST_P(CorpusCodecTest, InProgressLogDecodesToWhatTheWriterFlushed) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(reference, kZstd7846);
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(file, std::string(kCodecDir) + "application_1603128018386_7846." +
                                           GetParam() + ".inprogress");
  const std::string lines9000 = FirstLines(Plain7846(reference), 9000);
  FileDecode d = DecodeFile(file);
  EXPECT_EQ(CodecName(d.codec), GetParam());
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  ASSERT_EQ(lines9000.compare(0, d.bytes.size(), d.bytes), 0) << "not a prefix";
  if (GetParam() == "lz4") {
    // lz4-java emits a block only when a write overflows it, so a full last block stays behind.
    EXPECT_EQ(d.bytes.size(), (lines9000.size() - 1) / 32768 * 32768);
    EXPECT_NE(d.bytes.back(), '\n') << "the corpus README says the last line is usually cut";
  } else {
    EXPECT_EQ(d.bytes.size(), lines9000.size());
    EXPECT_EQ(d.bytes.back(), '\n');
  }
}

// The same files cut short, as a copy taken while the writer was mid-write: whole units, then
// kTruncated at the offset where the cut unit starts; decoding up to that offset ends cleanly
// with the same bytes (zstd may also hand out complete blocks of the cut frame).
TEST_P(CorpusCodecTest, InProgressLogCutMidUnitIsTruncatedAtTheUnitStart) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(file, std::string(kCodecDir) + "application_1603128018386_7846." +
                                           GetParam() + ".inprogress");
  const std::string enc = testing::ReadFileOrDie(file);
  const Codec codec = CodecFromFileName(file.filename().string());
  const testing::Decoded whole = testing::Decode(codec, enc);
  ASSERT_TRUE(whole.status.ok());
  for (size_t cut : {enc.size() - 1, enc.size() - 20, enc.size() / 2 + 3, size_t{30}}) {
    SCOPED_TRACE(cut);
    testing::Decoded d = testing::Decode(codec, std::string_view(enc).substr(0, cut), 4096, 999);
    ASSERT_EQ(d.status.code(), StatusCode::kTruncated) << d.status.ToString();
    ASSERT_TRUE(d.status.offset().has_value());
    const uint64_t at = *d.status.offset();
    EXPECT_LT(at, cut);
    EXPECT_EQ(whole.bytes.compare(0, d.bytes.size(), d.bytes), 0);
    testing::Decoded upto = testing::Decode(codec, std::string_view(enc).substr(0, at));
    ASSERT_TRUE(upto.status.ok()) << upto.status.ToString();
    if (codec == Codec::kZstd) {
      EXPECT_LE(upto.bytes.size(), d.bytes.size());
      EXPECT_EQ(d.bytes.compare(0, upto.bytes.size(), upto.bytes), 0);
    } else {
      EXPECT_TRUE(upto.bytes == d.bytes);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(SparkCodecs, CorpusCodecTest,
                         ::testing::Values("lz4", "snappy", "lzf", "zstd"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

INSTANTIATE_TEST_SUITE_P(SparkCodecs, CorpusBigLogTest, ::testing::Values("lz4", "snappy", "lzf"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

TEST(CorpusZstdTest, OurZstdDecoderAgreesWithTheZstdCli) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(reference, kZstd7846);
  if (testing::RunCommand("command -v zstd >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "the zstd command-line tool is not installed";
  }
  std::string cli;
  ASSERT_EQ(testing::RunCommand("zstd -dc '" + reference.string() + "'", &cli), 0);
  const std::string ours = Plain7846(reference);
  ASSERT_EQ(ours.size(), cli.size());
  EXPECT_TRUE(ours == cli);
}

TEST(CorpusRollingTest, Lz4PartsConcatenatedEqualThePlainLog) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(plain, "eventlogs/spark-2.4-tests/local-1430917381534");
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(dir, std::string(kCodecDir) + "eventlog_v2_local-1430917381534");
  std::string joined;
  for (int part : {1, 2}) {
    FileDecode d =
        DecodeFile(dir / ("events_" + std::to_string(part) + "_local-1430917381534.lz4"));
    ASSERT_TRUE(d.status.ok()) << d.status.ToString();
    EXPECT_EQ(d.codec, Codec::kLz4);
    joined += d.bytes;
  }
  const std::string expected = testing::ReadFileOrDie(plain);
  ASSERT_EQ(joined.size(), expected.size());
  EXPECT_TRUE(joined == expected);
}

TEST(CorpusTextTest, DriverLogOpensAsPlainText) {
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(file, "eventlogs/rapids-profiling/driverlog");
  FileDecode d = DecodeFile(file);
  ASSERT_TRUE(d.status.ok()) << d.status.ToString();
  EXPECT_EQ(d.codec, Codec::kNone);
  EXPECT_TRUE(d.bytes == testing::ReadFileOrDie(file));
}

}  // namespace
}  // namespace sparkmedic
