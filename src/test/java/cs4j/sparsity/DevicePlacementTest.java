package cs4j.sparsity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.data.BatchSource;
import cs4j.models.InitScheme;
import cs4j.models.Models;
import cs4j.nn.Module;
import cs4j.optim.Sgd;
import cs4j.tensor.Device;
import cs4j.testing.checked.CheckedDevice;
import cs4j.testing.checked.CheckedDeviceProvider;
import cs4j.train.Progress;
import cs4j.train.Trainer;
import cs4j.train.TrainingHooks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every method on the checked device ({@link CheckedDevice}: the CPU kernels over storage that
 * refuses host tensors and counts its bytes), against the same run on the CPU: the results and
 * every file the runs write are identical bit for bit, no tensor is left on the host (a kernel
 * would refuse it), device memory stays flat across rounds, epochs and steps and returns to its
 * baseline when a run ends, and a training step waits for the device once.
 */
class DevicePlacementTest {
  private final CheckedDevice device = CheckedDeviceProvider.device();

  /** The reference fixture's data and tiny network, 2 epochs a phase, validated every epoch. */
  private static ExperimentContext ctx(Path dir, Device d) {
    ExperimentContext c = CsReferenceTest.context(dir);
    return c.toBuilder()
        .data(c.train(), c.test(), c.test())
        .recipe(new TrainingRecipe(2, 0.1, 0.9, true, 1e-4, List.of(1), 0.1, 0))
        .device(d)
        .runDir(dir)
        .build();
  }

  private static Supplier<Module> tinyOn(Device d) {
    return () -> CsReferenceTest.tiny().to(d);
  }

  static Stream<ConfiguredMethod<?>> methods() {
    ContinuousSparsification.Config cs =
        new ContinuousSparsification.Config(
            -0.05,
            0.005,
            50,
            ContinuousSparsification.BetaSchedule.PER_ITERATION,
            2,
            1,
            ContinuousSparsification.SoftReset.REFERENCE_CODE,
            true,
            true,
            1.0,
            true);
    return Stream.of(
        new ContinuousSparsification(cs),
        new Imp("imp", new Imp.Config(3, 0.2, PruneScope.GLOBAL, true, 1)),
        new L0(new L0.Config(1e-3, 0.5, 0.01, 2.0 / 3, -0.1, 1.1, 1.0, 1)),
        new Dense(Dense.Config.defaults()),
        new MagnitudePruning(new MagnitudePruning.Config(0.2, PruneScope.LAYERWISE, 1)),
        new Gmp(new Gmp.Config(0.1, 0.0, 0.0, 0.75, 2, PruneScope.GLOBAL)),
        new RandomPruning(new RandomPruning.Config(0.5)),
        new CsPruning(
            new CsPruning.Config(
                0.0, 0.005, 200, ContinuousSparsification.BetaSchedule.PER_EPOCH, true, 1.0, 1)));
  }

  /**
   * With step capture on, the steps whose host inputs stay put are replayed as graphs, yet the run
   * equals the CPU's eager run bit for bit: nothing a step depends on is frozen into a graph (β,
   * the learning rate, the batch counter, the first momentum step, ℓ0's per-step noise, which keeps
   * its gate training eager while its fine-tuning replays).
   */
  @ParameterizedTest
  @MethodSource("methods")
  void capturedStepsEqualEagerOnes(ConfiguredMethod<?> method, @TempDir Path tmp)
      throws IOException {
    List<RoundResult> expected =
        method.run(ctx(tmp.resolve("cpu"), Device.CPU), tinyOn(Device.CPU), RoundListener.NONE);
    long replaysBefore = device.replays();
    long baseline = device.liveBytes();
    List<RoundResult> actual =
        method.run(
            ctx(tmp.resolve("graphs"), device).withCaptureSteps(true),
            tinyOn(device),
            RoundListener.NONE);
    long replays = device.replays() - replaysBefore;
    assertTrue(replays > 0, method.name() + ": no step was replayed");
    assertEquals(baseline, device.liveBytes(), method.name() + ": device bytes after the run");
    assertEquals(withoutRuntime(expected), withoutRuntime(actual), method.name() + ": results");
    assertSameFiles(tmp.resolve("cpu"), tmp.resolve("graphs"));
  }

  @ParameterizedTest
  @MethodSource("methods")
  void aRunOnTheDeviceEqualsTheCpuRunAndFreesItsMemory(
      ConfiguredMethod<?> method, @TempDir Path tmp) throws IOException {
    Path onCpu = tmp.resolve("cpu");
    Path onDevice = tmp.resolve("device");
    List<RoundResult> expected =
        method.run(ctx(onCpu, Device.CPU), tinyOn(Device.CPU), RoundListener.NONE);

    long baseline = device.liveBytes();
    List<Long> atRoundEnds = new ArrayList<>();
    List<RoundResult> actual =
        method.run(ctx(onDevice, device), tinyOn(device), r -> atRoundEnds.add(device.liveBytes()));

    assertEquals(baseline, device.liveBytes(), method.name() + ": device bytes after the run");
    assertTrue(
        atRoundEnds.stream().distinct().count() == 1,
        method.name() + ": device bytes at the end of each round " + atRoundEnds);
    assertEquals(withoutRuntime(expected), withoutRuntime(actual), method.name() + ": results");
    assertEquals(device.name(), actual.get(0).device(), "result records the device");
    assertSameFiles(onCpu, onDevice);
  }

