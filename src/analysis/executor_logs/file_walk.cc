#include "file_walk.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include <dirent.h>
#include <sys/stat.h>

namespace sparkmedic::exlogs {
namespace {

constexpr size_t kMaxDirNames = 3;

// The last component of `path` ("a/b/" → "b").
std::string BaseName(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The names of the directories above the file `path`, nearest first.
std::vector<std::string> ParentNames(const std::string& path) {
  std::vector<std::string> names;
  std::string p = path;
  while (names.size() < kMaxDirNames) {
    size_t slash = p.rfind('/');
    if (slash == std::string::npos || slash == 0) break;
    p.resize(slash);
    std::string name = BaseName(p);
    if (name.empty() || name == "." || name == "..") break;
    names.push_back(std::move(name));
  }
  return names;
}

struct Walker {
  int max_depth;
  LogFiles* out;

  // `dirs`: names from the directory being listed up to the root, nearest first.
  void Walk(const std::string& dir, int depth, const std::vector<std::string>& dirs) {
    std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), ::closedir);
    if (!d) {
      ++out->dirs_skipped;
      return;
    }
    while (struct dirent* e = ::readdir(d.get())) {
      if (e->d_name[0] == '.') continue;  // ".", "..", hidden
      std::string full = dir;
      if (full != "/") full.push_back('/');
      full.append(e->d_name);
      Entry(full, e->d_name, depth, dirs);
    }
  }

  void Entry(const std::string& full, const std::string& name, int depth,
             const std::vector<std::string>& dirs) {
    struct stat st;
    if (::lstat(full.c_str(), &st) != 0) return;
    bool link = S_ISLNK(st.st_mode);
    if (link && ::stat(full.c_str(), &st) != 0) return;  // dangling
    if (S_ISREG(st.st_mode)) {
      out->files.push_back({full, dirs});
      return;
    }
    if (!S_ISDIR(st.st_mode)) return;
    if (link || depth >= max_depth) {
      ++out->dirs_skipped;
      return;
    }
    std::vector<std::string> below{name};
    for (size_t i = 0; i + 1 < kMaxDirNames && i < dirs.size(); ++i) below.push_back(dirs[i]);
    Walk(full, depth + 1, below);
  }
};

}  // namespace

Result<LogFiles> ListLogFiles(const std::string& root, int max_depth, size_t max_files) {
  struct stat st;
  if (::stat(root.c_str(), &st) != 0) {
    int err = errno;
    std::string msg = std::string("cannot read executor logs: ") + std::strerror(err);
    return (err == ENOENT || err == ENOTDIR ? Status::NotFound(msg) : Status::IOError(msg))
        .WithPath(root);
  }
  LogFiles out;
  if (S_ISREG(st.st_mode)) {
    out.root_is_file = true;
    out.files.push_back({root, ParentNames(root)});
    return out;
  }
  if (!S_ISDIR(st.st_mode)) {
    return Status::NotSupported("executor logs must be a file or a directory").WithPath(root);
  }
  std::string dir = root;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  if (std::unique_ptr<DIR, int (*)(DIR*)> probe(::opendir(dir.c_str()), ::closedir); !probe) {
    return Status::IOError(std::string("cannot list directory: ") + std::strerror(errno))
        .WithPath(root);
  }
  std::vector<std::string> dirs;
  if (std::string base = BaseName(dir); base != "." && base != ".." && base != "/") {
    dirs.push_back(base);
  }
  Walker{max_depth, &out}.Walk(dir, 1, dirs);
  std::sort(out.files.begin(), out.files.end(),
            [](const LogFile& a, const LogFile& b) { return a.path < b.path; });
  if (out.files.size() > max_files) {
    out.files_skipped = out.files.size() - max_files;
    out.files.resize(max_files);
  }
  return out;
}

}  // namespace sparkmedic::exlogs
