package cs4j.cli;

import cs4j.backend.Devices;
import cs4j.cluster.ClusterSettings;
import cs4j.sparsity.Methods;
import cs4j.tensor.Device;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Several runs of one method over a grid of hyperparameter values, run at the same time.
 *
 * <p>Each method flag takes a comma-separated list; the runs are the Cartesian product of the lists
 * (e.g. {@code --s0 -0.3,-0.2,-0.1,0 --lambda 1e-8,1e-7}: eight CS searches). Sparsity in CS is set
 * by s0 and λ rather than by rounds, so its searches run in parallel and one wall-clock search
 * covers a whole accuracy–sparsity curve (the paper's parallel search); an IMP run stays a sequence
 * of rounds, but several IMP runs (e.g. prune rates) still run side by side.
 *
 * <p>CPU threads: {@code --threads-per-run T} sets {@link Devices#setCpuThreads}(T), so every
 * kernel splits its work over T threads: the run's own thread takes one and a pool of T−1 workers,
 * shared by all runs, the others. {@code --parallel P} runs execute at once (default max(1,
 * cores/T)), so about P·T threads are busy. T = 1 (the default) makes each run single-threaded with
 * no hand-off, which is the most efficient use of a CPU when there are at least as many runs as
 * cores. Results are identical for any T and P.
 *
 * <p>{@code --spark [MASTER]} runs each configuration as an Apache Spark task instead ({@link
 * ClusterSweep}), each taking T cores ({@code spark.task.cpus}) and, with {@code --device cuda}, a
 * GPU; the run directories and the table are the same as the local sweep's.
 */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    description = "Run a grid of hyperparameter values of one method, concurrently.")
final class SweepCommand implements Callable<Integer>, Main.MethodFlagsOwner {
  @Mixin DataOptions data;
  @Mixin TrainingOptions training;
  @Mixin RunOptions run;

  @Option(
      names = "--method",
      paramLabel = "NAME",
      defaultValue = "cs",
      description = "the method to sweep (default: ${DEFAULT-VALUE})")
  String method;

  @Option(
      names = "--threads-per-run",
      paramLabel = "T",
      defaultValue = "1",
      description = "CPU kernel threads per run (default: ${DEFAULT-VALUE})")
  int threadsPerRun;

  @Option(
      names = "--parallel",
      paramLabel = "P",
      description =
          "runs at the same time (default: max(1, cores / threads-per-run) on the CPU, 4 on a GPU)")
  Integer parallel;

  @Spec CommandSpec spec;

  private MethodFlags flags;

  @Override
  public void installFlags(CommandSpec s) {
    flags = MethodFlags.install(s, List.copyOf(Methods.names()), true);
  }

  @Option(
      names = "--spark",
      paramLabel = "MASTER",
      arity = "0..1",
      fallbackValue = "",
      description =
          "run each configuration as an Apache Spark task, on MASTER (local[4],"
              + " spark://host:7077, ...; without a value: spark-submit's --master, else"
              + " local[*]); needs Spark on the class path (spark-submit; README: Running a sweep"
              + " on a cluster)")
  String spark;

  @Override
  public Integer call() throws InterruptedException {
    TrainingHparams.require(run.threads == null, "sweep takes --threads-per-run, not --threads");
    run.check();
    PrintWriter out = spec.commandLine().getOut();
    if (spark != null) {
      TrainingHparams.require(
          parallel == null,
          "--parallel is for a local sweep; with --spark, an executor runs spark.executor.cores /"
              + " --threads-per-run runs at a time");
      run.checkDeviceName();
      List<ConcurrentRuns.Labelled> runs = runs();
      out.printf(
          "sweep: %d runs of %s as Spark tasks, %d CPU thread(s) each%n",
          runs.size(), method, threadsPerRun);
      ConcurrentRuns.Outcome outcome = ClusterSweep.run(runs, arguments(), clusterSettings(), out);
      return finish(outcome, out);
    }
    Execution execution = run.execution();
    Device device = execution.device();
    int cores = Runtime.getRuntime().availableProcessors();
    int p = parallel != null ? parallel : defaultParallel(device, cores, threadsPerRun);
    TrainingHparams.require(p >= 1, "--parallel must be >= 1, got " + p);
    List<ConcurrentRuns.Labelled> runs = runs();
    ExperimentData loaded = runs.get(0).experiment().loadData();

    Devices.setCpuThreads(threadsPerRun);
    out.printf(
        "sweep: %d runs of %s, %d at a time, %d CPU thread(s) each (%d cores)%n",
        runs.size(), method, Math.min(p, runs.size()), threadsPerRun, cores);
    out.println("engine: " + Devices.describe(device));
    ConcurrentRuns.Outcome outcome =
        ConcurrentRuns.run(runs, loaded, execution, p, out, spec.commandLine().getErr());
    int code = finish(outcome, out);
    MethodCommand.printDeviceMemory(device, out);
    out.flush();
    return code;
  }

  /** Prints the table of {@code outcome}; the exit code: 1 if a run failed, else 0. */
  private static int finish(ConcurrentRuns.Outcome outcome, PrintWriter out) {
    out.println();
    ResultTable.print(outcome.rows(), outcome.failures(), out);
    out.flush();
    return outcome.failed() == 0 ? 0 : 1;
  }

  /**
   * The runs of the grid, labelled, each in a directory of its own; bad input (exit 2) before
   * anything is written. A Spark task works them out again from the same command line ({@link
   * SweepTask}).
   */
  List<ConcurrentRuns.Labelled> runs() {
    if (!Methods.names().contains(method)) {
      throw new BadInputException(
          "unknown method '" + method + "'; known methods: " + String.join(", ", Methods.names()));
    }
    TrainingHparams.require(
        threadsPerRun >= 1, "--threads-per-run must be >= 1, got " + threadsPerRun);
    DataSource source = data.source(training.model());
    TrainingHparams hp = training.resolve(source);
    Map<String, String> lists = flags.given(spec.commandLine().getParseResult(), method);
    List<Experiment> experiments = new ArrayList<>();
    for (Map<String, String> point : grid(lists)) {
      experiments.add(
          Experiment.of(method, point, hp, run.layersFor(training.model), source, run.runsDir));
    }
    List<ConcurrentRuns.Labelled> runs = ConcurrentRuns.labelled(experiments);
    ConcurrentRuns.checkDistinct(runs);
    return runs;
  }

  /** The command line this sweep was given, from the subcommand's name on. */
  private List<String> arguments() {
    List<String> all = spec.root().commandLine().getParseResult().originalArgs();
    return List.copyOf(all.subList(all.indexOf(spec.name()), all.size()));
  }

  /** Where the Spark tasks go and what each takes: T cores, and a GPU when --device is cuda. */
  private ClusterSettings clusterSettings() {
    return new ClusterSettings(
        spark.isEmpty() ? null : spark, threadsPerRun, run.device.startsWith("cuda"));
  }

  /**
   * The sweep of command line {@code args} ({@code sweep ...}), its relative paths taken from
   * {@code base}: how a Spark task, in a working directory of its own, reads the driver's command.
   */
  static SweepCommand parse(List<String> args, Path base) {
    CommandLine cli = Main.commandLine();
    SweepCommand sweep =
        (SweepCommand)
            cli.parseArgs(args.toArray(String[]::new)).subcommand().commandSpec().userObject();
    sweep.run.resolveAgainst(base);
    sweep.data.resolveAgainst(base);
    return sweep;
  }

  /**
   * Runs at once by default: one per T cores on the CPU; {@value #GPU_PARALLEL} on a GPU, each on a
   * stream of its own (a ResNet-20 search at batch 128 holds under 1 GB, so they fit a GPU's
   * memory; an out-of-memory error says to lower {@code --parallel}).
   */
  static int defaultParallel(Device device, int cores, int threadsPerRun) {
    return device == Device.CPU ? Math.max(1, cores / threadsPerRun) : GPU_PARALLEL;
  }

  static final int GPU_PARALLEL = 4;

  /** The Cartesian product of the comma-separated values of each given flag, in flag order. */
  static List<Map<String, String>> grid(Map<String, String> lists) {
    List<Map<String, String>> points = new ArrayList<>();
    points.add(new LinkedHashMap<>());
    for (Map.Entry<String, String> e : lists.entrySet()) {
      List<Map<String, String>> next = new ArrayList<>();
      for (Map<String, String> point : points) {
        for (String value : e.getValue().split(",", -1)) {
          TrainingHparams.require(
              !value.isBlank(), "empty value in the list for " + e.getKey() + ": " + e.getValue());
          Map<String, String> p = new LinkedHashMap<>(point);
          p.put(e.getKey(), value.trim());
          next.add(p);
        }
      }
      points = next;
    }
    return points;
  }
}
