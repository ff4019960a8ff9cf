// The HTTP transport of the REST API (cpp-httplib): read-only GET under /api/v1/, optionally
// over TLS and behind a bearer token.
#ifndef SPARKMEDIC_FRONTENDS_SERVER_HTTP_SERVER_H_
#define SPARKMEDIC_FRONTENDS_SERVER_HTTP_SERVER_H_

#include <memory>
#include <string>
#include <string_view>

#include "sparkmedic/rest_api.h"
#include "sparkmedic/status.h"

namespace sparkmedic::server {

struct HttpOptions {
  // Non-empty: every request must carry "Authorization: Bearer <bearer_token>" (the scheme
  // name in any case); others get 401 with "WWW-Authenticate: Bearer". Compared in constant
  // time (SHA-256 digests compared with CRYPTO_memcmp).
  std::string bearer_token;
  // Both set: serve HTTPS (TLS 1.2 or newer) with this PEM certificate chain and PEM private
  // key (not encrypted); both empty: plain HTTP.
  std::string tls_cert_file;
  std::string tls_key_file;
};

class RestHttpServer {
 public:
  // Plain HTTP without a token. `catalog` must outlive the server.
  explicit RestHttpServer(const AppCatalog& catalog);
  // A server with `options`. `catalog` must outlive the server.
  // Errors (kInvalidArgument, the message names the file and OpenSSL's reason): only one of
  // the TLS files given; a TLS file that cannot be read; a certificate or key that does not
  // load (not PEM, an encrypted key) or a key that does not match the certificate; a token
  // with whitespace or control characters.
  static Result<std::unique_ptr<RestHttpServer>> Create(const AppCatalog& catalog,
                                                        const HttpOptions& options);
  ~RestHttpServer();
  RestHttpServer(const RestHttpServer&) = delete;
  RestHttpServer& operator=(const RestHttpServer&) = delete;

  // Binds host:port (port 0: an ephemeral port) and returns the bound port. Errors say why
  // and what to do: kInvalidArgument when `host` does not resolve; kIOError when the socket
  // cannot be bound (in use, not a local address, a privileged port).
  Result<int> Bind(const std::string& host, int port);
  // Serves until Stop(); call after a successful Bind.
  bool Serve();
  void Stop();
  bool IsRunning() const;
  // True when serving HTTPS.
  bool tls() const;

 private:
  struct Impl;
  explicit RestHttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// True when an Accept-Encoding value (RFC 9110 12.5.3) accepts gzip: "gzip" or "x-gzip"
// with a weight above 0, or else "*" with a weight above 0. Answers of 1 KiB or more of JSON
// or text go gzipped to such clients (compressed once per kept answer), with
// "Vary: Accept-Encoding".
bool AcceptsGzip(std::string_view accept_encoding);

// True for a path segment a request may carry (ids, endpoint names): [A-Za-z0-9._-]+, not
// "." or "..".
bool SafeSegment(const std::string& s);

}  // namespace sparkmedic::server

#endif  // SPARKMEDIC_FRONTENDS_SERVER_HTTP_SERVER_H_
