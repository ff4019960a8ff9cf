#include "core/eventlog/line_reader.h"

#include <algorithm>
#include <cstring>

#include "core/model/event_parser.h"

namespace sparkmedic {

LineReader::LineReader(InputStream* in, size_t max_line_bytes, size_t initial_buffer)
    : in_(in), max_line_(std::max<size_t>(max_line_bytes, 1024)), cap_(initial_buffer) {
  buf_.reset(new char[cap_ + kJsonPadding]);
  std::memset(buf_.get() + cap_, 0, kJsonPadding);
}

bool LineReader::Fill() {
  if (eof_) return false;
  // Move the unfinished tail to the front.
  if (begin_ > 0) {
    std::memmove(buf_.get(), buf_.get() + begin_, end_ - begin_);
    base_offset_ += begin_;
    end_ -= begin_;
    scan_ -= begin_;
    begin_ = 0;
  }
  if (end_ == cap_) {
    if (cap_ >= max_line_ + 1) {
      // A line longer than the limit: drop what we hold and skip to its end.
      if (!skipping_) {
        skipping_ = true;
        ++oversized_;
        if (oversized_ == 1) {
          first_oversized_line_ = line_no_ + 1;
          first_oversized_offset_ = base_offset_;
        }
      }
      base_offset_ += end_;
      end_ = scan_ = 0;
    } else {
      size_t new_cap = std::min(cap_ * 2, max_line_ + 1);
      std::unique_ptr<char[]> nb(new char[new_cap + kJsonPadding]);
      std::memcpy(nb.get(), buf_.get(), end_);
      std::memset(nb.get() + new_cap, 0, kJsonPadding);
      buf_ = std::move(nb);
      cap_ = new_cap;
    }
  }
  size_t before = end_;
  // Fill at least half the free space before scanning again, to keep Read calls few.
  size_t want = (cap_ - end_) / 2;
  while (end_ < cap_ && end_ - before < std::max<size_t>(want, 1)) {
    Result<size_t> got = in_->Read(buf_.get() + end_, cap_ - end_);
    if (!got.ok()) {
      status_ = got.status();
      eof_ = true;
      break;
    }
    if (*got == 0) {
      eof_ = true;
      break;
    }
    end_ += *got;
    decoded_ += *got;
  }
  std::memset(buf_.get() + end_, 0, std::min(kJsonPadding, cap_ + kJsonPadding - end_));
  return end_ > before || (eof_ && begin_ < end_);
}

bool LineReader::Next(Line* line) {
  for (;;) {
    char* base = buf_.get();
    const char* nl = scan_ < end_
                         ? static_cast<const char*>(std::memchr(base + scan_, '\n', end_ - scan_))
                         : nullptr;
    if (nl) {
      size_t start = begin_;
      size_t stop = static_cast<size_t>(nl - base);
      begin_ = scan_ = stop + 1;
      ++line_no_;
      if (skipping_) {
        skipping_ = false;
        continue;
      }
      size_t len = stop - start;
      if (len > 0 && base[start + len - 1] == '\r') --len;
      // Blank lines carry no event.
      size_t first = start;
      while (first < start + len && (base[first] == ' ' || base[first] == '\t')) ++first;
      if (first == start + len) continue;
      *line = Line{base + start, len, cap_ + kJsonPadding - start, line_no_,
                   base_offset_ + start, true};
      return true;
    }
    scan_ = end_;
    if (!eof_) {
      Fill();
      continue;
    }
    // End of stream: a last line without '\n'.
    if (begin_ < end_ && !skipping_) {
      size_t start = begin_;
      size_t len = end_ - begin_;
      begin_ = scan_ = end_;
      ++line_no_;
      size_t first = start;
      while (first < start + len && (base[first] == ' ' || base[first] == '\t' ||
                                     base[first] == '\r')) {
        ++first;
      }
      if (first == start + len) return false;
      *line = Line{base + start, len, cap_ + kJsonPadding - start, line_no_,
                   base_offset_ + start, false};
      return true;
    }
    return false;
  }
}

}  // namespace sparkmedic
