#include "frontends/server/rest_cache.h"

#include <cstring>
#include <exception>
#include <iterator>
#include <utility>

#include <zlib.h>

namespace sparkmedic::server {

bool RestAnswer::Compressible() const {
  const std::string& type = response_.content_type;
  bool text = type.rfind("application/json", 0) == 0 || type.rfind("text/", 0) == 0;
  return text && response_.body.size() >= 1024;
}

const std::string* RestAnswer::Gzip() const {
  if (!Compressible()) return nullptr;
  std::call_once(gzip_once_, [this] {
    const std::string& body = response_.body;
    if (body.size() > (size_t{1} << 31)) return;  // one deflate call takes at most 4 GiB
    z_stream z{};
    int level = body.size() <= (size_t{16} << 20) ? 6 : 1;
    // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
    if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return;
    std::string out(deflateBound(&z, static_cast<uLong>(body.size())), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(body.data()));
    z.avail_in = static_cast<uInt>(body.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    int rc = deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    if (rc != Z_STREAM_END || out.size() >= body.size()) return;
    out.shrink_to_fit();
    gzip_ = std::move(out);
    gzip_ok_ = true;
  });
  return gzip_ok_ ? &gzip_ : nullptr;
}

bool SameApplication(const std::weak_ptr<const Application>& owner,
                     const std::shared_ptr<const Application>& app) {
  std::shared_ptr<const Application> p = owner.lock();
  return p && p.get() == app.get() && !p.owner_before(app) && !app.owner_before(p);
}

ResponseCache::ResponseCache(size_t budget_bytes) : budget_(budget_bytes) {}

ResponseCache& ResponseCache::Shared() {
  static ResponseCache* cache = new ResponseCache(size_t{64} << 20);  // never destroyed
  return *cache;
}

void ResponseCache::EraseLocked(Lru::iterator it) {
  index_.erase(std::string_view(it->key));
  bytes_ -= it->bytes;
  lru_.erase(it);
}

void ResponseCache::TrimLocked() {
  // Answers of applications that are gone count against the budget like any other, so they
  // need not be found at once: a sweep every 256 answers kept frees them early.
  if (++kept_since_sweep_ >= 256) {
    kept_since_sweep_ = 0;
    for (auto it = lru_.begin(); it != lru_.end();) {
      auto next = std::next(it);
      if (it->owner.expired()) EraseLocked(it);
      it = next;
    }
  }
  while (bytes_ > budget_ && !lru_.empty()) EraseLocked(std::prev(lru_.end()));
}

std::shared_ptr<const RestAnswer> ResponseCache::GetOrCompute(
    const std::shared_ptr<const Application>& app, std::string_view key,
    const std::function<RestResponse()>& compute) {
  std::string full(sizeof(const Application*), '\0');
  const Application* ptr = app.get();
  std::memcpy(full.data(), &ptr, sizeof ptr);
  full.append(key);

  std::promise<Answer> promise;
  std::shared_future<Answer> answer;
  uint64_t id = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = index_.find(std::string_view(full));
    if (it != index_.end() && SameApplication(it->second->owner, app)) {
      lru_.splice(lru_.begin(), lru_, it->second);
      answer = it->second->answer;
    } else {
      if (it != index_.end()) EraseLocked(it->second);  // a dead application's answer
      answer = promise.get_future().share();
      id = next_id_++;
      lru_.push_front(Slot{app, full, answer, id, 0});
      index_.emplace(std::string_view(lru_.front().key), lru_.begin());
    }
  }
  if (id == 0) return answer.get();  // kept, or being computed by another request

  Answer made;
  try {
    made = std::make_shared<const RestAnswer>(compute());
  } catch (...) {
    promise.set_exception(std::current_exception());
    std::lock_guard<std::mutex> lock(mu_);
    auto it = index_.find(std::string_view(full));
    if (it != index_.end() && it->second->id == id) EraseLocked(it->second);
    throw;
  }
  promise.set_value(made);
  std::lock_guard<std::mutex> lock(mu_);
  // The slot may have been evicted (or replaced) meanwhile; then the answer is not kept.
  auto it = index_.find(std::string_view(full));
  if (it != index_.end() && it->second->id == id) {
    // What a kept answer costs: body and its gzip allowance, content type, key, and ~256
    // bytes of list node, index entry and shared state.
    const RestResponse& r = made->response();
    size_t size = r.body.size() + r.body.size() / 4 + r.content_type.size() + full.size() + 256;
    if (r.status != 200 || size > budget_ / 4) {
      EraseLocked(it->second);
    } else {
      it->second->bytes = size;
      bytes_ += size;
      TrimLocked();
    }
  }
  return made;
}

size_t ResponseCache::bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bytes_;
}

size_t ResponseCache::entries() const {
  std::lock_guard<std::mutex> lock(mu_);
  return lru_.size();
}

}  // namespace sparkmedic::server
