#include "attribution.h"

#include <algorithm>

namespace sparkmedic::exlogs {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

bool IsDigits(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), IsDigit); }

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (Lower(s[i]) != prefix[i]) return false;
  }
  return true;
}

// The executor id after "exec" at `i` ("exec-3", "executor_3", "exec3"), or empty.
std::string ExecIdAt(std::string_view name, size_t i) {
  if (i > 0 && IsAlnum(name[i - 1])) return {};
  size_t j = i + 4;
  if (StartsWithIgnoreCase(name.substr(j), "utor")) j += 4;
  if (j < name.size() && (name[j] == '-' || name[j] == '_')) ++j;
  size_t k = j;
  while (k < name.size() && IsDigit(name[k])) ++k;
  if (k == j || k - j > 18 || (k < name.size() && IsAlnum(name[k]))) return {};
  return std::string(name.substr(j, k - j));
}

// The token of [A-Za-z0-9_.-] that starts `s`.
std::string_view IdToken(std::string_view s) {
  size_t n = 0;
  while (n < s.size() && (IsAlnum(s[n]) || s[n] == '_' || s[n] == '.' || s[n] == '-')) ++n;
  return s.substr(0, n);
}

// The id after `marker` in `line`, up to `end` (or the first byte that cannot be in an id).
std::string IdAfter(std::string_view line, std::string_view marker) {
  size_t at = line.find(marker);
  if (at == std::string_view::npos) return {};
  std::string_view id = IdToken(line.substr(at + marker.size()));
  while (!id.empty() && id.back() == '.') id.remove_suffix(1);  // "ID 3." at a sentence end
  return IsPlausibleExecutorId(id) ? std::string(id) : std::string();
}

}  // namespace

bool IsPlausibleExecutorId(std::string_view id) {
  return !id.empty() && id.size() <= 64 && IdToken(id).size() == id.size();
}

std::string ExecutorFromPodName(std::string_view name) {
  std::string found;
  for (size_t i = 0; i + 4 < name.size(); ++i) {
    if (!StartsWithIgnoreCase(name.substr(i), "exec")) continue;
    std::string id = ExecIdAt(name, i);
    if (!id.empty()) found = std::move(id);
  }
  if (found.empty() && name.ends_with("-driver")) return "driver";
  return found;
}

std::string ExecutorFromFileName(std::string_view name) {
  std::string id = ExecutorFromPodName(name);
  if (!id.empty()) return id;
  if (name.ends_with(".gz")) name.remove_suffix(3);
  if (name.ends_with(".log") || name.ends_with(".txt")) name.remove_suffix(4);
  return IsDigits(name) && name.size() <= 18 ? std::string(name) : std::string();
}

std::string ExecutorFromDirName(std::string_view name) {
  std::string id = ExecutorFromPodName(name);
  if (!id.empty()) return id;
  return IsDigits(name) && name.size() <= 18 ? std::string(name) : std::string();
}

std::string ExecutorFromLine(std::string_view line, std::string* pod) {
  std::string pod_name = IdAfter(line, "--podName ");
  if (!pod_name.empty()) *pod = std::move(pod_name);
  for (std::string_view marker :
       {"Starting executor ID ", "--executor-id ", "Initialized BlockManager: BlockManagerId("}) {
    std::string id = IdAfter(line, marker);
    if (!id.empty()) return id;
  }
  return {};
}

bool SplitPodPrefix(std::string_view line, std::string_view* pod, std::string_view* rest) {
  if (!line.starts_with("[pod/")) return false;
  size_t close = line.find("] ");
  if (close == std::string_view::npos || close > 512) return false;
  std::string_view inside = line.substr(5, close - 5);  // "<pod>/<container>"
  size_t slash = inside.find('/');
  *pod = inside.substr(0, slash);
  if (pod->empty()) return false;
  *rest = line.substr(close + 2);
  return true;
}

}  // namespace sparkmedic::exlogs
