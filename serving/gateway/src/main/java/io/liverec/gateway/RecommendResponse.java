package io.liverec.gateway;

import java.util.List;
import java.util.Map;

/**
 * The answer: rooms best first, the model versions that produced it and the fallbacks taken.
 *
 * @param models role → model/version actually used ("userTower", "ranker")
 * @param outcome served, cold_start, ranker_fallback or recall_fallback
 */
public record RecommendResponse(
    String userId, List<Item> items, Map<String, String> models, String outcome) {
  /** One recommended room with its fused score and why it is there. */
  public record Item(int roomId, String hostId, double score, List<String> reasons) {}
}
