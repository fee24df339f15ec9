package cs4j.cluster;

import java.io.Serializable;

/**
 * What one Spark task does with its task description. It is serialised with the job and runs on an
 * executor, so it must not capture the driver's state: a static method reference is the safe form.
 *
 * @param <T> the task description, shipped to the executor
 * @param <R> what the task sends back to the driver
 */
@FunctionalInterface
public interface TaskBody<T extends Serializable, R extends Serializable> extends Serializable {
  /**
   * Runs {@code task} in {@code slot}. An exception fails this attempt: Spark runs the task again,
   * up to its {@code spark.task.maxFailures}, then fails the job.
   */
  R run(T task, TaskSlot slot) throws Exception;
}
