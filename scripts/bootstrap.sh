#!/bin/sh
# Installs what a fresh clone lacks, then (with `stack`) brings the local stack up.
# `sh scripts/bootstrap.sh deps` | `sh scripts/bootstrap.sh stack`
set -eu
cd "$(dirname "$0")/.."

need() {
  command -v "$1" >/dev/null 2>&1 || { echo "ferry: '$1' is required ($2) but not on PATH" >&2; exit 1; }
}

deps() {
  need npm "Node.js and npm"
  # node_modules/.package-lock.json is npm's record of the last install: older than the lock file means stale
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "ferry: installing node modules" >&2
    npm ci --no-audit --no-fund --loglevel=error >&2
  fi
}

stack() {
  need go "Go builds the Kubernetes control planes, KWOK and fake-gcs-server"
  need python3 "Python virtualenvs hold the temporal CLI and moto"
  need openssl "openssl makes the clusters' certificates"
  node_modules/.bin/tsx scripts/stack/main.ts up
}

case "${1:-stack}" in
  deps) deps ;;
  stack) deps; stack ;;
  *) echo "usage: sh scripts/bootstrap.sh deps|stack" >&2; exit 2 ;;
esac
