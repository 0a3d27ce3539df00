package io.liverec.serving.triton;

import io.liverec.serving.inference.BackendUnavailableException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Bounded retries of calls that failed with {@link BackendUnavailableException} only (connection
 * refused, gRPC UNAVAILABLE, HTTP 503): every other failure is the server's answer and is thrown at
 * once. Backoff is exponential with full jitter (a uniform draw in {@code [0, min(max, initial ·
 * 2^attempt)]}), so clients that failed together do not retry together.
 *
 * @param maxAttempts total attempts, ≥ 1 (1 = no retry)
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
    }
  }

  /** 3 attempts, backoff from 50 ms up to 1 s. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(3, Duration.ofMillis(50), Duration.ofSeconds(1));
  }

  public static RetryPolicy none() {
    return new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
  }

  /** Runs {@code call}, retrying on {@link BackendUnavailableException}; throws the last one. */
  public <T> T run(Supplier<T> call) {
    for (int attempt = 0; ; attempt++) {
      try {
        return call.get();
      } catch (BackendUnavailableException e) {
        if (attempt + 1 >= maxAttempts) {
          throw e;
        }
        sleep(backoff(attempt));
      }
    }
  }

  /** The jittered pause after failed attempt {@code attempt} (0-based). */
  Duration backoff(int attempt) {
    long cap = Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(attempt, 20));
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap + 1));
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendUnavailableException("retry", "interrupted while backing off", e);
    }
  }
}
