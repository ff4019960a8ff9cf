#include "frontends/server/http_server.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

// Debian's cpp-httplib is built with OpenSSL (its pkg-config flags define this too); the
// declarations must match the library's, so define it wherever httplib.h is included.
#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
#define CPPHTTPLIB_OPENSSL_SUPPORT
#endif
#include <httplib.h>
#include <netdb.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>

#include "frontends/server/rest_cache.h"
#include "frontends/server/rest_internal.h"

namespace sparkmedic::server {
namespace {

using Digest = std::array<unsigned char, 32>;

Digest Sha256(std::string_view s) {
  Digest d{};
  unsigned int len = 0;
  EVP_Digest(s.data(), s.size(), d.data(), &len, EVP_sha256(), nullptr);
  return d;
}

// The credentials of an "Authorization" value if its scheme is Bearer (any case), else "".
std::string_view BearerCredentials(std::string_view v) {
  constexpr std::string_view kScheme = "bearer";
  if (v.size() <= kScheme.size()) return {};
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(v[i])) != kScheme[i]) return {};
  }
  v.remove_prefix(kScheme.size());
  if (v.front() != ' ') return {};
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  return v;
}

bool HasSpaceOrControl(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return true;
  }
  return false;
}

// OpenSSL's queued errors, oldest first, "; "-separated (and the queue cleared).
std::string OpenSslErrors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    std::array<char, 256> buf;
    ERR_error_string_n(e, buf.data(), buf.size());
    if (!out.empty()) out += "; ";
    out += buf.data();
  }
  return out.empty() ? "unknown OpenSSL error" : out;
}

Status CheckReadable(const std::string& path, const char* what) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    return Status::InvalidArgument(
        fmt::format("cannot read the TLS {} {}: {}", what, path, std::strerror(errno)));
  }
  std::fclose(f);
  return Status::Ok();
}

// Refuses to prompt on the terminal for a key's pass phrase: encrypted keys fail to load.
int NoPassphrase(char*, int, int, void*) { return 0; }

}  // namespace

bool AcceptsGzip(std::string_view accept_encoding) {
  auto trim = [](std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    return v;
  };
  auto lower = [](std::string_view v) {
    std::string out(v);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  // The weight of each coding: 1 unless a "q" parameter says otherwise; a q that is not a
  // number counts as 0 (the element is ignored).
  int gzip = -1, any = -1;  // weight in thousandths; -1: not listed
  std::string_view rest = accept_encoding;
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view element = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    size_t semi = element.find(';');
    std::string coding = lower(trim(element.substr(0, semi)));
    int weight = 1000;
    std::string_view params =
        semi == std::string_view::npos ? std::string_view() : element.substr(semi + 1);
    while (!params.empty()) {
      size_t next = params.find(';');
      std::string param = lower(trim(params.substr(0, next)));
      params = next == std::string_view::npos ? std::string_view() : params.substr(next + 1);
      if (param.rfind("q=", 0) != 0) continue;
      std::string_view q = std::string_view(param).substr(2);
      // qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
      weight = 0;
      if (q.empty() || (q[0] != '0' && q[0] != '1') || (q.size() > 1 && q[1] != '.') ||
          q.size() > 5) {
        break;
      }
      int w = (q[0] - '0') * 1000, scale = 100;
      bool ok = true;
      for (size_t i = 2; i < q.size(); ++i, scale /= 10) {
        if (q[i] < '0' || q[i] > '9') ok = false;
        w += (q[i] - '0') * scale;
      }
      weight = ok && w <= 1000 ? w : 0;
      break;
    }
    if (coding == "gzip" || coding == "x-gzip") gzip = std::max(gzip, weight);
    if (coding == "*") any = weight;
  }
  return gzip >= 0 ? gzip > 0 : any > 0;
}

