// `sparkmedic serve` as a process, queried with the real curl: bearer tokens, TLS with a
// certificate the real openssl CLI makes, rescans, and the refusals to start.
#include <chrono>
#include <filesystem>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

namespace sparkmedic {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string Binary() { return (testing::BinaryDir() / "src/frontends/cli/sparkmedic").string(); }

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

bool HaveTool(const std::string& name) {
  return testing::RunCommand("command -v " + name + " >/dev/null 2>&1") == 0;
}

// A `sparkmedic serve` child process on an ephemeral loopback port.
class ServeProcess {
 public:
  ~ServeProcess() { Stop(); }

  // Starts the server with `args` (plus --listen 127.0.0.1:0) and waits until it says where
  // it listens. False when it exited instead (exit_code() and log() say why).
  bool Start(const std::vector<std::string>& args, const fs::path& log_file) {
    log_file_ = log_file;
    std::vector<std::string> argv = {Binary(), "serve", "--listen", "127.0.0.1:0"};
    argv.insert(argv.end(), args.begin(), args.end());
    pid_ = ::fork();
    if (pid_ == 0) {
      FILE* err = std::freopen(log_file.c_str(), "w", stderr);
      FILE* out = std::freopen("/dev/null", "w", stdout);
      if (!err || !out) ::_exit(127);
      std::vector<char*> cargv;
      for (std::string& a : argv) cargv.push_back(a.data());
      cargv.push_back(nullptr);
      ::execv(cargv[0], cargv.data());
      ::_exit(127);
    }
    if (pid_ < 0) return false;
    static const std::regex serving(
        R"(serving \d+ applications on (https?)://127\.0\.0\.1:(\d+)/)");
    auto deadline = Clock::now() + std::chrono::seconds(20);
    while (Clock::now() < deadline) {
      std::smatch m;
      std::string text = log();
      if (std::regex_search(text, m, serving)) {
        scheme_ = m[1];
        port_ = std::stoi(m[2]);
        return true;
      }
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        pid_ = -1;
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  // Sends SIGTERM and returns the exit code (the server stops cleanly: 0).
  int Stop() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      pid_ = -1;
    }
    return exit_code_;
  }

