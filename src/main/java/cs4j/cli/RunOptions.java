package cs4j.cli;

import cs4j.sparsity.LayerSelection;
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

  @Option(names = "--quiet", description = "no per-epoch progress, only results")
  boolean quiet;

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
