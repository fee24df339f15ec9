package cs4j.cluster;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * Runs a list of task descriptions as one Spark job, one task (one partition) per description, and
 * returns what the tasks sent back, in the order of the list. Spark places the tasks on the
 * executors, each taking {@code spark.task.cpus} cores (and a GPU when asked), and retries a task
 * whose attempt failed or whose executor was lost.
 *
 * <p>The rest of the configuration is Spark's own: {@code spark-submit --conf}, {@code
 * spark-defaults.conf} and {@code spark.*} system properties all apply.
 *
 * <p>NOTE: this class names Spark types; load it only after {@link SparkRuntime#present}.
 */
public final class SparkTasks {
  private SparkTasks() {}

  /**
   * Runs {@code body} on each of {@code tasks} as a Spark task of the application {@code appName}
   * (unless {@code spark-submit --name} named it), on the cluster that {@code settings} names.
   */
  public static <T extends Serializable, R extends Serializable> List<R> run(
      ClusterSettings settings, String appName, List<T> tasks, TaskBody<T, R> body) {
    try (JavaSparkContext spark = new JavaSparkContext(conf(settings, appName))) {
      return spark.parallelize(tasks, tasks.size()).map(t -> body.run(t, slot())).collect();
    }
  }

  static SparkConf conf(ClusterSettings settings, String appName) {
    SparkConf conf = new SparkConf().setIfMissing("spark.app.name", appName);
    if (settings.master() != null) {
      conf.setMaster(settings.master());
    }
    conf.setIfMissing("spark.master", "local[*]");
    conf.set("spark.task.cpus", Integer.toString(settings.cpusPerTask()));
    if (settings.gpuPerTask()) {
      conf.setIfMissing("spark.task.resource.gpu.amount", "1");
    }
    return conf;
  }

  /** The attempt and resources of the task running on this thread. */
  private static TaskSlot slot() {
    TaskContext context = TaskContext.get();
    ResourceInformation gpu = context.resourcesJMap().get("gpu");
    return new TaskSlot(
        context.attemptNumber(),
        gpu == null || gpu.addresses().length == 0
            ? Optional.empty()
            : Optional.of(gpu.addresses()[0]));
  }
}
