// Conformance of the REST API (HandleRest, in process) with Spark History Server answers.
//
// One test per row of corpus/shs/{spark-2.4,spark-current}/cases.tsv, compared as those
// suites compare (READMEs there): lastUpdated blanked, structural JSON, array order and
// number types (int vs double) matter, null differs from absent. spark-2.4: the field sets
// must be equal, except fields newer Spark added (kNewerFields, docs/rest-api.md);
// spark-current: every expected field must be present and equal, extra fields allowed.
//
// known_failing.txt lists cases allowed to fail (with reasons). A listed case that passes
// fails the test, so the list can only shrink.
#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sparkmedic/rest_api.h"

#include "testutil.h"

namespace sparkmedic {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Fields Spark 3.x/4.x added to the classes the 2.4 goldens pin; allowed in our answers
// (documented in docs/rest-api.md). A 2.4 golden that has one of them must still match.
const std::set<std::string>& NewerFields() {
  static const std::set<std::string> k = {
      // JobData
      "jobTags",
      // StageData
      "executorDeserializeTime", "executorDeserializeCpuTime", "resultSize", "jvmGcTime",
      "resultSerializationTime", "peakExecutionMemory", "peakOnHeapExecutionMemory",
      "peakOffHeapExecutionMemory", "shuffleRemoteBlocksFetched", "shuffleLocalBlocksFetched",
      "shuffleFetchWaitTime", "shuffleRemoteBytesRead", "shuffleRemoteBytesReadToDisk",
      "shuffleLocalBytesRead", "shuffleCorruptMergedBlockChunks", "shuffleMergedFetchFallbackCount",
      "shuffleMergedRemoteBlocksFetched", "shuffleMergedLocalBlocksFetched",
      "shuffleMergedRemoteChunksFetched", "shuffleMergedLocalChunksFetched",
      "shuffleMergedRemoteBytesRead", "shuffleMergedLocalBytesRead", "shuffleRemoteReqsDuration",
      "shuffleMergedRemoteReqsDuration", "shuffleWriteTime", "speculationSummary",
      "resourceProfileId", "peakExecutorMetrics", "taskMetricsDistributions",
      "executorMetricsDistributions", "isShufflePushEnabled", "shuffleMergersCount",
      // TaskData / TaskMetrics / distributions
      "partitionId", "executorLogs", "schedulerDelay", "gettingResultTime", "remoteReqsDuration",
      "shufflePushReadMetrics", "shufflePushReadMetricsDist", "duration",
      // ExecutorSummary / ExecutorStageSummary
      "blacklistedInStages", "attributes", "resources", "isExcluded", "excludedInStages",
      "isBlacklistedForStage", "isExcludedForStage",
      // Executor metrics 3.x+ added; `peakMemoryMetrics` itself is allowed as an extra (3.x
      // sets it for every executor that ended a task) but compared wherever the golden has it
      "TotalGCTime", "ConcurrentGCCount", "ConcurrentGCTime", "peakMemoryMetrics",
      // ApplicationEnvironmentInfo
      "hadoopProperties", "metricsProperties", "resourceProfiles"};
  return k;
}

struct Case {
  std::string suite;  // "Spark24" or "SparkCurrent"
  std::string name, url, file;
  fs::path dir;
};

std::string Sanitize(const std::string& s) {
  std::string o = s;
  for (char& c : o) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
  }
  return o;
}

std::vector<Case> ReadCases(const fs::path& dir, const std::string& suite) {
  std::vector<Case> out;
  std::ifstream in(dir / "cases.tsv");
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (header) {
      header = false;
      continue;
    }
    if (line.empty()) continue;
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t')) cols.push_back(col);
    if (cols.size() < 3) continue;
    out.push_back(Case{suite, cols[0], cols[1], cols[2], dir});
  }
  return out;
}

