package io.liverec.gateway;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the request path needs to know.
 *
 * @param userTower the user tower (inputs {@code user_sparse}, {@code seq}; output {@code
 *     user_vector})
 * @param recallN candidates taken from recall and scored by the ranker in one batched call
 * @param taskWeights fusion exponents: score = Π task_i^a_i over the ranker outputs named here
 * @param maxPerHost host diversity: at most this many rooms of one host in a response
 * @param rankerDeadline past this the ranker's answer is not waited for (recall order is served)
 * @param maxK the largest k a request may ask for
 */
public record GatewayConfig(
    ModelRef userTower,
    int recallN,
    Map<String, Double> taskWeights,
    int maxPerHost,
    Duration rankerDeadline,
    int maxK) {
  public GatewayConfig {
    if (recallN < 1 || maxPerHost < 1 || maxK < 1) {
      throw new IllegalArgumentException("recallN, maxPerHost and maxK must be ≥ 1");
    }
    if (taskWeights.isEmpty()) {
      throw new IllegalArgumentException("taskWeights must name at least one ranker output");
    }
    taskWeights = Map.copyOf(new LinkedHashMap<>(taskWeights));
  }

  public static GatewayConfig defaults(ModelRef userTower) {
    return new GatewayConfig(
        userTower, 200, Map.of("ctr", 1.0, "cvr", 0.5), 2, Duration.ofMillis(50), 100);
  }

  public GatewayConfig withRankerDeadline(Duration d) {
    return new GatewayConfig(userTower, recallN, taskWeights, maxPerHost, d, maxK);
  }

  public GatewayConfig withMaxPerHost(int n) {
    return new GatewayConfig(userTower, recallN, taskWeights, n, rankerDeadline, maxK);
  }
}
