package cs4j.cli;

import cs4j.backend.Devices;
import cs4j.sparsity.LayerSelection;
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

  /** The search for a target sparsity this command offers, or null (the default: none). */
  TargetSparsity target() {
    return null;
  }

  /** The method hyperparameters given by {@code --hp} and by flags (component name → text). */
  private Map<String, String> given(String method) {
    Map<String, String> overrides = new LinkedHashMap<>(hp);
    overrides.putAll(flags.given(spec.commandLine().getParseResult(), method));
    return overrides;
  }

  /** The validated experiment; nothing is written. */
  Experiment experiment() {
    DataSource source = data.source(training.model());
    return Experiment.of(
        methodName(),
        given(methodName()),
        training.resolve(source),
        run.layersFor(training.model),
        source,
        run.runsDir);
  }

  @Override
  public Integer call() throws InterruptedException {
    run.check();
    TargetSparsity target = target();
    if (target == null || !target.active()) {
      if (target != null) {
        target.check(methodName(), given(methodName()));
      }
      Experiment ex = experiment();
      runAndPrint(ex, ex.loadData(), run.execution(), run, spec.commandLine().getOut());
      return 0;
    }
    return searchTarget(target);
  }

  /**
   * {@code --target-remaining}: probes for s0 ({@link TargetSparsity}), then the run at the chosen
   * s0, and how near the target it came.
   */
  private int searchTarget(TargetSparsity target) throws InterruptedException {
    String method = methodName();
    Map<String, String> given = given(method);
    target.check(method, given);
    DataSource source = data.source(training.model());
    TrainingHparams hp = training.resolve(source);
    LayerSelection layers = run.layersFor(training.model);
    experiment(); // refuses impossible method values before anything is loaded or written
    ExperimentData loaded = Experiment.loadData(source, hp);
    Execution execution = run.execution();
    PrintWriter out = spec.commandLine().getOut();
    out.println("engine: " + Devices.describe(execution.device()));
    Experiment chosen =
        target.search(
            method,
            given,
            hp,
            layers,
            source,
            run.runsDir,
            loaded,
            execution,
            out,
            spec.commandLine().getErr());
    Devices.setCpuThreads(
        run.threads != null ? run.threads : Runtime.getRuntime().availableProcessors());
    List<RoundResult> results = runAndPrint(chosen, loaded, execution, run, out);
    out.println(target.reached(results));
    out.flush();
    return 0;
  }

  /**
   * Runs {@code ex} as {@code execution} says, printing the engine it runs on, each round as it
   * finishes and then the table of all rounds.
   */
  static List<RoundResult> runAndPrint(
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
    return results;
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
