// `sparkmedic serve --event-logs DIR [--event-logs DIR ...] [--listen 127.0.0.1:18080]
// [--poll-interval 2] [--token-file FILE] [--tls-cert FILE --tls-key FILE]`:
// a read-only Spark History Server-compatible REST API (docs/rest-api.md).
#include <cmath>
#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "sparkmedic/rest_api.h"
#include "sparkmedic/token_file.h"

#include "frontends/cli/commands.h"
#include "frontends/cli/sources.h"
#include "frontends/server/http_server.h"

namespace sparkmedic::cli {
namespace {

struct ServeArgs {
  std::vector<std::string> dirs;
  std::string listen = "127.0.0.1:18080";
  size_t cache = 8;
  int threads = 1;
  double poll_seconds = 2;
  std::string token_file;
  std::string tls_cert, tls_key;
};

server::RestHttpServer* g_server = nullptr;

void OnSignal(int) {
  if (g_server) g_server->Stop();
}

int RunServe(const ServeArgs& args) {
  size_t colon = args.listen.rfind(':');
  if (colon == std::string::npos) {
    fmt::print(stderr, "sparkmedic: --listen {}: write HOST:PORT\n", args.listen);
    return kExitError;
  }
  std::string host = args.listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  int port = 0;
  try {
    port = std::stoi(args.listen.substr(colon + 1));
  } catch (const std::exception&) {
    port = -1;
  }
  if (port < 0 || port > 65535) {
    fmt::print(stderr, "sparkmedic: --listen {}: bad port\n", args.listen);
    return kExitError;
  }
  if (!(args.poll_seconds >= 0) || args.poll_seconds > 86400) {
    fmt::print(stderr, "sparkmedic: --poll-interval {}: give seconds from 0 (off) to 86400\n",
               args.poll_seconds);
    return kExitError;
  }
  server::HttpOptions http;
  if (!args.token_file.empty()) {
    auto token = ReadBearerTokenFile(args.token_file);
    if (!token.ok()) {
      fmt::print(stderr, "sparkmedic: --token-file: {}\n", token.status().ToString());
      return kExitError;
    }
    http.bearer_token = std::move(*token);
  }
  http.tls_cert_file = args.tls_cert;
  http.tls_key_file = args.tls_key;

  EventLogCatalog::Options opts;
  opts.cache_size = args.cache;
  opts.threads = args.threads;
  opts.poll_interval_ms = static_cast<int64_t>(std::llround(args.poll_seconds * 1000));
  if (args.poll_seconds > 0 && opts.poll_interval_ms == 0) opts.poll_interval_ms = 1;
  auto catalog = EventLogCatalog::Open(args.dirs, opts);
  if (!catalog.ok()) {
    PrintDiscoveryError(catalog.status(), /*live_too=*/false);
    return kExitError;
  }
  auto srv = server::RestHttpServer::Create(**catalog, http);
  if (!srv.ok()) {
    fmt::print(stderr, "sparkmedic: {}\n", srv.status().ToString());
    return kExitError;
  }
  Result<int> bind = (*srv)->Bind(host, port);
  if (!bind.ok()) {
    fmt::print(stderr, "sparkmedic: {}\n", bind.status().message());
    return kExitError;
  }
  const int bound = *bind;
  std::string url_host = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  fmt::print(stderr, "sparkmedic: serving {} applications on {}://{}:{}/api/v1/ ({}{})\n",
             (*catalog)->ListApplications().size(), (*srv)->tls() ? "https" : "http", url_host,
             bound,
             opts.poll_interval_ms > 0 ? fmt::format("rescanning every {} s", args.poll_seconds)
                                       : std::string("not rescanning"),
             http.bearer_token.empty() ? "" : "; bearer token required");
  g_server = srv->get();
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  bool ok = (*srv)->Serve();
  g_server = nullptr;
  return ok ? kExitOk : kExitError;
}

}  // namespace

std::function<int()> AddServeCommand(CLI::App& app) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* sub = app.add_subcommand(
      "serve",
      "Serve a Spark History Server-compatible REST API (/api/v1/, read-only) over directories "
      "of event logs.");
  sub->add_option("--event-logs", args->dirs, "A directory (or file) of event logs; repeatable")
      ->required();
  sub->add_option("--listen", args->listen, "HOST:PORT to listen on (default loopback only)")
      ->capture_default_str();
  sub->add_option("--cache", args->cache, "Loaded applications kept in memory")
      ->capture_default_str();
  sub->add_option("--threads", args->threads,
                  "Parsing threads per load, and logs listed in parallel (0: every core)")
      ->capture_default_str();
  sub->add_option("--poll-interval", args->poll_seconds,
                  "Rescan the directories every this many seconds for new, grown, finished and "
                  "deleted logs (0: never)")
      ->capture_default_str();
  sub->add_option("--token-file", args->token_file,
                  "Require \"Authorization: Bearer <token>\" on every request; the file holds "
                  "the token (a trailing newline is ignored)");
  CLI::Option* cert =
      sub->add_option("--tls-cert", args->tls_cert, "Serve HTTPS with this PEM certificate chain");
  CLI::Option* key = sub->add_option("--tls-key", args->tls_key,
                                     "The PEM private key (unencrypted) of --tls-cert");
  cert->needs(key);
  key->needs(cert);
  return [args] { return RunServe(*args); };
}

}  // namespace sparkmedic::cli