bool SafeSegment(const std::string& s) {
  if (s.empty() || s == "." || s == ".." || s.size() > 256) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

struct RestHttpServer::Impl {
  std::unique_ptr<httplib::Server> server;
  bool tls = false;
  bool need_token = false;
  Digest token_digest{};
  int listen_fd = -1;  // the listening socket, once bound
};

RestHttpServer::RestHttpServer(const AppCatalog& catalog) {
  // Without TLS and token, Create cannot fail.
  Result<std::unique_ptr<RestHttpServer>> made = Create(catalog, HttpOptions{});
  impl_ = std::move((*made)->impl_);
}

RestHttpServer::RestHttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<RestHttpServer>> RestHttpServer::Create(const AppCatalog& catalog,
                                                               const HttpOptions& options) {
  auto impl = std::make_unique<Impl>();
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    return Status::InvalidArgument("TLS needs both a certificate and a key file");
  }
  if (!options.bearer_token.empty()) {
    if (HasSpaceOrControl(options.bearer_token)) {
      return Status::InvalidArgument("the bearer token holds whitespace or control characters");
    }
    impl->need_token = true;
    impl->token_digest = Sha256(options.bearer_token);
  }
  if (!options.tls_cert_file.empty()) {
    SPARKMEDIC_RETURN_IF_ERROR(CheckReadable(options.tls_cert_file, "certificate"));
    SPARKMEDIC_RETURN_IF_ERROR(CheckReadable(options.tls_key_file, "key"));
    std::string error;
    const std::string& cert = options.tls_cert_file;
    const std::string& key = options.tls_key_file;
    ERR_clear_error();
    auto ssl = std::make_unique<httplib::SSLServer>([&](SSL_CTX& ctx) {
      SSL_CTX_set_options(&ctx, SSL_OP_NO_COMPRESSION);
      SSL_CTX_set_min_proto_version(&ctx, TLS1_2_VERSION);
      SSL_CTX_set_default_passwd_cb(&ctx, NoPassphrase);
      if (SSL_CTX_use_certificate_chain_file(&ctx, cert.c_str()) != 1) {
        error = fmt::format("cannot load the TLS certificate {} (PEM expected): {}", cert,
                            OpenSslErrors());
        return false;
      }
      if (SSL_CTX_use_PrivateKey_file(&ctx, key.c_str(), SSL_FILETYPE_PEM) != 1) {
        // OpenSSL compares the key with the certificate while loading it.
        bool mismatch = ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH;
        error = mismatch ? fmt::format("the TLS key {} does not match the certificate {}: {}", key,
                                       cert, OpenSslErrors())
                         : fmt::format(
                               "cannot load the TLS key {} (an unencrypted PEM key "
                               "expected): {}",
                               key, OpenSslErrors());
        return false;
      }
      if (SSL_CTX_check_private_key(&ctx) != 1) {
        error = fmt::format("the TLS key {} does not match the certificate {}: {}", key, cert,
                            OpenSslErrors());
        return false;
      }
      return true;
    });
    if (!ssl->is_valid()) {
      if (error.empty()) error = "cannot set up TLS: " + OpenSslErrors();
      return Status::InvalidArgument(std::move(error));
    }
    impl->server = std::move(ssl);
    impl->tls = true;
  } else {
    impl->server = std::make_unique<httplib::Server>();
  }

  httplib::Server& s = *impl->server;
  s.set_read_timeout(10, 0);
  s.set_write_timeout(60, 0);
  s.set_keep_alive_max_count(100);
  s.set_keep_alive_timeout(5);
  // PERF NOTES (bench/serve_load.sh, 64 connections, docs/performance.md): httplib serves a
  // keep-alive connection on one pool thread for up to 100 requests. With its default 8
  // threads, 56 of 64 connections waited their turn (taskList p50 0.7 ms, p99 0.35-3.9 s);
  // one thread per connection removes that queue. Debian's libcpp-httplib listens with a
  // backlog of 5: the reconnects after every 100th answer overflowed it, and a handshake
  // dropped that way stalls the connection's next request for a SYN-ACK retransmission
  // (1 s, 3 s, ...; p99 0.4-1.7 s). Bind listens again with SOMAXCONN (Linux updates the
  // backlog of a listening socket). Both: p99 6.7-7.8 ms at 15-17k answers/s.
  s.new_task_queue = [] { return new httplib::ThreadPool(64); };
  // httplib writes the headers and then the body in separate sends. With Nagle's algorithm a
  // body shorter than a segment waits for the ACK of the headers, which the client delays
  // (40 ms on Linux): gzipped taskList pages (11 KB) had p50 44 ms. Accepted sockets inherit
  // TCP_NODELAY from the listening one.
  s.set_tcp_nodelay(true);
  Impl* raw = impl.get();
  s.set_socket_options([raw](socket_t sock) {
    // SO_REUSEADDR (a restart may bind while old connections linger in TIME_WAIT), not
    // httplib's default SO_REUSEPORT: with it a second `serve` on the same port started
    // without an error and the kernel split the connections between the two.
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    raw->listen_fd = sock;
  });
  s.set_payload_max_length(4096);  // GET only: bodies are never read
  if (impl->need_token) {
    const Digest want = impl->token_digest;
    s.set_pre_routing_handler([want](const httplib::Request& req, httplib::Response& res) {
      const std::string header = req.get_header_value("Authorization");
      std::string_view got = BearerCredentials(header);
      Digest d = Sha256(got);
      if (!got.empty() && CRYPTO_memcmp(d.data(), want.data(), d.size()) == 0) {
        return httplib::Server::HandlerResponse::Unhandled;
      }
      res.status = 401;
      res.set_header("WWW-Authenticate", "Bearer");
      res.set_content("401 Unauthorized: send \"Authorization: Bearer <token>\"\n",
                      "text/plain;charset=utf-8");
      return httplib::Server::HandlerResponse::Handled;
    });
  }
  const AppCatalog* cat = &catalog;
  s.Get(R"(/api/v1(/.*)?)", [cat](const httplib::Request& req, httplib::Response& res) {
    std::string path = req.path.substr(7);  // after "/api/v1"
    // Every segment must be a plain id or name: no traversal, no encoded separators.
    size_t i = 0;
    while (i < path.size()) {
      size_t j = path.find('/', i);
      if (j == std::string::npos) j = path.size();
      if (j > i && !SafeSegment(path.substr(i, j - i))) {
        res.status = 404;
        res.set_content("", "text/plain;charset=utf-8");
        return;
      }
      i = j + 1;
    }
    QueryParams q;
    for (const auto& [k, v] : req.params) q.emplace_back(k, v);
    std::shared_ptr<const RestAnswer> answer = HandleRestShared(*cat, path, q);
    const RestResponse& r = answer->response();
    res.status = r.status;
    for (const auto& [k, v] : r.headers) res.set_header(k.c_str(), v);
    const std::string* body = &r.body;
    if (answer->Compressible()) {
      res.set_header("Vary", "Accept-Encoding");
      if (AcceptsGzip(req.get_header_value("Accept-Encoding"))) {
        if (const std::string* gz = answer->Gzip()) {
          body = gz;
          res.set_header("Content-Encoding", "gzip");
        }
      }
    }
    if (body->empty()) {
      res.set_content("", r.content_type);
      return;
    }
    // PERF NOTES: the body is sent from the shared answer, not copied per request (a `stages`
    // answer of a 1M-task application is 3.9 MB, 185 KB gzipped; a copy per request halved
    // the answers per second). httplib leaves a content provider of known length as it is:
    // it gzips only bodies given by set_content (at its default level, on every request).
    res.set_content_provider(body->size(), r.content_type,
                             [answer, body](size_t offset, size_t length, httplib::DataSink& sink) {
                               return sink.write(body->data() + offset, length);
                             });
  });
  auto not_allowed = [](const httplib::Request&, httplib::Response& res) {
    res.status = 405;
    res.set_header("Allow", "GET, HEAD");
    res.set_content("read-only API: GET only\n", "text/plain;charset=utf-8");
  };
  s.Post(".*", not_allowed);
  s.Put(".*", not_allowed);
  s.Delete(".*", not_allowed);
  s.Patch(".*", not_allowed);
  return std::unique_ptr<RestHttpServer>(new RestHttpServer(std::move(impl)));
}