  std::string log() const {
    std::error_code ec;
    return fs::exists(log_file_, ec) ? testing::ReadFileOrDie(log_file_) : std::string();
  }
  int port() const { return port_; }
  const std::string& scheme() const { return scheme_; }
  int exit_code() const { return exit_code_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string scheme_;
  int exit_code_ = -1;
  fs::path log_file_;
};

struct CurlResult {
  int exit_code = -1;  // curl's own (0: an HTTP answer came back)
  int http = 0;        // the status code, 0 when none
  std::string body;
  std::string headers;
};

// Runs the real curl with `options` against `url`.
CurlResult Curl(const std::string& options, const std::string& url, const fs::path& scratch) {
  CurlResult r;
  fs::path body = scratch / "curl-body", headers = scratch / "curl-headers";
  std::string out;
  r.exit_code = testing::RunCommand(
      fmt::format("curl -sS --max-time 10 -o {} -D {} -w '%{{http_code}}' {} {} 2>/dev/null",
                  Quote(body.string()), Quote(headers.string()), options, Quote(url)),
      &out);
  r.http = out.empty() ? 0 : std::atoi(out.c_str());
  std::error_code ec;
  if (fs::exists(body, ec)) r.body = testing::ReadFileOrDie(body);
  if (fs::exists(headers, ec)) r.headers = testing::ReadFileOrDie(headers);
  fs::remove(body, ec);
  fs::remove(headers, ec);
  return r;
}

std::string Url(const ServeProcess& p, const std::string& path) {
  return fmt::format("{}://127.0.0.1:{}/api/v1/{}", p.scheme(), p.port(), path);
}

// A finished log of one application with one job.
void WriteLog(const fs::path& path, const std::string& app_id) {
  testing::WriteFileOrDie(
      path,
      fmt::format("{{\"Event\":\"SparkListenerLogStart\",\"Spark Version\":\"3.5.1\"}}\n"
                  "{{\"Event\":\"SparkListenerApplicationStart\",\"App Name\":\"served\","
                  "\"App ID\":\"{}\",\"Timestamp\":1704067200000,\"User\":\"alice\"}}\n"
                  "{{\"Event\":\"SparkListenerJobStart\",\"Job ID\":0,\"Submission Time\":"
                  "1704067201000,\"Stage Infos\":[],\"Stage IDs\":[],\"Properties\":{{}}}}\n"
                  "{{\"Event\":\"SparkListenerApplicationEnd\",\"Timestamp\":1704070800000}}\n",
                  app_id));
}

#define SKIP_WITHOUT(tool) \
  if (!HaveTool(tool)) GTEST_SKIP() << tool " is not installed (scripts/install-deps.sh --tests)"

TEST(ServeBinary, BearerTokenIsRequiredOnEveryRequest) {
  SKIP_WITHOUT("curl");
  testing::ScratchDir dir;
  fs::create_directory(dir / "logs");
  WriteLog(dir / "logs" / "app-20240101000000-0001", "app-20240101000000-0001");
  testing::WriteFileOrDie(dir / "token", "s3cr3t-Token_42\n");  // the newline is not the token
  ServeProcess srv;
  ASSERT_TRUE(srv.Start({"--event-logs", (dir / "logs").string(), "--token-file",
                         (dir / "token").string(), "--poll-interval", "0"},
                        dir / "serve.log"))
      << srv.log();
  EXPECT_NE(srv.log().find("bearer token required"), std::string::npos) << srv.log();

  CurlResult none = Curl("", Url(srv, "version"), dir.path());
  EXPECT_EQ(none.exit_code, 0);
  EXPECT_EQ(none.http, 401);
  EXPECT_NE(none.headers.find("WWW-Authenticate: Bearer"), std::string::npos) << none.headers;
  EXPECT_EQ(none.body.find("3.5.1"), std::string::npos);

  for (const char* wrong : {"wrong", "s3cr3t-Token_4", "s3cr3t-Token_421", "S3CR3T-TOKEN_42"}) {
    CurlResult r = Curl(fmt::format("-H 'Authorization: Bearer {}'", wrong),
                        Url(srv, "applications"), dir.path());
    EXPECT_EQ(r.http, 401) << wrong;
    EXPECT_EQ(r.body.find("app-20240101000000-0001"), std::string::npos) << wrong;
  }
  CurlResult basic = Curl("-u 'user:s3cr3t-Token_42'", Url(srv, "version"), dir.path());
  EXPECT_EQ(basic.http, 401);

  CurlResult right = Curl("-H 'Authorization: Bearer s3cr3t-Token_42'",
                          Url(srv, "applications/app-20240101000000-0001/jobs"), dir.path());
  EXPECT_EQ(right.http, 200);
  auto jobs = nlohmann::json::parse(right.body);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0]["jobId"], 0);
  // The scheme name is case-insensitive (RFC 7235).
  EXPECT_EQ(
      Curl("-H 'Authorization: bearer s3cr3t-Token_42'", Url(srv, "version"), dir.path()).http,
      200);
  // Authorised but not a GET: still read-only.
  EXPECT_EQ(
      Curl("-d x -H 'Authorization: Bearer s3cr3t-Token_42'", Url(srv, "version"), dir.path()).http,
      405);
  EXPECT_EQ(srv.Stop(), 0);
}

TEST(ServeBinary, RefusesAnEmptyOrUnreadableTokenFile) {
  testing::ScratchDir dir;
  fs::create_directory(dir / "logs");
  testing::WriteFileOrDie(dir / "empty", "\n");
  ServeProcess empty;
  EXPECT_FALSE(empty.Start(
      {"--event-logs", (dir / "logs").string(), "--token-file", (dir / "empty").string()},
      dir / "empty.log"));
  EXPECT_EQ(empty.exit_code(), 2);
  EXPECT_NE(empty.log().find("token file is empty"), std::string::npos) << empty.log();

  ServeProcess missing;
  EXPECT_FALSE(missing.Start(
      {"--event-logs", (dir / "logs").string(), "--token-file", (dir / "nonexistent").string()},
      dir / "missing.log"));
  EXPECT_EQ(missing.exit_code(), 2);
  EXPECT_NE(missing.log().find("cannot read the token file"), std::string::npos) << missing.log();
  EXPECT_NE(missing.log().find("nonexistent"), std::string::npos) << missing.log();
}

// A self-signed certificate for 127.0.0.1 made by the openssl CLI; false when that fails.
bool MakeCertificate(const fs::path& cert, const fs::path& key, std::string* out) {
  return testing::RunCommand(
             fmt::format("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 "
                         "-nodes -keyout {} -out {} -days 2 -subj /CN=127.0.0.1 "
                         "-addext subjectAltName=IP:127.0.0.1 2>&1",
                         Quote(key.string()), Quote(cert.string())),
             out) == 0;
}

