#include "frontends/server/rest_cache.h"

#include <cstring>
#include <exception>
#include <iterator>
#include <utility>

namespace sparkmedic::server {

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

RestResponse ResponseCache::GetOrCompute(const std::shared_ptr<const Application>& app,
                                         std::string_view key,
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
  if (id == 0) return *answer.get();  // kept, or being computed by another request

  Answer made;
  try {
    made = std::make_shared<const RestResponse>(compute());
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
    // What a kept answer costs: body, content type, key, and ~256 bytes of list node, index
    // entry and shared state.
    size_t size = made->body.size() + made->content_type.size() + full.size() + 256;
    if (made->status != 200 || size > budget_ / 4) {
      EraseLocked(it->second);
    } else {
      it->second->bytes = size;
      bytes_ += size;
      TrimLocked();
    }
  }
  return *made;
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
