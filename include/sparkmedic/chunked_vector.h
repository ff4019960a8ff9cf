// ChunkedVector<T>: an append-only sequence stored in fixed chunks of 4096 elements.
//
// Why not std::vector: growing by doubling briefly holds twice the data and moves it. Why not
// std::deque: libstdc++ gives elements over 256 bytes nodes of one element each... and for
// TaskAttempt (256 bytes) a node of two, with a malloc header and a map slot per node: ~12
// bytes per task on a million tasks. Chunks of 4096 cost nothing per element, elements never
// move (references stay valid), and memory grows by one chunk at a time.
#ifndef SPARKMEDIC_CHUNKED_VECTOR_H_
#define SPARKMEDIC_CHUNKED_VECTOR_H_

#include <cstddef>
#include <iterator>
#include <memory>
#include <utility>
#include <vector>

namespace sparkmedic {

template <typename T, size_t kChunk = 4096>
class ChunkedVector {
 public:
  ChunkedVector() = default;
  // A moved-from vector is empty (its size goes with its chunks).
  ChunkedVector(ChunkedVector&& o) noexcept
      : chunks_(std::move(o.chunks_)), size_(std::exchange(o.size_, 0)) {
    o.chunks_.clear();
  }
  ChunkedVector& operator=(ChunkedVector&& o) noexcept {
    if (this != &o) {
      clear();
      chunks_ = std::move(o.chunks_);
      o.chunks_.clear();
      size_ = std::exchange(o.size_, 0);
    }
    return *this;
  }
  ChunkedVector(const ChunkedVector&) = delete;
  ChunkedVector& operator=(const ChunkedVector&) = delete;
  ~ChunkedVector() { clear(); }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // REQUIRES: i < size()
  T& operator[](size_t i) { return chunks_[i / kChunk][i % kChunk]; }
  const T& operator[](size_t i) const { return chunks_[i / kChunk][i % kChunk]; }
  T& back() { return (*this)[size_ - 1]; }
  const T& back() const { return (*this)[size_ - 1]; }

  template <typename... Args>
  T& emplace_back(Args&&... args) {
    if (size_ % kChunk == 0) {
      chunks_.emplace_back(static_cast<T*>(::operator new(sizeof(T) * kChunk)));
    }
    T* slot = chunks_.back() + size_ % kChunk;
    new (slot) T(std::forward<Args>(args)...);
    ++size_;
    return *slot;
  }
  void push_back(T v) { emplace_back(std::move(v)); }

  void clear() {
    for (size_t i = 0; i < size_; ++i) (*this)[i].~T();
    for (T* c : chunks_) ::operator delete(c);
    chunks_.clear();
    size_ = 0;
  }

  template <typename Ref, typename Owner>
  class Iter {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = std::remove_reference_t<Ref>*;
    using reference = Ref;
    Iter() = default;
    Iter(Owner* v, size_t i) : v_(v), i_(i) {}
    Ref operator*() const { return (*v_)[i_]; }
    pointer operator->() const { return &(*v_)[i_]; }
    Ref operator[](difference_type n) const { return (*v_)[i_ + n]; }
    Iter& operator++() {
      ++i_;
      return *this;
    }
    Iter operator++(int) {
      Iter t = *this;
      ++i_;
      return t;
    }
    Iter& operator--() {
      --i_;
      return *this;
    }
    Iter operator--(int) {
      Iter t = *this;
      --i_;
      return t;
    }
    Iter& operator+=(difference_type n) {
      i_ += n;
      return *this;
    }
    Iter& operator-=(difference_type n) {
      i_ -= n;
      return *this;
    }
    Iter operator+(difference_type n) const { return Iter(v_, i_ + n); }
    Iter operator-(difference_type n) const { return Iter(v_, i_ - n); }
    difference_type operator-(const Iter& o) const {
      return static_cast<difference_type>(i_) - static_cast<difference_type>(o.i_);
    }
    bool operator==(const Iter& o) const { return i_ == o.i_; }
    bool operator!=(const Iter& o) const { return i_ != o.i_; }
    bool operator<(const Iter& o) const { return i_ < o.i_; }
    bool operator>(const Iter& o) const { return i_ > o.i_; }
    bool operator<=(const Iter& o) const { return i_ <= o.i_; }
    bool operator>=(const Iter& o) const { return i_ >= o.i_; }

   private:
    Owner* v_ = nullptr;
    size_t i_ = 0;
  };
  using iterator = Iter<T&, ChunkedVector>;
  using const_iterator = Iter<const T&, const ChunkedVector>;
  iterator begin() { return iterator(this, 0); }
  iterator end() { return iterator(this, size_); }
  const_iterator begin() const { return const_iterator(this, 0); }
  const_iterator end() const { return const_iterator(this, size_); }

 private:
  std::vector<T*> chunks_;
  size_t size_ = 0;
};

}  // namespace sparkmedic

#endif  // SPARKMEDIC_CHUNKED_VECTOR_H_
