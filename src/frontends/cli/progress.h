// A progress bar on stderr, drawn only when stderr is a terminal and the input is large.
#ifndef SPARKMEDIC_FRONTENDS_CLI_PROGRESS_H_
#define SPARKMEDIC_FRONTENDS_CLI_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "sparkmedic/loader.h"

namespace sparkmedic::cli {

class TerminalProgress final : public ProgressListener {
 public:
  explicit TerminalProgress(std::string label) : label_(std::move(label)) {}
  void Update(uint64_t done, uint64_t total) override;
  void Finish() override;

 private:
  std::string label_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_draw_{};
  bool drawn_ = false;
};

// A TerminalProgress when stderr is a TTY and `total_bytes` is at least 64 MiB, else null.
std::unique_ptr<ProgressListener> MaybeProgress(const std::string& label, uint64_t total_bytes);

}  // namespace sparkmedic::cli

#endif  // SPARKMEDIC_FRONTENDS_CLI_PROGRESS_H_
