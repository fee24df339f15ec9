package cs4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.io.Json;
import cs4j.testing.checked.CheckedDeviceProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --device} from the command line: whole experiments (CS ticket search, IMP, ℓ0, a ticket
 * retraining) on the checked test device give the CPU's results and files, in the run directory of
 * the same name (the device is recorded, not hashed), and leave no device memory behind; an
 * unusable device is refused with exit code 2 before anything is written.
 */
class DeviceCommandTest {
  @TempDir Path tmp;

  private static final String[] BUDGET = {
    "--epochs", "2", "--train-size", "300", "--validation-size", "100", "--quiet", "--threads", "1"
  };

  private static String[] args(String device, Path runs, String... command) {
    List<String> all = new java.util.ArrayList<>(List.of(command));
    all.addAll(List.of(BUDGET));
    all.addAll(List.of("--device", device, "--runs-dir", runs.toString()));
    return all.toArray(String[]::new);
  }

  private static Path onlyRun(Path runs, String prefix) throws IOException {
    try (Stream<Path> s = Files.list(runs)) {
      List<Path> found = s.filter(p -> p.getFileName().toString().startsWith(prefix)).toList();
      assertEquals(1, found.size(), "runs starting with " + prefix + ": " + found);
      return found.get(0);
    }
  }

  private static Map<?, ?> json(Path file) throws IOException {
    return (Map<?, ?>) Json.parse(Files.readString(file));
  }

  @Test
  void experimentsOnTheCheckedDeviceMatchTheCpuAndRecordTheDevice() throws IOException {
    Path cpuRuns = tmp.resolve("cpu");
    Path devRuns = tmp.resolve("checked");
    long baseline = CheckedDeviceProvider.device().liveBytes();
    String[][] commands = {
      {"ticket-search", "--rounds", "2", "--rewind-epoch", "1", "--s0", "-0.01"},
      {"imp", "--rounds", "2", "--rewind-epoch", "1"},
      {"prune", "--method", "l0", "--lambda", "1e-4"},
    };
    for (String[] command : commands) {
      CliRun cpu = CliRun.of(args("cpu", cpuRuns, command));
      assertEquals(0, cpu.exitCode(), cpu.describe());
      CliRun dev = CliRun.of(args("checked", devRuns, command));
      assertEquals(0, dev.exitCode(), dev.describe());
      assertTrue(dev.out().contains("engine: checked:0: checked test device"), dev.describe());
    }
    assertEquals(baseline, CheckedDeviceProvider.device().liveBytes(), "device bytes after runs");

    for (String prefix : List.of("cs_", "imp_", "l0_")) {
      Path cpu = onlyRun(cpuRuns, prefix);
      Path dev = onlyRun(devRuns, prefix);
      assertEquals(cpu.getFileName(), dev.getFileName(), "same hash on both devices");
      assertEquals(
          "checked:0",
          ((Map<?, ?>) json(dev.resolve("hparams.json")).get("runtime")).get("device"));
      assertEquals(
          "cpu", ((Map<?, ?>) json(cpu.resolve("hparams.json")).get("runtime")).get("device"));
      assertSameRun(cpu, dev);
    }

    // The CS ticket retrained from its rewind point on the device, as on the CPU.
    Path cs = onlyRun(cpuRuns, "cs_");
    String[] retrain = {
      "retrain",
      "--masks",
      cs.resolve("round1/masks.safetensors").toString(),
      "--weights",
      cs.resolve("rewind.safetensors").toString(),
      "--mask-scale",
      "2"
    };
    CliRun cpu = CliRun.of(args("cpu", cpuRuns, retrain));
    assertEquals(0, cpu.exitCode(), cpu.describe());
    CliRun dev = CliRun.of(args("checked", devRuns, retrain));
    assertEquals(0, dev.exitCode(), dev.describe());
    assertSameRun(onlyRun(cpuRuns, "retrain_"), onlyRun(devRuns, "retrain_"));
  }

