// Hand-damaged inputs: every decoder reports the right code at the right file offset, hands out
// the bytes of the good units before the bad one, keeps returning the error, and never crashes.
#include <string>

#include <gtest/gtest.h>

#include "sparkmedic/codec.h"

#include "spark_formats.h"

namespace sparkmedic {
namespace {

using testing::Decode;
using testing::Decoded;

void PutLe32At(std::string* s, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) (*s)[at + i] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

// Expects `enc` to decode to `good` and then fail with `code` at `offset`, whatever the chunking.
void ExpectFailure(Codec codec, const std::string& enc, const std::string& good, StatusCode code,
                   uint64_t offset, std::string_view message_part = "") {
  for (auto [chunk, read] : {std::pair<size_t, size_t>{1, 1}, {7, 4096}, {1 << 20, 1 << 20}}) {
    SCOPED_TRACE(::testing::Message() << "chunk " << chunk << " read " << read);
    Decoded d = Decode(codec, enc, chunk, read);
    EXPECT_EQ(d.status.code(), code) << d.status.ToString();
    EXPECT_EQ(d.status.offset(), offset) << d.status.ToString();
    EXPECT_NE(d.status.message().find(message_part), std::string::npos) << d.status.message();
    EXPECT_TRUE(d.bytes == good) << "decoded " << d.bytes.size() << " bytes, expected "
                                 << good.size();
    EXPECT_TRUE(d.sticky);
  }
}

class Lz4CorruptionTest : public ::testing::Test {
 protected:
  const std::string a_ = testing::MakeText(20000, 1, 0.8);
  const std::string b_ = testing::MakeText(20000, 2, 0.8);
  const std::string block_a_ = testing::Lz4JavaBlock(a_);
  std::string block_b_ = testing::Lz4JavaBlock(b_);
  std::string Stream() const { return block_a_ + block_b_ + testing::Lz4JavaEndMark(); }
  const uint64_t at_ = block_a_.size();  // file offset of the second block
};

TEST_F(Lz4CorruptionTest, FlippedChecksum) {
  block_b_[17] ^= 0x01;
  ExpectFailure(Codec::kLz4, Stream(), a_, StatusCode::kCorruption, at_, "checksum mismatch");
}

TEST_F(Lz4CorruptionTest, FlippedChecksumOfStoredBlock) {
  std::string stored = testing::Lz4JavaBlock(b_, 5, /*force_raw=*/true);
  stored[20] ^= 0x40;
  ExpectFailure(Codec::kLz4, block_a_ + stored, a_, StatusCode::kCorruption, at_, "checksum");
}

TEST_F(Lz4CorruptionTest, BadMagic) {
  block_b_[3] = 'x';
  ExpectFailure(Codec::kLz4, Stream(), a_, StatusCode::kCorruption, at_, "magic");
  ExpectFailure(Codec::kLz4, "not an lz4 stream at all, just text", "", StatusCode::kCorruption, 0,
                "magic");
}

TEST_F(Lz4CorruptionTest, GarbageAfterTheEndMark) {
  ExpectFailure(Codec::kLz4, Stream() + std::string(3, '\0'), a_ + b_, StatusCode::kCorruption,
                Stream().size(), "magic");
}

TEST_F(Lz4CorruptionTest, OriginalLengthAboveTheTokensBlockSize) {
  PutLe32At(&block_b_, 13, 32769);  // token 0x25: 32 KiB blocks
  ExpectFailure(Codec::kLz4, Stream(), a_, StatusCode::kCorruption, at_, "exceed the block size");
}

TEST_F(Lz4CorruptionTest, CompressedLengthAboveTheTokensBlockSize) {
  PutLe32At(&block_b_, 9, 40000);
  ExpectFailure(Codec::kLz4, Stream(), a_, StatusCode::kCorruption, at_, "exceed the block size");
}

TEST_F(Lz4CorruptionTest, NegativeLength) {
  PutLe32At(&block_b_, 9, 0xFFFFFFF0);
  ExpectFailure(Codec::kLz4, Stream(), a_, StatusCode::kCorruption, at_, "negative");
}

TEST_F(Lz4CorruptionTest, StoredBlockWithDifferentLengths) {
  std::string stored = testing::Lz4JavaBlock(b_, 5, true);
  PutLe32At(&stored, 9, 100);
  ExpectFailure(Codec::kLz4, block_a_ + stored, a_, StatusCode::kCorruption, at_, "stored block");
}

TEST_F(Lz4CorruptionTest, OneLengthZeroTheOtherNot) {
  PutLe32At(&block_b_, 13, 0);
  ExpectFailure(Codec::kLz4, Stream(), a_, StatusCode::kCorruption, at_);
}

TEST_F(Lz4CorruptionTest, EndMarkWithChecksum) {
  std::string end = testing::Lz4JavaEndMark();
  end[17] = 1;
  ExpectFailure(Codec::kLz4, block_a_ + end, a_, StatusCode::kCorruption, at_, "end mark");
}

TEST_F(Lz4CorruptionTest, UnknownMethod) {
  block_b_[8] = 0x35;
  ExpectFailure(Codec::kLz4, Stream(), a_, StatusCode::kCorruption, at_, "method");
}

TEST_F(Lz4CorruptionTest, DamagedCompressedPayload) {
  for (size_t i = 21; i < block_b_.size(); i += block_b_.size() / 7) {
    std::string damaged = block_b_;
    damaged[i] ^= 0x5A;
    Decoded d = Decode(Codec::kLz4, block_a_ + damaged);
    EXPECT_EQ(d.status.code(), StatusCode::kCorruption) << "flip at " << i;
    EXPECT_EQ(d.status.offset(), at_);
    EXPECT_TRUE(d.bytes == a_);
  }
}

TEST_F(Lz4CorruptionTest, TruncatedMidHeaderAndMidPayload) {
  const std::string s = Stream();
  ExpectFailure(Codec::kLz4, s.substr(0, at_ + 5), a_, StatusCode::kTruncated, at_, "block header");
  ExpectFailure(Codec::kLz4, s.substr(0, at_ + 20), a_, StatusCode::kTruncated, at_,
                "block header");
  ExpectFailure(Codec::kLz4, s.substr(0, at_ + 21), a_, StatusCode::kTruncated, at_,
                "inside the block");
  ExpectFailure(Codec::kLz4, s.substr(0, at_ + block_b_.size() - 1), a_, StatusCode::kTruncated,
                at_, "inside the block");
  ExpectFailure(Codec::kLz4, s.substr(0, s.size() - 1), a_ + b_, StatusCode::kTruncated,
                at_ + block_b_.size());
}

class SnappyCorruptionTest : public ::testing::Test {
 protected:
  const std::string a_ = testing::MakeText(20000, 3, 0.8);
  const std::string b_ = testing::MakeText(20000, 4, 0.8);
  const std::string head_ = testing::SnappyJavaHeader();
  const std::string block_a_ = testing::SnappyJavaBlock(a_);
  std::string block_b_ = testing::SnappyJavaBlock(b_);
  std::string Stream() const { return head_ + block_a_ + block_b_; }
  const uint64_t at_ = head_.size() + block_a_.size();
};

TEST_F(SnappyCorruptionTest, BadHeaderMagic) {
  std::string s = Stream();
  s[1] = 's';
  ExpectFailure(Codec::kSnappy, s, "", StatusCode::kCorruption, 0, "stream header");
  ExpectFailure(Codec::kSnappy, "plain text", "", StatusCode::kCorruption, 0, "stream header");
}

TEST_F(SnappyCorruptionTest, BadRepeatedHeader) {
  std::string again = head_;
  again[6] = 'X';
  ExpectFailure(Codec::kSnappy, head_ + block_a_ + again + block_b_, a_, StatusCode::kCorruption,
                at_, "stream header");
}

TEST_F(SnappyCorruptionTest, NegativeAndZeroLengths) {
  block_b_[0] = '\xF0';
  ExpectFailure(Codec::kSnappy, Stream(), a_, StatusCode::kCorruption, at_, "block length");
  block_b_.replace(0, 4, std::string(4, '\0'));
  ExpectFailure(Codec::kSnappy, Stream(), a_, StatusCode::kCorruption, at_, "block length");
}

TEST_F(SnappyCorruptionTest, DamagedBlock) {
  for (size_t i = 4; i < block_b_.size(); i += block_b_.size() / 9) {
    std::string damaged = block_b_;
    damaged[i] ^= 0x77;
    Decoded d = Decode(Codec::kSnappy, head_ + block_a_ + damaged);
    // Snappy has no checksum: a flipped literal byte decodes "fine" to different bytes.
    if (d.status.ok()) continue;
    EXPECT_EQ(d.status.code(), StatusCode::kCorruption) << "flip at " << i;
    EXPECT_EQ(d.status.offset(), at_);
    EXPECT_TRUE(d.bytes == a_);
  }
}

TEST_F(SnappyCorruptionTest, BlockClaimingAHugeDecodedSize) {
  // Length 6, then the varint 0xFFFFFFFF0F (4 GiB) and one literal byte.
  const std::string block("\0\0\0\6\xFF\xFF\xFF\xFF\x0F\x00", 10);
  ExpectFailure(Codec::kSnappy, head_ + block_a_ + block, a_, StatusCode::kCorruption, at_,
                "damaged");
}

TEST_F(SnappyCorruptionTest, TruncatedEverywhere) {
  const std::string s = Stream();
  ExpectFailure(Codec::kSnappy, s.substr(0, 5), "", StatusCode::kTruncated, 0, "stream header");
  ExpectFailure(Codec::kSnappy, s.substr(0, at_ + 2), a_, StatusCode::kTruncated, at_, "length");
  ExpectFailure(Codec::kSnappy, s.substr(0, at_ + 100), a_, StatusCode::kTruncated, at_, "block");
  ExpectFailure(Codec::kSnappy, s + head_.substr(0, 9), a_ + b_, StatusCode::kTruncated, s.size(),
                "stream header");
}

class LzfCorruptionTest : public ::testing::Test {
 protected:
  const std::string a_ = testing::MakeText(20000, 5, 0.8);
  const std::string b_ = testing::MakeText(20000, 6, 0.8);
  const std::string chunk_a_ = testing::LzfChunk(a_);
  std::string chunk_b_ = testing::LzfChunk(b_);
  std::string Stream() const { return chunk_a_ + chunk_b_; }
  const uint64_t at_ = chunk_a_.size();
};

TEST_F(LzfCorruptionTest, BadSignatureOrType) {
  chunk_b_[1] = 'W';
  ExpectFailure(Codec::kLzf, Stream(), a_, StatusCode::kCorruption, at_, "bad chunk header");
  chunk_b_[1] = 'V';
  chunk_b_[2] = 2;
  ExpectFailure(Codec::kLzf, Stream(), a_, StatusCode::kCorruption, at_, "bad chunk header");
  ExpectFailure(Codec::kLzf, Stream().substr(0, at_ + 3), a_, StatusCode::kCorruption, at_,
                "bad chunk header");
}

TEST_F(LzfCorruptionTest, WrongOriginalLength) {
  ASSERT_EQ(chunk_b_[2], '\1');
  chunk_b_[5] ^= 0x01;
  ExpectFailure(Codec::kLzf, Stream(), a_, StatusCode::kCorruption, at_, "damaged");
  chunk_b_[5] = chunk_b_[6] = 0;
  ExpectFailure(Codec::kLzf, Stream(), a_, StatusCode::kCorruption, at_, "original length 0");
}

TEST_F(LzfCorruptionTest, DamagedData) {
  for (size_t i = 7; i < chunk_b_.size(); i += chunk_b_.size() / 9) {
    std::string damaged = chunk_b_;
    damaged[i] ^= 0xE1;
    Decoded d = Decode(Codec::kLzf, chunk_a_ + damaged);
    if (d.status.ok()) continue;  // no checksum: a flipped literal can decode to other bytes
    EXPECT_EQ(d.status.code(), StatusCode::kCorruption) << "flip at " << i;
    EXPECT_EQ(d.status.offset(), at_);
    EXPECT_TRUE(d.bytes == a_);
  }
}

TEST_F(LzfCorruptionTest, TruncatedMidHeaderAndMidPayload) {
  const std::string s = Stream();
  ExpectFailure(Codec::kLzf, s.substr(0, at_ + 2), a_, StatusCode::kTruncated, at_, "header");
  ExpectFailure(Codec::kLzf, s.substr(0, at_ + 6), a_, StatusCode::kTruncated, at_, "header");
  ExpectFailure(Codec::kLzf, s.substr(0, at_ + 7), a_, StatusCode::kTruncated, at_, "chunk");
  const std::string stored = testing::LzfChunk(b_, true);
  ExpectFailure(Codec::kLzf, chunk_a_ + stored.substr(0, 4), a_, StatusCode::kTruncated, at_);
  ExpectFailure(Codec::kLzf, chunk_a_ + stored.substr(0, 500), a_, StatusCode::kTruncated, at_);
}

TEST(ZstdCorruptionTest, GarbageAndDamagedFrames) {
  const std::string a = testing::MakeText(20000, 7, 0.8);
  const std::string b = testing::MakeText(20000, 8, 0.8);
  const std::string fa = testing::ZstdFrames(a, a.size());
  const std::string fb = testing::ZstdFrames(b, b.size());
  ExpectFailure(Codec::kZstd, "definitely not zstd", "", StatusCode::kCorruption, 0, "zstd:");
  ExpectFailure(Codec::kZstd, fa + "garbage after the frame", a, StatusCode::kCorruption, fa.size(),
                "zstd:");
  std::string bad_checksum = fb;
  bad_checksum.back() ^= 0x01;
  Decoded d = Decode(Codec::kZstd, fa + bad_checksum);
  EXPECT_EQ(d.status.code(), StatusCode::kCorruption) << d.status.ToString();
  EXPECT_EQ(d.status.offset(), fa.size());
  EXPECT_EQ(a.compare(0, a.size(), d.bytes, 0, a.size()), 0);
  for (size_t i = 4; i < fb.size(); i += fb.size() / 11) {
    std::string damaged = fb;
    damaged[i] ^= 0x3C;
    Decoded e = Decode(Codec::kZstd, fa + damaged, 7, 100);
    EXPECT_EQ(e.status.code(), StatusCode::kCorruption) << "flip at " << i;
    EXPECT_EQ(e.status.offset(), fa.size());
    EXPECT_TRUE(e.sticky);
  }
}

// Regression (found by fuzz_zstd_decoder): a legacy v0.7 frame magic (27 B5 2F FD) reached
// libzstd's legacy decoders, whose verdict depended on the chunking. Spark never writes legacy
// frames, so anything but a v1 or skippable frame magic is corruption at the frame's offset.
TEST(ZstdCorruptionTest, LegacyAndUnknownFrameMagicsAreRejected) {
  const std::string a = testing::MakeText(5000, 11, 0.8);
  const std::string fa = testing::ZstdFrames(a, a.size());
  const std::string legacy("\x27\xB5\x2F\xFD\x00\x78\x19\x00\x00\x00\x00\x00\x00\x00\xB7\x0A", 16);
  ExpectFailure(Codec::kZstd, legacy, "", StatusCode::kCorruption, 0, "no zstd frame at byte 0");
  ExpectFailure(Codec::kZstd, fa + legacy, a, StatusCode::kCorruption, fa.size(),
                "the bytes are 27 B5 2F FD");
  ExpectFailure(Codec::kZstd, fa + "\x28\xB5\x2F\xFC", a, StatusCode::kCorruption, fa.size());
}

TEST(ZstdCorruptionTest, Truncated) {
  const std::string a = testing::MakeText(20000, 9, 0.8);
  const std::string fa = testing::ZstdFrames(a, a.size());
  ExpectFailure(Codec::kZstd, fa + fa.substr(0, 3), a, StatusCode::kTruncated, fa.size(),
                "inside the frame");
  ExpectFailure(Codec::kZstd, fa + fa.substr(0, 30), a, StatusCode::kTruncated, fa.size());
  ExpectFailure(Codec::kZstd, fa + fa.substr(0, 2), a, StatusCode::kTruncated, fa.size(),
                "inside the frame");
}

TEST(GzipCorruptionTest, GarbageDamageTrailingBytesAndTruncation) {
  const std::string a = testing::MakeText(20000, 10, 0.8);
  const std::string ga = testing::GzipMembers(a, a.size());
  ExpectFailure(Codec::kGzip, "not gzip", "", StatusCode::kCorruption, 0, "gzip:");
  std::string bad_crc = ga;
  bad_crc[bad_crc.size() - 6] ^= 0x01;
  ExpectFailure(Codec::kGzip, ga + bad_crc, a + a, StatusCode::kCorruption, ga.size(),
                "incorrect data check");
  Decoded d = Decode(Codec::kGzip, ga + std::string(8, '\0'));
  EXPECT_EQ(d.status.code(), StatusCode::kCorruption);
  EXPECT_EQ(d.status.offset(), ga.size());
  EXPECT_TRUE(d.bytes == a);
  ExpectFailure(Codec::kGzip, ga + ga.substr(0, 5), a, StatusCode::kTruncated, ga.size(),
                "inside the member");
}

}  // namespace
}  // namespace sparkmedic
