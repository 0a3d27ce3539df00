package io.liverec.serving.triton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liverec.serving.inference.BackendUnavailableException;
import io.liverec.serving.inference.InvalidInputException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy = new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(4));

  @Test
  void retriesUnavailableUpToTheBoundThenThrowsTheLastFailure() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(
            () ->
                policy.run(
                    () -> {
                      throw new BackendUnavailableException(
                          "c", "down " + calls.incrementAndGet(), null);
                    }))
        .isInstanceOf(BackendUnavailableException.class)
        .hasMessageContaining("down 4");
    assertThat(calls).hasValue(4);
    AtomicInteger flaky = new AtomicInteger();
    assertThat(
            policy.run(
                () -> {
                  if (flaky.incrementAndGet() < 3) {
                    throw new BackendUnavailableException("c", "down", null);
                  }
                  return "ok";
                }))
        .isEqualTo("ok");
    assertThat(flaky).hasValue(3);
  }

  @Test
  void neverRetriesOtherFailures() {
    AtomicInteger calls = new AtomicInteger();
    assertThatThrownBy(
            () ->
                policy.run(
                    () -> {
                      calls.incrementAndGet();
                      throw new InvalidInputException("c", "bad", null);
                    }))
        .isInstanceOf(InvalidInputException.class);
    assertThat(calls).hasValue(1);
  }

  @Test
  void backoffIsJitteredWithinTheExponentialCap() {
    RetryPolicy p = new RetryPolicy(10, Duration.ofMillis(50), Duration.ofMillis(400));
    java.util.Set<Long> seen = new java.util.HashSet<>();
    for (int i = 0; i < 200; i++) {
      long first = p.backoff(0).toMillis();
      long late = p.backoff(8).toMillis();
      assertThat(first).isBetween(0L, 50L);
      assertThat(late).isBetween(0L, 400L);
      seen.add(late);
    }
    assertThat(seen.size()).isGreaterThan(20);
  }
}
