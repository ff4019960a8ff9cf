// Deterministic pseudo-random numbers for the event-log generator.
//
// xoshiro256** seeded through splitmix64. Only integer arithmetic decides the stream, so the
// same seed gives the same sequence on every platform; doubles come from the top 53 bits.
// Thread-safety: an Rng is a plain value; do not share one between threads.
#ifndef SPARKMEDIC_TOOLS_GEN_EVENTLOG_RNG_H_
#define SPARKMEDIC_TOOLS_GEN_EVENTLOG_RNG_H_

#include <cmath>
#include <cstdint>

namespace sparkmedic::gen {

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    uint64_t x = seed;
    for (uint64_t& s : s_) s = SplitMix(x);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n). Returns 0 when n == 0.
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
  }
  // Uniform in [lo, hi] (inclusive). REQUIRES: lo <= hi.
  int64_t Range(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Below(static_cast<uint64_t>(hi - lo) + 1));
  }
  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Uniform() < p; }
  // Approximately normal (Irwin-Hall of 4 uniforms, rescaled): cheap and bounded to +-3.5.
  double Normal() {
    double s = Uniform() + Uniform() + Uniform() + Uniform();
    return (s - 2.0) * 1.7320508075688772;
  }
  // A multiplier with median 1 and spread `sigma` in log space.
  double LogNormal(double sigma) { return std::exp(sigma * Normal()); }

  // An independent stream derived from this one's seed material and `salt`, leaving this
  // stream untouched. Used so that adding events in one place does not shift another.
  Rng Fork(uint64_t salt) const { return Rng(s_[0] ^ (salt * 0x9E3779B97F4A7C15ULL) ^ s_[3]); }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static uint64_t SplitMix(uint64_t& x) {
    uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  uint64_t s_[4];
};

}  // namespace sparkmedic::gen

#endif  // SPARKMEDIC_TOOLS_GEN_EVENTLOG_RNG_H_
