package cs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The files of run directories, compared byte for byte but for the wall-clock seconds. */
final class RunDirectoryFiles {
  private RunDirectoryFiles() {}

  /** Relative path → content, the wall-clock {@code "seconds"} fields zeroed. */
  static Map<String, String> withoutSeconds(Path run) throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, String> f : exactly(run).entrySet()) {
      String name = f.getKey();
      boolean json = name.endsWith(".json") || name.endsWith(".jsonl");
      out.put(
          name,
          json ? f.getValue().replaceAll("\"seconds\":[^,}]+", "\"seconds\":0") : f.getValue());
    }
    return out;
  }

  /** Relative path → content, one char a byte. */
  static Map<String, String> exactly(Path run) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(run)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        out.put(
            run.relativize(p).toString(),
            new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
      }
    }
    return out;
  }

  /** Every file of {@code actual} equals {@code expected}'s, but for the seconds. */
  static void assertSameFiles(Path expected, Path actual) throws IOException {
    Map<String, String> want = withoutSeconds(expected);
    Map<String, String> got = withoutSeconds(actual);
    assertEquals(want.keySet(), got.keySet(), "the files of " + actual + " and " + expected);
    for (String name : want.keySet()) {
      assertTrue(
          want.get(name).equals(got.get(name)),
          name + " of " + actual + " differs from " + expected + "'s");
    }
  }
}