  /** The same result files (but the wall time and device) and the same tensor files. */
  private static void assertSameRun(Path cpu, Path dev) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(cpu)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path f : files) {
      Path rel = cpu.relativize(f);
      Path other = dev.resolve(rel);
      assertTrue(Files.exists(other), "missing in the device run: " + rel);
      String name = f.getFileName().toString();
      if (name.equals("result.json")) {
        assertEquals(resultWithoutRuntime(f), resultWithoutRuntime(other), rel.toString());
        assertEquals("checked:0", json(other).get("device"), rel + " records the device");
      } else if (name.endsWith(".safetensors")) {
        assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(other), rel.toString());
      }
    }
  }

  private static Map<Object, Object> resultWithoutRuntime(Path file) throws IOException {
    Map<Object, Object> m = new LinkedHashMap<>(json(file));
    m.remove("seconds");
    m.remove("device");
    return m;
  }

  /** {@code --graphs} replays captured steps with the eager results, in the same run directory. */
  @Test
  void capturedStepsFromTheCommandLineGiveTheEagerResults() throws IOException {
    Path cpuRuns = tmp.resolve("cpu");
    Path devRuns = tmp.resolve("graphs");
    String[] search = {"ticket-search", "--rounds", "1", "--rewind-epoch", "1", "--s0", "-0.01"};
    CliRun cpu = CliRun.of(args("cpu", cpuRuns, search));
    assertEquals(0, cpu.exitCode(), cpu.describe());
    List<String> graphs = new java.util.ArrayList<>(List.of(args("checked", devRuns, search)));
    graphs.add("--graphs");
    long replays = CheckedDeviceProvider.device().replays();
    CliRun dev = CliRun.of(graphs.toArray(String[]::new));
    assertEquals(0, dev.exitCode(), dev.describe());
    assertTrue(CheckedDeviceProvider.device().replays() > replays, "steps were replayed");
    Path run = onlyRun(devRuns, "cs_");
    assertEquals(onlyRun(cpuRuns, "cs_").getFileName(), run.getFileName(), "same identity");
    assertEquals(
        true, ((Map<?, ?>) json(run.resolve("hparams.json")).get("runtime")).get("graphs"));
    assertSameRun(onlyRun(cpuRuns, "cs_"), run);

    CliRun onCpu = CliRun.of("train", "--graphs", "--runs-dir", tmp.resolve("x").toString());
    assertEquals(2, onCpu.exitCode(), onCpu.describe());
    assertTrue(
        onCpu.err().contains("--graphs needs a device that captures graphs"), onCpu.describe());
    assertEquals(0, CliRun.entries(tmp.resolve("x")), "nothing written");
  }

  @Test
  void anUnusableDeviceIsRefusedWithTheProbesReasonAndNothingWritten() throws IOException {
    Path runs = tmp.resolve("runs");
    CliRun cuda =
        CliRun.of("ticket-search", "--device", "cuda", "--quiet", "--runs-dir", runs.toString());
    assertEquals(2, cuda.exitCode(), cuda.describe());
    assertTrue(
        cuda.err().contains("error: --device cuda: CUDA is not available: "), cuda.describe());
    assertEquals(0, CliRun.entries(runs), "nothing written");

    CliRun bogus = CliRun.of("train", "--device", "tpu:0", "--runs-dir", runs.toString());
    assertEquals(2, bogus.exitCode(), bogus.describe());
    assertTrue(bogus.err().contains("unknown device 'tpu:0'; known devices: "), bogus.describe());
    assertTrue(bogus.err().contains("cuda[:N]"), bogus.describe());

    CliRun badIndex = CliRun.of("train", "--device", "cuda:x", "--runs-dir", runs.toString());
    assertEquals(2, badIndex.exitCode(), badIndex.describe());
    assertTrue(badIndex.err().contains("must be a number >= 0"), badIndex.describe());

    CliRun sweep =
        CliRun.of("sweep", "--s0", "0,-0.1", "--device", "cuda", "--runs-dir", runs.toString());
    assertEquals(2, sweep.exitCode(), sweep.describe());
    assertEquals(0, CliRun.entries(runs), "nothing written by sweep either");
  }
}
