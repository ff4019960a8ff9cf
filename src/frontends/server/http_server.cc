#include "frontends/server/http_server.h"

#include <httplib.h>

namespace sparkmedic::server {

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
  const AppCatalog& catalog;
  httplib::Server server;
  explicit Impl(const AppCatalog& c) : catalog(c) {}
};

RestHttpServer::RestHttpServer(const AppCatalog& catalog) : impl_(new Impl(catalog)) {
  httplib::Server& s = impl_->server;
  s.set_read_timeout(10, 0);
  s.set_write_timeout(60, 0);
  s.set_keep_alive_max_count(100);
  s.set_keep_alive_timeout(5);
  s.set_payload_max_length(4096);  // GET only: bodies are never read
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
    RestResponse r = HandleRest(*cat, path, q);
    res.status = r.status;
    for (const auto& [k, v] : r.headers) res.set_header(k.c_str(), v);
    res.set_content(r.body, r.content_type);
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
}

RestHttpServer::~RestHttpServer() { Stop(); }

int RestHttpServer::Bind(const std::string& host, int port) {
  if (port == 0) return impl_->server.bind_to_any_port(host);
  return impl_->server.bind_to_port(host, port) ? port : -1;
}

bool RestHttpServer::Serve() { return impl_->server.listen_after_bind(); }
void RestHttpServer::Stop() { impl_->server.stop(); }
bool RestHttpServer::IsRunning() const { return impl_->server.is_running(); }

}  // namespace sparkmedic::server
