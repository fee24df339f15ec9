package cs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark's GPU discovery script of the distribution, {@code src/main/dist/bin/cs4j-gpus}, run with a
 * stand-in {@code nvidia-smi} that lists two GPUs, and without one.
 */
class GpuDiscoveryScriptTest {
  private static final Path SCRIPT = Path.of("src/main/dist/bin/cs4j-gpus");

  @TempDir Path tmp;

  @Test
  void printsTheGpusOfNvidiaSmiAsSparkReadsThem() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path smi = bin.resolve("nvidia-smi");
    Files.writeString(smi, "#!/bin/sh\nprintf '0\\n1\\n'\n");
    Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
    Process p = run(bin + ":/usr/bin:/bin");
    assertEquals(0, p.exitValue());
    assertEquals(
        "{\"name\":\"gpu\",\"addresses\":[\"0\",\"1\"]}\n",
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void withoutNvidiaSmiItFailsSayingSo() throws Exception {
    assumeTrue(!Files.exists(Path.of("/usr/bin/nvidia-smi")), "this machine has nvidia-smi");
    Process p = run("/usr/bin:/bin");
    assertEquals(1, p.exitValue());
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(err.contains("nvidia-smi not found"), err);
  }

  private static Process run(String path) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "no /bin/sh on this machine");
    ProcessBuilder b = new ProcessBuilder("/bin/sh", SCRIPT.toString());
    b.environment().put("PATH", path);
    Process p = b.start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the script ended");
    return p;
  }
}
