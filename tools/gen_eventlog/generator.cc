// Library entry points. See generator.h.
#include "generator.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include "simulator.h"

namespace sparkmedic::gen {

std::string ResolveAppId(const Options& opts) {
  if (!opts.app_id.empty()) return opts.app_id;
  Rng ids = Rng(opts.seed).Fork(7);  // must match Simulator::Setup
  std::string s = "spark-";
  for (int i = 0; i < 32; ++i) s.push_back("0123456789abcdef"[ids.Below(16)]);
  return s;
}

Status Generate(const Options& opts, LineSink* sink, Manifest* manifest) {
  SPARKMEDIC_RETURN_IF_ERROR(Validate(opts));
  Manifest local;
  internal::Simulator sim(opts, sink, manifest != nullptr ? manifest : &local);
  return sim.Run();
}

Status GenerateToString(const Options& opts, std::string* out, Manifest* manifest) {
  out->clear();
  auto sink = NewMemorySink(out);
  return Generate(opts, sink.get(), manifest);
}

Status GenerateToOutput(const Options& opts, Manifest* manifest) {
  SPARKMEDIC_RETURN_IF_ERROR(Validate(opts));
  std::unique_ptr<LineSink> sink;
  SPARKMEDIC_RETURN_IF_ERROR(NewSinkFromOptions(opts, ResolveAppId(opts), &sink));
  Manifest local;
  Manifest* m = manifest != nullptr ? manifest : &local;
  SPARKMEDIC_RETURN_IF_ERROR(Generate(opts, sink.get(), m));
  if (opts.manifest_path.empty()) return Status::Ok();
  const std::string json = ManifestJson(*m);
  int fd = ::open(opts.manifest_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::IOError(fmt::format("open: {}", std::strerror(errno)))
        .WithPath(opts.manifest_path);
  }
  const char* p = json.data();
  size_t n = json.size();
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) {
      ::close(fd);
      return Status::IOError(fmt::format("write: {}", std::strerror(errno)))
          .WithPath(opts.manifest_path);
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
  ::close(fd);
  return Status::Ok();
}

}  // namespace sparkmedic::gen