TEST(ServeBinary, ServesHttpsWithTheGivenCertificate) {
  SKIP_WITHOUT("curl");
  SKIP_WITHOUT("openssl");
  testing::ScratchDir dir;
  fs::create_directory(dir / "logs");
  WriteLog(dir / "logs" / "app-20240101000000-0001", "app-20240101000000-0001");
  std::string out;
  ASSERT_TRUE(MakeCertificate(dir / "cert.pem", dir / "key.pem", &out)) << out;
  testing::WriteFileOrDie(dir / "token", "tls-and-token");
  ServeProcess srv;
  ASSERT_TRUE(
      srv.Start({"--event-logs", (dir / "logs").string(), "--tls-cert", (dir / "cert.pem").string(),
                 "--tls-key", (dir / "key.pem").string(), "--token-file", (dir / "token").string()},
                dir / "serve.log"))
      << srv.log();
  ASSERT_EQ(srv.scheme(), "https");

  const std::string auth = "-H 'Authorization: Bearer tls-and-token'";
  const std::string cacert = "--cacert " + Quote((dir / "cert.pem").string());
  CurlResult ok = Curl(cacert + " " + auth, Url(srv, "applications"), dir.path());
  EXPECT_EQ(ok.exit_code, 0);
  ASSERT_EQ(ok.http, 200);
  auto apps = nlohmann::json::parse(ok.body);
  ASSERT_EQ(apps.size(), 1u);
  EXPECT_EQ(apps[0]["id"], "app-20240101000000-0001");
  EXPECT_EQ(apps[0]["attempts"][0]["completed"], true);
  // The token is still checked over TLS.
  EXPECT_EQ(Curl(cacert, Url(srv, "version"), dir.path()).http, 401);
  // Without the CA, curl refuses the self-signed certificate: it is the one served.
  CurlResult untrusted = Curl(auth, Url(srv, "version"), dir.path());
  EXPECT_NE(untrusted.exit_code, 0);
  EXPECT_EQ(untrusted.http, 0);
  // Plain HTTP to the TLS port gets no HTTP answer.
  CurlResult plain =
      Curl(auth, fmt::format("http://127.0.0.1:{}/api/v1/version", srv.port()), dir.path());
  EXPECT_NE(plain.exit_code, 0);
  EXPECT_NE(plain.http, 200);
  // ...and the server still answers HTTPS afterwards.
  EXPECT_EQ(Curl(cacert + " " + auth, Url(srv, "version"), dir.path()).http, 200);
  EXPECT_EQ(srv.Stop(), 0);
}

