package io.liverec.operator;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The operator's clock in the Quarkus tests: the real time plus an offset a test can move forward
 * (to make a schedule come due) and must reset; it replaces {@link OperatorClock}'s default bean.
 */
@Singleton
public class TestClock extends Clock {
  private volatile Duration offset = Duration.ZERO;

  /** Moves the operator's time to {@code at} (from now on it runs at the real pace again). */
  public void jumpTo(Instant at) {
    offset = Duration.between(Instant.now(), at);
  }

  public void reset() {
    offset = Duration.ZERO;
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(offset);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the operator reads UTC instants only");
  }
}
