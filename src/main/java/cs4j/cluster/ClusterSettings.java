package cs4j.cluster;

/**
 * How a job's tasks are placed on the cluster.
 *
 * @param master the Spark master URL ({@code local[2]}, {@code spark://host:7077}, ...), or null to
 *     take {@code spark.master} from the configuration {@code spark-submit} passes, else {@code
 *     local[*]}
 * @param cpusPerTask cores each task takes ({@code spark.task.cpus})
 * @param gpuPerTask whether each task takes one GPU ({@code spark.task.resource.gpu.amount=1})
 */
public record ClusterSettings(String master, int cpusPerTask, boolean gpuPerTask) {
  public ClusterSettings {
    if (cpusPerTask < 1) {
      throw new IllegalArgumentException("cpus per task must be >= 1, got " + cpusPerTask);
    }
  }
}