// The suites' normalisation of the server's answer text.
std::string BlankLastUpdated(const std::string& text) {
  static const std::regex digits("[0-9]+");
  static const std::regex last_updated("\"lastUpdated\"\\s*:\\s*\".*\"");
  std::string out;
  size_t i = 0;
  while (true) {
    size_t j = text.find(',', i);
    std::string piece = text.substr(i, j == std::string::npos ? std::string::npos : j - i);
    if (piece.find("lastUpdatedEpoch") != std::string::npos) {
      piece = std::regex_replace(piece, digits, "0");
    } else if (piece.find("lastUpdated") != std::string::npos) {
      piece = std::regex_replace(piece, last_updated, "\"lastUpdated\" : \"\"");
    }
    out += piece;
    if (j == std::string::npos) break;
    out += ',';
    i = j + 1;
  }
  return out;
}

bool IsInt(const json& v) { return v.is_number_integer() || v.is_number_unsigned(); }

void Compare(const json& want, const json& got, bool exact_fields, const std::string& path,
             std::vector<std::string>* diffs) {
  if (diffs->size() > 20) return;
  if (want.is_object()) {
    if (!got.is_object()) {
      diffs->push_back(path + ": expected an object, got " + got.dump());
      return;
    }
    for (auto it = want.begin(); it != want.end(); ++it) {
      if (!got.contains(it.key())) {
        diffs->push_back(path + "." + it.key() + ": missing");
        continue;
      }
      // Executor metric maps list every metric the server's Spark version knows (the set grew
      // with each release): extra metric names are allowed there.
      bool metric_map = it.key() == "peakMemoryMetrics" || it.key() == "peakExecutorMetrics";
      Compare(it.value(), got[it.key()], exact_fields && !metric_map, path + "." + it.key(), diffs);
    }
    if (exact_fields) {
      for (auto it = got.begin(); it != got.end(); ++it) {
        if (!want.contains(it.key()) && !NewerFields().count(it.key()))
          diffs->push_back(path + "." + it.key() + ": unexpected field");
      }
    }
    return;
  }
  if (want.is_array()) {
    if (!got.is_array()) {
      diffs->push_back(path + ": expected an array");
      return;
    }
    if (want.size() != got.size()) {
      diffs->push_back(path + ": " + std::to_string(want.size()) + " elements expected, got " +
                       std::to_string(got.size()));
    }
    for (size_t i = 0; i < want.size() && i < got.size(); ++i)
      Compare(want[i], got[i], exact_fields, path + "[" + std::to_string(i) + "]", diffs);
    return;
  }
  bool same;
  if (IsInt(want) && IsInt(got)) {
    same = want.get<int64_t>() == got.get<int64_t>();
  } else {
    same = want.type() == got.type() && want == got;
  }
  if (!same) {
    std::string w = want.dump(), g = got.dump();
    if (w.size() > 200) w = w.substr(0, 200) + "...";
    if (g.size() > 200) g = g.substr(0, 200) + "...";
    diffs->push_back(path + ": expected " + w + ", got " + g);
  }
}

QueryParams ParseQuery(const std::string& q) {
  QueryParams out;
  std::stringstream ss(q);
  std::string kv;
  while (std::getline(ss, kv, '&')) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos)
      out.emplace_back(kv, "");
    else
      out.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
  }
  return out;
}

fs::path EventLogs(const std::string& which) { return *testing::CorpusDir() / "eventlogs" / which; }

// Catalogs, built once per process.
const AppCatalog& CatalogFor(const std::string& suite) {
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<EventLogCatalog>> cats;
  std::lock_guard<std::mutex> lock(mu);
  auto& slot = cats[suite];
  if (!slot) {
    std::vector<std::string> dirs = {EventLogs("spark-2.4-tests").string()};
    if (suite == "SparkCurrent") dirs.push_back(EventLogs("spark-current-tests").string());
    auto cat = EventLogCatalog::Open(dirs, {});
    if (!cat.ok()) throw std::runtime_error(cat.status().ToString());
    slot = std::move(*cat);
  }
  return *slot;
}

