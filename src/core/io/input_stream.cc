// File, memory and chunking streams.
//
// PERF NOTES: files are read with read(2) straight into the caller's buffer. mmap would count
// every touched page of a multi-GB log in our resident set; read(2) from the page cache costs
// one memcpy and keeps RSS bounded by the buffers we own.
#include "sparkmedic/input_stream.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

namespace sparkmedic {
namespace {

class FileStream final : public InputStream {
 public:
  FileStream(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~FileStream() override { ::close(fd_); }

  Result<size_t> Read(char* dst, size_t n) override {
    for (;;) {
      ssize_t got = ::read(fd_, dst, n);
      if (got >= 0) {
        consumed_ += static_cast<uint64_t>(got);
        return static_cast<size_t>(got);
      }
      if (errno == EINTR) continue;
      return Status::IOError(fmt::format("read failed: {}", std::strerror(errno)))
          .WithPath(path_)
          .WithOffset(consumed_);
    }
  }
  uint64_t raw_bytes_consumed() const override { return consumed_; }

 private:
  int fd_;
  std::string path_;
  uint64_t consumed_ = 0;
};

class MemoryStream final : public InputStream {
 public:
  explicit MemoryStream(std::string_view data) : data_(data) {}
  Result<size_t> Read(char* dst, size_t n) override {
    size_t k = std::min(n, data_.size() - pos_);
    std::memcpy(dst, data_.data() + pos_, k);
    pos_ += k;
    return k;
  }
  uint64_t raw_bytes_consumed() const override { return pos_; }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

class ChunkingStream final : public InputStream {
 public:
  ChunkingStream(std::unique_ptr<InputStream> inner, size_t max_chunk)
      : inner_(std::move(inner)), max_chunk_(std::max<size_t>(1, max_chunk)) {}
  Result<size_t> Read(char* dst, size_t n) override {
    return inner_->Read(dst, std::min(n, max_chunk_));
  }
  uint64_t raw_bytes_consumed() const override { return inner_->raw_bytes_consumed(); }

 private:
  std::unique_ptr<InputStream> inner_;
  size_t max_chunk_;
};

}  // namespace

Result<std::unique_ptr<InputStream>> OpenFileStream(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    Status st(err == ENOENT ? StatusCode::kNotFound : StatusCode::kIOError,
              fmt::format("cannot open: {}", std::strerror(err)));
    return std::move(st).WithPath(path);
  }
#ifdef POSIX_FADV_SEQUENTIAL
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
  return std::unique_ptr<InputStream>(std::make_unique<FileStream>(fd, path));
}

std::unique_ptr<InputStream> MakeMemoryStream(std::string_view data) {
  return std::make_unique<MemoryStream>(data);
}

std::unique_ptr<InputStream> MakeChunkingStream(std::unique_ptr<InputStream> inner,
                                                size_t max_chunk) {
  return std::make_unique<ChunkingStream>(std::move(inner), max_chunk);
}

Result<std::string> ReadAll(InputStream& stream, std::string* partial) {
  std::string out;
  constexpr size_t kChunk = 1 << 16;
  for (;;) {
    size_t old = out.size();
    out.resize(old + kChunk);
    Result<size_t> got = stream.Read(out.data() + old, kChunk);
    if (!got.ok()) {
      out.resize(old);
      if (partial) *partial = std::move(out);
      return got.status();
    }
    out.resize(old + *got);
    if (*got == 0) break;
  }
  if (partial) *partial = out;
  return out;
}

}  // namespace sparkmedic
