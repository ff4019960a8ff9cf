// The stream decoders against fixtures made by tests' own writers of Spark's formats
// (spark_formats.h): round trips at awkward sizes, chunkings and read sizes; the truncation
// contract at every cut point; concatenated streams.
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "sparkmedic/codec.h"

#include "spark_formats.h"

namespace sparkmedic {
namespace {

using testing::Decode;
using testing::Decoded;
using testing::MakeText;
using testing::UnitEnd;

class DecoderTest : public ::testing::TestWithParam<Codec> {};

std::string Describe(const Decoded& d) {
  return d.status.ok() ? "clean end"
                       : std::string(StatusCodeName(d.status.code())) + ": " + d.status.ToString();
}

// Encodes with Spark's own unit sizes (32 KiB blocks, 64 KiB lzf chunks) rather than tiny ones.
std::string EncodeSparkSized(Codec codec, std::string_view data) {
  switch (codec) {
    case Codec::kLz4:
      return testing::Lz4JavaStream(data, 32768);
    case Codec::kSnappy:
      return testing::SnappyJavaStream(data, 32768);
    case Codec::kLzf:
      return testing::LzfStream(data, 65535);
    case Codec::kZstd:
      return testing::ZstdFrames(data, 100000);
    case Codec::kGzip:
      return testing::GzipMembers(data, 1 << 20);
    case Codec::kNone:
      break;
  }
  return std::string(data);
}

TEST_P(DecoderTest, EmptyInputIsAnEmptyStream) {
  Decoded d = Decode(GetParam(), "");
  EXPECT_TRUE(d.status.ok()) << Describe(d);
  EXPECT_EQ(d.bytes, "");
}

TEST_P(DecoderTest, RoundTripsAtBlockEdgesWithAnyChunkAndReadSize) {
  const Codec codec = GetParam();
  const std::vector<std::pair<size_t, size_t>> chunk_and_read = {
      {1, 4096}, {7, 7}, {4096, 1}, {4096, 4096}, {1 << 20, 1 << 20}, {1 << 20, 3}};
  for (size_t size : {size_t{1}, size_t{100}, size_t{1023}, size_t{1024}, size_t{1025},
                      size_t{32767}, size_t{32768}, size_t{32769}, size_t{65535}, size_t{65536},
                      size_t{65537}, size_t{200000}}) {
    for (double compressible : {0.0, 0.7, 1.0}) {
      const std::string data = MakeText(size, static_cast<uint32_t>(size), compressible);
      for (bool small_units : {false, true}) {
        const std::string enc = small_units ? testing::EncodeSmallUnits(codec, data, nullptr)
                                            : EncodeSparkSized(codec, data);
        for (auto [chunk, read] : chunk_and_read) {
          SCOPED_TRACE(::testing::Message()
                       << "size " << size << " compressible " << compressible << " small units "
                       << small_units << " chunk " << chunk << " read " << read);
          Decoded d = Decode(codec, enc, chunk, read);
          ASSERT_TRUE(d.status.ok()) << Describe(d);
          ASSERT_EQ(d.bytes.size(), data.size());
          ASSERT_TRUE(d.bytes == data);
        }
      }
    }
  }
}

TEST_P(DecoderTest, RawBytesConsumedReachesTheEncodedSize) {
  const std::string data = MakeText(100000, 3, 0.5);
  const std::string enc = EncodeSparkSized(GetParam(), data);
  auto stream = MakeDecoder(GetParam(), MakeMemoryStream(enc));
  Decoded d = testing::ReadToEnd(*stream, 4096);
  ASSERT_TRUE(d.status.ok()) << Describe(d);
  EXPECT_EQ(stream->raw_bytes_consumed(), enc.size());
}

// The truncation contract, at every possible cut: whole units come out, then a clean end (cut
// on a unit boundary) or kTruncated at the offset where the cut unit starts.
TEST_P(DecoderTest, CutAnywhereGivesWholeUnitsThenCleanEndOrTruncatedAtUnitStart) {
  const Codec codec = GetParam();
  const std::string data = MakeText(4500, 11, 0.6);
  std::vector<UnitEnd> units;
  const std::string enc = testing::EncodeSmallUnits(codec, data, &units);
  ASSERT_FALSE(units.empty());
  // zstd and gzip stream their output, so a cut unit may already have given some bytes.
  const bool streaming = codec == Codec::kZstd || codec == Codec::kGzip;
  size_t k = 0;  // units wholly before the cut
  for (size_t cut = 0; cut <= enc.size(); ++cut) {
    while (k < units.size() && units[k].encoded_end <= cut) ++k;
    const size_t whole_end = k > 0 ? units[k - 1].encoded_end : 0;
    const size_t whole_decoded = k > 0 ? units[k - 1].decoded_end : 0;
    SCOPED_TRACE(::testing::Message() << "cut " << cut << " of " << enc.size());
    Decoded d = Decode(codec, std::string_view(enc).substr(0, cut), 1 + cut % 5, 1 + cut % 11);
    ASSERT_EQ(data.compare(0, d.bytes.size(), d.bytes), 0) << "not a prefix of the input";
    if (cut == whole_end) {
      ASSERT_TRUE(d.status.ok()) << Describe(d);
      ASSERT_EQ(d.bytes.size(), whole_decoded);
      continue;
    }
    ASSERT_EQ(d.status.code(), StatusCode::kTruncated) << Describe(d);
    ASSERT_EQ(d.status.offset(), whole_end);
    ASSERT_TRUE(d.sticky);
    if (streaming) {
      ASSERT_GE(d.bytes.size(), whole_decoded);
      ASSERT_LE(d.bytes.size(), units[k].decoded_end);
    } else {
      ASSERT_EQ(d.bytes.size(), whole_decoded);
    }
  }
}

// Regression (found by fuzz_gzip_decoder): with a 3-byte read buffer, a deflate match cut
// short by the full buffer was dropped when the input then ended, so a cut member gave 5 bytes
// less than with big reads. Whatever the read size, the same bytes must come out.
TEST_P(DecoderTest, CutStreamGivesTheSameBytesAtAnyReadSize) {
  const Codec codec = GetParam();
  const std::string data = MakeText(40000, 13, 0.9);
  const std::string enc = EncodeSparkSized(codec, data);
  for (size_t cut = 1; cut < enc.size(); cut += 1 + enc.size() / 53) {
    SCOPED_TRACE(cut);
    const std::string_view part = std::string_view(enc).substr(0, cut);
    const Decoded big = Decode(codec, part, 1 << 20, 1 << 20);
    for (size_t read : {size_t{1}, size_t{3}, size_t{7}, size_t{300}}) {
      const Decoded small = Decode(codec, part, 1 + read % 5, read);
      ASSERT_EQ(small.status.code(), big.status.code()) << "read " << read;
      ASSERT_EQ(small.status.offset(), big.status.offset()) << "read " << read;
      ASSERT_EQ(small.bytes.size(), big.bytes.size()) << "read " << read;
      ASSERT_TRUE(small.bytes == big.bytes) << "read " << read;
    }
  }
}

TEST_P(DecoderTest, ConcatenatedStreamsReadAsOne) {
  const Codec codec = GetParam();
  const std::string a = MakeText(50000, 1, 0.5);
  const std::string b = MakeText(70001, 2, 0.5);
  const std::string enc = EncodeSparkSized(codec, a) + EncodeSparkSized(codec, b);
  Decoded d = Decode(codec, enc, 4096, 1000);
  ASSERT_TRUE(d.status.ok()) << Describe(d);
  EXPECT_TRUE(d.bytes == a + b);
}

INSTANTIATE_TEST_SUITE_P(AllCodecs, DecoderTest,
                         ::testing::Values(Codec::kLz4, Codec::kSnappy, Codec::kLzf, Codec::kZstd,
                                           Codec::kGzip),
                         [](const ::testing::TestParamInfo<Codec>& info) {
                           return std::string(CodecName(info.param));
                         });

TEST(Lz4BlockStreamTest, EveryBlockSizeLz4JavaAllows) {
  const std::string data = MakeText(300000, 5, 0.8);
  for (size_t block : {size_t{64}, size_t{1024}, size_t{65536}, size_t{1} << 20, size_t{1} << 25}) {
    SCOPED_TRACE(block);
    Decoded d = Decode(Codec::kLz4, testing::Lz4JavaStream(data, block), 1 << 16, 4096);
    ASSERT_TRUE(d.status.ok()) << Describe(d);
    EXPECT_TRUE(d.bytes == data);
  }
}

TEST(Lz4BlockStreamTest, StreamWithoutEndMarkEndsCleanlyAfterItsLastBlock) {
  // What an in-progress Spark lz4 log looks like (syncFlush=false: no partial block, no end mark).
  const std::string data = MakeText(3 * 32768, 6, 0.5);
  Decoded d = Decode(Codec::kLz4, testing::Lz4JavaStream(data, 32768, /*end_mark=*/false));
  ASSERT_TRUE(d.status.ok()) << Describe(d);
  EXPECT_TRUE(d.bytes == data);
}

TEST(Lz4BlockStreamTest, StoredAndCompressedBlocksMix) {
  const std::string a = MakeText(5000, 7, 1.0);
  const std::string b = MakeText(5000, 8, 0.0);
  const std::string enc = testing::Lz4JavaBlock(a) + testing::Lz4JavaBlock(b, 5, true) +
                          testing::Lz4JavaBlock(a, 5, true) + testing::Lz4JavaEndMark();
  EXPECT_EQ(static_cast<unsigned char>(enc[8]), 0x25);  // compressed
  Decoded d = Decode(Codec::kLz4, enc, 100, 777);
  ASSERT_TRUE(d.status.ok()) << Describe(d);
  EXPECT_TRUE(d.bytes == a + b + a);
}

TEST(LzfStreamTest, StoredAndCompressedChunksMix) {
  const std::string a = MakeText(60000, 9, 1.0);
  const std::string b = MakeText(3000, 10, 0.0);
  const std::string enc = testing::LzfChunk(a) + testing::LzfChunk(b, true) +
                          testing::LzfChunk("") + testing::LzfChunk(a);
  EXPECT_EQ(enc[2], '\1');
  Decoded d = Decode(Codec::kLzf, enc, 333, 65535);
  ASSERT_TRUE(d.status.ok()) << Describe(d);
  EXPECT_TRUE(d.bytes == a + b + a);
}

TEST(SnappyStreamTest, HeaderOnlyStreamIsEmpty) {
  Decoded d = Decode(Codec::kSnappy, testing::SnappyJavaHeader());
  ASSERT_TRUE(d.status.ok()) << Describe(d);
  EXPECT_EQ(d.bytes, "");
}

TEST(ZstdStreamTest, SkippableFramesAreSkipped) {
  const std::string a = MakeText(3000, 14, 0.5);
  const std::string skippable = std::string("\x53\x2A\x4D\x18\x05\x00\x00\x00", 8) + "hello";
  const std::string enc =
      skippable + testing::ZstdFrames(a, 1000) + skippable + testing::ZstdFrames(a, 1000);
  for (size_t chunk : {size_t{1}, size_t{3}, size_t{1} << 20}) {
    Decoded d = Decode(Codec::kZstd, enc, chunk, 100);
    ASSERT_TRUE(d.status.ok()) << Describe(d);
    EXPECT_TRUE(d.bytes == a + a);
  }
}

TEST(ZstdStreamTest, OpenFrameReadsAsPrefixThenTruncated) {
  // Spark 2.4 did not end frames on flush: an in-progress log is one frame without its end.
  const std::string data = MakeText(1 << 20, 12, 0.5);
  std::string enc = testing::ZstdFrames(data, data.size());
  enc.resize(enc.size() * 3 / 4);
  Decoded d = Decode(Codec::kZstd, enc);
  EXPECT_EQ(d.status.code(), StatusCode::kTruncated) << Describe(d);
  EXPECT_EQ(d.status.offset(), 0u);
  EXPECT_GT(d.bytes.size(), data.size() / 2);
  EXPECT_EQ(data.compare(0, d.bytes.size(), d.bytes), 0);
}

}  // namespace
}  // namespace sparkmedic
