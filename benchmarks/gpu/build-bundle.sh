#!/usr/bin/env bash
# Builds the self-contained GPU bundle (benchmarks/gpu/README.md): a jlink'ed JRE, the project jar and its
# runtime dependencies (JCuda with its linux-x86_64 natives), the compiled test classes as a
# directory (the JUnit console finds no tests inside a test jar), the JUnit console launcher, the
# benchmark's PyTorch twin and run.sh. Output (git-ignored): target/gpu-bundle/ and
# target/cs4j-gpu-bundle.tar.gz. Copy the archive to the GPU machine, unpack, ./gpu-bundle/run.sh OUT.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
out="$root/target/gpu-bundle"
console="org.junit.platform:junit-platform-console-standalone:1.14.4"
# Candidate modules: java.base,java.sql,java.logging,java.management,jdk.unsupported. jdeps
# -verbose:class shows java.sql is wanted only by JUnit params' shaded CSV parser (no test here uses
# @CsvSource) and java.management by nothing, so both stay out (the runtime is 34 MB, not 39).
# java.logging carries System.Logger's output (the backend's start-up line).
modules="java.base,java.logging,jdk.unsupported"

rm -rf "$out" target/cs4j-gpu-bundle.tar.gz
mvn -B -q -DskipTests -Dspotless.check.skip=true package
# The command line's plotting and parsing libraries (XChart with PDFBox, picocli) are not needed
# by the GPU tests and benchmark: leaving them out keeps the bundle under 50 MB.
cli_only="xchart,VectorGraphics2D,graphics2d,pdfbox,pdfbox-io,fontbox,commons-logging,animated-gif-lib,picocli"
mvn -B -q dependency:copy-dependencies -DincludeScope=runtime -DexcludeArtifactIds="$cli_only" \
  -DoutputDirectory="$out/lib"
mvn -B -q dependency:copy -Dartifact="$console" -DoutputDirectory="$out/lib-test"
cp target/cs4j-*.jar "$out/lib/"
cp -r target/test-classes "$out/test-classes"
jlink --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$out/jre"
cp benchmarks/gpu/run.sh benchmarks/gpu/torch_step.py "$out/"
chmod +x "$out/run.sh"
tar -czf target/cs4j-gpu-bundle.tar.gz -C target gpu-bundle
echo "gpu bundle: $(du -sh "$out" | cut -f1) on disk, $(du -h target/cs4j-gpu-bundle.tar.gz | cut -f1) as target/cs4j-gpu-bundle.tar.gz"
