package cs4j.cli;

import cs4j.backend.Devices;
import cs4j.sparsity.LayerSelection;
import cs4j.tensor.Device;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The main job on the data that ships with cs4j: Continuous Sparsification ticket search against
 * iterative magnitude pruning on LeNet-300-100 and the embedded Fashion-MNIST subset (5,400
 * training, 600 validation, 1,000 test images), with a small budget so that it ends in about two
 * minutes on two cores.
 *
 * <p>Budget (defaults): 3 epochs per round. CS: three searches (s0 = −0.005, −0.01, −0.02; with so
 * few epochs the logits barely leave s0, so small offsets already set the sparsity), each 2 search
 * rounds and one ticket retraining, rewinding to epoch 1 (9 epochs each). IMP: 15 rounds (the dense
 * one included) pruning the usual 20% of the remaining weights each, rewinding to epoch 1 (45
 * epochs; 100 → 4.4% remaining). The runs go side by side, one CPU thread each, as many at once as
 * there are cores. They are ordinary run directories: re-running the demo reuses what is finished.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "CS ticket search vs IMP on the embedded Fashion-MNIST subset (under a minute on two"
            + " cores): prints a table and writes a plot.")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--runs-dir", paramLabel = "DIR", defaultValue = "runs")
  Path runsDir;

  @Option(
      names = "--plot",
      paramLabel = "FILE.png",
      description = "where the plot goes (default: demo.png in --runs-dir)")
  Path plot;

  @Option(
      names = "--device",
      paramLabel = "DEVICE",
      defaultValue = "cpu",
      description = "cpu, cuda or cuda:N (default: ${DEFAULT-VALUE})")
  String device;

  @Option(names = "--model", paramLabel = "NAME", defaultValue = "lenet300")
  String model;

  @Option(names = "--epochs", paramLabel = "E", defaultValue = "3", description = "per round")
  int epochs;

  @Option(
      names = "--cs-s0",
      paramLabel = "S0",
      split = ",",
      defaultValue = "-0.005,-0.01,-0.02",
      description = "one CS search per value (default: ${DEFAULT-VALUE})")
  List<String> csS0;

  @Option(names = "--cs-lambda", paramLabel = "L", defaultValue = "1e-8")
  String csLambda;

  @Option(names = "--cs-rounds", paramLabel = "R", defaultValue = "2")
  int csRounds;

  @Option(names = "--imp-rounds", paramLabel = "N", defaultValue = "15")
  int impRounds;

  @Option(names = "--imp-prune-rate", paramLabel = "P", defaultValue = "0.2")
  String impPruneRate;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException, IOException {
    PrintWriter out = spec.commandLine().getOut();
    PathChecks.requireDirectory(runsDir, "--runs-dir");
    if (plot != null) {
      PathChecks.requireWritableFile(plot, "--plot");
    }
    Device dev = RunOptions.openDevice(device);
    String rewind = epochs > 1 ? "1" : "0";
    TrainingOptions flags = new TrainingOptions();
    flags.model = model;
    flags.epochs = epochs;
    DataSource source = DataSource.subset();
    TrainingHparams hp = flags.resolve(source);
    LayerSelection layers = RunOptions.defaultLayers(model);

    List<Experiment> experiments = new ArrayList<>();
    Map<String, String> imp = new LinkedHashMap<>();
    imp.put("rounds", Integer.toString(impRounds));
    imp.put("pruneRate", impPruneRate);
    imp.put("rewindEpoch", rewind);
    experiments.add(Experiment.of("imp", imp, hp, layers, source, runsDir));
    for (String s0 : csS0) {
      Map<String, String> cs = new LinkedHashMap<>();
      cs.put("s0", s0.trim());
      cs.put("lambda", csLambda);
      cs.put("rounds", Integer.toString(csRounds));
      cs.put("rewindEpoch", rewind);
      experiments.add(Experiment.of("cs", cs, hp, layers, source, runsDir));
    }
    List<ConcurrentRuns.Labelled> runs = ConcurrentRuns.labelled(experiments);
    ConcurrentRuns.checkDistinct(runs);
    ExperimentData data = Experiment.loadData(source, hp);

    int cores = Runtime.getRuntime().availableProcessors();
    out.printf(
        "cs4j demo: CS ticket search vs IMP, %s on fashion-mnist-subset (%d train / %d validation"
            + " / %d test images)%n",
        model,
        data.train().dataset().size(),
        data.validation().dataset().size(),
        data.test().dataset().size());
    out.printf(
        "budget: %d epochs per round; CS: %d search(es) of %d round(s) + ticket retraining;"
            + " IMP: %d rounds pruning %s of the remaining weights; %d at a time on %d cores%n",
        epochs,
        csS0.size(),
        csRounds,
        impRounds,
        impPruneRate,
        Math.min(cores, runs.size()),
        cores);
    out.flush();
    long t0 = System.nanoTime();
    Devices.setCpuThreads(1);
    out.println("engine: " + Devices.describe(dev));
    ConcurrentRuns.Outcome outcome =
        ConcurrentRuns.run(
            runs, data, new Execution(dev, false, 0), cores, out, spec.commandLine().getErr());
    out.println();
    ResultTable.print(outcome.rows(), out);
    printSummary(outcome.rows(), out);

    List<FinishedRun> finished = new ArrayList<>();
    runs.forEach(r -> finished.add(FinishedRun.read(r.experiment().directory().path())));
    Path png = plot != null ? plot : runsDir.resolve("demo.png");
    AccuracyChart.write(
        Report.chart(
            model
                + " on the Fashion-MNIST subset: CS ticket search vs IMP, "
                + epochs
                + " epochs per round",
            Report.plot(finished)),
        png,
        null);
    out.printf("%nplot: %s (%.0f s)%n", png, (System.nanoTime() - t0) / 1e9);
    out.flush();
    return outcome.failed() == 0 ? 0 : 1;
  }

  /**
   * The paper's comparison in one line per method: the sparsest network (search rounds aside)
   * within one point of the dense accuracy (IMP's round 0), and the training it took.
   */
  private static void printSummary(List<ResultTable.Row> rows, PrintWriter out) {
    ResultTable.Row dense =
        rows.stream().filter(r -> r.stage().equals("dense")).findFirst().orElse(null);
    if (dense == null) {
      return;
    }
    out.printf("%ndense accuracy (IMP round 0): %.2f%%%n", dense.testAccuracy());
    for (String method : List.of("cs", "imp")) {
      rows.stream()
          .filter(r -> r.run().split(" ")[0].equals(method))
          .filter(r -> !r.stage().equals(Report.SEARCH_STAGE) && r.warning() == null)
          .filter(r -> r.testAccuracy() >= dense.testAccuracy() - 1)
          .min(java.util.Comparator.comparingDouble(ResultTable.Row::percentRemaining))
          .ifPresent(
              r ->
                  out.printf(
                      "sparsest %s network within 1 point of dense: %.2f%% of weights remaining,"
                          + " %.2f%% test accuracy, after %d epochs in %d round(s) (%s)%n",
                      method,
                      r.percentRemaining(),
                      r.testAccuracy(),
                      r.epochsSoFar(),
                      r.round() + 1,
                      r.run()));
    }
  }
}
