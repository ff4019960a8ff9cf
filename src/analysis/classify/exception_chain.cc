#include "exception_chain.h"

#include <algorithm>
#include <array>
#include <charconv>

#include <fmt/format.h>

namespace sparkmedic::classify {
namespace {

// Packages that are not the application's. Spark's own shaded copies live under
// org.sparkproject; "$line" classes (the shells) are application code and are not listed.
constexpr std::array<std::string_view, 36> kFrameworkPrefixes = {
    "java.",
    "javax.",
    "jdk.",
    "sun.",
    "com.sun.",
    "scala.",
    "org.apache.",
    "org.sparkproject.",
    "com.google.",
    "io.netty.",
    "kotlin.",
    "py4j.",
    "com.fasterxml.",
    "com.esotericsoftware.",
    "org.json4s.",
    "net.razorvine.",
    "org.codehaus.",
    "org.xerial.",
    "org.slf4j.",
    "org.glassfish.",
    "org.eclipse.jetty.",
    "io.delta.",
    "com.databricks.",
    "com.nvidia.spark.",
    "ai.rapids.",
    "com.amazonaws.",
    "software.amazon.",
    "com.microsoft.azure.",
    "io.fabric8.",
    "okhttp3.",
    "org.roaringbitmap.",
    "com.github.luben.",
    "net.jpountz.",
    "com.twitter.chill.",
    "org.antlr.",
    "com.univocity.",
};

// Parts of a Python file path that mark PySpark, py4j, the standard library or installed
// packages rather than the job's own modules.
constexpr std::array<std::string_view, 7> kPythonLibraryMarks = {
    "pyspark", "py4j", "site-packages", "dist-packages", "/lib/python", "<frozen", "cloudpickle",
};

std::string_view TrimLeft(std::string_view s) {
  size_t i = s.find_first_not_of(" \t");
  return i == std::string_view::npos ? std::string_view() : s.substr(i);
}

std::string_view Trim(std::string_view s) {
  s = TrimLeft(s);
  size_t j = s.find_last_not_of(" \t\r");
  return j == std::string_view::npos ? std::string_view() : s.substr(0, j + 1);
}

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = nl + 1;
  }
  return lines;
}

bool IsIdentChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$';
}

// Length of a dotted class name at the start of `s` ("a.b.C", at least two segments, each
// starting with a letter, '_' or '$'), or 0.
size_t ClassNameLength(std::string_view s) {
  size_t i = 0, segments = 0;
  while (i < s.size()) {
    if ((s[i] >= '0' && s[i] <= '9') || !IsIdentChar(s[i])) break;
    while (i < s.size() && IsIdentChar(s[i])) ++i;
    ++segments;
    if (i + 1 < s.size() && s[i] == '.' && IsIdentChar(s[i + 1])) {
      ++i;
    } else {
      break;
    }
  }
  return segments >= 2 ? i : 0;
}

// "Class", "Class: message", "Outer(Inner): message" → true with the parts.
bool ParseHeader(std::string_view line, std::string* cls, std::string* message) {
  size_t n = ClassNameLength(line);
  if (n == 0) return false;
  if (n < line.size() && line[n] == '(') {  // Hadoop's RemoteException(inner.Class)
    size_t close = line.find(')', n);
    if (close == std::string_view::npos || ClassNameLength(line.substr(n + 1)) != close - n - 1) {
      return false;
    }
    n = close + 1;
  }
  std::string_view rest = line.substr(n);
  if (!rest.empty() && rest[0] != ':') return false;
  *cls = std::string(line.substr(0, n));
  if (!rest.empty()) rest.remove_prefix(rest.size() > 1 && rest[1] == ' ' ? 2 : 1);
  *message = std::string(rest);
  return true;
}

