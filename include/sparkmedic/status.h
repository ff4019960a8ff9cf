// Status and Result<T>: how every fallible call in the sparkmedic core reports errors.
//
// The core never throws, prints or exits. A failing call returns a Status whose code says what
// kind of failure it was and whose fields say where: the file, the 1-based line and the byte
// offset (into the decompressed stream) when they are known. Front ends render it with
// ToString() as "path:line: byte N: message" or as JSON fields.
//
// Thread-safety: Status and Result are values; distinct objects may be used from distinct
// threads without synchronisation.
#ifndef SPARKMEDIC_STATUS_H_
#define SPARKMEDIC_STATUS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace sparkmedic {

enum class StatusCode {
  kOk = 0,
  kNotFound,         // a file, app, stage... that does not exist
  kInvalidArgument,  // the caller asked for something malformed
  kCorruption,       // the input is damaged (bad magic, checksum, JSON)
  kTruncated,        // the input ends in the middle of a record (normal for in-progress logs)
  kIOError,          // the operating system refused (open, read)
  kNotSupported,     // a valid input we cannot handle
};

// Returns a short lower-case name for `code`, e.g. "corruption".
const char* StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  // An OK status allocates nothing.
  Status() = default;

  static Status Ok() { return Status(); }
  static Status NotFound(std::string msg) { return Status(StatusCode::kNotFound, std::move(msg)); }
  static Status InvalidArgument(std::string msg) {
    return Status(StatusCode::kInvalidArgument, std::move(msg));
  }
  static Status Corruption(std::string msg) {
    return Status(StatusCode::kCorruption, std::move(msg));
  }
  static Status Truncated(std::string msg) {
    return Status(StatusCode::kTruncated, std::move(msg));
  }
  static Status IOError(std::string msg) { return Status(StatusCode::kIOError, std::move(msg)); }
  static Status NotSupported(std::string msg) {
    return Status(StatusCode::kNotSupported, std::move(msg));
  }

  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& path() const { return path_; }
  // 1-based line number in the decompressed stream; 0 when unknown.
  uint64_t line() const { return line_; }
  // Byte offset in the decompressed stream (or in the file for codec errors); nullopt if unknown.
  std::optional<uint64_t> offset() const { return offset_; }

  // Builders that attach context; they return the status for chaining.
  Status& WithPath(std::string path) & {
    path_ = std::move(path);
    return *this;
  }
  Status&& WithPath(std::string path) && {
    path_ = std::move(path);
    return std::move(*this);
  }
  Status& WithLine(uint64_t line) & {
    line_ = line;
    return *this;
  }
  Status&& WithLine(uint64_t line) && {
    line_ = line;
    return std::move(*this);
  }
  Status& WithOffset(uint64_t offset) & {
    offset_ = offset;
    return *this;
  }
  Status&& WithOffset(uint64_t offset) && {
    offset_ = offset;
    return std::move(*this);
  }

  // "path:line: byte N: code: message"; parts that are unknown are left out.
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string path_;
  uint64_t line_ = 0;
  std::optional<uint64_t> offset_;
};

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  // REQUIRES: !status.ok()
  Result(Status status) : v_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(v_); }
  // REQUIRES: ok()
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  // OK status when a value is held.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(v_); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace sparkmedic

// Returns early from the enclosing function when `expr` yields a non-OK Status.
#define SPARKMEDIC_RETURN_IF_ERROR(expr) \
  do {                                   \
    ::sparkmedic::Status _st = (expr);   \
    if (!_st.ok()) return _st;           \
  } while (0)

#endif  // SPARKMEDIC_STATUS_H_