TEST(ServeBinary, RefusesTlsFilesThatDoNotLoad) {
  SKIP_WITHOUT("openssl");
  testing::ScratchDir dir;
  fs::create_directory(dir / "logs");
  std::string out;
  ASSERT_TRUE(MakeCertificate(dir / "cert.pem", dir / "key.pem", &out)) << out;
  ASSERT_TRUE(MakeCertificate(dir / "cert2.pem", dir / "key2.pem", &out)) << out;
  testing::WriteFileOrDie(dir / "garbage.pem", "not a certificate\n");
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::string logs = (dir / "logs").string();
  const std::vector<Case> cases = {
      {{"--tls-cert", (dir / "garbage.pem").string(), "--tls-key", (dir / "key.pem").string()},
       "cannot load the TLS certificate"},
      {{"--tls-cert", (dir / "cert.pem").string(), "--tls-key", (dir / "garbage.pem").string()},
       "cannot load the TLS key"},
      {{"--tls-cert", (dir / "cert.pem").string(), "--tls-key", (dir / "key2.pem").string()},
       "does not match the certificate"},
      {{"--tls-cert", (dir / "absent.pem").string(), "--tls-key", (dir / "key.pem").string()},
       "cannot read the TLS certificate"},
      {{"--tls-cert", (dir / "cert.pem").string()}, "--tls-key"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    ServeProcess srv;
    std::vector<std::string> args = {"--event-logs", logs};
    args.insert(args.end(), cases[i].args.begin(), cases[i].args.end());
    EXPECT_FALSE(srv.Start(args, dir / fmt::format("serve{}.log", i))) << i;
    EXPECT_EQ(srv.exit_code(), 2) << i;
    EXPECT_NE(srv.log().find(cases[i].message), std::string::npos) << i << ": " << srv.log();
  }
}

TEST(ServeBinary, NewLogsAppearWithoutRestart) {
  SKIP_WITHOUT("curl");
  testing::ScratchDir dir;
  fs::create_directory(dir / "logs");
  ServeProcess srv;
  ASSERT_TRUE(srv.Start({"--event-logs", (dir / "logs").string(), "--poll-interval", "0.1"},
                        dir / "serve.log"))
      << srv.log();
  EXPECT_NE(srv.log().find("rescanning every 0.1 s"), std::string::npos) << srv.log();
  EXPECT_EQ(Curl("", Url(srv, "applications"), dir.path()).body, "[ ]");
  WriteLog(dir / "logs" / "app-20240101000000-0002", "app-20240101000000-0002");
  auto deadline = Clock::now() + std::chrono::seconds(10);
  CurlResult r;
  do {
    r = Curl("", Url(srv, "applications/app-20240101000000-0002"), dir.path());
    if (r.http == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  } while (Clock::now() < deadline);
  ASSERT_EQ(r.http, 200) << r.body;
  EXPECT_EQ(nlohmann::json::parse(r.body)["name"], "served");
}

// Bodies of 1 KiB or more go gzipped to clients that ask (as Spark's own UI server wraps its
// handlers in Jetty's GzipHandler), once, with the length of what is sent; small answers and
// clients that do not ask get the plain text. The real gzip and curl decode them.
TEST(ServeBinary, GzipsLargeAnswersForClientsThatAskForIt) {
  SKIP_WITHOUT("curl");
  SKIP_WITHOUT("gzip");
  SPARKMEDIC_CORPUS_FILE_OR_SKIP(log, "eventlogs/spark-2.4-tests/local-1422981780767");
  testing::ScratchDir dir;
  ServeProcess srv;
  ASSERT_TRUE(srv.Start({"--event-logs", log.string(), "--poll-interval", "0"}, dir / "serve.log"))
      << srv.log();
  const std::string url = Url(srv, "applications/local-1422981780767/stages");
  auto count = [](const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  };

  CurlResult plain = Curl("", url, dir.path());
  ASSERT_EQ(plain.http, 200);
  ASSERT_GE(plain.body.size(), 1024u);
  EXPECT_EQ(nlohmann::json::parse(plain.body).size(), 4u);  // the log's four stages
  EXPECT_EQ(count(plain.headers, "Content-Encoding"), 0u) << plain.headers;
  EXPECT_EQ(count(plain.headers, "Vary: Accept-Encoding"), 1u) << plain.headers;

  for (const char* accept : {"gzip", "gzip, deflate, br", "*"}) {
    CurlResult gz = Curl(fmt::format("-H 'Accept-Encoding: {}'", accept), url, dir.path());
    ASSERT_EQ(gz.http, 200) << accept;
    EXPECT_EQ(count(gz.headers, "Content-Encoding"), 1u) << accept << "\n" << gz.headers;
    EXPECT_EQ(count(gz.headers, "Content-Encoding: gzip\r\n"), 1u) << gz.headers;
    EXPECT_NE(gz.headers.find(fmt::format("Content-Length: {}\r\n", gz.body.size())),
              std::string::npos)
        << gz.headers;
    EXPECT_LT(gz.body.size(), plain.body.size() / 4) << accept;
    testing::WriteFileOrDie(dir / "body.gz", gz.body);
    std::string decoded;
    ASSERT_EQ(testing::RunCommand("gzip -dc " + Quote((dir / "body.gz").string()), &decoded), 0);
    EXPECT_EQ(decoded, plain.body) << accept;
  }
  // curl's own decoding (it sends every coding it supports).
  CurlResult compressed = Curl("--compressed", url, dir.path());
  EXPECT_EQ(count(compressed.headers, "Content-Encoding: gzip"), 1u) << compressed.headers;
  EXPECT_EQ(compressed.body, plain.body);

  for (const char* refuse : {"gzip;q=0", "identity", "br", "*;q=0"}) {
    CurlResult r = Curl(fmt::format("-H 'Accept-Encoding: {}'", refuse), url, dir.path());
    EXPECT_EQ(r.http, 200) << refuse;
    EXPECT_EQ(count(r.headers, "Content-Encoding"), 0u) << refuse << "\n" << r.headers;
    EXPECT_EQ(r.body, plain.body) << refuse;
  }
  // Under 1 KiB: sent as it is.
  CurlResult small = Curl("-H 'Accept-Encoding: gzip'", Url(srv, "version"), dir.path());
  EXPECT_EQ(small.http, 200);
  EXPECT_EQ(count(small.headers, "Content-Encoding"), 0u) << small.headers;
  EXPECT_EQ(nlohmann::json::parse(small.body)["spark"], "3.5.1");
  EXPECT_EQ(srv.Stop(), 0);
}

TEST(ServeBinary, HelpNamesEveryOption) {
  std::string out;
  ASSERT_EQ(testing::RunCommand(Binary() + " serve --help 2>&1", &out), 0) << out;
  for (const char* opt : {"--event-logs", "--listen", "--cache", "--threads", "--poll-interval",
                          "--token-file", "--tls-cert", "--tls-key"}) {
    EXPECT_NE(out.find(opt), std::string::npos) << opt << "\n" << out;
  }
}

}  // namespace
}  // namespace sparkmedic
