#include "frontends/cli/progress.h"

#include <cstdio>

#include <fmt/format.h>
#include <unistd.h>

namespace sparkmedic::cli {

void TerminalProgress::Update(uint64_t done, uint64_t total) {
  auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  drawn_ = true;
  double frac = total ? static_cast<double>(done) / static_cast<double>(total) : 0.0;
  if (frac > 1) frac = 1;
  double secs = std::chrono::duration<double>(now - start_).count();
  double mbps = secs > 0 ? static_cast<double>(done) / 1e6 / secs : 0;
  constexpr int kWidth = 30;
  int fill = static_cast<int>(frac * kWidth);
  std::string bar(static_cast<size_t>(fill), '#');
  bar.resize(kWidth, '-');
  fmt::print(stderr, "\r{} [{}] {:5.1f}% {:.0f} MB/s", label_, bar, frac * 100, mbps);
  std::fflush(stderr);
}

void TerminalProgress::Finish() {
  if (drawn_) fmt::print(stderr, "\r\033[K");
  drawn_ = false;
}

std::unique_ptr<ProgressListener> MaybeProgress(const std::string& label, uint64_t total_bytes) {
  if (total_bytes < (uint64_t{64} << 20) || !::isatty(STDERR_FILENO)) return nullptr;
  return std::make_unique<TerminalProgress>(label);
}

}  // namespace sparkmedic::cli
