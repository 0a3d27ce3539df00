package io.liverec.serving.inference;

/**
 * The request does not fit the model: unknown or missing tensor, wrong type or shape (Triton 400,
 * gRPC INVALID_ARGUMENT).
 */
public class InvalidInputException extends InferenceException {
  public InvalidInputException(String call, String serverMessage, Throwable cause) {
    super(call, serverMessage, cause);
  }
}
