package io.liverec.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.function.Supplier;
import org.mlflow.tracking.MlflowClientException;
import org.mlflow.tracking.MlflowHttpException;

/**
 * Retries a call to a server with exponential backoff. Only transient failures are retried:
 * connection errors, HTTP 5xx and 429. A 4xx answer is the caller's fault and fails at once.
 */
public record Retry(int attempts, Duration initialBackoff) {

  /** Four attempts, 0.5 s → 1 s → 2 s between them. */
  public static final Retry DEFAULT = new Retry(4, Duration.ofMillis(500));

  public Retry {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be >= 1");
    }
  }

  public <T> T call(String what, Supplier<T> call) {
    long backoff = initialBackoff.toMillis();
    RuntimeException last = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      try {
        return call.get();
      } catch (RuntimeException e) {
        if (!transient_(e)) {
          throw e;
        }
        last = e;
        if (attempt < attempts) {
          sleep(backoff);
          backoff *= 2;
        }
      }
    }
    throw new ServerUnavailableException(
        what + " failed after " + attempts + " attempts: " + rootMessage(last), last);
  }

  public void run(String what, Runnable call) {
    call(
        what,
        () -> {
          call.run();
          return null;
        });
  }

  static boolean transient_(Throwable e) {
    if (e instanceof MlflowHttpException h) {
      return h.getStatusCode() >= 500 || h.getStatusCode() == 429;
    }
    if (e instanceof HttpStatusException h) {
      return h.status() >= 500 || h.status() == 429;
    }
    return e instanceof MlflowClientException
        || e instanceof UncheckedIOException
        || e.getCause() instanceof IOException;
  }

  /** The innermost cause, as "Type: message", for status conditions and logs. */
  public static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t != null && t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t == null ? "unknown error" : t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to retry", e);
    }
  }

  /** A server could not be reached or kept failing. */
  public static final class ServerUnavailableException extends RuntimeException {
    public ServerUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A non-2xx answer from a plain HTTP call. */
  public static final class HttpStatusException extends RuntimeException {
    private final int status;

    public HttpStatusException(int status, String message) {
      super("HTTP " + status + ": " + message);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }
}
