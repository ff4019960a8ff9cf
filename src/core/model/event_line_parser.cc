#include "sparkmedic/event_line_parser.h"

#include "core/model/event_parser.h"

namespace sparkmedic {

struct EventLineParser::Impl {
  EventParser parser;
  Arena arena;
  std::string buf;  // the line and kJsonPadding bytes after it, as EventParser needs
  std::string error;
  EventPayload payload;
};

EventLineParser::EventLineParser() : impl_(std::make_unique<Impl>()) {}
EventLineParser::~EventLineParser() = default;

EventPayload* EventLineParser::Parse(std::string_view line) {
  Impl& m = *impl_;
  m.buf.assign(line.data(), line.size());
  m.buf.append(kJsonPadding, '\0');
  m.arena.Reset();
  m.error.clear();
  if (m.parser.Parse(m.buf.data(), line.size(), m.buf.size(), &m.arena, &m.payload, &m.error) !=
      ParseOutcome::kOk) {
    return nullptr;
  }
  return &m.payload;
}

const std::string& EventLineParser::error() const { return impl_->error; }

}  // namespace sparkmedic
