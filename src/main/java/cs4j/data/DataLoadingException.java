package cs4j.data;

/** A batch could not be prepared; the cause is what went wrong on the loader's thread. */
public final class DataLoadingException extends RuntimeException {
  public DataLoadingException(String message, Throwable cause) {
    super(message, cause);
  }
}
