// RepresentativeMessage: what an operator should read first about a failure.
#include <fmt/format.h>

#include "sparkmedic/classify.h"

#include "exception_chain.h"

namespace sparkmedic {
namespace {

using classify::ChainEntry;

bool IsFrameLine(std::string_view line) {
  size_t i = line.find_first_not_of(" \t");
  return i != std::string_view::npos && i > 0 && line.substr(i).starts_with("at ");
}

bool IsElidedLine(std::string_view line) {
  size_t i = line.find_first_not_of(" \t");
  return i != std::string_view::npos && line.substr(i).starts_with("... ") &&
         line.ends_with(" more");
}

// The frames worth showing: the very first (where it was thrown), then application frames in
// order, at most `max` in all.
std::vector<std::string_view> PickFrames(const std::vector<std::string_view>& frames, bool python,
                                         size_t max) {
  std::vector<std::string_view> out;
  for (size_t i = 0; i < frames.size() && out.size() < max; ++i) {
    if (i == 0 || classify::IsAppFrame(frames[i], python, {})) out.push_back(frames[i]);
  }
  return out;
}

std::string FromChain(const std::vector<ChainEntry>& chain, size_t max_frames) {
  size_t root = classify::RootIndex(chain);
  std::string out = chain[root].Headline();
  if (root != 0) out += "\n" + chain[0].Headline();
  // A cause printed without frames of its own (nor elided ones) shows where its nearest
  // enclosing exception was thrown instead.
  size_t from = root;
  std::vector<std::string_view> frames = classify::EffectiveFrames(chain, from);
  while (frames.empty() && from > 0) frames = classify::EffectiveFrames(chain, --from);
  bool python = chain[from].python();
  for (std::string_view f : PickFrames(frames, python, max_frames)) {
    out += python ? fmt::format("\n\t{}", f) : fmt::format("\n\tat {}", f);
  }
  return out;
}

// Text that is not an exception chain (a loss reason with a YARN stack trace, a kill reason):
// blank lines and "... N more" dropped, each run of frames trimmed as for a chain.
std::string FromPlainText(std::string_view text, size_t max_frames) {
  std::string out;
  std::vector<std::string_view> run;
  auto flush = [&] {
    for (std::string_view f : PickFrames(run, false, max_frames))
      out += fmt::format("\n\tat {}", f);
    run.clear();
  };
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(start, nl - start);
    start = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos || IsElidedLine(line)) continue;
    if (IsFrameLine(line)) {
      run.push_back(line.substr(line.find("at ") + 3));
      continue;
    }
    flush();
    if (!out.empty()) out += '\n';
    out += line;
  }
  flush();
  return out;
}

}  // namespace

std::string RepresentativeMessage(const TaskFailure& f, size_t max_frames) {
  if (f.kind == TaskEndKind::kExceptionFailure) return FromChain(classify::ChainOf(f), max_frames);
  if (f.kind == TaskEndKind::kFetchFailed) {
    std::vector<ChainEntry> chain = classify::ParseChain(f.message);
    if (!chain.empty()) return FromChain(chain, max_frames);
  }
  return FromPlainText(f.ErrorString(), max_frames);
}

}  // namespace sparkmedic
