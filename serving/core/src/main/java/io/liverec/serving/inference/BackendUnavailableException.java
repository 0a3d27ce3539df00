package io.liverec.serving.inference;

/**
 * The backend cannot be reached or is overloaded (connection refused, Triton 503, gRPC
 * UNAVAILABLE); the only failure that is retried.
 */
public class BackendUnavailableException extends InferenceException {
  public BackendUnavailableException(String call, String serverMessage, Throwable cause) {
    super(call, serverMessage, cause);
  }
}
