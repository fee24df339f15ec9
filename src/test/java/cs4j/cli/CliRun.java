package cs4j.cli;

import cs4j.backend.cpu.CpuBackend;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Runs the command line in-process and keeps its exit code and both output streams. */
record CliRun(int exitCode, String out, String err) {
  /**
   * Runs {@code args}; the CPU thread count, which {@code --threads}, {@code sweep} and {@code
   * demo} set for the whole JVM, is restored afterwards for the tests that follow.
   */
  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int threads = CpuBackend.get().threads();
    try {
      int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
      return new CliRun(code, out.toString(), err.toString());
    } finally {
      if (CpuBackend.get().threads() != threads) {
        CpuBackend.setThreads(threads);
      }
    }
  }

  /** What to print when an assertion on this run fails. */
  String describe() {
    return "exit " + exitCode + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
  }

  /** A one-epoch LeNet-300-100 {@code train} on 200 embedded images, one thread, quiet. */
  static String[] tinyTrain(Path runs) {
    return new String[] {
      "train",
      "--model",
      "lenet300",
      "--epochs",
      "1",
      "--train-size",
      "200",
      "--threads",
      "1",
      "--quiet",
      "--runs-dir",
      runs.toString()
    };
  }

  /** The one run directory under {@code runs}. */
  static Path onlyRun(Path runs) throws IOException {
    try (Stream<Path> dirs = Files.list(runs)) {
      return dirs.findFirst().orElseThrow();
    }
  }

  /** The entries of {@code dir}, or 0 when it does not exist. */
  static long entries(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }
}
