// Storage: where event logs and executor logs live. The one seam between the core and a file
// system or an object store, in the spirit of LevelDB's Env: discovery, the codec layer, the
// loader, the server's listing and watcher, the /logs zip and the executor-log walker reach
// bytes only through it.
//
// A location is a string. A plain path ("/tmp/spark-events", "logs/app.zstd") or a "file:"
// URL is local; "s3://bucket/key" and "s3a://bucket/key" (as spark.eventLog.dir is written)
// name objects in an S3-compatible store. StorageSet::Resolve picks the implementation.
//
// Object stores have no directories: a "directory" is a key prefix ending in '/', listed with a
// delimiter. Implementations present both worlds through the same calls, so callers never
// branch on the kind of storage.
//
// Thread-safety: every method of a Storage may be called concurrently; each stream and each
// RandomAccessFile it returns is for one reader.
#ifndef SPARKMEDIC_STORAGE_H_
#define SPARKMEDIC_STORAGE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sparkmedic/input_stream.h"
#include "sparkmedic/status.h"

namespace sparkmedic {

enum class EntryKind { kFile, kDirectory, kOther };

// What Stat and List report about one entry.
struct StorageEntry {
  std::string name;      // the last component ("events_1_app.zstd"); no trailing '/'
  std::string location;  // the full location, usable with every method of the same Storage
  EntryKind kind = EntryKind::kOther;
  uint64_t size = 0;     // bytes; 0 for directories
  int64_t mtime_ms = 0;  // modification time, ms since the epoch; 0 for S3 prefixes
  // Identifies the underlying object so that a walker can cut symbolic-link loops (local:
  // "dev:inode" of the target; S3: empty, since prefixes cannot loop).
  std::string identity;
};

// A file read at arbitrary offsets: heads and tails for the listing, ranges for parallel
// reads of one large object.
class RandomAccessFile {
 public:
  virtual ~RandomAccessFile() = default;
  // Reads up to `n` bytes at `offset` into `dst`; fewer only at the end of the file (0 at or
  // past it). Errors: kIOError (with the location), kNotFound if the file went away.
  virtual Result<size_t> ReadAt(uint64_t offset, char* dst, size_t n) = 0;
  // The size when the file was opened.
  virtual uint64_t size() const = 0;
};

class Storage {
 public:
  virtual ~Storage() = default;

  // "file" or "s3": for messages and statistics.
  virtual std::string_view scheme() const = 0;

  // The entry at `location`, following symbolic links. Errors: kNotFound (nothing there: for
  // S3, neither an object nor a non-empty prefix), kIOError (for S3 a refusal too, whose
  // message says which credentials were tried and what to do).
  virtual Result<StorageEntry> Stat(const std::string& location) = 0;

  // The immediate children of the directory (or prefix) `location`, in no particular order,
  // with their kinds, sizes and times. Entries that vanish while listing are left out.
  // Errors: kNotFound, kIOError.
  virtual Result<std::vector<StorageEntry>> List(const std::string& location) = 0;

  // Opens `location` for one sequential pass from its start, in large reads, with bounded
  // memory however large the object is. Errors: kNotFound, kIOError.
  virtual Result<std::unique_ptr<InputStream>> OpenSequential(const std::string& location) = 0;

  // Opens `location` for reads at offsets. Errors: kNotFound, kIOError.
  virtual Result<std::unique_ptr<RandomAccessFile>> OpenRandomAccess(
      const std::string& location) = 0;

  // `dir` joined with the child `name` in this storage's syntax.
  virtual std::string Join(std::string_view dir, std::string_view name) const = 0;
};

// The local file system (plain paths and file: URLs). Stateless; lives for the whole process.
Storage& LocalStorage();

// Whether `location` names an object store ("s3://", "s3a://") rather than a local path.
bool IsObjectStoreLocation(std::string_view location);

// Maps locations to storages. A front end builds one from the options the user gave (S3
// endpoint, region, profile) and passes it down; the resolver owns the storages it creates, so
// it must outlive every LogSource and stream they produced.
class StorageResolver {
 public:
  virtual ~StorageResolver() = default;
  // The storage that serves `location`. Errors: kInvalidArgument for a scheme this build cannot
  // read ("gs://", "hdfs://", or "s3://" in a resolver without object storage), with what to do.
  virtual Result<Storage*> Resolve(std::string_view location) = 0;
};

// A resolver for local locations only: object-store locations give kInvalidArgument.
StorageResolver& LocalOnlyResolver();

}  // namespace sparkmedic

#endif  // SPARKMEDIC_STORAGE_H_
