// Memoisation for the REST router: answers and derived data of loaded applications.
//
// A loaded Application never changes (catalogs hand out shared_ptr<const Application>, and a
// log that changed is loaded into a new object), so whatever is computed from one stays right
// for as long as it lives. Both tables below are keyed by the application's identity — its
// address and its shared_ptr control block, held through a weak_ptr so that a new application
// at a reused address is never taken for a dead one — and let go of what belongs to
// applications that are gone.
#ifndef SPARKMEDIC_FRONTENDS_SERVER_REST_CACHE_H_
#define SPARKMEDIC_FRONTENDS_SERVER_REST_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sparkmedic/model.h"
#include "sparkmedic/rest_api.h"

namespace sparkmedic::server {

// True when `owner` still refers to `app` (same object, same control block).
bool SameApplication(const std::weak_ptr<const Application>& owner,
                     const std::shared_ptr<const Application>& app);

// One answer of the router, shared by every request that gets it (no copy of the body per
// request), with its gzip form made on first demand and kept with it.
class RestAnswer {
 public:
  explicit RestAnswer(RestResponse response) : response_(std::move(response)) {}
  RestAnswer(const RestAnswer&) = delete;
  RestAnswer& operator=(const RestAnswer&) = delete;

  const RestResponse& response() const { return response_; }

  // True when the body is worth compressing: 1 KiB or more of JSON or text (smaller bodies
  // fit a packet anyway; the /logs zip is compressed already).
  bool Compressible() const;
  // The body as a gzip member (RFC 1952), made once (level 6 up to 16 MiB of body, level 1
  // above) and kept; null when not Compressible() or when gzip would not make it smaller.
  // Thread-safe.
  const std::string* Gzip() const;

 private:
  RestResponse response_;
  mutable std::once_flag gzip_once_;
  mutable std::string gzip_;
  mutable bool gzip_ok_ = false;
};

// Successful answers (status 200) of the endpoints below an application, keyed by the
// application and the request (endpoint, path segments, query parameters in order).
//
// PERF NOTES: a 64-connection load on one URL asks the router for the same answer thousands
// of times a second; `stages` of a 1M-task application takes ~200 ms to compute and is 4 MB
// of text. Answers are kept in an LRU bounded by body bytes (RSS stays flat however many URLs
// are asked), and concurrent requests for an answer not there yet compute it once: the others
// wait for it instead of running the same computation on every connection at once.
class ResponseCache {
 public:
  // `budget_bytes`: bytes of answers kept (bodies and bookkeeping); an answer over a quarter of
  // that is never kept.
  explicit ResponseCache(size_t budget_bytes);
  ResponseCache(const ResponseCache&) = delete;
  ResponseCache& operator=(const ResponseCache&) = delete;

  // The router's cache: 64 MiB of bodies.
  static ResponseCache& Shared();

  // The answer for (app, key): the kept one, or compute()'s (kept when its status is 200 and
  // it fits). An exception from compute() reaches every caller waiting for that answer.
  // A kept answer is charged its body and a quarter of it again for its gzip form (the REST
  // API's JSON compresses 5-20x).
  std::shared_ptr<const RestAnswer> GetOrCompute(const std::shared_ptr<const Application>& app,
                                                 std::string_view key,
                                                 const std::function<RestResponse()>& compute);

  size_t bytes() const;    // bytes of answers kept
  size_t entries() const;  // answers kept or being computed

 private:
  using Answer = std::shared_ptr<const RestAnswer>;
  struct Slot {
    std::weak_ptr<const Application> owner;
    std::string key;  // the index key: application address + request
    std::shared_future<Answer> answer;
    uint64_t id = 0;   // tells a slot from a later one with the same key
    size_t bytes = 0;  // 0 while being computed
  };
  using Lru = std::list<Slot>;
  void EraseLocked(Lru::iterator it);
  // Drops the least recently used answers until the kept bytes fit the budget (and, now and
  // then, the answers of applications that are gone).
  void TrimLocked();

  const size_t budget_;
  mutable std::mutex mu_;
  Lru lru_;                                                    // most recently used first
  std::unordered_map<std::string_view, Lru::iterator> index_;  // views into Slot::key
  size_t bytes_ = 0;
  uint64_t next_id_ = 1;
  int kept_since_sweep_ = 0;
};

// One T per live application, made by T(const Application&) on first use and shared by every
// request for that application; dropped once the application is gone. T must be thread-safe.
template <typename T>
class PerApplication {
 public:
  std::shared_ptr<T> Get(const std::shared_ptr<const Application>& app) {
    std::lock_guard<std::mutex> lock(mu_);
    std::shared_ptr<T> found;
    for (auto it = entries_.begin(); it != entries_.end();) {
      if (it->owner.expired()) {
        it = entries_.erase(it);
        continue;
      }
      if (SameApplication(it->owner, app)) found = it->value;
      ++it;
    }
    if (!found) {
      found = std::make_shared<T>(*app);
      entries_.push_back(Entry{app, found});
    }
    return found;
  }

 private:
  struct Entry {
    std::weak_ptr<const Application> owner;
    std::shared_ptr<T> value;
  };
  std::mutex mu_;
  std::vector<Entry> entries_;  // one per loaded application: a handful
};

}  // namespace sparkmedic::server

#endif  // SPARKMEDIC_FRONTENDS_SERVER_REST_CACHE_H_
