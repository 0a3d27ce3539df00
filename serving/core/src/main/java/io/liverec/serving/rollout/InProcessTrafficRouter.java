package io.liverec.serving.rollout;

import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/** The embedded gateway's routing table: per model, a stable version and canary weights. */
public final class InProcessTrafficRouter implements TrafficRouter {
  private final Map<String, Integer> stable = new ConcurrentHashMap<>();
  private final Map<String, Integer> weights = new ConcurrentHashMap<>();

  @Override
  public void setWeight(String model, int version, int percent) {
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("weight " + percent + " is outside 0..100");
    }
    weights.put(model + "/" + version, percent);
  }

  @Override
  public void promote(String model, int version) {
    stable.put(model, version);
    weights.keySet().removeIf(k -> k.startsWith(model + "/"));
    weights.put(model + "/" + version, 100);
  }

  @Override
  public OptionalInt stable(String model) {
    Integer v = stable.get(model);
    return v == null ? OptionalInt.empty() : OptionalInt.of(v);
  }

  @Override
  public int weight(String model, int version) {
    return weights.getOrDefault(model + "/" + version, 0);
  }
}