RestHttpServer::~RestHttpServer() {
  if (impl_) Stop();  // null only in a server whose Impl was moved out (constructor above)
}

Result<int> RestHttpServer::Bind(const std::string& host, int port) {
  errno = 0;
  int bound = port == 0 ? impl_->server->bind_to_any_port(host)
                        : (impl_->server->bind_to_port(host, port) ? port : -1);
  if (bound < 0) {
    const int err = errno;  // httplib's failed bind(2), before anything below changes it
    const std::string where = fmt::format("{}:{}", host, port);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    addrinfo* found = nullptr;
    if (int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &found); rc != 0) {
      return Status::InvalidArgument(
          fmt::format("cannot listen on {}: cannot resolve {}: {}; give an address of this machine "
                      "(127.0.0.1, 0.0.0.0 for every interface)",
                      where, host, ::gai_strerror(rc)));
    }
    ::freeaddrinfo(found);
    std::string hint;
    switch (err) {
      case EADDRINUSE:
        hint =
            "another process listens there (another sparkmedic serve, a History Server?): "
            "stop it or choose another port with --listen";
        break;
      case EADDRNOTAVAIL:
        hint =
            "that address is not one of this machine's: use 127.0.0.1, or 0.0.0.0 for "
            "every interface";
        break;
      case EACCES:
        hint = "ports below 1024 need privileges: choose a port from 1024 up with --listen";
        break;
      default:
        hint = "choose another address or port with --listen";
    }
    return Status::IOError(fmt::format("cannot listen on {}: {}; {}", where,
                                       err != 0 ? std::strerror(err) : "bind failed", hint));
  }
  if (impl_->listen_fd >= 0) ::listen(impl_->listen_fd, SOMAXCONN);
  return bound;
}

bool RestHttpServer::Serve() { return impl_->server->listen_after_bind(); }
void RestHttpServer::Stop() { impl_->server->stop(); }
bool RestHttpServer::IsRunning() const { return impl_->server->is_running(); }
bool RestHttpServer::tls() const { return impl_->tls; }

}  // namespace sparkmedic::server
