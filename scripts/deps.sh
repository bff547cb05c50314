#!/bin/sh
# Checks what building jb needs; on Debian/Ubuntu as root, installs missing -dev packages.
# With --test, also what the tests need: PostgreSQL's server (a private cluster is started
# for the PostgreSQL tests) and GNU parallel (the sharding test); without them those tests
# are skipped with a message saying so.
set -eu
for_tests=false
[ "${1:-}" = "--test" ] && for_tests=true
missing_tools=""
command -v swift >/dev/null 2>&1 || missing_tools="$missing_tools swift(6.1+)"
command -v pkg-config >/dev/null 2>&1 || missing_pkgs="${missing_pkgs:-} pkg-config"
missing_pkgs="${missing_pkgs:-}"
# zlib (gzip input), sqlite3 (response cache, jb-store) and libcurl come from the system.
pkg-config --exists zlib 2>/dev/null || missing_pkgs="$missing_pkgs zlib1g-dev"
pkg-config --exists sqlite3 2>/dev/null || missing_pkgs="$missing_pkgs libsqlite3-dev"
# libcurl is the HTTP client's engine (jb-query, jb-models, jb-ingest --kaggle).
pkg-config --exists libcurl 2>/dev/null || missing_pkgs="$missing_pkgs libcurl4-openssl-dev"
# libpq is the PostgreSQL client (jb-store's second engine, the shared response cache).
pkg-config --exists libpq 2>/dev/null || missing_pkgs="$missing_pkgs libpq-dev"
# WordNet's word list (Debian: wordnet-base) lets jb-grade recognise aliases and tell a
# misspelling from another real word. Optional: jb-grade works without it, less well.
optional_pkgs=""
[ -e /usr/share/wordnet/index.noun ] || optional_pkgs=" wordnet-base"
# python3 runs scripts/fuzz.py (make fuzz, and a short run in make test; skipped visibly without it).
command -v python3 >/dev/null 2>&1 || optional_pkgs="$optional_pkgs python3"
if [ -n "$missing_tools" ]; then
  echo "deps: missing:$missing_tools — install Swift 6.1 or newer from swift.org and put it on PATH" >&2
  exit 1
fi
if [ -n "$missing_pkgs" ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "deps: installing$missing_pkgs" >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing_pkgs >/dev/null
  elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1; then
    echo "deps: installing$missing_pkgs with sudo" >&2
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing_pkgs
  else
    echo "deps: missing system packages:$missing_pkgs (Debian names; install them, e.g. 'apt-get install$missing_pkgs')" >&2
    exit 1
  fi
fi
if [ -n "$optional_pkgs" ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "deps: installing$optional_pkgs (optional: wordnet-base for jb-grade, python3 for make fuzz)" >&2
    { apt-get install -y -qq $optional_pkgs >/dev/null 2>&1 || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $optional_pkgs >/dev/null; }; } \
      || echo "deps: could not install$optional_pkgs (jb-grade grades without WordNet; the fuzz tests are skipped without python3)" >&2
  else
    echo "deps: optional: install$optional_pkgs (wordnet-base: better alias matching in jb-grade; python3: make fuzz)" >&2
  fi
fi
if $for_tests; then
  test_pkgs=""
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || test_pkgs="$test_pkgs postgresql"
  [ -x /usr/bin/parallel ] && /usr/bin/parallel --version 2>/dev/null | grep -q "GNU parallel" || test_pkgs="$test_pkgs parallel"
  if [ -n "$test_pkgs" ]; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
      echo "deps: installing$test_pkgs (for the PostgreSQL and sharding tests)" >&2
      { apt-get install -y -qq $test_pkgs >/dev/null 2>&1 || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $test_pkgs >/dev/null; }; } \
        || echo "deps: could not install$test_pkgs; the tests that need them will be skipped" >&2
    else
      echo "deps: missing$test_pkgs (Debian names): the PostgreSQL and sharding tests will be skipped" >&2
    fi
  fi
fi
