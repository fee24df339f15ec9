package cs4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.data.Augmentation;
import cs4j.data.BatchLoader;
import cs4j.data.Dataset;
import cs4j.data.LoaderOptions;
import cs4j.data.Normalization;
import cs4j.optim.LrSchedule;
import cs4j.tensor.Device;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;
import cs4j.train.Progress;
import cs4j.train.Trainer;
import cs4j.train.TrainingHooks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Whole training steps of the production masked ResNet-20 ({@link MaskedResNet20}) on a device,
 * against the CPU, posed so that each tolerance measures the device's arithmetic rather than the
 * chaos of a trajectory (at lr 0.1, batch 32 and random labels, float summation order is amplified
 * by about 10⁴ per step, so comparing weights after several free steps tightly is ill-posed):
 *
 * <ul>
 *   <li>one step: the loss and every gradient, tightly;
 *   <li>teacher-forced steps: the device starts each step from the CPU's state (weights, BN
 *       statistics, momentum), and its updates are compared;
 *   <li>free-running steps: the distance between the device's and the CPU's weights, against the
 *       CPU's own sensitivity, measured by a second CPU run from weights perturbed by one ulp;
 *   <li>memory: with the production trainer, live device bytes are the same at every step and
 *       epoch, and back to the baseline when the run is closed.
 * </ul>
 *
 * Subclasses give the device, and the tolerances ({@link #exact()}: the checked device runs the CPU
 * kernels, so it must agree bit for bit).
 */
public abstract class TrainingParityContract {
  /** The device under test (may skip the test when unavailable). */
  protected abstract Device device();

  /** True when the device runs the CPU's kernels: every comparison is then bit for bit. */
  protected abstract boolean exact();

  private static final int BATCH = 32;

  /** Normwise bound on one step's gradients: float summation order on 32·1024-term sums. */
  private double gradientTolerance() {
    return exact() ? 0 : 1e-4;
  }

  @Test
  void oneStepsLossAndEveryGradientMatchTheCpu() {
    Device device = device();
    try (MaskedResNet20 cpu = new MaskedResNet20(Device.CPU, 7);
        MaskedResNet20 dev = new MaskedResNet20(device, 7)) {
      Tensor[] b = MaskedResNet20.batch(100, BATCH);
      Parity.assertClose(
          "one step on " + device,
          cpu.step(b, false),
          dev.step(b, false),
          gradientTolerance(),
          exact() ? 0 : 1e-3);
    }
  }

  @Test
  void teacherForcedUpdatesMatchTheCpu() {
    Device device = device();
    try (MaskedResNet20 cpu = new MaskedResNet20(Device.CPU, 7);
        MaskedResNet20 dev = new MaskedResNet20(device, 8)) {
      for (int s = 0; s < 3; s++) {
        dev.copyStateFrom(cpu);
        Map<String, float[]> before = cpu.state();
        Tensor[] b = MaskedResNet20.batch(200 + s, BATCH);
        cpu.step(b, true);
        dev.step(b, true);
        Parity.assertClose(
            "updates of teacher-forced step " + s + " on " + device,
            minus(cpu.state(), before),
            minus(dev.state(), before),
            exact() ? 0 : 1e-3,
            exact() ? 0 : 1e-2);
      }
    }
  }

  @Test
  void freeRunningStepsStayWithinTheCpusOwnSensitivity() {
    Device device = device();
    int steps = 3;
    Map<String, float[]> reference;
    Map<String, float[]> perturbed;
    Map<String, float[]> onDevice;
    try (MaskedResNet20 cpu = new MaskedResNet20(Device.CPU, 5)) {
      reference = run(cpu, steps);
    }
    try (MaskedResNet20 cpu = new MaskedResNet20(Device.CPU, 5)) {
      cpu.model()
          .stateDict()
          .forEach(
              (n, t) -> {
                if (n.endsWith(".weight")) {
                  float[] v = t.toArray();
                  for (int i = 0; i < v.length; i++) {
                    v[i] = Math.nextUp(v[i]);
                  }
                  t.copyFrom(v);
                }
              });
      perturbed = run(cpu, steps);
    }
    try (MaskedResNet20 dev = new MaskedResNet20(device, 5)) {
      onDevice = run(dev, steps);
    }
    double spread = Parity.worstNormwise(reference, perturbed);
    assertTrue(spread > 0, "a one-ulp perturbation must move the trajectory");
    double distance = Parity.worstNormwise(reference, onDevice);
    double tolerance = exact() ? 0 : 10 * spread + 1e-6;
    assertTrue(
        distance <= tolerance,
        String.format(
            "%d free steps on %s: worst normwise distance to the CPU %.3g, above %.3g (10 × the"
                + " CPU's own sensitivity to a one-ulp change of the weights, %.3g)",
            steps, device, distance, tolerance, spread));
  }

  private static Map<String, float[]> run(MaskedResNet20 net, int steps) {
    for (int s = 0; s < steps; s++) {
      net.step(MaskedResNet20.batch(300 + s, BATCH), true);
    }
    return net.state();
  }

  private static Map<String, float[]> minus(Map<String, float[]> a, Map<String, float[]> b) {
    Map<String, float[]> out = new LinkedHashMap<>();
    a.forEach(
        (n, x) -> {
          float[] y = b.get(n);
          float[] d = new float[x.length];
          for (int i = 0; i < x.length; i++) {
            d[i] = x[i] - y[i];
          }
          out.put(n, d);
        });
    return out;
  }

  /** CIFAR-shaped random images with random labels: {@code n} of them, deterministic. */
  public static Dataset cifarShaped(int n, long seed) {
    Rng rng = new Rng(seed);
    byte[] pixels = new byte[n * 3 * 32 * 32];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) rng.nextInt(256);
    }
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = rng.nextInt(10);
    }
    return new Dataset("cifar-shaped", pixels, labels, 3, 32, 32, 10);
  }

  /**
   * The production trainer on the device: live bytes equal at the start of every step and epoch,
   * and back to the baseline once the network and its optimisers are closed.
   */
  @Test
  void liveDeviceBytesStayFlatAcrossStepsAndEpochs() {
    Device device = device();
    long baseline = device.liveBytes();
    BatchLoader train =
        new BatchLoader(
            cifarShaped(4 * BATCH, 1),
            Normalization.CIFAR10,
            Augmentation.NONE,
            LoaderOptions.training(BATCH, 1));
    BatchLoader eval =
        new BatchLoader(
            cifarShaped(2 * BATCH, 2),
            Normalization.CIFAR10,
            Augmentation.NONE,
            LoaderOptions.evaluation(BATCH));
    List<Long> atSteps = new ArrayList<>();
    try (MaskedResNet20 net = new MaskedResNet20(device, 9)) {
      TrainingHooks probe =
          new TrainingHooks() {
            @Override
            public void onStepStart(int epoch, int step, int steps) {
              net.masks().onStepStart(epoch, step, steps);
              atSteps.add(device.liveBytes());
            }

            @Override
            public Tensor extraLoss() {
              return net.masks().extraLoss();
            }
          };
      new Trainer(
              net.model(),
              net.optimizers(),
              LrSchedule.constant(),
              probe,
              Trainer.Options.of(2).withDevice(device).withProgress(Progress.silent()))
          .fit(train, eval);
    }
    assertEquals(1, atSteps.stream().distinct().count(), "live bytes at each step " + atSteps);
    assertEquals(baseline, device.liveBytes(), "live bytes after the network was closed");
  }
}
