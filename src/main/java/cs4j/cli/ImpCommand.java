package cs4j.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Iterative magnitude pruning: train, remove the smallest remaining weights, rewind the survivors
 * to the rewind point (or, with {@code --no-rewind}, keep their trained values), repeat.
 */
@Command(
    name = "imp",
    mixinStandardHelpOptions = true,
    description =
        "Iterative magnitude pruning with rewinding (method 'imp'; --no-rewind: 'imp-continued').")
final class ImpCommand extends MethodCommand {
  @Option(
      names = "--no-rewind",
      description = "survivors keep their trained values between rounds (method imp-continued)")
  boolean noRewind;

  @Override
  String methodName() {
    return noRewind ? "imp-continued" : "imp";
  }

  @Override
  List<String> flagMethods() {
    return List.of("imp", "imp-continued");
  }
}
