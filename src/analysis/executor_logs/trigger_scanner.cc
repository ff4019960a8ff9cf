#include "trigger_scanner.h"

#include <algorithm>
#include <cstring>
#include <utility>

namespace sparkmedic::exlogs {
namespace {

uint32_t Load32(const char* p) {
  uint32_t w;
  std::memcpy(&w, p, 4);
  return w;
}

// The 4-byte keys a folded atom can start with at a text position: its first four bytes, or,
// for a 3-byte atom, its three bytes followed by any folded byte.
std::vector<uint32_t> KeysOf(const std::string& folded) {
  char b[4] = {folded[0], folded[1], folded[2], folded.size() > 3 ? folded[3] : '\0'};
  if (folded.size() > 3) return {Load32(b)};
  std::vector<uint32_t> keys;
  for (int c = 0; c < 256; ++c) {
    b[3] = static_cast<char>(c | 0x20);
    keys.push_back(Load32(b));
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

}  // namespace

void TriggerScanner::Add(std::string_view atom, uint32_t flags) {
  if (atom.size() < 3) return;  // not supported; callers add only atoms of 3+ bytes
  std::string folded(atom);
  for (char& c : folded) c = static_cast<char>(c | 0x20);
  for (Atom& a : atoms_) {
    if (a.text == folded) {
      a.flags |= flags;
      return;
    }
  }
  atoms_.push_back({std::move(folded), flags});
}

void TriggerScanner::Build() {
  std::vector<std::pair<uint32_t, uint32_t>> keyed;  // (key, atom)
  for (uint32_t i = 0; i < atoms_.size(); ++i) {
    for (uint32_t key : KeysOf(atoms_[i].text)) keyed.emplace_back(key, i);
  }
  std::sort(keyed.begin(), keyed.end());
  size_t slots = 16;
  while (slots < 4 * keyed.size()) slots *= 2;
  slots_.assign(slots, Slot{});
  slot_mask_ = static_cast<uint32_t>(slots - 1);
  bits_.assign((size_t{1} << kBitsLog2) / 64, 0);
  cands_.clear();
  for (size_t i = 0; i < keyed.size();) {
    uint32_t key = keyed[i].first;
    uint32_t h = Hash(key);
    bits_[h >> 6] |= uint64_t{1} << (h & 63);
    uint32_t s = (key * 0x9E3779B9u) & slot_mask_;
    while (slots_[s].used) s = (s + 1) & slot_mask_;
    slots_[s] = {key, static_cast<uint32_t>(cands_.size()), 0, true};
    for (; i < keyed.size() && keyed[i].first == key; ++i) cands_.push_back(keyed[i].second);
    slots_[s].end = static_cast<uint32_t>(cands_.size());
  }
}

const TriggerScanner::Slot* TriggerScanner::Find(uint32_t key) const {
  for (uint32_t s = (key * 0x9E3779B9u) & slot_mask_;; s = (s + 1) & slot_mask_) {
    if (!slots_[s].used) return nullptr;
    if (slots_[s].key == key) return &slots_[s];
  }
}

uint32_t TriggerScanner::Verify(const char* p, size_t i, size_t n, uint32_t key) const {
  const Slot* slot = Find(key);
  if (slot == nullptr) return 0;
  uint32_t flags = 0;
  for (uint32_t k = slot->begin; k < slot->end; ++k) {
    const Atom& a = atoms_[cands_[k]];
    size_t len = a.text.size();
    if (len > n - i) continue;
    size_t j = std::min<size_t>(len, 4);  // the key already compared these
    while (j < len && static_cast<char>(p[i + j] | 0x20) == a.text[j]) ++j;
    if (j == len) flags |= a.flags;
  }
  return flags;
}

// PERF NOTES: one unaligned 4-byte load, an OR, a multiply and a bit test per byte, no
// branches that depend on the text except the rare bitmap hit (about one position in a hundred
// on executor INFO lines: the bitmap is 8 KiB and stays in L1). Folding with | 0x20 maps 'A'-'Z'
// to 'a'-'z' and a few punctuation bytes onto others; that only adds candidates, which Verify
// rejects, and never loses a match.
uint32_t TriggerScanner::Scan(const char* p, size_t n) const {
  uint32_t flags = 0, high = 0;
  const uint64_t* bits = bits_.data();
  for (size_t i = 0; i < n; ++i) {
    uint32_t w = Load32(p + i);
    high |= w;
    uint32_t key = w | 0x20202020u;
    uint32_t h = Hash(key);
    if ((bits[h >> 6] >> (h & 63)) & 1) flags |= Verify(p, i, n, key);
  }
  if (high & 0x80808080u) flags |= kNonAscii;
  return flags;
}

}  // namespace sparkmedic::exlogs
