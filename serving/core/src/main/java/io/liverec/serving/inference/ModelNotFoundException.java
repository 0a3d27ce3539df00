package io.liverec.serving.inference;

/**
 * The model or version is unknown to the backend, or not loaded/ready (Triton 404, gRPC NOT_FOUND,
 * "unknown model").
 */
public class ModelNotFoundException extends InferenceException {
  public ModelNotFoundException(String call, String serverMessage, Throwable cause) {
    super(call, serverMessage, cause);
  }
}
