// The files a --executor-logs PATH names.
#ifndef SPARKMEDIC_ANALYSIS_EXECUTOR_LOGS_FILE_WALK_H_
#define SPARKMEDIC_ANALYSIS_EXECUTOR_LOGS_FILE_WALK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "sparkmedic/status.h"

namespace sparkmedic::exlogs {

struct LogFile {
  std::string path;
  // Names of the directories above the file, nearest first, at most three (the scanned
  // directory's own name included), for attribution by directory name.
  std::vector<std::string> dirs;
};

struct LogFiles {
  std::vector<LogFile> files;  // by path, byte order
  bool root_is_file = false;
  uint64_t files_skipped = 0;  // beyond max_files
  uint64_t dirs_skipped = 0;   // deeper than max_depth, symlinked or unreadable
};

// `root` itself when it is a file (or a symlink to one); else the regular files (or symlinks
// to files) under it, at most `max_depth` levels deep, hidden names (".x") skipped, the first
// `max_files` in path order. Errors: kNotFound (no such path), kIOError (cannot stat or list
// `root`), both with the path; kNotSupported for a root that is neither file nor directory.
Result<LogFiles> ListLogFiles(const std::string& root, int max_depth, size_t max_files);

}  // namespace sparkmedic::exlogs

#endif  // SPARKMEDIC_ANALYSIS_EXECUTOR_LOGS_FILE_WALK_H_
