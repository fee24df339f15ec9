#!/usr/bin/env bash
# Builds the self-contained GPU bundle (benchmarks/gpu/README.md): a jlink'ed JRE, the project jar and its
# runtime dependencies (JCuda with its linux-x86_64 natives), the compiled test classes as a
# directory (the JUnit console finds no tests inside a test jar), the JUnit console launcher, the
# benchmark's PyTorch twin, run.sh (tests, benchmark, command-line runs on the embedded subset) and
# protocol.sh (the resumable ResNet-20 reference protocol on CIFAR-shaped data). Output (git-ignored): target/gpu-bundle/ and
# target/cs4j-gpu-bundle.tar.gz. Copy the archive to the GPU machine, unpack, ./gpu-bundle/run.sh OUT.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
out="$root/target/gpu-bundle"
console="org.junit.platform:junit-platform-console-standalone:1.14.4"
# Candidate modules: java.base,java.sql,java.logging,java.management,jdk.unsupported. jdeps
# -verbose:class shows java.sql is wanted only by JUnit params' shaded CSV parser (no test here uses
# @CsvSource) and java.management by nothing, so both stay out (the runtime is 34 MB, not 39).
# java.logging carries System.Logger's output (the backend's start-up line); jdk.incubator.vector
# lets the CPU oracle of the parity tests and CPU runs use the SIMD kernels (run.sh adds the module).
modules="java.base,java.logging,jdk.unsupported,jdk.incubator.vector"

rm -rf "$out" target/cs4j-gpu-bundle.tar.gz
mvn -B -q -DskipTests -Dspotless.check.skip=true package
# The command line runs there (picocli, 0.4 MB), but not its plots: XChart with PDFBox stays out
# (run `report` here on the fetched run directories), which keeps the bundle near 50 MB.
plots="xchart,VectorGraphics2D,graphics2d,pdfbox,pdfbox-io,fontbox,commons-logging,animated-gif-lib"
mvn -B -q dependency:copy-dependencies -DincludeScope=runtime -DexcludeArtifactIds="$plots" \
  -DoutputDirectory="$out/lib"
mvn -B -q dependency:copy -Dartifact="$console" -DoutputDirectory="$out/lib-test"
cp target/cs4j-*.jar "$out/lib/"
cp -r target/test-classes "$out/test-classes"
jlink --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$out/jre"
cp benchmarks/gpu/run.sh benchmarks/gpu/protocol.sh benchmarks/gpu/torch_step.py \
  benchmarks/gpu/make_cifar_like.py benchmarks/gpu/compare_runs.py "$out/"
chmod +x "$out/run.sh" "$out/protocol.sh"
tar -czf target/cs4j-gpu-bundle.tar.gz -C target gpu-bundle
echo "gpu bundle: $(du -sh "$out" | cut -f1) on disk, $(du -h target/cs4j-gpu-bundle.tar.gz | cut -f1) as target/cs4j-gpu-bundle.tar.gz"
