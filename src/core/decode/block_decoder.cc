#include "core/decode/block_decoder.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

namespace sparkmedic::decode {

BufferedSource::BufferedSource(std::unique_ptr<InputStream> in, size_t initial_capacity)
    : in_(std::move(in)),
      buf_(new char[std::max<size_t>(initial_capacity, 64)]),
      capacity_(std::max<size_t>(initial_capacity, 64)) {}

Result<bool> BufferedSource::Ensure(size_t need) {
  while (available() < need) {
    if (end_ == capacity_) MakeRoom(need);
    Result<size_t> got = in_->Read(buf_.get() + end_, capacity_ - end_);
    if (!got.ok()) return got.status();
    if (*got == 0) return false;
    end_ += *got;
  }
  return true;
}

// Called when the buffer is full up to its end. Slides the live bytes to the front; grows only if
// the buffer is full of live bytes, and then at most doubles, so a header that merely claims a huge
// block cannot make us allocate memory the input never fills.
void BufferedSource::MakeRoom(size_t need) {
  if (begin_ > 0) {
    std::memmove(buf_.get(), buf_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
    return;
  }
  size_t new_capacity = std::min(need, capacity_ * 2);
  std::unique_ptr<char[]> bigger(new char[new_capacity]);
  std::memcpy(bigger.get(), buf_.get(), end_);
  buf_ = std::move(bigger);
  capacity_ = new_capacity;
}

Result<size_t> BlockDecoder::Read(char* dst, size_t n) {
  if (!error_.ok()) return error_;
  if (n == 0) return Status::InvalidArgument("Read called with n == 0");
  for (;;) {
    if (pending_len_ > 0) {
      size_t k = std::min(n, pending_len_);
      std::memcpy(dst, pending_, k);
      pending_ += k;
      pending_len_ -= k;
      return k;
    }
    Result<Step> step = DecodeNext(dst, n);
    if (!step.ok()) {
      error_ = step.status();
      return error_;
    }
    if (step->direct > 0) return step->direct;
    if (step->end) return size_t{0};
    // A unit without bytes (end mark, repeated header, empty chunk): it consumed input, go on.
  }
}

uint32_t LoadBe32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return (uint32_t{u[0]} << 24) | (uint32_t{u[1]} << 16) | (uint32_t{u[2]} << 8) | u[3];
}

uint16_t LoadBe16(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return static_cast<uint16_t>((u[0] << 8) | u[1]);
}

uint32_t LoadLe32(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  return (uint32_t{u[3]} << 24) | (uint32_t{u[2]} << 16) | (uint32_t{u[1]} << 8) | u[0];
}

bool MagicPrefixMatches(std::string_view have, std::string_view magic) {
  size_t k = std::min(have.size(), magic.size());
  return have.substr(0, k) == magic.substr(0, k);
}

std::string HexBytes(std::string_view bytes, size_t max) {
  std::string out;
  for (size_t i = 0; i < bytes.size() && i < max; ++i) {
    if (i > 0) out += ' ';
    out += fmt::format("{:02X}", static_cast<unsigned char>(bytes[i]));
  }
  if (bytes.size() > max) out += " ...";
  return out;
}

}  // namespace sparkmedic::decode
