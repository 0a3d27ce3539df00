package io.liverec.serving.triton;

import io.liverec.serving.inference.InferenceException;

/**
 * Triton refused or failed to load a model ({@code load failed for model 'm': version 3 is at
 * UNAVAILABLE state: …}). Versions that were serving before stay loaded; {@link #serverMessage()}
 * is Triton's text, for a {@code LoadFailed} condition.
 */
public class ModelLoadException extends InferenceException {
  public ModelLoadException(String call, String serverMessage, Throwable cause) {
    super(call, serverMessage, cause);
  }
}
