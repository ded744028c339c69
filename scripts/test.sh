#!/usr/bin/env bash
# Sets up everything, then runs the type checks and every test of the repository in one vitest
# run, which ends with the line `N passed, N failed, N skipped` that CI reads.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

printf '\n\033[1m==> %s\033[0m\n' "Type-checking every package (tsc --noEmit)"
pnpm exec turbo run typecheck --output-logs=errors-only
pnpm exec tsc -p tsconfig.json

printf '\n\033[1m==> %s\033[0m\n' "Running all tests (vitest)"
pnpm exec vitest run
