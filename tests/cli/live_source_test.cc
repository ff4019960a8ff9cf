// Live sources: `sparkmedic diagnose|skew http://HOST:PORT` against a real `sparkmedic serve`.
//
// The expectation is independent of the REST path: the same command run on the event log
// itself. Serving a log and diagnosing it through HTTP must give the same findings, class by
// class, with the same counts, stages, executors, hosts, localisation, repetition, retry
// budget and skew — except what the REST API cannot carry (docs/live-sources.md): the times
// and counts of exclusion events, and structured-streaming queries.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

namespace sparkmedic {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string Binary() { return (testing::BinaryDir() / "src/frontends/cli/sparkmedic").string(); }
std::string Gen() { return (testing::BinaryDir() / "tools/gen_eventlog/sparkmedic-gen").string(); }

// A process started with argv, stderr to a file; killed when the object dies.
class Child {
 public:
  Child(const std::vector<std::string>& argv, const fs::path& err_file) {
    pid_ = ::fork();
    if (pid_ == 0) {
      std::FILE* f = std::freopen(err_file.c_str(), "w", stderr);
      (void)f;
      std::vector<char*> args;
      for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
  }
  ~Child() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int st = 0;
      ::waitpid(pid_, &st, 0);
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

 private:
  pid_t pid_ = -1;
};

// `sparkmedic serve` on an ephemeral loopback port; url() is empty when it did not start.
class Server {
 public:
  explicit Server(const std::vector<std::string>& dirs,
                  const std::vector<std::string>& extra = {}) {
    std::vector<std::string> argv = {Binary(), "serve", "--listen", "127.0.0.1:0"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    for (const std::string& d : dirs) {
      argv.push_back("--event-logs");
      argv.push_back(d);
    }
    err_ = scratch_ / "serve.err";
    child_ = std::make_unique<Child>(argv, err_);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      std::ifstream in(err_);
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      size_t at = text.find("http://");
      if (at == std::string::npos) at = text.find("https://");
      size_t end = at == std::string::npos ? at : text.find("/api/v1/", at);
      if (end != std::string::npos) {
        url_ = text.substr(at, end - at);
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  const std::string& url() const { return url_; }

 private:
  testing::ScratchDir scratch_;
  fs::path err_;
  std::unique_ptr<Child> child_;
  std::string url_;
};

json RunJson(const std::string& args, int* rc = nullptr) {
  std::string out;
  int status = testing::RunCommand(Binary() + " " + args + " 2>/dev/null", &out);
  if (rc) *rc = status;
  json j = json::parse(out, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(j.is_discarded()) << args << "\n" << out.substr(0, 500);
  return j;
}

// Diagnoses by (app id, attempt id), without what REST cannot say.
std::map<std::string, json> Comparable(json j, bool streaming) {
  std::map<std::string, json> out;
  json list = j.contains("diagnoses") ? j["diagnoses"] : json::array({j});
  for (json& d : list) {
    d["localisation"].erase("exclusions");
    if (streaming) {
      d.erase("streaming");
      d.erase("advice");
    }
    std::string key =
        d["app"]["id"].get<std::string>() + "/" +
        (d["app"]["attempt_id"].is_null() ? "" : d["app"]["attempt_id"].get<std::string>());
    out[key] = d;
  }
  return out;
}

std::vector<std::string> AppIds(const std::string& url) {
  std::string out;
  EXPECT_EQ(testing::RunCommand("curl -sf " + url + "/api/v1/applications", &out), 0);
  std::vector<std::string> ids;
  json apps = json::parse(out, nullptr, false);
  if (apps.is_array()) {
    for (const json& a : apps) ids.push_back(a["id"].get<std::string>());
  }
  return ids;
}

void ExpectSameFindings(const std::string& dir, const std::string& url, const std::string& app,
                        bool streaming, const std::string& extra = "") {
  int rc_file = 0, rc_live = 0;
  json file = RunJson("diagnose " + dir + " --app " + app + " --format json", &rc_file);
  json live = RunJson("diagnose " + url + " --app " + app + " --format json" + extra, &rc_live);
  EXPECT_EQ(rc_live, rc_file) << app;
  auto a = Comparable(file, streaming), b = Comparable(live, streaming);
  ASSERT_EQ(a.size(), b.size()) << app;
  for (const auto& [key, d] : a) {
    ASSERT_TRUE(b.count(key)) << key;
    for (auto it = d.begin(); it != d.end(); ++it) {
      EXPECT_EQ(b[key][it.key()], it.value()) << key << " field " << it.key();
    }
  }
}

TEST(LiveSource, CorpusLogsServedGiveTheSameFindingsAsTheLogs) {
  auto corpus = testing::CorpusDir();
  if (!corpus) GTEST_SKIP() << "corpus absent (set SPARKMEDIC_CORPUS_DIR to the shared corpus)";
  size_t compared = 0;
  for (const char* sub : {"rapids-profiling", "spark-2.4-tests", "spark-current-tests"}) {
    const std::string dir = (*corpus / "eventlogs" / sub).string();
    Server server({dir});
    ASSERT_FALSE(server.url().empty()) << sub;
    for (const std::string& app : AppIds(server.url())) {
      ExpectSameFindings(dir, server.url(), app, false);
      ++compared;
    }
  }
  EXPECT_GE(compared, 25u);
}

TEST(LiveSource, GeneratedScenariosServedGiveTheSameFindings) {
  testing::ScratchDir dir;
  const std::vector<std::string> scenarios = {
      "healthy", "mixed",   "deterministic-partition", "host-concentrated",   "fetch-retry",
      "skew",    "oom-k8s", "continuous-streaming",    "microbatch-streaming"};
  for (const std::string& s : scenarios) {
    ASSERT_EQ(testing::RunCommand(Gen() + " --scenario " + s + " --app-id spark-" + s + " -o " +
                                  (dir / ("spark-" + s)).string() + " >/dev/null"),
              0);
  }
  Server server({dir.path().string()});
  ASSERT_FALSE(server.url().empty());
  for (const std::string& s : scenarios) {
    ExpectSameFindings(dir.path().string(), server.url(), "spark-" + s,
                       s.find("streaming") != std::string::npos);
  }
  // Small pages: every taskList page is fetched (length 7 → hundreds of requests).
  ExpectSameFindings(dir.path().string(), server.url(), "spark-mixed", false,
                     " --page-size 7 --concurrency 3");
  // The skew command's own report, too.
  json file = RunJson("skew " + dir.path().string() + " --app spark-skew --format json");
  json live = RunJson("skew " + server.url() + " --app spark-skew --format json");
  EXPECT_EQ(live, file);
  EXPECT_GE(file.value("skewed_stages", 0), 1);  // the scenario's skewed stage was judged
}

TEST(LiveSource, OneApplicationIsChosenWithoutApp) {
  testing::ScratchDir dir;
  ASSERT_EQ(testing::RunCommand(Gen() + " --scenario mixed --app-id spark-only -o " +
                                (dir / "spark-only").string() + " >/dev/null"),
            0);
  Server server({dir.path().string()});
  ASSERT_FALSE(server.url().empty());
  int rc = 0;
  json live = RunJson("diagnose " + server.url() + " --format json", &rc);
  EXPECT_EQ(rc, 1);  // findings
  EXPECT_EQ(live["app"]["id"], "spark-only");
}

TEST(LiveSource, ErrorsSayWhatWentWrong) {
  testing::ScratchDir dir;
  for (const char* id : {"spark-a", "spark-b"}) {
    ASSERT_EQ(testing::RunCommand(Gen() + " --scenario healthy --app-id " + std::string(id) +
                                  " -o " + (dir / id).string() + " >/dev/null"),
              0);
  }
  Server server({dir.path().string()});
  ASSERT_FALSE(server.url().empty());
  std::string out;
  // Two applications and no --app: the ids are listed.
  EXPECT_EQ(testing::RunCommand(Binary() + " diagnose " + server.url() + " 2>&1", &out), 2);
  EXPECT_NE(out.find("pick one with --app"), std::string::npos) << out;
  EXPECT_NE(out.find("spark-a"), std::string::npos) << out;
  // An unknown application.
  EXPECT_EQ(testing::RunCommand(Binary() + " diagnose " + server.url() + " --app nope 2>&1", &out),
            2);
  EXPECT_NE(out.find("no application nope"), std::string::npos) << out;
  EXPECT_NE(out.find("spark-b"), std::string::npos) << out;
  // Nothing listening: a connection error after the retries, with what to check.
  EXPECT_EQ(testing::RunCommand(Binary() + " diagnose http://127.0.0.1:1 --retries 1 2>&1", &out),
            2);
  EXPECT_NE(out.find("cannot connect"), std::string::npos) << out;
  EXPECT_NE(out.find("after 2 tries"), std::string::npos) << out;
  EXPECT_NE(out.find("4040"), std::string::npos) << out;
  // Not a URL scheme we speak.
  EXPECT_EQ(testing::RunCommand(Binary() + " diagnose https://127.0.0.1:1 --retries 0 2>&1", &out),
            2);
}

TEST(LiveSource, AnHttpServerThatIsNotSparkIsNamed) {
  if (testing::RunCommand("python3 -c 'import http.server' 2>/dev/null") != 0) {
    GTEST_SKIP() << "python3 absent";
  }
  // A plain web server whose /api/v1/applications is an HTML page.
  testing::ScratchDir dir;
  fs::create_directories(dir / "api/v1");
  testing::WriteFileOrDie(dir / "api/v1/applications", "<html><body>Welcome</body></html>\n");
  testing::ScratchDir logs;
  Child web({"/usr/bin/python3", "-m", "http.server", "--bind", "127.0.0.1", "--directory",
             dir.path().string(), "18719"},
            logs / "web.err");
  std::string out;
  for (int i = 0; i < 100; ++i) {
    if (testing::RunCommand("curl -sf http://127.0.0.1:18719/api/v1/applications >/dev/null") == 0)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(testing::RunCommand(Binary() + " diagnose http://127.0.0.1:18719 2>&1", &out), 2);
  EXPECT_NE(out.find("not a Spark REST API answer"), std::string::npos) << out;
  EXPECT_NE(out.find("Welcome"), std::string::npos) << out;
}

TEST(LiveSource, HttpsWithABearerToken) {
  if (testing::RunCommand("command -v openssl >/dev/null") != 0) GTEST_SKIP() << "openssl absent";
  testing::ScratchDir dir;
  fs::create_directories(dir / "logs");
  ASSERT_EQ(testing::RunCommand(Gen() + " --scenario mixed --app-id spark-tls -o " +
                                (dir / "logs" / "spark-tls").string() + " >/dev/null"),
            0);
  const std::string cert = (dir / "cert.pem").string(), key = (dir / "key.pem").string();
  ASSERT_EQ(testing::RunCommand("openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "
                                "/CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout " +
                                key + " -out " + cert + " >/dev/null 2>&1"),
            0);
  testing::WriteFileOrDie(dir / "token", "s3cret-token\n");
  testing::WriteFileOrDie(dir / "wrong", "nope\n");
  Server server({(dir / "logs").string()},
                {"--token-file", (dir / "token").string(), "--tls-cert", cert, "--tls-key", key});
  ASSERT_FALSE(server.url().empty());
  std::string url = server.url();
  if (url.rfind("http://", 0) == 0) url = "https://" + url.substr(7);
  // The right token over verified TLS: the same findings as the log.
  ExpectSameFindings((dir / "logs").string(), url, "spark-tls", false,
                     " --ca-cert " + cert + " --token-file " + (dir / "token").string());
  std::string out;
  // A wrong token: 401, and the message says what to pass.
  EXPECT_EQ(testing::RunCommand(Binary() + " diagnose " + url + " --ca-cert " + cert +
                                    " --token-file " + (dir / "wrong").string() + " 2>&1",
                                &out),
            2);
  EXPECT_NE(out.find("401"), std::string::npos) << out;
  EXPECT_NE(out.find("--token-file"), std::string::npos) << out;
  // The certificate not trusted: a TLS error, not retried forever.
  EXPECT_EQ(testing::RunCommand(Binary() + " diagnose " + url + " --retries 0 --token-file " +
                                    (dir / "token").string() + " 2>&1",
                                &out),
            2);
  EXPECT_NE(out.find("--ca-cert"), std::string::npos) << out;
}

TEST(LiveSource, ASilentServerTimesOut) {
  // A socket that accepts connections (the kernel's backlog) but never answers.
  testing::ScratchDir logs;
  Child silent({"/usr/bin/python3", "-c",
                "import socket,time\ns=socket.socket()\ns.bind(('127.0.0.1',18720))\n"
                "s.listen(8)\ntime.sleep(60)\n"},
               logs / "silent.err");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  std::string out;
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(testing::RunCommand(Binary() + " diagnose http://127.0.0.1:18720 --timeout 0.5 "
                                           "--retries 1 2>&1",
                                &out),
            2);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_NE(out.find("after 2 tries"), std::string::npos) << out;
  EXPECT_GE(secs, 1.0);  // two 0.5 s timeouts
  EXPECT_LT(secs, 10.0);
}

}  // namespace
}  // namespace sparkmedic
