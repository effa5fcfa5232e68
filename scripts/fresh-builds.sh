#!/usr/bin/env bash
# Proves the build graph: wipes every build output (dist, tsbuildinfo, turbo's cache) and builds
# from scratch, N times in a row (default 3). Any race between packages fails a round.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
for round in $(seq 1 "$rounds"); do
  find packages apps -path '*/node_modules' -prune -o -type d -name dist -print0 | xargs -0 rm -rf
  rm -rf .turbo node_modules/.cache/turbo
  find packages apps -path '*/node_modules' -prune -o -type d -name .turbo -print0 | xargs -0 rm -rf
  echo "fresh build ${round}/${rounds}"
  npx turbo run build --force --output-logs=errors-only
done
echo "${rounds} fresh builds passed"
