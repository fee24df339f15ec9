package cs4j.cli;

import cs4j.backend.Devices;
import cs4j.sparsity.LayerSelection;
import cs4j.sparsity.RoundResult;
import cs4j.tensor.Device;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --target-remaining F}: instead of a guessed s0, the CS run whose ticket keeps about F of
 * the weights. Probe runs at several s0 run side by side ({@link ConcurrentRuns}), {@link
 * TargetSearch} picks the next s0 values from what they kept, until a probe is within the tolerance
 * or the probe budget is spent.
 *
 * <p>Probes are ordinary runs in the runs directory, named by their hyperparameters, so a search
 * run again reuses every probe it already ran. By default a probe is the full run at its s0, and
 * the probe that reaches the target is the result. With {@code --target-probe-epochs E} probes
 * train E epochs per round instead, and the full run follows at the s0 of the best probe: cheaper,
 * but fewer epochs predict the full run's sparsity less exactly, so the sparsity reached is
 * reported against the target again at the end.
 */
final class TargetSparsity {
  /** The hyperparameter searched. */
  static final String S0 = "s0";

  @Option(
      names = "--target-remaining",
      paramLabel = "F",
      description =
          "search s0 for a ticket that keeps this fraction of the weights, e.g. 0.05 (instead of"
              + " --s0)")
  Double remaining;

  @Option(
      names = "--target-tolerance",
      paramLabel = "T",
      defaultValue = "0.25",
      description =
          "reached when |kept/target − 1| <= T, relative: 0.25 takes 3.75%%–6.25%% for 5%%"
              + " (default: ${DEFAULT-VALUE})")
  double tolerance;

  @Option(
      names = "--target-probes",
      paramLabel = "N",
      defaultValue = "12",
      description = "at most N probe runs (default: ${DEFAULT-VALUE})")
  int probes;

  @Option(
      names = "--target-probe-epochs",
      paramLabel = "E",
      description = "epochs per round of a probe (default: --epochs; the best probe is the result)")
  Integer probeEpochs;

  @Option(
      names = "--target-parallel",
      paramLabel = "P",
      description =
          "probes at the same time (default: the cores on the CPU, 4 on a GPU); each probe's"
              + " kernels get cores/P threads")
  Integer parallel;

  boolean active() {
    return remaining != null;
  }

  /**
   * Refuses impossible target flags, a target with {@code --s0} (which it searches), and a target
   * for a method whose sparsity s0 does not set; nothing is written yet.
   */
  void check(String method, Map<String, String> given) {
    if (!active()) {
      TrainingHparams.require(
          probeEpochs == null && parallel == null,
          "--target-probe-epochs and --target-parallel need --target-remaining");
      return;
    }
    TrainingHparams.require(
        method.equals("cs") || method.equals("cs-prune"),
        "--target-remaining searches s0 of cs or cs-prune, not of " + method);
    TrainingHparams.require(
        remaining > 0 && remaining < 1, "--target-remaining must be in (0, 1), got " + remaining);
    TrainingHparams.require(
        tolerance > 0 && Double.isFinite(tolerance),
        "--target-tolerance must be finite and > 0, got " + tolerance);
    TrainingHparams.require(probes >= 1, "--target-probes must be >= 1, got " + probes);
    TrainingHparams.require(
        probeEpochs == null || probeEpochs >= 1,
        "--target-probe-epochs must be >= 1, got " + probeEpochs);
    TrainingHparams.require(
        parallel == null || parallel >= 1, "--target-parallel must be >= 1, got " + parallel);
    TrainingHparams.require(
        !given.containsKey(S0), "--target-remaining searches s0: leave out --s0 (--hp s0=...)");
  }

  /**
   * Runs probes until one keeps the target fraction within the tolerance or the budget is spent,
   * printing each probe and the choice; returns the experiment at the chosen s0 with the full
   * training hyperparameters {@code training} (a finished probe when probes train as long).
   */
  Experiment search(
      String method,
      Map<String, String> given,
      TrainingHparams training,
      LayerSelection layers,
      DataSource source,
      Path runsDir,
      ExperimentData data,
      Execution execution,
      PrintWriter out,
      PrintWriter err)
      throws InterruptedException {
    TrainingHparams probeTraining =
        probeEpochs == null ? training : training.withEpochs(probeEpochs);
    Device device = execution.device();
    int cores = Runtime.getRuntime().availableProcessors();
    int p = parallel != null ? parallel : SweepCommand.defaultParallel(device, cores, 1);
    Devices.setCpuThreads(Math.max(1, cores / p));
    out.printf(
        "target: %s of the weights remaining (±%s relative), at most %d probes, %d at a time%n",
        percent(remaining), percent(tolerance), probes, p);
    TargetSearch search = new TargetSearch(remaining, tolerance);
    int ran = 0;
    while (ran < probes) {
      List<Double> next = search.next(Math.min(p, probes - ran));
      if (next.isEmpty()) {
        break;
      }
      List<Experiment> batch = new ArrayList<>();
      for (double s0 : next) {
        batch.add(Experiment.of(method, with(given, s0), probeTraining, layers, source, runsDir));
      }
      List<ConcurrentRuns.Labelled> runs = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        runs.add(new ConcurrentRuns.Labelled("probe s0=" + format(next.get(i)), batch.get(i)));
      }
      List<ResultTable.Row> rows = ConcurrentRuns.run(runs, data, execution, p, out, err).rows();
      for (int i = 0; i < next.size(); i++) {
        String label = runs.get(i).label();
        double s0 = next.get(i);
        rows.stream() // a probe's last round holds its ticket; a probe that failed has none
            .filter(r -> r.run().equals(label))
            .reduce((first, last) -> last)
            .ifPresent(r -> search.record(s0, r.percentRemaining() / 100));
      }
      ran += next.size();
    }
    Map.Entry<Double, Double> best = search.best();
    if (best == null) {
      throw new IllegalStateException("no probe run finished; their errors are above");
    }
    out.printf(
        "%nbest probe: s0 = %s keeps %s (target %s): %s after %d probe(s)%n",
        format(best.getKey()),
        percent(best.getValue()),
        percent(remaining),
        search.within(best.getValue()) ? "within the tolerance" : "OUTSIDE the tolerance",
        ran);
    out.flush();
    return Experiment.of(method, with(given, best.getKey()), training, layers, source, runsDir);
  }

  /** The line that compares what the chosen run kept with the target. */
  String reached(List<RoundResult> rounds) {
    double kept = rounds.get(rounds.size() - 1).fractionRemaining();
    return String.format(
        "target %s of the weights remaining: reached %s, %s (tolerance ±%s relative)",
        percent(remaining),
        percent(kept),
        new TargetSearch(remaining, tolerance).within(kept) ? "within" : "OUTSIDE",
        percent(tolerance));
  }

  private static Map<String, String> with(Map<String, String> given, double s0) {
    Map<String, String> m = new LinkedHashMap<>(given);
    m.put(S0, format(s0));
    return m;
  }

  private static String format(double s0) {
    return ValueFormat.format(s0);
  }

  private static String percent(double fraction) {
    return String.format("%.2f%%", 100 * fraction);
  }
}
