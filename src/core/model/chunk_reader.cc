#include "core/model/chunk_reader.h"

#include <algorithm>
#include <cstring>

#include "core/model/event_parser.h"

namespace sparkmedic {

std::unique_ptr<char[]> ChunkBufferPool::Get(size_t bytes, size_t* capacity) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (size_t i = free_.size(); i-- > 0;) {
      if (free_[i].second >= bytes) {
        std::unique_ptr<char[]> buf = std::move(free_[i].first);
        *capacity = free_[i].second;
        free_.erase(free_.begin() + static_cast<std::ptrdiff_t>(i));
        return buf;
      }
    }
  }
  *capacity = bytes;
  return std::unique_ptr<char[]>(new char[bytes + kJsonPadding]);
}

void ChunkBufferPool::Put(std::unique_ptr<char[]> buf, size_t capacity) {
  if (!buf) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (free_.size() < 64) free_.emplace_back(std::move(buf), capacity);
}

ChunkReader::ChunkReader(InputStream* in, size_t max_line_bytes, ChunkBufferPool* pool,
                         size_t chunk_bytes)
    : in_(in),
      pool_(pool),
      max_line_(std::max<size_t>(max_line_bytes, 1024)),
      chunk_bytes_(chunk_bytes) {}

bool ChunkReader::Next(Chunk* chunk) {
  if (eof_ && carry_size_ == 0) return false;
  // Start a buffer with the carried partial line, then read until it holds a '\n' and at
  // least chunk_bytes_ (or the stream ends).
  size_t cap = std::max(chunk_bytes_, carry_size_ * 2);
  std::unique_ptr<char[]> buf;
  if (pool_) {
    buf = pool_->Get(cap, &cap);
  } else {
    buf.reset(new char[cap + kJsonPadding]);
  }
  size_t size = carry_size_;
  if (carry_size_) std::memcpy(buf.get(), carry_.get(), carry_size_);
  uint64_t start_offset = offset_;
  uint64_t oversized = 0, oversized_offset = 0;
  size_t scan_from = 0;  // bytes before this hold no '\n'
  for (;;) {
    while (size < cap && !eof_) {
      Result<size_t> got = in_->Read(buf.get() + size, cap - size);
      if (!got.ok()) {
        status_ = got.status();
        eof_ = true;
        break;
      }
      if (*got == 0) {
        eof_ = true;
        break;
      }
      size += *got;
      decoded_ += *got;
    }
    if (eof_) break;
    // Full buffer: is there a line end in it?
    const void* nl = std::memchr(buf.get() + scan_from, '\n', size - scan_from);
    if (nl) break;
    scan_from = size;
    if (size >= max_line_) {
      // One line longer than the limit: drop it up to its end.
      if (oversized == 0) oversized_offset = start_offset;
      ++oversized;
      for (;;) {
        Result<size_t> got = in_->Read(buf.get(), cap);
        if (!got.ok() || *got == 0) {
          if (!got.ok()) status_ = got.status();
          eof_ = true;
          size = 0;
          break;
        }
        decoded_ += *got;
        const char* p = static_cast<const char*>(std::memchr(buf.get(), '\n', *got));
        start_offset += size;
        if (p) {
          size_t keep = *got - static_cast<size_t>(p - buf.get() + 1);
          start_offset += static_cast<size_t>(p - buf.get() + 1);
          std::memmove(buf.get(), p + 1, keep);
          size = keep;
          break;
        }
        size = *got;
      }
      scan_from = 0;
      if (eof_) break;
      continue;
    }
    // Grow for a long line.
    size_t ncap = std::min(cap * 2, max_line_ + 1);
    std::unique_ptr<char[]> nb(new char[ncap + kJsonPadding]);
    std::memcpy(nb.get(), buf.get(), size);
    if (pool_) pool_->Put(std::move(buf), cap);
    buf = std::move(nb);
    cap = ncap;
  }
  // Cut after the last '\n'; keep the rest for the next chunk.
  size_t cut = size;
  if (!eof_) {
    const char* b = buf.get();
    size_t i = size;
    while (i > 0 && b[i - 1] != '\n') --i;
    cut = i;
  }
  carry_size_ = size - cut;
  if (carry_size_ > carry_cap_) {
    carry_cap_ = std::max(carry_size_, size_t{1} << 16);
    carry_.reset(new char[carry_cap_]);
  }
  if (carry_size_) std::memcpy(carry_.get(), buf.get() + cut, carry_size_);
  offset_ = start_offset + cut;
  std::memset(buf.get() + cut, 0, kJsonPadding);
  chunk->data = std::move(buf);
  chunk->capacity = cap;
  chunk->size = cut;
  chunk->offset = start_offset;
  chunk->last = eof_ && carry_size_ == 0;
  chunk->oversized_lines = oversized;
  chunk->oversized_offset = oversized_offset;
  return cut > 0 || oversized > 0 || !chunk->last || size > 0;
}

}  // namespace sparkmedic
