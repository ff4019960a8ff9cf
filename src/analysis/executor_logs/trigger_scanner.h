// TriggerScanner: which of a fixed set of short strings ("atoms") occur in a line, ignoring
// ASCII case, at a few bytes per cycle. The executor-log scanner asks it, for every line,
// whether the line can match a log rule, mentions an exception, a TID, an executor id or a
// runbook keyword, and does the expensive work only for lines that can.
#ifndef SPARKMEDIC_ANALYSIS_EXECUTOR_LOGS_TRIGGER_SCANNER_H_
#define SPARKMEDIC_ANALYSIS_EXECUTOR_LOGS_TRIGGER_SCANNER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sparkmedic::exlogs {

class TriggerScanner {
 public:
  // Reading past a line's end: Scan reads up to this many bytes after p[n - 1].
  static constexpr size_t kPadding = 3;
  // Set in Scan's result when the line has a byte >= 0x80 (a rule pattern that ignores case
  // can match a non-ASCII letter, e.g. U+212A KELVIN SIGN for 'k', that no atom does).
  static constexpr uint32_t kNonAscii = 1u << 31;

  // Adds `atom` (3 or more bytes; matched ignoring ASCII case) with the flags it sets. Adding
  // the same atom twice ORs the flags. Call before Build().
  void Add(std::string_view atom, uint32_t flags);
  void Build();

  // The OR of the flags of every atom that occurs in p[0, n), plus kNonAscii (which may also be
  // set, harmlessly, for a high byte in the padding). REQUIRES: Build() was called;
  // p[n, n + kPadding) is readable (its content does not matter).
  uint32_t Scan(const char* p, size_t n) const;

  size_t atom_count() const { return atoms_.size(); }

 private:
  struct Atom {
    std::string text;  // folded (every byte | 0x20)
    uint32_t flags = 0;
  };
  struct Slot {
    uint32_t key = 0;
    uint32_t begin = 0, end = 0;  // into cands_
    bool used = false;
  };
  static constexpr int kBitsLog2 = 16;

  static uint32_t Hash(uint32_t key) { return (key * 2654435761u) >> (32 - kBitsLog2); }
  const Slot* Find(uint32_t key) const;
  uint32_t Verify(const char* p, size_t i, size_t n, uint32_t key) const;

  std::vector<Atom> atoms_;
  std::vector<uint64_t> bits_;  // 2^kBitsLog2 bits: some atom may start with this 4-byte key
  std::vector<Slot> slots_;     // open addressing, a power of two >= 4 x the keys
  uint32_t slot_mask_ = 0;
  std::vector<uint32_t> cands_;  // atom indexes, grouped by key
};

}  // namespace sparkmedic::exlogs

#endif  // SPARKMEDIC_ANALYSIS_EXECUTOR_LOGS_TRIGGER_SCANNER_H_
