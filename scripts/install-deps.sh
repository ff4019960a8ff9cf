#!/usr/bin/env bash
# Installs the Debian packages sparkmedic needs to build and test, if any are missing.
# Usage: scripts/install-deps.sh [--tests]   (--tests adds what only the tests use)
set -euo pipefail

build_pkgs=(cmake ninja-build g++ pkg-config libsimdjson-dev libzstd-dev liblz4-dev libsnappy-dev
            liblzf-dev zlib1g-dev libfmt-dev libcli11-dev libre2-dev libcpp-httplib-dev
            nlohmann-json3-dev libssl-dev ccache)
# Tests: GoogleTest; zstd, python3 and jq for independent expectations; a JDK and the Java
# codec libraries Spark uses, to write fixtures in Spark's own stream formats; curl and openssl
# to query `sparkmedic serve` over HTTP(S) with a self-signed certificate; clang-format, which
# CI runs to keep the tree formatted.
test_pkgs=(libgtest-dev libgmock-dev libbenchmark-dev zstd python3 jq default-jdk-headless
           liblz4-java libsnappy-java libcompress-lzf-java libzstd-jni-java curl openssl
           clang-format)

want=("${build_pkgs[@]}")
if [[ "${1:-}" == "--tests" ]]; then want+=("${test_pkgs[@]}"); fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then exit 0; fi

echo "sparkmedic: installing missing Debian packages: ${missing[*]}" >&2
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
