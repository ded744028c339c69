#!/usr/bin/env bash
# Sets up everything MotionDelta needs on a Debian machine with Node 20: pnpm, Debian packages,
# JavaScript dependencies, the build and the data cache. Idempotent: each step checks first and
# does nothing when its work is already done, so a second run takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf '\nsetup failed: %s\n' "$*" >&2; exit 1; }
trap 'fail "the step above exited with an error (command: $BASH_COMMAND)"' ERR

step "Checking Node.js"
command -v node >/dev/null || fail "node is not installed; install Node.js 20 or newer."
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || fail "Node.js $(node --version) is too old; MotionDelta needs Node.js 20 or newer."
echo "node $(node --version)"

step "Checking pnpm"
if ! command -v pnpm >/dev/null || [ "$(pnpm --version | cut -d. -f1)" != "10" ]; then
  # corepack fails on these machines (signature check), so pnpm comes from npm.
  echo "installing pnpm 10 with npm"
  npm install --global pnpm@10 --no-fund --no-audit
fi
echo "pnpm $(pnpm --version)"

step "Checking Debian packages"
missing=()
command -v ffmpeg >/dev/null || missing+=(ffmpeg)
command -v ffprobe >/dev/null || missing+=(ffmpeg)
command -v dpkg-deb >/dev/null || missing+=(dpkg)
# The native CPU backend (packages/sparse-kernels-cpu) builds with cmake and g++; it needs no BLAS
# library (its own GEMM), and the prebuilt binary it packs needs nothing beyond libc and libstdc++.
command -v cmake >/dev/null || missing+=(cmake)
command -v g++ >/dev/null || missing+=(g++)
command -v make >/dev/null || missing+=(make)
command -v pkg-config >/dev/null || missing+=(pkg-config)
# The native fuzz harnesses (packages/sparse-kernels-cpu/native/fuzz) build with clang and libFuzzer.
command -v clang++ >/dev/null || missing+=(clang)
dpkg-query -W -f='${Status}' libclang-rt-14-dev 2>/dev/null | grep -q "install ok installed" || missing+=(libclang-rt-14-dev)
# The test suite checks C++ formatting with clang-format.
command -v clang-format >/dev/null || missing+=(clang-format)
# A test runs the native addon on an emulated CPU without AVX (qemu user mode): one binary for any x86-64.
command -v qemu-x86_64 >/dev/null || missing+=(qemu-user)
# The webgpu backend's tests run WebGPU (Dawn, from npm) on machines without a GPU through
# SwiftShader, the CPU Vulkan driver that Debian's chromium package ships
# (/usr/lib/chromium/vk_swiftshader_icd.json); Mesa's lavapipe is refused by Dawn.
[ -f /usr/lib/chromium/vk_swiftshader_icd.json ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "ffmpeg $(ffmpeg -version | head -n1 | cut -d' ' -f3), cmake $(cmake --version | head -n1 | cut -d' ' -f3), g++ $(g++ -dumpfullversion), clang $(clang++ -dumpversion), libclang-rt-14-dev, qemu-user, clang-format $(clang-format --version | grep -o '[0-9][0-9.]*' | head -n1), chromium (SwiftShader)"
fi

step "Installing JavaScript dependencies (pnpm install --frozen-lockfile)"
pnpm install --frozen-lockfile --reporter=append-only

step "Building packages (turbo)"
pnpm exec turbo run build --output-logs=errors-only

step "Building native addons (cmake-js), and the prebuilt binary packed tarballs ship"
# A failed native build is not fatal here: the library falls back to the reference backend and
# says why. The test suite does treat it as a failure under CI, where the addon must exist.
if ! pnpm exec turbo run build:native --output-logs=errors-only; then
  echo "warning: the native CPU backend did not build; sessions will fall back to the reference backend" >&2
fi

step "Fetching models, clips and photos into the data cache"
node tools/data/dist/cli.js fetch

step "Setup complete"
