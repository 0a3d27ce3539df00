package io.liverec.serving.inference;

/**
 * The call did not finish within its deadline (gRPC DEADLINE_EXCEEDED, HTTP request timeout); not
 * retried.
 */
public class DeadlineExceededException extends InferenceException {
  public DeadlineExceededException(String call, String serverMessage, Throwable cause) {
    super(call, serverMessage, cause);
  }
}
