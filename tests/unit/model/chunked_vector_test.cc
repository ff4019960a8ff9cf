#include "sparkmedic/chunked_vector.h"

#include <string>

#include <gtest/gtest.h>

namespace sparkmedic {
namespace {

TEST(ChunkedVectorTest, GrowsAcrossChunksWithStableReferences) {
  ChunkedVector<std::string, 4> v;
  std::string& first = v.emplace_back("a");
  for (int i = 1; i < 10; ++i) v.emplace_back(std::to_string(i));
  EXPECT_EQ(v.size(), 10u);
  EXPECT_EQ(&first, &v[0]);  // never moved
  EXPECT_EQ(v[9], "9");
  EXPECT_EQ(v.back(), "9");
  int n = 0;
  for (const std::string& s : v) n += !s.empty();
  EXPECT_EQ(n, 10);
  EXPECT_EQ(v.end() - v.begin(), 10);
}

TEST(ChunkedVectorTest, MovedFromIsEmptyAndSafeToDestroy) {
  ChunkedVector<std::string, 4> a;
  for (int i = 0; i < 6; ++i) a.emplace_back(std::to_string(i));
  ChunkedVector<std::string, 4> b(std::move(a));
  EXPECT_EQ(b.size(), 6u);
  EXPECT_EQ(a.size(), 0u);  // NOLINT(bugprone-use-after-move): the contract under test
  ChunkedVector<std::string, 4> c;
  c.emplace_back("x");
  c = std::move(b);
  EXPECT_EQ(c.size(), 6u);
  EXPECT_EQ(c[5], "5");
  EXPECT_TRUE(b.empty());   // NOLINT(bugprone-use-after-move)
  a.emplace_back("again");  // a moved-from vector is usable
  EXPECT_EQ(a[0], "again");
}

}  // namespace
}  // namespace sparkmedic
