#!/usr/bin/env bash
# Runs cs4j's GPU tests, the GPU benchmark and command-line runs from this bundle on a machine with
# an NVIDIA driver and nothing else (no Java, Maven or network needed). Usage: ./run.sh OUTPUT_DIR
# Writes OUTPUT_DIR/summary.txt (the short report), report.txt (benchmark table), cli.txt (the same
# CS ticket search on the CPU and the GPU, eager and with captured steps, compared round by round),
# tests.log, benchmark.log, cli.log and, where PyTorch with CUDA is installed, torch.txt and the
# anchors' output. The long ResNet-20 protocol is protocol.sh, in calls of its own.
# Exit status: 0 all passed, 1 a test, the benchmark or a CLI run failed, 2 no usable GPU.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: run.sh OUTPUT_DIR}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
java="$here/jre/bin/java"
cp="$(printf '%s:' "$here"/lib/*.jar)$here/test-classes"
summary="$out/summary.txt"
# Extra JVM options, e.g. CS4J_JAVA_OPTS="-Dcs4j.cuda.syncEachLaunch=true -Dcs4j.cuda.gemm=kernels"
read -r -a opts <<<"-Xmx16g --add-modules jdk.incubator.vector ${CS4J_JAVA_OPTS:-}"

{
  echo "cs4j GPU bundle run, $(date -Iseconds) on $(hostname)"
  command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total \
    --format=csv,noheader 2>/dev/null | sed 's/^/GPU: /'
} | tee "$summary"

"$java" "${opts[@]}" -jar "$here"/lib-test/junit-platform-console-standalone-*.jar execute \
  --class-path "$cp" --scan-class-path "$here/test-classes" --include-tag cuda \
  --details=tree --disable-banner --disable-ansi-colors >"$out/tests.log" 2>&1
tests_rc=$?
{
  echo
  echo "== CUDA tests (exit $tests_rc; full tree in tests.log)"
  grep -E "^\[ +[0-9]+ tests (successful|failed|skipped|aborted)" "$out/tests.log"
  grep -m1 -o "CUDA tests skipped.*" "$out/tests.log" | cut -c1-200
  grep "✘" "$out/tests.log" | head -20
} | tee -a "$summary"

"$java" "${opts[@]}" -cp "$cp" cs4j.backend.cuda.CudaBenchmark "$out" >"$out/benchmark.log" 2>&1
bench_rc=$?
{
  echo
  echo "== benchmark (exit $bench_rc; log in benchmark.log)"
  if [[ -f "$out/report.txt" ]]; then cat "$out/report.txt"; else tail -20 "$out/benchmark.log"; fi
} | tee -a "$summary"
if [[ $bench_rc == 2 ]]; then
  echo "run.sh: no usable GPU here (see above): tests skipped, nothing measured" | tee -a "$summary"
  exit 2
fi

# The command line: one CS ticket search on the embedded Fashion-MNIST subset (LeNet-300-100, two
# rounds of 3 epochs and the ticket's retraining) on the CPU, on the GPU, and on the GPU with
# captured steps; GPU results are compared with the CPU's, and the two GPU runs with each other
# (they run the same kernels, so they should agree exactly).
work="$here/../gpu-work/cli"
rm -rf "$work"
search=(ticket-search --model lenet300 --epochs 3 --rounds 2 --rewind-epoch 1 --s0 -0.01 --quiet)
cli_rc=0
for variant in cpu cuda graphs; do
  case $variant in
    cpu) flags=(--device cpu) ;;
    cuda) flags=(--device cuda) ;;
    graphs) flags=(--device cuda --graphs) ;;
  esac
  start=$SECONDS
  timeout 300 "$java" "${opts[@]}" -cp "$cp" cs4j.cli.Main "${search[@]}" "${flags[@]}" \
    --runs-dir "$work/$variant" >>"$out/cli.log" 2>&1 || cli_rc=1
  echo "$variant: $((SECONDS - start)) s" >>"$out/cli-times.txt"
done
{
  echo
  echo "== command line: ticket-search on the embedded subset (exit $cli_rc; log in cli.log)"
  cat "$out/cli-times.txt"
  echo "-- CPU (A) against the GPU (B)"
  python3 "$here/compare_runs.py" "$work"/cpu/cs_* "$work"/cuda/cs_*
  echo "-- GPU eager (A) against the GPU with captured steps (B)"
  python3 "$here/compare_runs.py" "$work"/cuda/cs_* "$work"/graphs/cs_*
  grep "device memory" "$out/cli.log"
} 2>&1 | tee "$out/cli.txt" | tee -a "$summary"

if command -v python3 >/dev/null &&
  python3 -c "import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)" 2>/dev/null; then
  python3 "$here/torch_step.py" >"$out/torch.txt" 2>&1
  { echo; echo "== PyTorch comparison"; cat "$out/torch.txt"; } | tee -a "$summary"
fi

[[ $tests_rc == 0 && $bench_rc == 0 && $cli_rc == 0 ]] && exit 0 || exit 1
