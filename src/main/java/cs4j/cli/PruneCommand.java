package cs4j.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The pruning methods (one training run that ends with a sparse network), chosen by name. */
@Command(
    name = "prune",
    mixinStandardHelpOptions = true,
    description = "Prune with one method: cs-prune, magnitude, gmp, l0 or random.")
final class PruneCommand extends MethodCommand {
  static final List<String> METHODS = List.of("cs-prune", "magnitude", "gmp", "l0", "random");

  @Option(
      names = "--method",
      paramLabel = "NAME",
      defaultValue = "magnitude",
      description = "cs-prune, magnitude, gmp, l0, random (default: ${DEFAULT-VALUE})")
  String method;

  @Override
  String methodName() {
    if (!METHODS.contains(method)) {
      throw new BadInputException(
          "unknown pruning method '" + method + "'; known: " + String.join(", ", METHODS));
    }
    return method;
  }

  @Override
  List<String> flagMethods() {
    return METHODS;
  }

  @Mixin TargetSparsity target;

  @Override
  TargetSparsity target() {
    return target;
  }
}
