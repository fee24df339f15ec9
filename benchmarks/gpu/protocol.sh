#!/usr/bin/env bash
# Runs, or resumes, the CIFAR-10 reference protocol of Continuous Sparsification on the GPU, on
# CIFAR-shaped data (make_cifar_like.py: no network there), for at most SECONDS seconds per call:
# ResNet-20, 3 search rounds of 85 epochs and an 85-epoch ticket retraining, batch 128, 45,000
# training images, validation every epoch. It checkpoints every 100 steps, so the next call resumes
# where this one stopped (the machine keeps target/ between calls while it is held). Each call
# appends to OUT/protocol.txt: the run's rounds so far, the time spent, steps/s from metrics.jsonl,
# and device memory.
#
# Usage: protocol.sh OUT SECONDS [cs4j flags...]     e.g. protocol.sh $OUT 540 --graphs
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: protocol.sh OUT SECONDS [flags]}"
seconds="${2:?usage: protocol.sh OUT SECONDS [flags]}"
shift 2
mkdir -p "$out"
work="$here/../gpu-work"
mkdir -p "$work"
if [[ ! -f "$work/data/cifar-10-batches-bin/test_batch.bin" ]]; then
  python3 "$here/make_cifar_like.py" "$work/data" >>"$out/protocol.txt" 2>&1
fi
cp="$(printf '%s:' "$here"/lib/*.jar)"
start=$(date +%s)
timeout --signal=KILL "$seconds" "$here/jre/bin/java" -Xmx16g -cp "$cp" cs4j.cli.Main ticket-search \
  --model resnet20 --dataset cifar10 --data-dir "$work/data" --device cuda --checkpoint-every 100 \
  --quiet --runs-dir "$work/runs" "$@" >>"$out/protocol.log" 2>&1
rc=$?
{
  echo "== protocol call at $(date -Iseconds): exit $rc after $(($(date +%s) - start)) s (137: stopped at the time limit, resumes next call)"
  for run in "$work"/runs/cs_*; do
    echo "run $run"
    for m in "$run"/round*/*/metrics.jsonl; do
      [[ -f "$m" ]] || continue
      python3 - "$m" <<'PY'
import json, statistics, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
if lines:
    per_epoch = lines[0]["global_step"] // (lines[0]["epoch"] + 1)
    median = statistics.median(l["seconds"] for l in lines)
    acc = lines[-1]["eval_acc"]
    print(f"  {sys.argv[1].split('/runs/')[1]}: {len(lines)} epochs, {sum(l['seconds'] for l in lines):.0f} s,"
          f" {per_epoch / median:.1f} steps/s (median epoch {median:.1f} s), last eval acc {acc}")
PY
    done
  done
  grep -E "device memory|round [0-9]+ \(" "$out/protocol.log" | tail -8
} | tee -a "$out/protocol.txt"