// The frame text of "\tat a.b.C.m(F.java:1)", or of Spark's fallback form without "at "
// ("        a.b.C.m(F.java:1)"); empty when the line is not a frame.
std::string_view FrameOf(std::string_view line) {
  std::string_view t = Trim(line);
  if (t.starts_with("at ")) return Trim(t.substr(3));
  if (t.size() == line.size() || t.empty() || t.back() != ')') return {};
  size_t open = t.find('(');
  if (open == std::string_view::npos || ClassNameLength(t) != open) return {};
  std::string_view src = t.substr(open + 1, t.size() - open - 2);
  bool source = src == "Unknown Source" || src == "Native Method" ||
                (src.find(':') != std::string_view::npos) || src.ends_with(".java") ||
                src.ends_with(".scala");
  return source ? t : std::string_view();
}

// "... 13 more" → 13; -1 when the line is not one.
int ElidedOf(std::string_view line) {
  std::string_view t = Trim(line);
  if (!t.starts_with("... ") || !t.ends_with(" more")) return -1;
  std::string_view num = t.substr(4, t.size() - 9);
  int n = 0;
  auto [p, ec] = std::from_chars(num.data(), num.data() + num.size(), n);
  return ec == std::errc() && p == num.data() + num.size() ? n : -1;
}

void TrimTrailingBlankLines(std::string* s) {
  while (!s->empty() && (s->back() == '\n' || s->back() == ' ' || s->back() == '\t')) {
    s->pop_back();
  }
}

// The Python error a PythonException's message ends with (after its last
// "Traceback (most recent call last):"), as a chain entry; false when there is none.
bool ParsePythonError(std::string_view message, ChainEntry* out) {
  std::vector<std::string_view> lines = SplitLines(message);
  size_t start = lines.size();
  for (size_t i = 0; i < lines.size(); ++i) {
    if (Trim(lines[i]).starts_with("Traceback (most recent call last)")) start = i + 1;
  }
  if (start >= lines.size()) return false;
  std::vector<std::string> frames;
  for (size_t i = start; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (line.empty()) continue;
    if (line[0] == ' ' || line[0] == '\t') {
      if (Trim(line).starts_with("File \"")) frames.emplace_back(Trim(line));
      continue;
    }
    size_t colon = line.find(':');
    std::string_view name = line.substr(0, colon);
    bool ok = !name.empty() && std::all_of(name.begin(), name.end(),
                                           [](char c) { return IsIdentChar(c) || c == '.'; });
    if (!ok) return false;
    out->cls = fmt::format("{}{}", kPythonPrefix, name);
    out->message = colon == std::string_view::npos ? "" : std::string(Trim(line.substr(colon + 1)));
    out->frames.assign(frames.rbegin(), frames.rend());
    return true;
  }
  return false;
}

void AddPythonErrors(std::vector<ChainEntry>* chain) {
  for (size_t i = 0; i < chain->size(); ++i) {
    if (!(*chain)[i].cls.ends_with("PythonException")) continue;
    ChainEntry py;
    if (ParsePythonError((*chain)[i].message, &py)) {
      chain->insert(chain->begin() + static_cast<std::ptrdiff_t>(i) + 1, std::move(py));
      ++i;
    }
  }
}

}  // namespace

std::string_view ChainEntry::DisplayClass() const {
  std::string_view c = cls;
  if (python()) c.remove_prefix(kPythonPrefix.size());
  return c;
}

std::string ChainEntry::Headline() const {
  std::string_view first = message;
  size_t start = first.find_first_not_of(" \t\r\n");  // a message may start on the next line
  first = start == std::string_view::npos ? std::string_view() : first.substr(start);
  first = first.substr(0, first.find('\n'));
  std::string line = first.empty() ? std::string(DisplayClass())
                                   : fmt::format("{}: {}", DisplayClass(), Trim(first));
  if (line.size() > 1000) {
    line.resize(997);
    line += "...";
  }
  return line;
}

