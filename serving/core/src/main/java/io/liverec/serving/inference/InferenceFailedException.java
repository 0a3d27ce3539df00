package io.liverec.serving.inference;

/**
 * The backend failed while running the request (Triton 500, gRPC INTERNAL, an ONNX Runtime error),
 * or answered with an unexpected status.
 */
public class InferenceFailedException extends InferenceException {
  public InferenceFailedException(String call, String serverMessage, Throwable cause) {
    super(call, serverMessage, cause);
  }
}
