package io.liverec.cli.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/** Wall time per stage: each {@link #lap} closes the stage that ran since the previous one. */
public final class StageClock {
  private final LongSupplier nanos;
  private final List<DemoRun.Stage> stages = new ArrayList<>();
  private long last;

  public StageClock() {
    this(System::nanoTime);
  }

  StageClock(LongSupplier nanos) {
    this.nanos = nanos;
    this.last = nanos.getAsLong();
  }

  /** Records the time since the last lap (or the start) as {@code stage}; returns its seconds. */
  public double lap(String stage) {
    long now = nanos.getAsLong();
    double s = (now - last) / 1e9;
    stages.add(new DemoRun.Stage(stage, s));
    last = now;
    return s;
  }

  public List<DemoRun.Stage> stages() {
    return List.copyOf(stages);
  }
}
