// sparkmedic-gen as a library: deterministic Spark 3.5 / 4.x event logs with injected
// failures, plus the manifest of what was injected.
//
// Same Options (including seed) -> byte-identical output and manifest.
// Thread-safety: each call is independent; calls may run concurrently on different sinks.
#ifndef SPARKMEDIC_TOOLS_GEN_EVENTLOG_GENERATOR_H_
#define SPARKMEDIC_TOOLS_GEN_EVENTLOG_GENERATOR_H_

#include <string>

#include "sparkmedic/status.h"

#include "manifest.h"
#include "options.h"
#include "sink.h"

namespace sparkmedic::gen {

// Writes the event log into `sink` (which is finished: complete, or in-progress when
// opts.in_progress) and fills `manifest` (not written to disk).
// Errors: kInvalidArgument from Validate(), kIOError from the sink.
Status Generate(const Options& opts, LineSink* sink, Manifest* manifest);

// Generates to opts.output (file, directory, rolling directory or stdout) and writes
// opts.manifest_path when set. `manifest` may be null.
Status GenerateToOutput(const Options& opts, Manifest* manifest);

// Generates a plain-text log into `out` (codec and rolling options are ignored).
Status GenerateToString(const Options& opts, std::string* out, Manifest* manifest);

// The application id the options produce ("spark-" + 32 hex digits derived from the seed
// unless opts.app_id is set).
std::string ResolveAppId(const Options& opts);

}  // namespace sparkmedic::gen

#endif  // SPARKMEDIC_TOOLS_GEN_EVENTLOG_GENERATOR_H_
