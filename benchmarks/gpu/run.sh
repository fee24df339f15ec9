#!/usr/bin/env bash
# Runs cs4j's GPU tests and GPU benchmark from this bundle on a machine with an NVIDIA driver and
# nothing else (no Java, Maven or network needed). Usage: ./run.sh OUTPUT_DIR
# Writes OUTPUT_DIR/summary.txt (the short report), report.txt (benchmark table), tests.log,
# benchmark.log and, where PyTorch with CUDA is installed, torch.txt (the same step in PyTorch).
# Exit status: 0 all passed, 1 a test or the benchmark failed, 2 no usable GPU (tests skipped).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: run.sh OUTPUT_DIR}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
java="$here/jre/bin/java"
cp="$(printf '%s:' "$here"/lib/*.jar)$here/test-classes"
summary="$out/summary.txt"
# Extra JVM options, e.g. CS4J_JAVA_OPTS="-Dcs4j.cuda.syncEachLaunch=true -Dcs4j.cuda.gemm=kernels"
read -r -a opts <<<"-Xmx16g ${CS4J_JAVA_OPTS:-}"

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

if command -v python3 >/dev/null &&
  python3 -c "import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)" 2>/dev/null; then
  python3 "$here/torch_step.py" >"$out/torch.txt" 2>&1
  { echo; echo "== PyTorch comparison"; cat "$out/torch.txt"; } | tee -a "$summary"
fi

if [[ $bench_rc == 2 ]]; then
  echo "run.sh: no usable GPU here (see above): tests skipped, nothing measured" | tee -a "$summary"
  exit 2
fi
[[ $tests_rc == 0 && $bench_rc == 0 ]] && exit 0 || exit 1
