package cs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code cs4j --version} names the version that Maven built, the Java runtime and the engine. */
class VersionInfoTest {
  @Test
  void versionIsTheProjectVersionFromThePom() throws IOException {
    Matcher m =
        Pattern.compile("<artifactId>cs4j</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(Files.readString(Path.of("pom.xml")));
    assertTrue(m.find(), "pom.xml names the project's version");

    CliRun run = CliRun.of("--version");
    assertEquals(0, run.exitCode(), run.describe());
    String[] lines = run.out().strip().split("\n");
    assertEquals("cs4j " + m.group(1), lines[0], run.describe());
    assertTrue(lines[1].startsWith("Java " + Runtime.version().feature()), run.describe());
    assertTrue(lines[2].startsWith("cpu: pure-Java CPU backend"), run.describe());
  }
}
