#!/usr/bin/env bash
# Runs cs4j's CUDA kernels under the host emulator (kernels/emu/) against plain reference loops:
# a check of the kernels' logic that needs no GPU and no nvcc, only g++ with C++20.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if ! command -v g++ >/dev/null; then
  echo "emu-test: skipped: g++ not found"
  exit 0
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
g++ -std=c++20 -O1 -pthread -x c++ -DCS4J_EMU -Wall -Wno-unknown-pragmas \
  -o "$out/emu_test" "$here/emu/emu_test.cpp"
"$out/emu_test"
