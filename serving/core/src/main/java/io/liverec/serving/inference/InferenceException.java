package io.liverec.serving.inference;

/**
 * A failed inference or model-control call. {@link #serverMessage()} is the backend's own message
 * (Triton's error text, ONNX Runtime's), unchanged; {@link #getMessage()} adds what was called.
 */
public class InferenceException extends RuntimeException {
  private final String serverMessage;

  public InferenceException(String call, String serverMessage, Throwable cause) {
    super(call + ": " + serverMessage, cause);
    this.serverMessage = serverMessage;
  }

  public String serverMessage() {
    return serverMessage;
  }
}
