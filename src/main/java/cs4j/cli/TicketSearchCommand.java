package cs4j.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Continuous Sparsification ticket search (Savarese, Silva, Maire, NeurIPS 2020): R rounds of joint
 * training of weights and mask logits with β annealed to β_final, then the ticket {@code 1[s > 0]}
 * retrained from the rewind point.
 */
@Command(
    name = "ticket-search",
    mixinStandardHelpOptions = true,
    description = "Continuous Sparsification ticket search (method 'cs').")
final class TicketSearchCommand extends MethodCommand {
  static final String METHOD = "cs";

  @Override
  String methodName() {
    return METHOD;
  }

  @Override
  List<String> flagMethods() {
    return List.of(METHOD);
  }

  @Mixin TargetSparsity target;

  @Override
  TargetSparsity target() {
    return target;
  }
}
