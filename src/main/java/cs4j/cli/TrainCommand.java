package cs4j.cli;

import java.util.List;
import picocli.CommandLine.Command;

/**
 * Dense training of a model on a dataset: the reference accuracy every sparse run compares with.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Train a dense model (method 'dense': no mask) and report its test accuracy.")
final class TrainCommand extends MethodCommand {
  static final String METHOD = "dense";

  @Override
  String methodName() {
    return METHOD;
  }

  @Override
  List<String> flagMethods() {
    return List.of(METHOD);
  }
}
