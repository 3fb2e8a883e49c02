#!/usr/bin/env bash
# Installs the npm packages the county outlines come from (exact versions from package-lock.json) and writes
# each election folder's county-outlines.json (arguments: election folders; none: every folder with "stateFips").
# Run by hand when a folder is added or its counties change; the outlines are committed, so builds need no node.
set -euo pipefail
web="$(cd "$(dirname "$0")" && pwd)"
if ! command -v npm >/dev/null 2>&1; then
  echo "web/prepare.sh: node and npm are needed (Debian: apt-get install nodejs npm)" >&2
  exit 1
fi
(cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
node "$web/prepare.mjs" "$@"
