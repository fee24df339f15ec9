package cs4j.cli;

import cs4j.io.Json;
import cs4j.sparsity.RoundResult;
import cs4j.train.Progress;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs several experiments on the same data at the same time, at most {@code parallel} at once, in
 * the order given (long runs first keeps the cores busy). Each run trains silently; a line is
 * printed as each of its rounds finishes. A failed run does not stop the others. (A round whose
 * training diverged is not a failed run: the run records it as a result with a warning.)
 *
 * <p>Each run has a thread of its own from start to end; on a GPU each thread issues its work on a
 * stream of its own, so the searches overlap on the device.
 */
final class ConcurrentRuns {
  /** One experiment and the label its lines and table rows carry. */
  record Labelled(String label, Experiment experiment) {}

  /** What the runs produced: table rows in run order, and the runs that failed. */
  record Outcome(List<ResultTable.Row> rows, List<ResultTable.Failure> failures) {
    int failed() {
      return failures.size();
    }
  }

  private ConcurrentRuns() {}

  /** {@code experiments} labelled as {@code report} will label their runs ({@link RunLabels}). */
  @SuppressWarnings("unchecked")
  static List<Labelled> labelled(List<Experiment> experiments) {
    List<String> labels =
        RunLabels.of(
            experiments.stream()
                .map(
                    e ->
                        new RunLabels.Run(
                            (Map<String, Object>) Json.parse(e.directory().canonicalHparams()),
                            e.directory().path()))
                .toList());
    List<Labelled> out = new ArrayList<>();
    for (int i = 0; i < experiments.size(); i++) {
      out.add(new Labelled(labels.get(i), experiments.get(i)));
    }
    return out;
  }

  /** Refuses two runs that would share a run directory. */
  static void checkDistinct(List<Labelled> runs) {
    Set<java.nio.file.Path> dirs = new HashSet<>();
    for (Labelled r : runs) {
      TrainingHparams.require(
          dirs.add(r.experiment().directory().path()),
          r.label() + " is listed twice (same run directory as an earlier run)");
    }
  }

  static Outcome run(
      List<Labelled> runs,
      ExperimentData data,
      Execution execution,
      int parallel,
      PrintWriter out,
      PrintWriter err)
      throws InterruptedException {
    checkDistinct(runs);
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, runs.size())));
    try {
      List<Future<List<RoundResult>>> futures = new ArrayList<>();
      for (Labelled r : runs) {
        out.printf("  %s -> %s%n", r.label(), r.experiment().directory().path());
        futures.add(
            pool.submit(
                () ->
                    r.experiment()
                        .run(
                            data,
                            execution,
                            Progress.silent(),
                            result -> printRound(out, r.label(), result))));
      }
      out.flush();
      List<ResultTable.Row> rows = new ArrayList<>();
      List<ResultTable.Failure> failures = new ArrayList<>();
      for (int i = 0; i < futures.size(); i++) {
        try {
          rows.addAll(ResultTable.rows(runs.get(i).label(), futures.get(i).get()));
        } catch (ExecutionException e) {
          failures.add(new ResultTable.Failure(runs.get(i).label(), Main.causes(e.getCause())));
          synchronized (out) {
            err.printf("%s failed: %s%n", runs.get(i).label(), Main.causes(e.getCause()));
            e.getCause().printStackTrace(err);
            err.flush();
          }
        }
      }
      return new Outcome(rows, failures);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void printRound(PrintWriter out, String label, RoundResult r) {
    synchronized (out) {
      out.printf(
          "%s: round %d (%s) %.2f%% of weights remaining, test accuracy %.2f%%%n",
          label, r.round(), r.stage(), 100 * r.fractionRemaining(), 100 * r.testAccuracy());
      out.flush();
    }
  }
}
