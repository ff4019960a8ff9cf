// The HTTP transport of the REST API (cpp-httplib): read-only GET under /api/v1/.
#ifndef SPARKMEDIC_FRONTENDS_SERVER_HTTP_SERVER_H_
#define SPARKMEDIC_FRONTENDS_SERVER_HTTP_SERVER_H_

#include <memory>
#include <string>

#include "sparkmedic/rest_api.h"

namespace sparkmedic::server {

class RestHttpServer {
 public:
  // `catalog` must outlive the server.
  explicit RestHttpServer(const AppCatalog& catalog);
  ~RestHttpServer();
  RestHttpServer(const RestHttpServer&) = delete;
  RestHttpServer& operator=(const RestHttpServer&) = delete;

  // Binds host:port (port 0: an ephemeral port). Returns the bound port, or -1.
  int Bind(const std::string& host, int port);
  // Serves until Stop(); call after a successful Bind.
  bool Serve();
  void Stop();
  bool IsRunning() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// True for a path segment a request may carry (ids, endpoint names): [A-Za-z0-9._-]+, not
// "." or "..".
bool SafeSegment(const std::string& s);

}  // namespace sparkmedic::server

#endif  // SPARKMEDIC_FRONTENDS_SERVER_HTTP_SERVER_H_
