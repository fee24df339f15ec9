package cs4j.cli;

/**
 * A run directory is locked by another command or another run of this process ({@link RunLock}):
 * bad input (exit 2) for a command, a reason to wait for a Spark task ({@link SweepTask}).
 */
final class RunInUseException extends BadInputException {
  RunInUseException(String message) {
    super(message);
  }
}