// Runs one case; returns the differences (empty: pass).
std::vector<std::string> RunCase(const Case& c) {
  std::string path = c.url, query;
  if (size_t q = path.find('?'); q != std::string::npos) {
    query = path.substr(q + 1);
    path = path.substr(0, q);
  }
  RestResponse r = HandleRest(CatalogFor(c.suite), path, ParseQuery(query));
  if (r.status != 200) return {"HTTP " + std::to_string(r.status) + ": " + r.body};
  json got, want;
  try {
    got = json::parse(BlankLastUpdated(r.body));
  } catch (const std::exception& e) {
    return {std::string("answer is not JSON: ") + e.what()};
  }
  want = json::parse(testing::ReadFileOrDie(c.dir / c.file));
  std::vector<std::string> diffs;
  Compare(want, got, c.suite == "Spark24", "$", &diffs);
  return diffs;
}

std::map<std::string, std::string> KnownFailing() {
  std::map<std::string, std::string> out;
  std::ifstream in(testing::SourceDir() / "tests/conformance/known_failing.txt");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t colon = line.find(':');
    std::string name = line.substr(0, colon);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    out[name] = colon == std::string::npos ? "" : line.substr(colon + 1);
  }
  return out;
}

std::string TestName(const Case& c) { return c.suite + "." + Sanitize(c.name); }

std::string Family(const std::string& url) {
  std::string p = url.substr(0, url.find('?'));
  if (p == "applications") return "applications";
  for (const char* f : {"taskSummary", "taskList", "stages", "jobs", "allexecutors", "executors",
                        "environment", "storage"}) {
    if (p.find(std::string("/") + f) != std::string::npos) return f;
  }
  return "application";
}

class CaseTest : public ::testing::Test {
 public:
  explicit CaseTest(Case c) : c_(std::move(c)) {}
  void TestBody() override {
    auto known = KnownFailing();
    auto it = known.find(TestName(c_));
    std::vector<std::string> diffs = RunCase(c_);
    if (it != known.end()) {
      EXPECT_FALSE(diffs.empty())
          << TestName(c_) << " now passes: remove it from tests/conformance/known_failing.txt";
      if (!diffs.empty()) std::cout << "known failing (" << it->second << "): " << diffs[0] << "\n";
      return;
    }
    std::string all;
    for (const std::string& d : diffs) all += "  " + d + "\n";
    EXPECT_TRUE(diffs.empty()) << c_.url << " differs from " << c_.file << ":\n" << all;
  }

 private:
  Case c_;
};

std::vector<Case> AllCases() {
  std::vector<Case> out;
  auto corpus = testing::CorpusDir();
  if (!corpus) return out;
  for (auto [sub, suite] : {std::pair<const char*, const char*>{"spark-2.4", "Spark24"},
                            {"spark-current", "SparkCurrent"}}) {
    fs::path dir = *corpus / "shs" / sub;
    if (!fs::exists(dir / "cases.tsv")) continue;
    for (Case& c : ReadCases(dir, suite)) out.push_back(std::move(c));
  }
  return out;
}

const bool kRegistered = [] {
  for (const Case& c : AllCases()) {
    ::testing::RegisterTest(("ShsConformance" + c.suite).c_str(), Sanitize(c.name).c_str(), nullptr,
                            nullptr, __FILE__, __LINE__,
                            [c]() -> ::testing::Test* { return new CaseTest(c); });
  }
  return true;
}();

TEST(ShsConformance, PassCountsPerFamily) {
  std::vector<Case> cases = AllCases();
  if (cases.empty()) GTEST_SKIP() << "corpus absent (set SPARKMEDIC_CORPUS_DIR)";
  std::map<std::string, std::pair<int, int>> counts;  // "suite family" -> (pass, total)
  int pass = 0;
  for (const Case& c : cases) {
    bool ok = RunCase(c).empty();
    auto& p = counts[c.suite + " " + Family(c.url)];
    p.first += ok;
    p.second += 1;
    pass += ok;
  }
  for (const auto& [k, v] : counts) std::cout << k << ": " << v.first << "/" << v.second << "\n";
  std::cout << "total: " << pass << "/" << cases.size() << "\n";
}

