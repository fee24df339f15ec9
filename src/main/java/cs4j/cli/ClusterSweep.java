package cs4j.cli;

import cs4j.cluster.ClusterSettings;
import cs4j.cluster.SparkRuntime;
import cs4j.cluster.SparkTasks;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A sweep whose runs are Spark tasks ({@code sweep --spark}): one task per configuration ({@link
 * SweepTask}), each writing its usual run directory under {@code --runs-dir}, which must be storage
 * that every executor sees. The driver gathers the tasks' results into the sweep's table.
 */
final class ClusterSweep {
  static final String APP_NAME = "cs4j sweep";

  private ClusterSweep() {}

  /** Runs {@code runs}, the grid of the command line {@code args}, on the cluster of settings. */
  static ConcurrentRuns.Outcome run(
      List<ConcurrentRuns.Labelled> runs,
      List<String> args,
      ClusterSettings settings,
      PrintWriter out) {
    if (!SparkRuntime.present()) {
      throw new BadInputException(
          "--spark needs Apache Spark on the class path, and bin/cs4j does not bring it: submit"
              + " the sweep with spark-submit --class cs4j.cli.Main cs4j-VERSION.jar sweep ..."
              + " --spark (README: Running a sweep on a cluster)");
    }
    String base = Path.of("").toAbsolutePath().toString();
    List<SweepTask> tasks = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      out.printf("  %s -> %s%n", runs.get(i).label(), runs.get(i).experiment().directory().path());
      tasks.add(new SweepTask(args, base, i));
    }
    out.flush();
    List<ResultTable.Row> rows = new ArrayList<>();
    List<ResultTable.Failure> failures = new ArrayList<>();
    for (SweepTask.Outcome o : SparkTasks.run(settings, APP_NAME, tasks, SweepTask::run)) {
      rows.addAll(o.rows());
      if (o.failure() != null) {
        failures.add(o.failure());
      }
    }
    return new ConcurrentRuns.Outcome(rows, failures);
  }
}
