// Codec names, detection by name and by magic, and OpenEventLogFile's decisions and messages.
#include "sparkmedic/codec.h"

#include <gtest/gtest.h>

#include "spark_formats.h"
#include "testutil.h"

namespace sparkmedic {
namespace {

TEST(CodecNameTest, ShortLowerCaseNames) {
  EXPECT_EQ(CodecName(Codec::kNone), "none");
  EXPECT_EQ(CodecName(Codec::kLz4), "lz4");
  EXPECT_EQ(CodecName(Codec::kSnappy), "snappy");
  EXPECT_EQ(CodecName(Codec::kLzf), "lzf");
  EXPECT_EQ(CodecName(Codec::kZstd), "zstd");
  EXPECT_EQ(CodecName(Codec::kGzip), "gzip");
}

TEST(CodecFromFileNameTest, StripsCompactThenInprogressThenTakesTheExtension) {
  EXPECT_EQ(CodecFromFileName("app-20161116163331-0000.lz4"), Codec::kLz4);
  EXPECT_EQ(CodecFromFileName("application_1603128018386_7846.snappy.inprogress"), Codec::kSnappy);
  EXPECT_EQ(CodecFromFileName("events_3_app-x.zstd.compact"), Codec::kZstd);
  EXPECT_EQ(CodecFromFileName("events_3_app-x.lzf.inprogress.compact"), Codec::kLzf);
  EXPECT_EQ(CodecFromFileName("/logs/eventlog_v2_app/events_1_app.lz4"), Codec::kLz4);
  EXPECT_EQ(CodecFromFileName("a.zst"), Codec::kZstd);
  EXPECT_EQ(CodecFromFileName("a.gz"), Codec::kGzip);
  EXPECT_EQ(CodecFromFileName("a.gzip"), Codec::kGzip);
  EXPECT_EQ(CodecFromFileName("a.LZ4"), Codec::kLz4);
}

TEST(CodecFromFileNameTest, NamesWithoutACodecExtensionAreNone) {
  EXPECT_EQ(CodecFromFileName("local-1430917381534"), Codec::kNone);
  EXPECT_EQ(CodecFromFileName("app-1.inprogress"), Codec::kNone);
  EXPECT_EQ(CodecFromFileName("events_1_app.compact"), Codec::kNone);
  EXPECT_EQ(CodecFromFileName("/dir.lz4/app"), Codec::kNone);
  EXPECT_EQ(CodecFromFileName("a.json"), Codec::kNone);
  EXPECT_EQ(CodecFromFileName("a.lz4.bak"), Codec::kNone);
  EXPECT_EQ(CodecFromFileName(""), Codec::kNone);
}

TEST(SniffCodecTest, MagicBytesAndPrefixesOfThem) {
  EXPECT_EQ(SniffCodec("LZ4Block\x25"), Codec::kLz4);
  EXPECT_EQ(SniffCodec("LZ4"), Codec::kLz4);
  EXPECT_EQ(SniffCodec(std::string_view("\x82SNAPPY\0\0\0\0\1", 12)), Codec::kSnappy);
  EXPECT_EQ(SniffCodec(std::string_view("ZV\1\0\5", 5)), Codec::kLzf);
  EXPECT_EQ(SniffCodec(std::string_view("ZV\0\0\5", 5)), Codec::kLzf);
  EXPECT_EQ(SniffCodec("ZV\x02"), std::nullopt);
  EXPECT_EQ(SniffCodec("\x28\xB5\x2F\xFD\x04"), Codec::kZstd);
  EXPECT_EQ(SniffCodec("\x1F\x8B\x08\x00"), Codec::kGzip);
}

TEST(SniffCodecTest, JsonIsNoneAndOtherTextIsUnknown) {
  EXPECT_EQ(SniffCodec("{\"Event\":\"SparkListenerLogStart\""), Codec::kNone);
  EXPECT_EQ(SniffCodec(" \r\n\t{"), Codec::kNone);
  EXPECT_EQ(SniffCodec("\xEF\xBB\xBF{\"Event\""), Codec::kNone);
  EXPECT_EQ(SniffCodec("21/01/01 12:00:00 INFO SparkContext: Running Spark"), std::nullopt);
  EXPECT_EQ(SniffCodec(""), std::nullopt);
  EXPECT_EQ(SniffCodec("   "), std::nullopt);
}

TEST(MakeDecoderTest, NoneReturnsTheRawStream) {
  auto s = MakeDecoder(Codec::kNone, MakeMemoryStream("{\"a\":1}\n"));
  auto all = ReadAll(*s);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, "{\"a\":1}\n");
}

class OpenEventLogFileTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const std::string& bytes) {
    testing::WriteFileOrDie(dir_ / name, bytes);
    return (dir_ / name).string();
  }
  testing::ScratchDir dir_;
  const std::string text_ = testing::MakeText(100000, 42, 0.8);
};

TEST_F(OpenEventLogFileTest, EachCodecByExtensionAndMagic) {
  const std::pair<const char*, Codec> cases[] = {
      {"a.lz4", Codec::kLz4}, {"a.snappy.inprogress", Codec::kSnappy},
      {"a.lzf", Codec::kLzf}, {"events_2_a.zstd.compact", Codec::kZstd},
      {"a.gz", Codec::kGzip}, {"a", Codec::kNone}};
  for (auto [name, codec] : cases) {
    SCOPED_TRACE(name);
    std::string path = Write(name, testing::EncodeSmallUnits(codec, text_, nullptr));
    Codec used = Codec::kGzip;
    auto s = OpenEventLogFile(path, &used);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    EXPECT_EQ(used, codec);
    auto all = ReadAll(**s);
    ASSERT_TRUE(all.ok()) << all.status().ToString();
    EXPECT_TRUE(*all == text_);
  }
}

