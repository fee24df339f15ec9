package cs4j.cli;

import cs4j.backend.Devices;
import cs4j.cluster.TaskSlot;
import cs4j.sparsity.RoundResult;
import cs4j.train.Progress;
import cs4j.train.TrainingDivergedException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

/**
 * One configuration of a sweep as a Spark task: the sweep's command line, the directory its
 * relative paths start from, and which of its runs this task is. The executor works the runs out
 * again from the command line ({@link SweepCommand#runs}, so the same directory, hash and label)
 * and runs this one with the code of a local run ({@link Experiment#run}): a finished run is read
 * back, an interrupted one resumes from its checkpoint.
 *
 * <p>Two attempts of the same run (a retry beside a slow attempt, a speculative copy) must not both
 * train it: the run's lock ({@link RunLock}) lets one in, and the other waits until the lock is
 * free, then finds the run finished and reads its results.
 *
 * <p>A run that fails for a reason of its own (bad data for the model, a diverged loss) sends its
 * error back, as a line of the table. Any other exception fails the attempt, and Spark retries it.
 *
 * @param args {@code sweep ...}, as the driver was given it
 * @param base the driver's working directory
 * @param index which run of the grid this task is
 */
record SweepTask(List<String> args, String base, int index) implements Serializable {
  /** How often a waiting attempt asks for the run's lock again. */
  static final long LOCK_POLL_MILLIS = 1000;

  /** What a task sends back: the run's rows, or its error. */
  record Outcome(String label, List<ResultTable.Row> rows, ResultTable.Failure failure)
      implements Serializable {}

  static Outcome run(SweepTask task, TaskSlot slot) throws InterruptedException {
    SweepCommand sweep = SweepCommand.parse(task.args(), Path.of(task.base()));
    ConcurrentRuns.Labelled run = sweep.runs().get(task.index());
    String label = run.label();
    try {
      Devices.setCpuThreads(sweep.threadsPerRun);
      Execution execution =
          slot.gpu().isPresent()
              ? sweep.run.executionOn("cuda:" + slot.gpu().get())
              : sweep.run.execution();
      ExperimentData data = run.experiment().loadData();
      Progress progress = FirstAttemptFailure.progress(slot.attempt());
      return new Outcome(
          label, ResultTable.rows(label, once(run, data, execution, progress)), null);
    } catch (BadInputException
        | TrainingDivergedException
        | ArithmeticException
        | IllegalArgumentException e) {
      return new Outcome(label, List.of(), new ResultTable.Failure(label, Main.causes(e)));
    }
  }

  /** Runs {@code run}, or waits while another attempt runs it and then reads it back. */
  private static List<RoundResult> once(
      ConcurrentRuns.Labelled run, ExperimentData data, Execution execution, Progress progress)
      throws InterruptedException {
    while (true) {
      try {
        return run.experiment().run(data, execution, progress, round -> {});
      } catch (RunInUseException e) {
        Thread.sleep(LOCK_POLL_MILLIS);
      }
    }
  }
}
