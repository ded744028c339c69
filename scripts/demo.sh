#!/usr/bin/env bash
# Sets up everything, then runs the demo: every real model of the data catalog, run densely on
# real vtest frames by MotionDelta and by the model's own engine, compared in one table.
# Extra arguments go to the demo (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
printf '\n\033[1m==> %s\033[0m\n' "Running the demo"
node tools/dense-demo/dist/cli.js "$@"
