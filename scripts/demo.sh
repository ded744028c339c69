#!/usr/bin/env bash
# Sets up everything, then runs the demo on real data:
#  1. every real model of the data catalog run densely on real vtest frames by MotionDelta and by
#     the model's own engine, compared in one table (extra arguments go to this step; --help);
#  2. the `motiondelta` command in delta mode on vtest (esrgan-x2 super-resolution at 144x192 at
#     its calibrated thresholds, PSNR >= 40 dB against dense) on the native CPU backend where it is
#     built, with its summary table and an HTML report in out/demo-report/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

printf '\n\033[1m==> %s\033[0m\n' "Dense inference: MotionDelta against each model's own engine"
node tools/dense-demo/dist/cli.js "$@"

printf '\n\033[1m==> %s\033[0m\n' "Delta mode on vtest: motiondelta run vtest --model esrgan-x2 --mode delta"
# The profile was calibrated at this input size on frames 0-11; the demo runs later frames.
node apps/cli/dist/cli.js run vtest --model esrgan-x2 --size 144x192 --mode delta \
  --profile docs/profiles/native/esrgan-x2.thresholds.json --start 100 --frames 30 --out out/demo-report
printf '\nOpen out/demo-report/report.html in a browser for the pictures and charts.\n'
