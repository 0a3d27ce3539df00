package io.liverec.serving.rollout;

import java.util.OptionalInt;

/** Splits a model's traffic between its stable version and a canary (the gateway's routing). */
public interface TrafficRouter {

  /** Routes {@code percent} of the model's traffic to {@code version}, the rest to the stable. */
  void setWeight(String model, int version, int percent);

  /** Makes {@code version} the stable version serving all traffic. */
  void promote(String model, int version);

  /** The stable version of {@code model}, if any. */
  OptionalInt stable(String model);

  /** Current percentage routed to {@code version}. */
  int weight(String model, int version);
}
