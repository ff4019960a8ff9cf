// RestFetcher: GET with timeouts, bounded retries with exponential backoff, readable errors.
#include "live/rest_fetcher.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include <fmt/format.h>
#include <httplib.h>

namespace sparkmedic::live {

Result<BaseUrl> ParseBaseUrl(std::string_view url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    return Status::InvalidArgument(fmt::format("{}: not a URL; write http://HOST:PORT", url));
  }
  std::string_view scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") {
    return Status::InvalidArgument(fmt::format("{}: only http:// and https:// are supported", url));
  }
  std::string_view rest = url.substr(scheme_end + 3);
  size_t slash = rest.find('/');
  std::string_view host_port = rest.substr(0, slash);
  if (host_port.empty()) {
    return Status::InvalidArgument(fmt::format("{}: no host; write http://HOST:PORT", url));
  }
  std::string prefix(slash == std::string_view::npos ? std::string_view() : rest.substr(slash));
  size_t q = prefix.find_first_of("?#");
  if (q != std::string::npos) prefix.resize(q);
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  // Accept the API root itself ("http://host:18080/api/v1").
  constexpr std::string_view kApi = "/api/v1";
  if (prefix.size() >= kApi.size() &&
      std::string_view(prefix).substr(prefix.size() - kApi.size()) == kApi) {
    prefix.resize(prefix.size() - kApi.size());
  }
  BaseUrl b;
  b.scheme_host_port = fmt::format("{}://{}", scheme, host_port);
  b.prefix = std::move(prefix);
  return b;
}

struct RestFetcher::Impl {
  BaseUrl base;
  LiveSourceOptions options;
  std::unique_ptr<httplib::Client> client;
};

RestFetcher::RestFetcher(const BaseUrl& base, const LiveSourceOptions& options)
    : impl_(std::make_unique<Impl>()) {
  impl_->base = base;
  impl_->options = options;
  impl_->client = std::make_unique<httplib::Client>(base.scheme_host_port);
  httplib::Client& c = *impl_->client;
  const int ms = std::max(1, options.timeout_ms);
  c.set_connection_timeout(ms / 1000, (ms % 1000) * 1000);
  c.set_read_timeout(ms / 1000, (ms % 1000) * 1000);
  c.set_write_timeout(ms / 1000, (ms % 1000) * 1000);
  c.set_keep_alive(true);
  c.set_follow_location(true);
  if (!options.bearer_token.empty()) c.set_bearer_token_auth(options.bearer_token);
  if (!options.ca_cert_file.empty()) c.set_ca_cert_path(options.ca_cert_file);
  c.enable_server_certificate_verification(true);
  // Spark's UI server (driver and History Server) wraps every handler in Jetty's GzipHandler,
  // and so does `sparkmedic serve`: a 10,000-task page is ~10 MB of JSON and ~0.5 MB
  // gzipped. httplib decodes the answer (it is built with zlib).
  c.set_default_headers(
      {{"Accept", "application/json"}, {"Accept-Encoding", "gzip"}, {"User-Agent", "sparkmedic"}});
}

RestFetcher::~RestFetcher() = default;

std::string RestFetcher::UrlOf(const std::string& path) const {
  return impl_->base.scheme_host_port + impl_->base.prefix + "/api/v1/" + path;
}

namespace {

bool Retryable(const FetchResult& r) {
  return r.status == 0 || r.status == 429 || (r.status >= 500 && r.status <= 599);
}

std::string TransportError(httplib::Error e) {
  switch (e) {
    case httplib::Error::Connection:
      return "cannot connect";
    case httplib::Error::ConnectionTimeout:
      return "connection timed out";
    case httplib::Error::Read:
      return "the connection broke or no answer came in time";
    case httplib::Error::Write:
      return "the request could not be sent";
    case httplib::Error::SSLConnection:
      return "the TLS handshake failed";
    case httplib::Error::SSLLoadingCerts:
      return "the CA certificates could not be loaded";
    case httplib::Error::SSLServerVerification:
      return "the server's certificate is not trusted";
    case httplib::Error::ExceedRedirectCount:
      return "too many redirects";
    default:
      return "HTTP error " + httplib::to_string(e);
  }
}

}  // namespace

FetchResult RestFetcher::Get(const std::string& path) {
  const std::string full = impl_->base.prefix + "/api/v1/" + path;
  FetchResult r;
  int delay = std::max(1, impl_->options.backoff_ms);
  for (int attempt = 0;; ++attempt) {
    r = FetchResult();
    httplib::Result res = impl_->client->Get(full);
    if (!res) {
      r.error = TransportError(res.error());
    } else {
      r.status = res->status;
      r.body = std::move(res->body);
      r.content_type = res->get_header_value("Content-Type");
    }
    if (r.status >= 200 && r.status < 300) return r;
    if (!Retryable(r) || attempt >= impl_->options.retries) return r;
    // TLS set-up errors will not heal by retrying.
    if (res.error() == httplib::Error::SSLLoadingCerts ||
        res.error() == httplib::Error::SSLServerVerification) {
      return r;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    delay = std::min(delay * 2, 10000);
  }
}

Status RestFetcher::ErrorFor(const std::string& path, const FetchResult& r) const {
  const std::string url = UrlOf(path);
  const int tries = impl_->options.retries + 1;
  if (r.status == 0) {
    std::string hint =
        r.error.find("TLS") != std::string::npos || r.error.find("certificate") != std::string::npos
            ? "check the https URL, or pass --ca-cert with the server's CA certificate"
        : r.error.find("time") != std::string::npos
            ? "the server may be overloaded; raise --timeout, or check the address"
            : "is a Spark driver UI (port 4040) or History Server (port 18080) listening "
              "there and reachable from here?";
    return Status::IOError(fmt::format("{}: {} (after {} tries); {}", url, r.error, tries, hint));
  }
  std::string first_line = r.body.substr(0, std::min<size_t>(r.body.find('\n'), 200));
  if (r.status == 401 || r.status == 403) {
    return Status::InvalidArgument(
        fmt::format("{}: HTTP {} ({}); pass --token-file with a bearer token the server accepts",
                    url, r.status, first_line));
  }
  if (r.status == 404) {
    return Status::NotFound(
        fmt::format("{}: HTTP 404{}", url, first_line.empty() ? "" : " (" + first_line + ")"));
  }
  return Status::IOError(fmt::format("{}: HTTP {}{}{}", url, r.status,
                                     first_line.empty() ? "" : " (" + first_line + ")",
                                     r.status >= 500 ? fmt::format(" after {} tries", tries) : ""));
}

}  // namespace sparkmedic::live
