// XXH32 against values computed by lz4-java's XXHashFactory.safeInstance().hash32() (the Java
// implementation Spark's lz4 codec uses), for every tail length class and both seeds that matter.
#include "core/decode/xxhash32.h"

#include <string>

#include <gtest/gtest.h>

namespace sparkmedic::decode {
namespace {

struct Vector {
  size_t len;
  uint32_t seed;
  uint32_t hash;
};

constexpr Vector kVectors[] = {
    {0, 0x00000000U, 0x02CC5D05U},    {1, 0x00000000U, 0x002E0D32U},
    {3, 0x00000000U, 0x7D92E8DBU},    {4, 0x00000000U, 0xF189EC97U},
    {5, 0x00000000U, 0x4400AF42U},    {15, 0x00000000U, 0x57055FE6U},
    {16, 0x00000000U, 0x64287C90U},   {17, 0x00000000U, 0x1C63FDC5U},
    {31, 0x00000000U, 0x2AB3EB71U},   {32, 0x00000000U, 0x1E1BFF83U},
    {33, 0x00000000U, 0x2934FD43U},   {100, 0x00000000U, 0xCC7D31EFU},
    {1000, 0x00000000U, 0x47C1E8DAU}, {0, 0x9747B28CU, 0x8D3B42D8U},
    {1, 0x9747B28CU, 0x7E9A167BU},    {3, 0x9747B28CU, 0xFFF0BD7BU},
    {4, 0x9747B28CU, 0x78273B31U},    {5, 0x9747B28CU, 0x5906E6D2U},
    {15, 0x9747B28CU, 0xA072D91FU},   {16, 0x9747B28CU, 0xC93AC1DBU},
    {17, 0x9747B28CU, 0xAE4937C7U},   {31, 0x9747B28CU, 0x06F36919U},
    {32, 0x9747B28CU, 0xE666A335U},   {33, 0x9747B28CU, 0xA2766AB3U},
    {100, 0x9747B28CU, 0x401997ABU},  {1000, 0x9747B28CU, 0x6F678AB9U},
};

TEST(Xxh32Test, MatchesLz4JavaForEveryLengthClass) {
  std::string buf(1000, '\0');
  for (size_t i = 0; i < buf.size(); ++i) buf[i] = static_cast<char>((i * 131 + 7) & 0xFF);
  for (const Vector& v : kVectors) {
    EXPECT_EQ(Xxh32(buf.data(), v.len, v.seed), v.hash) << "len " << v.len << " seed " << v.seed;
  }
}

TEST(Xxh32Test, UnalignedInputHashesTheSame) {
  std::string buf(1100, '\0');
  for (size_t i = 0; i < buf.size(); ++i) buf[i] = static_cast<char>(i * 7);
  const uint32_t aligned = Xxh32(buf.data() + 64, 1000, 0x9747B28C);
  std::string shifted = std::string(3, 'x') + buf.substr(64, 1000);
  EXPECT_EQ(Xxh32(shifted.data() + 3, 1000, 0x9747B28C), aligned);
  EXPECT_EQ(Xxh32(nullptr, 0, 0), 0x02CC5D05U);
}

}  // namespace
}  // namespace sparkmedic::decode