TEST(ShsConformance, KnownFailingListNamesRealCases) {
  std::vector<Case> cases = AllCases();
  if (cases.empty()) GTEST_SKIP() << "corpus absent (set SPARKMEDIC_CORPUS_DIR)";
  std::set<std::string> names;
  for (const Case& c : cases) names.insert(TestName(c));
  for (const auto& [name, reason] : KnownFailing()) {
    EXPECT_TRUE(names.count(name)) << "known_failing.txt names no case: " << name;
  }
}

// The (name, bytes) entries of a stored zip, read through its local headers.
std::vector<std::pair<std::string, std::string>> ReadStoredZip(const std::string& z) {
  std::vector<std::pair<std::string, std::string>> out;
  auto u16 = [&](size_t at) {
    return uint32_t(uint8_t(z[at])) | uint32_t(uint8_t(z[at + 1])) << 8;
  };
  auto u32 = [&](size_t at) { return u16(at) | u16(at + 2) << 16; };
  size_t pos = 0;
  while (pos + 30 <= z.size() && u32(pos) == 0x04034b50) {
    EXPECT_EQ(u16(pos + 8), 0u) << "entry not stored";
    uint32_t size = u32(pos + 18), name_len = u16(pos + 26), extra = u16(pos + 28);
    std::string name = z.substr(pos + 30, name_len);
    out.emplace_back(name, z.substr(pos + 30 + name_len + extra, size));
    pos += 30 + name_len + extra + size;
  }
  return out;
}

// extra_checks.tsv: error statuses and texts, and the /logs zip downloads.
TEST(ShsConformance, ExtraChecks) {
  auto dir = testing::CorpusFile("shs/spark-2.4/extra_checks.tsv");
  if (!dir) GTEST_SKIP() << "corpus absent (set SPARKMEDIC_CORPUS_DIR)";
  std::ifstream in(*dir);
  std::string line;
  std::getline(in, line);
  int checked = 0;
  while (std::getline(in, line)) {
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t')) cols.push_back(col);
    if (cols.size() < 4) continue;
    std::string path = cols[1], query;
    if (size_t q = path.find('?'); q != std::string::npos) {
      query = path.substr(q + 1);
      path = path.substr(0, q);
    }
    RestResponse r = HandleRest(CatalogFor("Spark24"), path, ParseQuery(query));
    EXPECT_EQ(r.status, std::stoi(cols[2])) << cols[0];
    if (cols[1].find("/logs") != std::string::npos) {
      auto entries = ReadStoredZip(r.body);
      std::vector<std::string> want;  // the files the row names, e.g. local-1430917381535_1
      std::regex file_re("local-1430917381535_[0-9]");
      for (std::sregex_iterator it(cols[3].begin(), cols[3].end(), file_re), end; it != end; ++it)
        if (std::find(want.begin(), want.end(), it->str()) == want.end()) want.push_back(it->str());
      ASSERT_EQ(entries.size(), want.size()) << cols[0];
      for (const auto& [name, data] : entries) {
        EXPECT_NE(std::find(want.begin(), want.end(), name), want.end()) << cols[0] << ": " << name;
        EXPECT_EQ(data, testing::ReadFileOrDie(EventLogs("spark-2.4-tests") / name)) << name;
      }
      ++checked;
      continue;
    }
    if (cols[3] != "(not checked)") {
      EXPECT_EQ(r.body, cols[3]) << cols[0];
    }
    ++checked;
  }
  EXPECT_EQ(checked, 9);
}

}  // namespace
}  // namespace sparkmedic