// PERF NOTES: runs once per failed task (not per log line); clarity over speed.
std::vector<ChainEntry> ParseChain(std::string_view text) {
  std::vector<ChainEntry> chain;
  std::vector<std::string_view> lines = SplitLines(text);
  ChainEntry cur;
  if (lines.empty() || !ParseHeader(lines[0], &cur.cls, &cur.message)) return chain;
  bool in_message = true, in_suppressed = false;
  for (size_t i = 1; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    if (line.starts_with("Driver stacktrace:")) break;
    ChainEntry next;
    if (line.starts_with("Caused by: ") && ParseHeader(line.substr(11), &next.cls, &next.message)) {
      TrimTrailingBlankLines(&cur.message);
      chain.push_back(std::move(cur));
      cur = std::move(next);
      in_message = true;
      in_suppressed = false;
      continue;
    }
    if (in_suppressed) continue;
    if (TrimLeft(line).starts_with("Suppressed: ")) {
      in_suppressed = true;
      in_message = false;
      continue;
    }
    if (std::string_view frame = FrameOf(line); !frame.empty()) {
      cur.frames.emplace_back(frame);
      in_message = false;
    } else if (int n = ElidedOf(line); n >= 0) {
      cur.elided = n;
      in_message = false;
    } else if (in_message) {
      cur.message += '\n';
      cur.message += line;
    }
  }
  TrimTrailingBlankLines(&cur.message);
  chain.push_back(std::move(cur));
  AddPythonErrors(&chain);
  return chain;
}

std::vector<ChainEntry> ChainOf(const TaskFailure& f) {
  if (f.full_stack_trace) {
    std::vector<ChainEntry> chain = ParseChain(*f.full_stack_trace);
    if (!chain.empty()) return chain;
  }
  std::vector<ChainEntry> chain(1);
  chain[0].cls = f.class_name;
  chain[0].message = f.description;
  for (const StackFrame& s : f.stack_trace) {
    chain[0].frames.push_back(fmt::format("{}.{}({}:{})", s.declaring_class, s.method_name,
                                          s.file_name.value_or("Unknown Source"), s.line_number));
  }
  AddPythonErrors(&chain);
  return chain;
}

size_t RootIndex(const std::vector<ChainEntry>& chain) {
  for (size_t i = chain.size(); i-- > 0;) {
    if (!Trim(chain[i].message).empty()) return i;
  }
  return chain.size() - 1;
}

std::vector<std::string_view> EffectiveFrames(const std::vector<ChainEntry>& chain, size_t i) {
  std::vector<std::string_view> frames(chain[i].frames.begin(), chain[i].frames.end());
  if (chain[i].elided > 0 && i > 0 && !chain[i].python()) {
    std::vector<std::string_view> outer = EffectiveFrames(chain, i - 1);
    size_t n = std::min(outer.size(), static_cast<size_t>(chain[i].elided));
    frames.insert(frames.end(), outer.end() - static_cast<std::ptrdiff_t>(n), outer.end());
  }
  return frames;
}

std::string_view FrameClass(std::string_view frame) {
  size_t open = frame.find('(');
  if (open == std::string_view::npos) return {};
  std::string_view qualified = frame.substr(0, open);
  if (size_t slash = qualified.rfind('/'); slash != std::string_view::npos) {
    qualified.remove_prefix(slash + 1);  // "java.base/java.lang.Thread.run"
  }
  size_t dot = qualified.rfind('.');
  return dot == std::string_view::npos ? std::string_view() : qualified.substr(0, dot);
}

bool IsFrameworkClass(std::string_view cls) {
  return std::any_of(kFrameworkPrefixes.begin(), kFrameworkPrefixes.end(),
                     [cls](std::string_view p) { return cls.starts_with(p); });
}

bool IsAppClass(std::string_view cls, const std::vector<std::string>& app_packages) {
  if (cls.empty() || cls.starts_with(kPythonPrefix)) return false;
  if (app_packages.empty()) return !IsFrameworkClass(cls);
  return std::any_of(app_packages.begin(), app_packages.end(),
                     [cls](const std::string& p) { return !p.empty() && cls.starts_with(p); });
}

bool IsAppFrame(std::string_view frame, bool python, const std::vector<std::string>& app_packages) {
  if (!python) return IsAppClass(FrameClass(frame), app_packages);
  return std::none_of(
      kPythonLibraryMarks.begin(), kPythonLibraryMarks.end(),
      [frame](std::string_view m) { return frame.find(m) != std::string_view::npos; });
}

}  // namespace sparkmedic::classify