TEST_F(OpenEventLogFileTest, ExtensionSaysOneCodecBytesAnother) {
  std::string path = Write("events_1_app.lz4", testing::ZstdFrames(text_, 50000));
  auto s = OpenEventLogFile(path);
  ASSERT_FALSE(s.ok());
  const Status& st = s.status();
  EXPECT_EQ(st.code(), StatusCode::kCorruption);
  EXPECT_EQ(st.path(), path);
  EXPECT_EQ(st.offset(), 0u);
  EXPECT_EQ(st.message(),
            "events_1_app.lz4: the file name says lz4 but the bytes are zstd data; rename the "
            "file to end in .zstd (if it is a .compact file, the History Server may have "
            "compacted it with another codec)");
}

TEST_F(OpenEventLogFileTest, ExtensionSaysCodecBytesArePlainJson) {
  std::string path = Write("app.snappy", text_);
  auto s = OpenEventLogFile(path);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(s.status().message(),
            "app.snappy: the file name says snappy but the bytes are plain (uncompressed) JSON "
            "text; rename the file without the .snappy extension");
}

TEST_F(OpenEventLogFileTest, ExtensionSaysCodecBytesAreUnknown) {
  std::string path = Write("app.zstd", "21/01/01 INFO SparkContext: Running Spark version 3.1");
  auto s = OpenEventLogFile(path);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(),
            "app.zstd: the file name says zstd but the bytes are in no known format (first "
            "bytes 32 31 2F 30 31 2F 30 31 ...); the file may be damaged or not an event log");
  EXPECT_EQ(s.status().ToString().rfind(path + ": byte 0: app.zstd: the file name says", 0), 0u)
      << s.status().ToString();
}

TEST_F(OpenEventLogFileTest, PlainNameOverCompressedBytesIsDecodedByMagic) {
  // A History Server compaction can compress a log whose name names no codec.
  std::string path = Write("events_2_app.compact", testing::Lz4JavaStream(text_));
  Codec used = Codec::kNone;
  auto s = OpenEventLogFile(path, &used);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(used, Codec::kLz4);
  auto all = ReadAll(**s);
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(*all == text_);
}

TEST_F(OpenEventLogFileTest, TextThatIsNotJsonOpensAsPlain) {
  const std::string log = "21/01/01 12:00:00 INFO SparkContext: Running Spark version 3.1.1\n";
  std::string path = Write("driverlog", log);
  Codec used = Codec::kLz4;
  auto s = OpenEventLogFile(path, &used);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(used, Codec::kNone);
  auto all = ReadAll(**s);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, log);
}

TEST_F(OpenEventLogFileTest, ShortPlainFilesAreReadWhole) {
  for (std::string body : {"", "{", "ZV", "{}\n", "LZ4Bl"}) {
    std::string path = Write("short", body);
    Codec used = Codec::kLz4;
    auto s = OpenEventLogFile(path, &used);
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(used, Codec::kNone) << body;
    auto all = ReadAll(**s);
    ASSERT_TRUE(all.ok());
    EXPECT_EQ(*all, body);
  }
}

TEST_F(OpenEventLogFileTest, EmptyCompressedFileIsAnEmptyStream) {
  for (const char* name : {"a.lz4", "a.snappy", "a.lzf", "a.zstd", "a.gz"}) {
    Codec used = Codec::kNone;
    auto s = OpenEventLogFile(Write(name, ""), &used);
    ASSERT_TRUE(s.ok()) << name;
    EXPECT_EQ(used, CodecFromFileName(name));
    auto all = ReadAll(**s);
    ASSERT_TRUE(all.ok()) << name << ": " << all.status().ToString();
    EXPECT_EQ(*all, "");
  }
}

TEST_F(OpenEventLogFileTest, DecoderErrorsCarryThePathAndFileOffset) {
  std::vector<testing::UnitEnd> units;
  std::string enc = testing::EncodeSmallUnits(Codec::kLz4, text_, &units);
  enc.resize(units[2].encoded_end + 30);
  std::string path = Write("app.lz4.inprogress", enc);
  auto s = OpenEventLogFile(path);
  ASSERT_TRUE(s.ok());
  std::string partial;
  auto all = ReadAll(**s, &partial);
  ASSERT_FALSE(all.ok());
  EXPECT_EQ(all.status().code(), StatusCode::kTruncated);
  EXPECT_EQ(all.status().path(), path);
  EXPECT_EQ(all.status().offset(), units[2].encoded_end);
  EXPECT_EQ(partial, text_.substr(0, units[2].decoded_end));
}

TEST_F(OpenEventLogFileTest, PrefixOfAMagicIsTruncatedNotMismatch) {
  auto s = OpenEventLogFile(Write("a.lz4", "LZ4Bl"));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  auto all = ReadAll(**s);
  EXPECT_EQ(all.status().code(), StatusCode::kTruncated);
}

TEST_F(OpenEventLogFileTest, MissingFileIsNotFound) {
  auto s = OpenEventLogFile((dir_ / "nope.lz4").string());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kNotFound);
}

TEST_F(OpenEventLogFileTest, RawBytesConsumedCountsTheWholeFile) {
  std::string enc = testing::SnappyJavaStream(text_);
  auto s = OpenEventLogFile(Write("a.snappy", enc));
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(ReadAll(**s).ok());
  EXPECT_EQ((*s)->raw_bytes_consumed(), enc.size());
}

}  // namespace
}  // namespace sparkmedic
