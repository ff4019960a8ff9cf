// Files written by the Java libraries Spark uses (scripts/codecgen.sh runs the shared
// SparkCodecWriter), at sizes around block edges and with every flush pattern, decode back to
// exactly their input at any chunking. Skipped when Java or the writer is not available.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sparkmedic/codec.h"

#include "spark_formats.h"
#include "testutil.h"

namespace sparkmedic {
namespace {

std::string Quote(const std::string& s) { return "'" + s + "'"; }

// The command prefix that runs scripts/codecgen.sh, or "" (with `why`) when it cannot run here.
std::string CodecgenCommand(std::string* why) {
  std::string env;
  if (auto corpus = testing::CorpusDir()) {
    auto writer = *corpus / ".." / "tools" / "codecgen" / "SparkCodecWriter.java";
    if (std::filesystem::exists(writer)) env += "CODECGEN_SRC=" + Quote(writer.string()) + " ";
  }
  env += "CODECGEN_CACHE=" + Quote((testing::BinaryDir() / "codecgen").string()) + " ";
  const std::string command =
      env + Quote((testing::SourceDir() / "scripts" / "codecgen.sh").string());
  std::string out;
  if (testing::RunCommand(command + " --check 2>&1", &out) != 0) {
    *why = "codecgen unavailable: " + out;
    return "";
  }
  return command;
}

struct Input {
  std::string name;
  std::string text;
};

std::vector<Input> Inputs() {
  return {
      {"empty", ""},
      {"one-line", "{\"Event\":\"SparkListenerLogStart\",\"Spark Version\":\"3.5.1\"}\n"},
      {"32KiB", testing::MakeText(32768, 1, 0.6)},
      {"65535", testing::MakeText(65535, 2, 0.6)},
      {"65536", testing::MakeText(65536, 3, 0.6)},
      {"65537", testing::MakeText(65537, 4, 0.6)},
      {"3MiB-incompressible", testing::MakeText(3 << 20, 5, 0.0)},
      {"3MiB-mixed", testing::MakeText(3 << 20, 6, 0.5)},
  };
}

class CodecgenTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string why;
    command_ = CodecgenCommand(&why);
    if (command_.empty()) GTEST_SKIP() << why;
  }

  // Writes `text` through Spark's Java stream for the codec under test.
  std::string Encode(const std::string& text, const std::string& flush, bool noclose) {
    const auto in = dir_ / "in";
    const auto out = dir_ / "out";
    testing::WriteFileOrDie(in, text);
    std::string command = command_ + " " + GetParam() + " " + Quote(in.string()) + " " +
                          Quote(out.string()) + " " + flush + (noclose ? " noclose" : "");
    std::string log;
    EXPECT_EQ(testing::RunCommand(command + " 2>&1", &log), 0) << command << "\n" << log;
    return testing::ReadFileOrDie(out);
  }

  std::string command_;
  testing::ScratchDir dir_;
};

TEST_P(CodecgenTest, EverySizeAndFlushPatternDecodesToTheInput) {
  const Codec codec = CodecFromFileName("x." + GetParam());
  const std::vector<std::pair<size_t, size_t>> chunk_and_read = {
      {1, 4096}, {7, 7}, {4096, 1 << 16}, {1 << 20, 1 << 20}, {1 << 20, 1}};
  for (const Input& input : Inputs()) {
    for (const char* flush : {"1", "50", "0"}) {
      for (bool noclose : {false, true}) {
        if (noclose && std::string(flush) == "1") continue;
        SCOPED_TRACE(::testing::Message()
                     << input.name << " flush every " << flush << (noclose ? " noclose" : ""));
        const std::string enc = Encode(input.text, flush, noclose);
        // lz4-java keeps the block being filled (even a full one) until more data comes.
        std::string expected = input.text;
        if (noclose && codec == Codec::kLz4) {
          expected.resize(expected.empty() ? 0 : (expected.size() - 1) / 32768 * 32768);
        }
        for (auto [chunk, read] : chunk_and_read) {
          if (chunk == 1 && enc.size() > (1 << 20)) chunk = 3;  // keep the test quick
          if (read == 1 && expected.size() > (1 << 20)) read = 5;
          SCOPED_TRACE(::testing::Message() << "chunk " << chunk << " read " << read);
          testing::Decoded d = testing::Decode(codec, enc, chunk, read);
          ASSERT_TRUE(d.status.ok()) << d.status.ToString();
          ASSERT_EQ(d.bytes.size(), expected.size());
          ASSERT_TRUE(d.bytes == expected);
        }
      }
    }
  }
}

// Java-written files cut at many places follow the truncation contract.
TEST_P(CodecgenTest, CutFilesGiveAPrefixThenCleanEndOrTruncated) {
  const Codec codec = CodecFromFileName("x." + GetParam());
  const std::string text = testing::MakeText(400000, 7, 0.5);
  const std::string enc = Encode(text, "50", false);
  for (size_t cut = 0; cut < enc.size(); cut += 1 + enc.size() / 97) {
    SCOPED_TRACE(cut);
    testing::Decoded d = testing::Decode(codec, std::string_view(enc).substr(0, cut), 1000, 777);
    ASSERT_EQ(text.compare(0, d.bytes.size(), d.bytes), 0);
    if (d.status.ok()) continue;  // the cut fell on a unit boundary
    ASSERT_EQ(d.status.code(), StatusCode::kTruncated) << d.status.ToString();
    ASSERT_LT(*d.status.offset(), std::max<size_t>(cut, 1));
    testing::Decoded upto =
        testing::Decode(codec, std::string_view(enc).substr(0, *d.status.offset()));
    ASSERT_TRUE(upto.status.ok()) << upto.status.ToString();
    ASSERT_EQ(d.bytes.compare(0, upto.bytes.size(), upto.bytes), 0);
  }
}

INSTANTIATE_TEST_SUITE_P(SparkCodecs, CodecgenTest,
                         ::testing::Values("lz4", "snappy", "lzf", "zstd"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

}  // namespace
}  // namespace sparkmedic
