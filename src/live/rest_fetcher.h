// One HTTP(S) connection to a Spark REST API with timeouts, retries and readable errors.
#ifndef SPARKMEDIC_LIVE_REST_FETCHER_H_
#define SPARKMEDIC_LIVE_REST_FETCHER_H_

#include <memory>
#include <string>
#include <string_view>

#include "sparkmedic/live_source.h"
#include "sparkmedic/status.h"

namespace sparkmedic::live {

// "http://host:4040", "https://host/prefix/" or ".../api/v1" split into the part cpp-httplib
// connects to and the path prefix put before "/api/v1/".
struct BaseUrl {
  std::string scheme_host_port;  // "http://host:4040"
  std::string prefix;            // "" or "/prefix" (no trailing slash)
};
Result<BaseUrl> ParseBaseUrl(std::string_view url);

// The outcome of one GET: a 2xx body, or an HTTP status with its body (status != 0), or a
// transport failure (status == 0) described in `error`.
struct FetchResult {
  int status = 0;
  std::string body;
  std::string content_type;
  std::string error;
};

class RestFetcher {
 public:
  RestFetcher(const BaseUrl& base, const LiveSourceOptions& options);
  ~RestFetcher();
  RestFetcher(const RestFetcher&) = delete;
  RestFetcher& operator=(const RestFetcher&) = delete;

  // GET prefix + "/api/v1/" + path, retried with backoff on transport errors, 429 and 5xx.
  FetchResult Get(const std::string& path);
  // The full URL of `path`, for messages.
  std::string UrlOf(const std::string& path) const;
  // A Status for a FetchResult that is not a 2xx answer: what went wrong and what to do.
  Status ErrorFor(const std::string& path, const FetchResult& r) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sparkmedic::live

#endif  // SPARKMEDIC_LIVE_REST_FETCHER_H_
