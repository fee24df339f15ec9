package cs4j.autograd;

/** A loss reached backward as NaN or ±∞: training must stop rather than spread it. */
public class NonFiniteLossException extends ArithmeticException {
  public NonFiniteLossException(String message) {
    super(message);
  }
}
