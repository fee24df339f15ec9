package cs4j.cli;

/**
 * The user asked for something impossible (an unknown name, a hyperparameter out of range, a file
 * that does not fit): the command stops before writing anything and exits with code 2.
 */
public class BadInputException extends RuntimeException {
  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
