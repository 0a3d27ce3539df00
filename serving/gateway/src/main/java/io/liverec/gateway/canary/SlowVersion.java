package io.liverec.gateway.canary;

import io.liverec.serving.inference.InferenceBackend;
import io.liverec.serving.inference.Tensor;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Fault injection for canary drills: a backend that answers one model version {@code delay} late
 * (every other call goes straight through), as a version that is too heavy for its hardware would.
 */
public final class SlowVersion implements InferenceBackend {
  private final InferenceBackend inner;
  private final String model;
  private final int version;
  private final Duration delay;

  public SlowVersion(InferenceBackend inner, String model, int version, Duration delay) {
    this.inner = inner;
    this.model = model;
    this.version = version;
    this.delay = delay;
  }

  @Override
  public Map<String, Tensor> infer(
      String model, int version, List<Tensor> inputs, List<String> outputs) {
    if (version == this.version && model.equals(this.model)) {
      try {
        Thread.sleep(delay.toMillis(), (int) (delay.toNanos() % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while injecting latency", e);
      }
    }
    return inner.infer(model, version, inputs, outputs);
  }

  @Override
  public boolean ready(String model, int version) {
    return inner.ready(model, version);
  }

  @Override
  public void close() {
    inner.close();
  }
}
