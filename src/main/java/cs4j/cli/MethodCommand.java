package cs4j.cli;

import cs4j.backend.Devices;
import cs4j.sparsity.RoundResult;
import cs4j.tensor.Device;
import cs4j.train.Progress;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A subcommand that runs one pruning method (or dense training) once, in the run directory named by
 * its hyperparameters, and prints its rounds as a table.
 */
abstract class MethodCommand implements Callable<Integer>, Main.MethodFlagsOwner {
  @Mixin DataOptions data;
  @Mixin TrainingOptions training;
  @Mixin RunOptions run;

  @Option(
      names = "--hp",
      paramLabel = "NAME=VALUE",
      description = "a method hyperparameter by its record name (same as its flag), e.g. s0=-0.1")
  Map<String, String> hp = new LinkedHashMap<>();

  @Spec CommandSpec spec;

  private MethodFlags flags;

  /** The registry name of the method this invocation runs (may depend on flags). */
  abstract String methodName();

  /** The methods whose hyperparameters this command offers as flags. */
  abstract List<String> flagMethods();

  @Override
  public void installFlags(CommandSpec s) {
    flags = MethodFlags.install(s, flagMethods(), false);
  }

  /** The validated experiment; nothing is written. */
  Experiment experiment() {
    String method = methodName();
    Map<String, String> overrides = new LinkedHashMap<>(hp);
    overrides.putAll(flags.given(spec.commandLine().getParseResult(), method));
    DataSource source = data.source(training.model());
    return Experiment.of(
        method,
        overrides,
        training.resolve(source),
        run.layersFor(training.model),
        source,
        run.runsDir);
  }

  @Override
  public Integer call() {
    run.check();
    Experiment ex = experiment();
    Execution execution = run.execution();
    runAndPrint(ex, ex.loadData(), execution, run, spec.commandLine().getOut());
    return 0;
  }

  /**
   * Runs {@code ex} as {@code execution} says, printing the engine it runs on, each round as it
   * finishes and then the table of all rounds.
   */
  static void runAndPrint(
      Experiment ex, ExperimentData data, Execution execution, RunOptions run, PrintWriter out) {
    applyThreads(run.threads);
    out.println("engine: " + Devices.describe(execution.device()));
    out.println("run directory: " + ex.directory().path());
    out.flush();
    List<RoundResult> results =
        ex.run(
            data,
            execution,
            run.quiet ? Progress.silent() : Progress.auto(),
            r -> {
              out.printf(
                  "round %d (%s): %.2f%% of weights remaining, test accuracy %.2f%%%n",
                  r.round(), r.stage(), 100 * r.fractionRemaining(), 100 * r.testAccuracy());
              out.flush();
            });
    out.println();
    ResultTable.print(ResultTable.rows(ex.method().name(), results), out);
    printDeviceMemory(execution.device(), out);
    out.flush();
  }

  /** Live and peak device memory after a run, where the device counts it (not the CPU). */
  static void printDeviceMemory(Device device, PrintWriter out) {
    if (device != Device.CPU) {
      out.printf(
          "device memory on %s: %.1f MiB live after the run, %.1f MiB at the peak%n",
          device.name(), device.liveBytes() / 1048576.0, device.peakLiveBytes() / 1048576.0);
    }
  }

  /** Sets the CPU kernels' thread count when one is given. */
  static void applyThreads(Integer threads) {
    if (threads == null) {
      return;
    }
    TrainingHparams.require(threads >= 1, "--threads must be >= 1, got " + threads);
    Devices.setCpuThreads(threads);
  }
}
