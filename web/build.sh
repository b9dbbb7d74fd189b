#!/usr/bin/env sh
# Rebuild web/dist from the npm registry packages pinned in package-lock.json.
# Needs Node >= 20 and npm. The Rust build does not run this: web/dist is committed.
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
npm run build
