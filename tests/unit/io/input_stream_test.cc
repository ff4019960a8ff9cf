#include "sparkmedic/input_stream.h"

#include <gtest/gtest.h>

#include "testutil.h"

namespace sparkmedic {
namespace {

TEST(InputStreamTest, FileStreamReadsWholeFile) {
  testing::ScratchDir dir;
  std::string data(300000, 'x');
  for (size_t i = 0; i < data.size(); i += 7) data[i] = static_cast<char>('a' + i % 26);
  testing::WriteFileOrDie(dir / "f", data);
  auto stream = OpenFileStream((dir / "f").string());
  ASSERT_TRUE(stream.ok());
  auto all = ReadAll(**stream);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, data);
  EXPECT_EQ((*stream)->raw_bytes_consumed(), data.size());
}

TEST(InputStreamTest, MissingFileIsNotFoundWithPath) {
  auto stream = OpenFileStream("/nonexistent/dir/file");
  ASSERT_FALSE(stream.ok());
  EXPECT_EQ(stream.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(stream.status().path(), "/nonexistent/dir/file");
  EXPECT_NE(stream.status().ToString().find("/nonexistent/dir/file: cannot open"),
            std::string::npos);
}

TEST(InputStreamTest, ChunkingStreamNeverReturnsMoreThanItsChunk) {
  std::string data = "0123456789";
  auto s = MakeChunkingStream(MakeMemoryStream(data), 3);
  char buf[16];
  auto got = s->Read(buf, sizeof buf);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, 3u);
  auto rest = ReadAll(*s);
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(*rest, "3456789");
}

TEST(StatusTest, ToStringCarriesPathLineAndOffset) {
  Status st = Status::Corruption("bad JSON").WithPath("/logs/app").WithLine(12).WithOffset(345);
  EXPECT_EQ(st.ToString(), "/logs/app:12: byte 345: bad JSON");
  EXPECT_EQ(Status::Ok().ToString(), "ok");
}

}  // namespace
}  // namespace sparkmedic
