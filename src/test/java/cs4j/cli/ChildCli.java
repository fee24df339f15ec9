package cs4j.cli;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code cs4j.cli.Main} in a JVM of its own, on the tests' class path with the SIMD module,
 * for the tests that need a second process or kill one. Output goes to files under {@code logs}.
 */
record ChildCli(int exitCode, String out, String err) {
  /** Longer than any child of these tests needs; a hung child fails its test instead of CI. */
  private static final long TIMEOUT_SECONDS = 120;

  /** Runs {@code args} with system properties {@code properties}; waits for the exit. */
  static ChildCli run(Path logs, Map<String, String> properties, String... args)
      throws IOException, InterruptedException {
    return runOn(System.getProperty("java.class.path"), logs, properties, args);
  }

  /** {@link #run}, on class path {@code classPath}. */
  static ChildCli runOn(String classPath, Path logs, Map<String, String> properties, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--add-modules");
    command.add("jdk.incubator.vector");
    command.add("-Djava.awt.headless=true");
    command.add("-Xmx1g");
    properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
    command.add("-cp");
    command.add(classPath);
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    Files.createDirectories(logs);
    Path out = Files.createTempFile(logs, "child", ".out");
    Path err = Files.createTempFile(logs, "child", ".err");
    Process p =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      fail("child JVM still running after " + TIMEOUT_SECONDS + " s: " + String.join(" ", args));
    }
    return new ChildCli(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /** What to print when an assertion on this run fails. */
  String describe() {
    return "exit " + exitCode + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
  }
}
