#!/usr/bin/env bash
# Checks that the committed PTX (src/main/resources/cs4j/kernels) is what kernels/*.cu build to:
# rebuilds into a temporary folder and compares. Exit 1 on a difference, naming the files.
#
# Skips (exit 0, with a message) where nvcc is absent, and where this nvcc's release differs from
# the one recorded in the committed PTX header (another compiler may emit other but equally valid
# PTX; set CS4J_PTX_STRICT=1 to compare anyway).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
committed="$here/../src/main/resources/cs4j/kernels"
NVCC="${NVCC:-nvcc}"
if ! command -v "$NVCC" >/dev/null; then
  echo "check-ptx: skipped: nvcc not found, cannot rebuild the PTX to compare"
  exit 0
fi
release() { grep -m1 -o 'release [0-9.]*, V[0-9.]*' "$1" || echo unknown; }
have="$("$NVCC" --version | grep -m1 -o 'release [0-9.]*, V[0-9.]*' || echo unknown)"
want="$(release "$committed/elementwise.ptx")"
if [[ "$have" != "$want" && "${CS4J_PTX_STRICT:-0}" != 1 ]]; then
  echo "check-ptx: skipped: committed PTX was built by nvcc $want, this nvcc is $have"
  exit 0
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$here/build-ptx.sh" "$tmp" >/dev/null
status=0
for src in "$here"/*.cu; do
  name="$(basename "$src" .cu).ptx"
  if [[ ! -f "$committed/$name" ]]; then
    echo "check-ptx: $name is missing from src/main/resources/cs4j/kernels: run kernels/build-ptx.sh"
    status=1
  elif ! cmp -s "$tmp/$name" "$committed/$name"; then
    echo "check-ptx: $name differs from what kernels/$(basename "$src") builds to: run kernels/build-ptx.sh"
    diff "$committed/$name" "$tmp/$name" | head -20 || true
    status=1
  fi
done
for ptx in "$committed"/*.ptx; do
  if [[ ! -f "$here/$(basename "$ptx" .ptx).cu" ]]; then
    echo "check-ptx: $(basename "$ptx") has no source kernels/$(basename "$ptx" .ptx).cu"
    status=1
  fi
done
[[ $status == 0 ]] && echo "check-ptx: committed PTX matches kernels/*.cu ($have)"
exit $status
