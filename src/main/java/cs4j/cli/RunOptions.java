package cs4j.cli;

import cs4j.backend.DeviceUnavailableException;
import cs4j.backend.Devices;
import cs4j.sparsity.LayerSelection;
import cs4j.tensor.Device;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/** Where runs go, which layers are masked, and how much of the machine a run uses. */
public final class RunOptions {
  @Option(
      names = "--runs-dir",
      paramLabel = "DIR",
      defaultValue = "runs",
      description = "parent of the run directories (default: ${DEFAULT-VALUE})")
  Path runsDir;

  @Option(
      names = "--layers",
      paramLabel = "SET",
      description =
          "masked layers: conv3x3 (the CS reference code; default for ResNet/VGG), all-convs,"
              + " linear (default for lenet300), convs-and-linear (default for conv4)")
  String layers;

  @Option(
      names = "--device",
      paramLabel = "DEVICE",
      defaultValue = "cpu",
      description =
          "where the tensors live: cpu, cuda (GPU 0) or cuda:N (default: ${DEFAULT-VALUE});"
              + " recorded with the results, not part of the run's identity")
  String device;

  @Option(
      names = "--threads",
      paramLabel = "T",
      description = "CPU threads for the kernels (default: all cores)")
  Integer threads;

  @Option(
      names = "--checkpoint-every",
      paramLabel = "STEPS",
      defaultValue = "0",
      description = "also checkpoint every STEPS batches inside an epoch (default: epoch ends)")
  int checkpointEvery;

  @Option(
      names = "--graphs",
      description =
          "replay training steps as CUDA graphs (needs --device cuda): same results, less host"
              + " overhead per step")
  boolean graphs;

  @Option(names = "--quiet", description = "no per-epoch progress, only results")
  boolean quiet;

  /**
   * Checks that {@code --runs-dir} can hold run directories; bad input (exit 2) otherwise. Commands
   * call it first, before loading data or creating anything.
   */
  void check() {
    PathChecks.requireDirectory(runsDir, "--runs-dir");
  }

  /**
   * How the runs execute: the device {@code --device} names (started), {@code --graphs}, {@code
   * --checkpoint-every}; bad input (exit 2) when the device is unknown or unusable or a setting is
   * impossible.
   */
  Execution execution() {
    return executionOn(device);
  }

  /** {@link #execution}, on the device called {@code deviceName} instead of {@code --device}'s. */
  Execution executionOn(String deviceName) {
    return new Execution(openDevice(deviceName), graphs, checkpointEvery);
  }

  /** Takes a relative {@code --runs-dir} from {@code base} rather than the working directory. */
  void resolveAgainst(Path base) {
    runsDir = base.resolve(runsDir);
  }

  /**
   * The device called {@code name}, started. An unknown name, or a device this machine cannot use
   * (no driver, no GPU, driver too old: the probe's reason), is a {@link BadInputException}: the
   * command exits 2 before anything is written.
   */
  static Device openDevice(String name) {
    try {
      return Devices.get(name);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("--device: " + e.getMessage(), e);
    } catch (DeviceUnavailableException e) {
      throw new BadInputException("--device " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * Checks {@code --device} by name only, without starting the device: for a Spark driver, whose
   * tasks open it on the executors. An unknown name is a {@link BadInputException} (exit 2).
   */
  void checkDeviceName() {
    try {
      Devices.checkName(device);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("--device: " + e.getMessage(), e);
    }
  }

  /** The masked layers named by {@code --layers}, or the model's default set. */
  LayerSelection layersFor(String model) {
    if (layers == null) {
      return defaultLayers(model);
    }
    for (LayerSelection s : LayerSelection.values()) {
      if (cliName(s).equals(layers)) {
        return s;
      }
    }
    throw new BadInputException(
        "unknown --layers '"
            + layers
            + "'; known: "
            + Arrays.stream(LayerSelection.values())
                .map(RunOptions::cliName)
                .collect(Collectors.joining(", ")));
  }

  /** LeNet-300-100: its linear layers; Conv-4: convs and linear layers; else every 3×3 conv. */
  static LayerSelection defaultLayers(String model) {
    return switch (model) {
      case "lenet300" -> LayerSelection.LINEAR;
      case "conv4" -> LayerSelection.CONVS_AND_LINEAR;
      default -> LayerSelection.CONV3X3;
    };
  }

  static String cliName(LayerSelection s) {
    return s.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
