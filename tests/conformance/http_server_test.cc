// The HTTP transport: an ephemeral loopback port, GET /api/v1/version and one application.
#include "frontends/server/http_server.h"

#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "sparkmedic/rest_api.h"

#include "testutil.h"

namespace sparkmedic {
namespace {

TEST(RestHttpServer, ServesVersionAndOneApplication) {
  auto logs = testing::CorpusFile("eventlogs/spark-2.4-tests/local-1422981780767");
  if (!logs) GTEST_SKIP() << "corpus absent (set SPARKMEDIC_CORPUS_DIR)";
  auto cat = EventLogCatalog::Open({logs->string()}, {});
  ASSERT_TRUE(cat.ok()) << cat.status().ToString();
  server::RestHttpServer srv(**cat);
  int port = srv.Bind("127.0.0.1", 0);
  ASSERT_GT(port, 0);
  std::thread t([&] { srv.Serve(); });
  httplib::Client cli("127.0.0.1", port);
  cli.set_connection_timeout(5, 0);
  cli.set_read_timeout(10, 0);
  auto v = cli.Get("/api/v1/version");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->status, 200);
  EXPECT_EQ(nlohmann::json::parse(v->body)["spark"], kRestSparkVersion);
  auto a = cli.Get("/api/v1/applications/local-1422981780767");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->status, 200);
  auto j = nlohmann::json::parse(a->body);
  EXPECT_EQ(j["id"], "local-1422981780767");
  EXPECT_EQ(j["attempts"].size(), 1u);
  auto jobs = cli.Get("/api/v1/applications/local-1422981780767/jobs/0");
  ASSERT_TRUE(jobs);
  EXPECT_EQ(jobs->status, 200);
  auto bad = cli.Get("/api/v1/applications/..%2F..%2Fetc/jobs");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 404);
  auto post = cli.Post("/api/v1/version", "x", "text/plain");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  srv.Stop();
  t.join();
}

TEST(RestHttpServer, BearerTokenFileLosesOnlyItsLineBreak) {
  testing::ScratchDir dir;
  testing::WriteFileOrDie(dir / "crlf", "abc.DEF-123_~+/=\r\n");
  auto t = server::ReadBearerTokenFile((dir / "crlf").string());
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(*t, "abc.DEF-123_~+/=");
  testing::WriteFileOrDie(dir / "spaces", "two words\n");
  t = server::ReadBearerTokenFile((dir / "spaces").string());
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
  testing::WriteFileOrDie(dir / "empty", "\r\n\n");
  t = server::ReadBearerTokenFile((dir / "empty").string());
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("empty"), std::string::npos);
  t = server::ReadBearerTokenFile((dir / "absent").string());
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kNotFound);
}

TEST(RestHttpServer, TlsNeedsBothFiles) {
  EventLogCatalog::Options opts;
  testing::ScratchDir dir;
  auto cat = EventLogCatalog::Open({dir.path().string()}, opts);
  ASSERT_TRUE(cat.ok());
  server::HttpOptions http;
  http.tls_cert_file = (dir / "cert.pem").string();
  auto srv = server::RestHttpServer::Create(**cat, http);
  ASSERT_FALSE(srv.ok());
  EXPECT_EQ(srv.status().code(), StatusCode::kInvalidArgument);
}

TEST(SafeSegment, RejectsTraversal) {
  EXPECT_TRUE(server::SafeSegment("app-20161116163331-0000"));
  EXPECT_FALSE(server::SafeSegment(".."));
  EXPECT_FALSE(server::SafeSegment("a/b"));
  EXPECT_FALSE(server::SafeSegment(""));
}

}  // namespace
}  // namespace sparkmedic
