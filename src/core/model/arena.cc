#include <cstring>

#include "sparkmedic/events.h"

namespace sparkmedic {

std::string_view Arena::Copy(std::string_view s) {
  if (s.empty()) return {};
  if (s.size() > left_) {
    size_t size = s.size() > kBlockSize / 4 ? s.size() : kBlockSize;
    blocks_.push_back(std::make_unique<char[]>(size));
    if (blocks_.size() == 1) first_size_ = size;
    cur_ = blocks_.back().get();
    left_ = size;
  }
  std::memcpy(cur_, s.data(), s.size());
  std::string_view out(cur_, s.size());
  cur_ += s.size();
  left_ -= s.size();
  return out;
}

void Arena::Reset() {
  // Keep the first block for reuse; drop the rest.
  if (blocks_.size() > 1) blocks_.resize(1);
  if (!blocks_.empty()) {
    cur_ = blocks_[0].get();
    left_ = first_size_;
  } else {
    cur_ = nullptr;
    left_ = 0;
  }
}

}  // namespace sparkmedic
