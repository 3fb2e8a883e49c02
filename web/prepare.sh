#!/usr/bin/env bash
# Installs the npm packages the pages' data comes from (exact versions from package-lock.json) and writes
# the generated files under src/Caucus.Api/wwwroot. Run by the API's build when those files are missing.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v npm >/dev/null 2>&1; then
  echo "web/prepare.sh: node and npm are needed (Debian: apt-get install nodejs npm; .ci/run installs them)" >&2
  exit 1
fi
npm ci --no-audit --no-fund --loglevel=error
node prepare.mjs
