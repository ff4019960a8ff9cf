#include "testutil.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include <unistd.h>

namespace sparkmedic::testing {

std::filesystem::path SourceDir() { return SPARKMEDIC_SOURCE_DIR; }
std::filesystem::path BinaryDir() { return SPARKMEDIC_BINARY_DIR; }

std::optional<std::filesystem::path> CorpusDir() {
  const char* env = std::getenv("SPARKMEDIC_CORPUS");
  std::filesystem::path dir = env && *env ? env : SPARKMEDIC_DEFAULT_CORPUS_DIR;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return std::nullopt;
  return dir;
}

std::optional<std::filesystem::path> CorpusFile(const std::string& relative) {
  auto dir = CorpusDir();
  if (!dir) return std::nullopt;
  std::filesystem::path p = *dir / relative;
  std::error_code ec;
  if (!std::filesystem::exists(p, ec)) return std::nullopt;
  return p;
}

ScratchDir::ScratchDir() {
  std::random_device rd;
  for (;;) {
    path_ = std::filesystem::temp_directory_path() /
            ("sparkmedic-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    std::error_code ec;
    if (std::filesystem::create_directory(path_, ec)) break;
  }
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string ReadFileOrDie(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read " << path;
    return {};
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFileOrDie(const std::filesystem::path& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary);
  out << data;
  if (!out) ADD_FAILURE() << "cannot write " << path;
}

int RunCommand(const std::string& command, std::string* out) {
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return -1;
  std::array<char, 65536> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) {
    if (out) out->append(buf.data(), n);
  }
  int rc = ::pclose(pipe);
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

}  // namespace sparkmedic::testing

namespace sparkmedic::testing {

std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, any = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
      continue;
    }
    if (c == '"') {
      quoted = true;
      any = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      if (any || !field.empty()) {
        row.push_back(std::move(field));
        rows.push_back(std::move(row));
      }
      row.clear();
      field.clear();
      any = false;
    } else {
      field += c;
      any = true;
    }
  }
  if (any || !field.empty()) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace sparkmedic::testing

namespace sparkmedic::testing {

Application LoadOne(const std::filesystem::path& path, DiagnosticCollector* diags,
                    ReadStats* stats) {
  auto found = DiscoverLogs(path.string());
  if (!found.ok()) {
    ADD_FAILURE() << found.status().ToString();
    return {};
  }
  if (found->size() != 1) {
    ADD_FAILURE() << path << ": expected one log, found " << found->size();
    return {};
  }
  DiagnosticCollector local;
  ReadStats local_stats;
  auto app = LoadApplication((*found)[0], LoadOptions{}, diags ? diags : &local,
                             stats ? stats : &local_stats);
  if (!app.ok()) {
    ADD_FAILURE() << app.status().ToString();
    return {};
  }
  return std::move(app.value());
}

}  // namespace sparkmedic::testing
