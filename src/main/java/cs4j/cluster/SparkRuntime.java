package cs4j.cluster;

/**
 * Whether Apache Spark is on the class path. Spark is a {@code provided} dependency: {@code
 * spark-submit} brings it, the {@code bin/cs4j} distribution does not. This class names no Spark
 * type, so asking it loads no Spark class; {@link SparkTasks} does, and is only loaded once this
 * says Spark is there.
 */
public final class SparkRuntime {
  private SparkRuntime() {}

  /** Whether {@code org.apache.spark.SparkContext} can be loaded. */
  public static boolean present() {
    try {
      Class.forName("org.apache.spark.SparkContext", false, SparkRuntime.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
