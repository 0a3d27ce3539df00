package io.liverec.api.errors;

/**
 * An error meant for the user: its message says what went wrong and what to do next, and it carries
 * the exit code the command line ends with.
 */
public class LiverecException extends RuntimeException {
  private final int exitCode;

  public LiverecException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public LiverecException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** Invalid input: a file, a column, a custom-resource field. */
  public static LiverecException badInput(String message) {
    return new LiverecException(ExitCode.BAD_INPUT, message);
  }

  /** A server (MLflow, Feast, Triton) could not be reached or refused the request. */
  public static LiverecException unreachable(String message, Throwable cause) {
    return new LiverecException(ExitCode.BAD_INPUT, message, cause);
  }

  /** A quality gate did not hold. */
  public static LiverecException gateFailed(String message) {
    return new LiverecException(ExitCode.GATE_FAILED, message);
  }

  public int exitCode() {
    return exitCode;
  }
}