  /** The results' fields but the wall time and the device. */
  private static List<Map<String, Object>> withoutRuntime(List<RoundResult> rs) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (RoundResult r : rs) {
      Map<String, Object> m = new LinkedHashMap<>(r.toMap());
      m.remove("seconds");
      m.remove("device");
      out.add(m);
    }
    return out;
  }

  /** Every tensor file (masks, states, checkpoints, rewind points) is the same, byte for byte. */
  private static void assertSameFiles(Path a, Path b) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(a)) {
      files = s.filter(p -> p.toString().endsWith(".safetensors")).sorted().toList();
    }
    assertTrue(!files.isEmpty(), "the run wrote tensor files under " + a);
    for (Path f : files) {
      Path other = b.resolve(a.relativize(f));
      assertTrue(Files.exists(other), "missing on the device run: " + a.relativize(f));
      assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(other), a.relativize(f) + "");
    }
  }

  /** A simulated crash: thrown from a hook at a chosen step, after that step's checkpoint. */
  private static final class Crash extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  /**
   * lenet300 on the fixture's data, trained for 2 epochs on {@code d}, checkpointing every step.
   */
  private static Map<String, float[]> train(
      ExperimentContext ctx, Device d, Path dir, int crashAtStep) {
    Module net = Models.create("lenet300", CsReferenceTest.INPUT, InitScheme.XAVIER_NORMAL, 3, d);
    TrainingHooks crash =
        new TrainingHooks() {
          @Override
          public void onStepStart(int epoch, int step, int steps) {
            if (epoch * steps + step == crashAtStep) {
              throw new Crash();
            }
          }
        };
    try (Sgd sgd = ctx.recipe().optimizer(net.parameters())) {
      Trainer.Options options =
          Trainer.Options.of(2)
              .withDevice(d)
              .withProgress(Progress.silent())
              .withRunDir(dir)
              .withCheckpointEverySteps(1);
      new Trainer(net, List.of(sgd), ctx.recipe().schedule(), crash, options)
          .fit(ctx.train(), ctx.eval());
      Map<String, float[]> state = new LinkedHashMap<>();
      net.stateDict().forEach((n, t) -> state.put(n, t.toArray()));
      return state;
    } finally {
      net.close();
    }
  }

  /**
   * A run interrupted mid-epoch on one device resumes on the other from its checkpoint, and ends
   * where an uninterrupted CPU run ends, bit for bit (weights, BN statistics, metrics).
   */
  @Test
  void aRunInterruptedOnOneDeviceResumesOnTheOther(@TempDir Path tmp) throws IOException {
    ExperimentContext ctx = ctx(tmp, Device.CPU);
    Map<String, float[]> expected = train(ctx, Device.CPU, tmp.resolve("straight"), -1);
    Device[][] pairs = {{device, Device.CPU}, {Device.CPU, device}};
    for (Device[] pair : pairs) {
      Path dir = tmp.resolve(pair[0].name().replace(':', '-') + "-then-" + pair[1].name());
      org.junit.jupiter.api.Assertions.assertThrows(Crash.class, () -> train(ctx, pair[0], dir, 3));
      Map<String, float[]> resumed = train(ctx, pair[1], dir, -1);
      cs4j.testing.Parity.assertClose(
          "resumed on " + pair[1] + " after " + pair[0], expected, resumed, 0, 0);
      assertEquals(
          metricsWithoutTimes(tmp.resolve("straight")), metricsWithoutTimes(dir), "metrics");
    }
  }

  /** The metrics lines of a run directory without their wall-clock field. */
  private static List<Object> metricsWithoutTimes(Path dir) throws IOException {
    List<Object> out = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve(Trainer.METRICS))) {
      Map<Object, Object> m = new LinkedHashMap<>((Map<?, ?>) cs4j.io.Json.parse(line));
      m.remove("seconds");
      out.add(m);
    }
    return out;
  }

  /**
   * Inside a training run, device memory is the same at the start of every step and every epoch
   * (each step and evaluation batch frees what it allocates; momentum exists from the start), and
   * the host waits for the device once per step and once per evaluation pass.
   */
  @Test
  void memoryIsFlatAcrossStepsAndEpochsAndEachStepSyncsOnce(@TempDir Path tmp) {
    ExperimentContext ctx = ctx(tmp, device);
    // A registry model: the tiny test network also downloads its logits in every forward.
    Module net =
        Models.create("lenet300", CsReferenceTest.INPUT, InitScheme.XAVIER_NORMAL, 3, device);
    List<Long> atSteps = new ArrayList<>();
    List<Long> atEpochs = new ArrayList<>();
    TrainingHooks probe =
        new TrainingHooks() {
          @Override
          public void onEpochStart(int epoch, int firstStep) {
            atEpochs.add(device.liveBytes());
          }

          @Override
          public void onStepStart(int epoch, int step, int steps) {
            atSteps.add(device.liveBytes());
          }
        };
    int epochs = 3;
    BatchSource train = ctx.train();
    try (Sgd sgd = ctx.recipe().optimizer(net.parameters())) {
      long before = device.downloads();
      Trainer.Options options =
          Trainer.Options.of(epochs).withDevice(device).withProgress(Progress.silent());
      new Trainer(net, List.of(sgd), ctx.recipe().schedule(), probe, options)
          .fit(train, ctx.eval());
      long syncs = device.downloads() - before;
      assertEquals(
          (long) epochs * train.batchesPerEpoch() + epochs,
          syncs,
          "host syncs: one per step and one per evaluation pass");
    }
    assertEquals(1, atSteps.stream().distinct().count(), "bytes at each step " + atSteps);
    assertEquals(1, atEpochs.stream().distinct().count(), "bytes at each epoch " + atEpochs);
    net.close();
  }
}
