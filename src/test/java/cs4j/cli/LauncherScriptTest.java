package cs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's launcher, {@code src/main/dist/bin/cs4j}, laid out as the assembly lays it out
 * ({@code APP/bin/cs4j}, {@code APP/lib/}) and run with a stand-in {@code java} that records its
 * arguments, one per line: what the script passes to the JVM, without building the distribution.
 * (.ci/run runs the real one.)
 */
class LauncherScriptTest {
  private static final Path SCRIPT = Path.of("src/main/dist/bin/cs4j");

  @TempDir Path tmp;
  private Path app;
  private Path jdk;
  private Path argsFile;

  @BeforeEach
  void layOut() throws IOException {
    assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "no /bin/sh on this machine");
    app = tmp.resolve("app");
    Files.createDirectories(app.resolve("lib"));
    Path launcher = app.resolve("bin/cs4j");
    Files.createDirectories(launcher.getParent());
    Files.copy(SCRIPT, launcher);
    executable(launcher);
    jdk = tmp.resolve("jdk");
    argsFile = tmp.resolve("java-args.txt");
    Path java = jdk.resolve("bin/java");
    Files.createDirectories(java.getParent());
    Files.writeString(
        java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > \"$ARGS_FILE\"\n");
    executable(java);
  }

  @Test
  void passesTheVectorModuleHeadlessPlainConsoleAndUsersOptionsThenTheArgumentsUnchanged()
      throws Exception {
    Result r =
        run(
            app.resolve("bin/cs4j"),
            tmp,
            Map.of("JAVA_OPTS", "-Xmx3g -Dfoo=bar", "CS4J_OPTS", "-Dcs4j.threads=1"),
            "report",
            "my runs",
            "--out",
            "a b.png");
    assertEquals(0, r.exitCode(), r.describe());
    String lib = app.toRealPath().resolve("lib") + "/*";
    assertEquals(
        List.of(
            "--add-modules",
            "jdk.incubator.vector",
            "-Djava.awt.headless=true",
            "-Xmx3g",
            "-Dfoo=bar",
            "-Dcs4j.threads=1",
            "-cp",
            lib,
            "cs4j.cli.Main",
            "report",
            "my runs",
            "--out",
            "a b.png"),
        r.javaArgs(),
        r.describe());
  }

  @Test
  void findsItsLibDirectoryThroughSymlinksFromAnyDirectory() throws Exception {
    // bin/cs4j <- tools/cs4j-link <- elsewhere/cs4j: two hops, the second one relative.
    Path tools = Files.createDirectories(tmp.resolve("tools"));
    Files.createSymbolicLink(tools.resolve("cs4j-link"), app.resolve("bin/cs4j"));
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.createSymbolicLink(elsewhere.resolve("cs4j"), Path.of("../tools/cs4j-link"));
    Path cwd = Files.createDirectories(tmp.resolve("work"));

    Result r = run(elsewhere.resolve("cs4j"), cwd, Map.of(), "--version");

    assertEquals(0, r.exitCode(), r.describe());
    List<String> args = r.javaArgs();
    int cp = args.indexOf("-cp");
    assertTrue(cp >= 0, r.describe());
    assertEquals(app.toRealPath().resolve("lib") + "/*", args.get(cp + 1), r.describe());
    assertEquals(List.of("cs4j.cli.Main", "--version"), args.subList(cp + 2, args.size()));
  }

  @Test
  void aJavaHomeWithoutJavaIsRefusedNamingIt() throws Exception {
    Path notJdk = Files.createDirectories(tmp.resolve("not-a-jdk"));
    Result r = run(app.resolve("bin/cs4j"), tmp, Map.of("JAVA_HOME", notJdk.toString()), "--help");
    assertEquals(2, r.exitCode(), r.describe());
    assertTrue(r.err().contains("JAVA_HOME is set to '" + notJdk + "'"), r.describe());
    assertTrue(Files.notExists(argsFile), "java ran anyway");
  }

  private record Result(int exitCode, String err, List<String> javaArgs) {
    String describe() {
      return "exit " + exitCode + "\n--- stderr ---\n" + err + "\n--- java args ---\n" + javaArgs;
    }
  }

  /** Runs {@code launcher} in {@code cwd} with the stand-in JDK as JAVA_HOME unless overridden. */
  private Result run(Path launcher, Path cwd, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(launcher.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    pb.environment().remove("JAVA_OPTS");
    pb.environment().remove("CS4J_OPTS");
    pb.environment().put("JAVA_HOME", jdk.toString());
    pb.environment().put("ARGS_FILE", argsFile.toString());
    pb.environment().putAll(env);
    Path errFile = tmp.resolve("stderr.txt");
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(errFile.toFile());
    Process p = pb.start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "launcher still running after 30 s");
    String err = Files.readString(errFile, StandardCharsets.UTF_8);
    List<String> javaArgs =
        Files.exists(argsFile) ? Files.readAllLines(argsFile, StandardCharsets.UTF_8) : List.of();
    return new Result(p.exitValue(), err, javaArgs);
  }

  private static void executable(Path file) throws IOException {
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
