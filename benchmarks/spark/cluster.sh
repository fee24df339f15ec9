#!/usr/bin/env bash
# A Spark standalone cluster on 127.0.0.1 — a master and two workers of one core each, started with
# `java -cp` over the Spark jars that Maven resolves (no Spark distribution needed) — runs a sweep
# through org.apache.spark.deploy.SparkSubmit, against the same sweep run locally (bin/cs4j sweep,
# two runs at a time). Prints the wall times; then submits the sweep again (every run is skipped)
# and, with --kill-executor, once more into fresh runs with an executor killed mid-sweep (once two
# runs have logged an epoch). The runs the cluster wrote must equal the local ones file for file
# (but for wall-clock seconds), and its tables the local table.
#
#   bash benchmarks/spark/cluster.sh [--kill-executor] [sweep flags...]
#
# Default sweep: 4 CS searches of LeNet-300-100 on 4000 images of the embedded subset. Everything
# it writes goes under target/spark-cluster/ (runs, logs, the workers' directories). It stops only
# the processes it started (master, workers, and executors of its workers), by their PIDs.
set -euo pipefail
cd "$(dirname "$0")/../.."

kill_executor=false
if [ "${1:-}" = --kill-executor ]; then
  kill_executor=true
  shift
fi
if [ $# -gt 0 ]; then
  sweep=("$@")
else
  sweep=(--method cs --s0 0,-0.05 --lambda 1e-8,1e-7 --rounds 1 --rewind-epoch 1 --model lenet300
    --train-size 4000 --epochs 4 --checkpoint-every 10)
fi

work=$PWD/target/spark-cluster
rm -rf "$work"
mkdir -p "$work/logs" "$work/spark-home/jars"

# The distribution (cs4j's jar and its dependencies) and the Spark jars, both from Maven.
mvn -B -q -DskipTests -Dspotless.check.skip=true package
mvn -B -q dependency:build-classpath -Dmdep.includeScope=provided \
  -Dmdep.outputFile="$work/spark.classpath"
lib=$(ls -d "$PWD"/target/cs4j-*/lib)
app_jar=$(ls "$lib"/cs4j-*.jar)
deps=$(ls "$lib"/*.jar | grep -v "/cs4j-[^/]*\.jar$" | paste -sd, -)

# The workers build their executors' class path from $SPARK_HOME/jars (a release layout: RELEASE
# marks it): links to the jars Maven resolved.
touch "$work/spark-home/RELEASE"
tr ':' '\n' <"$work/spark.classpath" | while read -r jar; do
  ln -sf "$jar" "$work/spark-home/jars/"
done
export SPARK_HOME=$work/spark-home SPARK_SCALA_VERSION=2.13
spark_cp="$SPARK_HOME/jars/*"
# The packages Spark opens on JDK 17 (pom.xml's spark.jvm.options), plus cs4j's SIMD kernels.
opens=$(sed -n '/<spark.jvm.options>/,/<\/spark.jvm.options>/p' pom.xml | sed -e 's/<[^>]*>//g')
# shellcheck disable=SC2206
jvm=(--add-modules jdk.incubator.vector -Djava.awt.headless=true $opens)

pids=()
stop() {
  for pid in "${pids[@]}"; do
    # an executor's JVM is a child of its worker: stop those of our workers first
    for child in $(pgrep -P "$pid" || true); do kill "$child" 2>/dev/null || true; done
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop EXIT

java "${jvm[@]}" -cp "$spark_cp" org.apache.spark.deploy.master.Master \
  --host 127.0.0.1 --port 7077 --webui-port 8080 >"$work/logs/master.log" 2>&1 &
pids+=($!)
for i in 1 2; do
  java "${jvm[@]}" -cp "$spark_cp" org.apache.spark.deploy.worker.Worker \
    --host 127.0.0.1 --cores 1 --memory 2g --webui-port $((8080 + i)) \
    --work-dir "$work/worker$i" spark://127.0.0.1:7077 >"$work/logs/worker$i.log" 2>&1 &
  pids+=($!)
done
for i in $(seq 60); do
  [ "$(grep -l "Successfully registered with master" "$work"/logs/worker*.log 2>/dev/null | wc -l)" = 2 ] && break
  sleep 1
done
grep -q "Successfully registered" "$work/logs/worker1.log" "$work/logs/worker2.log" ||
  { echo "the workers did not register; see $work/logs" >&2; exit 1; }

submit() { # runs-dir, log name
  java "${jvm[@]}" -cp "$spark_cp" org.apache.spark.deploy.SparkSubmit \
    --master spark://127.0.0.1:7077 --deploy-mode client --class cs4j.cli.Main \
    --conf spark.executor.cores=1 --conf spark.executor.memory=1g \
    --conf "spark.executor.extraJavaOptions=--add-modules=jdk.incubator.vector" \
    --conf spark.ui.enabled=false --jars "$deps" \
    "$app_jar" sweep "${sweep[@]}" --runs-dir "$1" --spark >"$work/logs/$2.out" 2>"$work/logs/$2.err"
}
timed() { # name, command...
  local t0 t1
  t0=$(date +%s.%N)
  "${@:2}"
  t1=$(date +%s.%N)
  printf '%-34s %6.1f s\n' "$1" "$(echo "$t1 - $t0" | bc)"
}

local_sweep() {
  "$(ls -d "$PWD"/target/cs4j-*/bin/cs4j)" sweep "${sweep[@]}" --parallel 2 \
    --runs-dir "$work/runs-local" >"$work/logs/local.out" 2>&1
}
timed "local sweep (bin/cs4j, 2 at a time)" local_sweep
timed "Spark standalone, 2 workers" submit "$work/runs-cluster" cluster
timed "Spark again (all runs skipped)" submit "$work/runs-cluster" cluster-again
if $kill_executor; then
  (
    # once two runs are training (an epoch logged each), kill worker 1's executor
    for i in $(seq 300); do
      [ "$(find "$work/runs-killed" -name metrics.jsonl 2>/dev/null | wc -l)" -ge 2 ] && break
      sleep 0.5
    done
    for e in $(pgrep -P "${pids[1]}" || true); do
      echo "killed executor $e (a child of worker 1) at $(date +%T)" >>"$work/logs/killed.txt"
      kill -9 "$e"
    done
  ) &
  killer=$!
  timed "Spark, an executor killed mid-run" submit "$work/runs-killed" killed
  wait "$killer" || true
  cat "$work/logs/killed.txt" 2>/dev/null || echo "no executor was killed"
  grep -E "Lost task|Lost executor|removed: Command exited" "$work/logs/killed.err" || true
fi

# The cluster's table is the local one.
table() { sed -n '/^method /,$p' "$1"; }
for run in cluster cluster-again $($kill_executor && echo killed); do
  if diff <(table "$work/logs/local.out") <(table "$work/logs/$run.out") >/dev/null; then
    echo "$run: the same table as the local sweep"
  else
    echo "$run: the table differs from the local sweep's (see $work/logs)" >&2
    exit 1
  fi
done
same_files() { # expected run directory, actual one
  (cd "$1" && find . -type f | sort) | while read -r f; do
    cmp -s <(sed -e 's/"seconds":[^,}]*/"seconds":0/g' "$1/$f") \
      <(sed -e 's/"seconds":[^,}]*/"seconds":0/g' "$2/$f") ||
      { echo "$2/$f differs from $1/$f" >&2; return 1; }
  done
}
for runs in runs-cluster $($kill_executor && echo runs-killed); do
  for dir in "$work/runs-local"/*/; do
    same_files "$dir" "$work/$runs/$(basename "$dir")"
  done
  echo "$runs: every file equals the local sweep's (but for seconds)"
done
table "$work/logs/cluster.out"
