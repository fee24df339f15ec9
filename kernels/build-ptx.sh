#!/usr/bin/env bash
# Builds the PTX that ships in the jar: kernels/*.cu -> src/main/resources/cs4j/kernels/*.ptx.
#
# Target: compute_80 PTX (virtual architecture only, no cubin). The driver JIT-compiles it for the
# GPU it finds, so one file serves Ampere (sm_80/86), Ada (sm_89) and Hopper (sm_90), and the JIT
# optimises for the actual chip. Our kernels use nothing newer than sm_80 (no wgmma/TMA, which
# would need sm_90a and tie the PTX to Hopper). nvcc 13 emits PTX ISA 9.0, which needs a driver
# >= 580 (CUDA 13). RESOURCES.md records what ptxas makes of it for sm_90.
#
# Usage: kernels/build-ptx.sh [OUTPUT_DIR]   (default: the resources folder above)
# The output is deterministic: nvcc writes no paths or dates into PTX without -lineinfo/-G, only
# its version in the header comment (check-ptx.sh compares that separately).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../src/main/resources/cs4j/kernels}"
NVCC="${NVCC:-nvcc}"
ARCH="compute_80"
if ! command -v "$NVCC" >/dev/null; then
  echo "build-ptx: nvcc not found (set NVCC or put it on PATH)" >&2
  exit 1
fi
mkdir -p "$out"
cd "$here"  # relative source names: nothing of this machine's layout reaches the output
for src in *.cu; do
  name="${src%.cu}"
  "$NVCC" -ptx -arch="$ARCH" -std=c++17 -O3 -Werror all-warnings -I . -o "$out/$name.ptx" "$src"
  echo "build-ptx: $src -> $name.ptx"
done
