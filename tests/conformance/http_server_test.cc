// The HTTP transport: an ephemeral loopback port, GET /api/v1/version and one application.
#include "frontends/server/http_server.h"

#include <thread>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <zlib.h>

#include "sparkmedic/rest_api.h"
#include "sparkmedic/token_file.h"

#include "frontends/server/rest_cache.h"
#include "testutil.h"

namespace sparkmedic {
namespace {

TEST(RestHttpServer, ServesVersionAndOneApplication) {
  auto logs = testing::CorpusFile("eventlogs/spark-2.4-tests/local-1422981780767");
  if (!logs) GTEST_SKIP() << "corpus absent (set SPARKMEDIC_CORPUS_DIR)";
  auto cat = EventLogCatalog::Open({logs->string()}, {});
  ASSERT_TRUE(cat.ok()) << cat.status().ToString();
  server::RestHttpServer srv(**cat);
  auto bound = srv.Bind("127.0.0.1", 0);
  ASSERT_TRUE(bound.ok()) << bound.status().ToString();
  int port = *bound;
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

// A taken port is an error naming the cause and the way out (httplib's default SO_REUSEPORT
// let a second server share the port silently); so is an address that is not this machine's.
TEST(RestHttpServer, BindSaysWhyItCannotListen) {
  testing::ScratchDir dir;
  auto cat = EventLogCatalog::Open({dir.path().string()}, {});
  ASSERT_TRUE(cat.ok()) << cat.status().ToString();
  server::RestHttpServer first(**cat);
  auto port = first.Bind("127.0.0.1", 0);
  ASSERT_TRUE(port.ok()) << port.status().ToString();
  server::RestHttpServer second(**cat);
  auto again = second.Bind("127.0.0.1", *port);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kIOError);
  EXPECT_NE(again.status().message().find("Address already in use"), std::string::npos)
      << again.status().message();
  EXPECT_NE(again.status().message().find("--listen"), std::string::npos);
  // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never an address of this machine.
  auto foreign = second.Bind("192.0.2.1", 0);
  ASSERT_FALSE(foreign.ok());
  EXPECT_NE(foreign.status().message().find("not one of this machine's"), std::string::npos)
      << foreign.status().message();
}

TEST(RestHttpServer, BearerTokenFileLosesOnlyItsLineBreak) {
  testing::ScratchDir dir;
  testing::WriteFileOrDie(dir / "crlf", "abc.DEF-123_~+/=\r\n");
  auto t = ReadBearerTokenFile((dir / "crlf").string());
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(*t, "abc.DEF-123_~+/=");
  testing::WriteFileOrDie(dir / "spaces", "two words\n");
  t = ReadBearerTokenFile((dir / "spaces").string());
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
  testing::WriteFileOrDie(dir / "empty", "\r\n\n");
  t = ReadBearerTokenFile((dir / "empty").string());
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("empty"), std::string::npos);
  t = ReadBearerTokenFile((dir / "absent").string());
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

// RFC 9110 section 12.5.3: codings are case-insensitive, "x-gzip" is gzip, q=0 refuses a
// coding, "*" stands for every coding not listed, and an unparseable weight counts as 0.
TEST(AcceptsGzip, FollowsTheWeightsOfAcceptEncoding) {
  EXPECT_FALSE(server::AcceptsGzip(""));
  EXPECT_TRUE(server::AcceptsGzip("gzip"));
  EXPECT_TRUE(server::AcceptsGzip("GZip"));
  EXPECT_TRUE(server::AcceptsGzip("x-gzip"));
  EXPECT_TRUE(server::AcceptsGzip("gzip, deflate, br"));  // Python requests, browsers
  EXPECT_TRUE(server::AcceptsGzip("deflate, gzip;q=1.0, *;q=0.5"));
  EXPECT_TRUE(server::AcceptsGzip("br;q=1.0, gzip ; q=0.001"));
  EXPECT_FALSE(server::AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(server::AcceptsGzip("gzip;q=0.000"));
  EXPECT_FALSE(server::AcceptsGzip("gzip;q=0, *"));  // listed beats "*"
  EXPECT_TRUE(server::AcceptsGzip("*"));
  EXPECT_TRUE(server::AcceptsGzip("identity;q=0.5, *;q=0.1"));
  EXPECT_FALSE(server::AcceptsGzip("*;q=0"));
  EXPECT_FALSE(server::AcceptsGzip("identity"));
  EXPECT_FALSE(server::AcceptsGzip("br, deflate"));
  EXPECT_FALSE(server::AcceptsGzip("gzipped"));
  EXPECT_FALSE(server::AcceptsGzip("gzip;q=2"));  // not a qvalue
  EXPECT_FALSE(server::AcceptsGzip("gzip;q=abc"));
  EXPECT_TRUE(server::AcceptsGzip("gzip;level=1;q=0.5"));  // other parameters are skipped
  EXPECT_TRUE(server::AcceptsGzip("gzip;q=0, x-gzip"));    // the higher of the two names
}

std::string Gunzip(const std::string& in) {
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
  std::string out(1 << 20, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  inflateEnd(&z);
  return out;
}

TEST(RestAnswer, GzipIsMadeOnceAndOnlyWhenItHelps) {
  RestResponse json;
  for (int i = 0; json.body.size() < 4096; ++i)
    json.body += "{\"stageId\" : " + std::to_string(i) + "},";
  server::RestAnswer a(json);
  ASSERT_TRUE(a.Compressible());
  const std::string* gz = a.Gzip();
  ASSERT_NE(gz, nullptr);
  EXPECT_EQ(a.Gzip(), gz);  // kept, not made again
  EXPECT_LT(gz->size(), json.body.size() / 4);
  EXPECT_EQ(Gunzip(*gz), json.body);

  RestResponse small;
  small.body = std::string(1023, 'a');
  EXPECT_FALSE(server::RestAnswer(small).Compressible());
  EXPECT_EQ(server::RestAnswer(small).Gzip(), nullptr);

  RestResponse zip;  // the /logs answer is compressed already
  zip.content_type = "application/octet-stream";
  zip.body = std::string(4096, 'a');
  EXPECT_EQ(server::RestAnswer(zip).Gzip(), nullptr);

  RestResponse noise;  // gzip would not make it smaller: sent as it is
  uint32_t x = 12345;
  for (int i = 0; i < 4096; ++i) {
    x = x * 1664525u + 1013904223u;
    noise.body.push_back(static_cast<char>(x >> 24));
  }
  server::RestAnswer n(noise);
  EXPECT_TRUE(n.Compressible());
  EXPECT_EQ(n.Gzip(), nullptr);
}

TEST(SafeSegment, RejectsTraversal) {
  EXPECT_TRUE(server::SafeSegment("app-20161116163331-0000"));
  EXPECT_FALSE(server::SafeSegment(".."));
  EXPECT_FALSE(server::SafeSegment("a/b"));
  EXPECT_FALSE(server::SafeSegment(""));
}

}  // namespace
}  // namespace sparkmedic
