package io.liverec.gateway;

import io.liverec.serving.rollout.TrafficRouter;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The gateway's traffic split driven by a rollout: the {@link TrafficRouter} a {@code Rollout}
 * writes its step weights to, and the {@link TrafficSplit} supplier the {@link Recommender} reads
 * on every request. One ranker model: a stable version and at most one canary. Each canary gets its
 * own salt ({@code model/version}), so the users it samples do not depend on earlier rollouts, and
 * as its weight rises a user on it stays there.
 */
public final class SplitRouter implements TrafficRouter, Supplier<TrafficSplit> {
  private final String model;

  private record State(int stable, int canary, int percent, TrafficSplit split) {}

  private final AtomicReference<State> state;

  /** A router whose ranker {@code model} serves {@code stableVersion} to everyone. */
  public SplitRouter(String model, int stableVersion) {
    this.model = model;
    this.state =
        new AtomicReference<>(
            new State(
                stableVersion, 0, 0, TrafficSplit.single(new ModelRef(model, stableVersion))));
  }

  @Override
  public TrafficSplit get() {
    return state.get().split();
  }

  @Override
  public void setWeight(String model, int version, int percent) {
    check(model);
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("weight " + percent + " is outside 0..100");
    }
    state.updateAndGet(
        s -> {
          if (version == s.stable()) {
            return s; // the stable version already serves everyone not on a canary
          }
          ModelRef stable = new ModelRef(model, s.stable());
          if (percent == 0) {
            return new State(s.stable(), 0, 0, TrafficSplit.single(stable));
          }
          TrafficSplit split =
              TrafficSplit.canary(
                  model + "/" + version, new ModelRef(model, version), percent * 100, stable);
          return new State(s.stable(), version, percent, split);
        });
  }

  /** The ranker model this router splits. */
  public String model() {
    return model;
  }

  /**
   * Sets the whole split at once, as read from the ModelVersions' status: {@code stable} serves
   * everyone not on the canary, {@code canary} (if present and above 0%) holds {@code percent}.
   * Unchanged values keep the current split, so the users' arms do not move.
   */
  public void route(int stable, java.util.OptionalInt canary, int percent) {
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("weight " + percent + " is outside 0..100");
    }
    state.updateAndGet(
        s -> {
          int c =
              canary.isPresent() && percent > 0 && canary.getAsInt() != stable
                  ? canary.getAsInt()
                  : 0;
          int p = c == 0 ? 0 : percent;
          if (s.stable() == stable && s.canary() == c && s.percent() == p) {
            return s;
          }
          ModelRef stableRef = new ModelRef(model, stable);
          TrafficSplit split =
              c == 0
                  ? TrafficSplit.single(stableRef)
                  : TrafficSplit.canary(
                      model + "/" + c, new ModelRef(model, c), p * 100, stableRef);
          return new State(stable, c, p, split);
        });
  }

  @Override
  public void promote(String model, int version) {
    check(model);
    state.set(new State(version, 0, 0, TrafficSplit.single(new ModelRef(model, version))));
  }

  @Override
  public OptionalInt stable(String model) {
    return this.model.equals(model) ? OptionalInt.of(state.get().stable()) : OptionalInt.empty();
  }

  @Override
  public int weight(String model, int version) {
    State s = state.get();
    if (!this.model.equals(model)) {
      return 0;
    }
    if (version == s.canary()) {
      return s.percent();
    }
    return version == s.stable() ? 100 - s.percent() : 0;
  }

  private void check(String model) {
    if (!this.model.equals(model)) {
      throw new IllegalArgumentException(
          "this gateway routes ranker " + this.model + ", not " + model);
    }
  }
}
