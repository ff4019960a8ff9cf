// Helpers shared by the tests: where the shared corpus is, scratch directories, files.
#ifndef SPARKMEDIC_TESTS_TESTUTIL_H_
#define SPARKMEDIC_TESTS_TESTUTIL_H_

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sparkmedic/diagnostics.h"
#include "sparkmedic/loader.h"
#include "sparkmedic/model.h"

namespace sparkmedic::testing {

// The repository root and the CMake build directory (compiled in).
std::filesystem::path SourceDir();
std::filesystem::path BinaryDir();

// The corpus directory: $SPARKMEDIC_CORPUS if set, else the CMake cache variable
// SPARKMEDIC_CORPUS_DIR (default ../shared/corpus beside the repository), or nullopt when it
// does not exist.
std::optional<std::filesystem::path> CorpusDir();

// The path of `relative` inside the corpus, or nullopt if the corpus or the file is absent.
std::optional<std::filesystem::path> CorpusFile(const std::string& relative);

// A fresh empty directory under the system temp dir, removed when the object dies.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

std::string ReadFileOrDie(const std::filesystem::path& path);
void WriteFileOrDie(const std::filesystem::path& path, const std::string& data);

// Runs a shell command, returns its exit status and captures stdout in `out` if given.
int RunCommand(const std::string& command, std::string* out = nullptr);

}  // namespace sparkmedic::testing

// Skips the current test (reported as SKIPPED, never passed) when a corpus file is missing.
#define SPARKMEDIC_CORPUS_FILE_OR_SKIP(var, relative)                    \
  auto var##_opt = ::sparkmedic::testing::CorpusFile(relative);          \
  if (!var##_opt)                                                        \
    GTEST_SKIP() << "corpus file absent: " << (relative)                 \
                 << " (set SPARKMEDIC_CORPUS_DIR to the shared corpus)"; \
  const std::filesystem::path var = *var##_opt

namespace sparkmedic::testing {

// Discovers and loads the single log at `path`; fails the test (and returns an empty model)
// when there is not exactly one log or it does not load.
Application LoadOne(const std::filesystem::path& path, DiagnosticCollector* diags = nullptr,
                    ReadStats* stats = nullptr);

// Parses RFC-4180 CSV (quotes doubled inside quoted fields; no backslash escapes).
std::vector<std::vector<std::string>> ParseCsv(const std::string& text);

}  // namespace sparkmedic::testing

#endif  // SPARKMEDIC_TESTS_TESTUTIL_H_
