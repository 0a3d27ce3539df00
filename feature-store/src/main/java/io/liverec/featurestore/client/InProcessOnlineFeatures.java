package io.liverec.featurestore.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link OnlineFeatures} held in memory — for unit tests of callers only (the gateway's own logic);
 * integration tests and production use {@link FeastClientOnlineFeatures} against the real server.
 */
public final class InProcessOnlineFeatures implements OnlineFeatures {
  private record Stored(Map<String, Object> values, Instant eventTime) {}

  private final Map<String, Set<String>> joinKeys = new ConcurrentHashMap<>();
  private final Map<String, Map<Map<String, Object>, Stored>> views = new ConcurrentHashMap<>();

  /** Stores the features of one entity of {@code view}. */
  public InProcessOnlineFeatures put(
      String view, Map<String, Object> entity, Map<String, Object> features, Instant eventTime) {
    joinKeys.put(view, Set.copyOf(entity.keySet()));
    views
        .computeIfAbsent(view, v -> new ConcurrentHashMap<>())
        .put(new TreeMap<>(entity), new Stored(new LinkedHashMap<>(features), eventTime));
    return this;
  }

  @Override
  public List<Map<String, Feature>> get(
      List<String> features, List<Map<String, Object>> entityRows) {
    List<Map<String, Feature>> out = new ArrayList<>();
    for (Map<String, Object> row : entityRows) {
      Map<String, Feature> m = new LinkedHashMap<>();
      for (String ref : features) {
        int colon = ref.indexOf(':');
        String view = ref.substring(0, colon);
        String feature = ref.substring(colon + 1);
        Map<String, Object> key = new TreeMap<>();
        joinKeys.getOrDefault(view, Set.of()).forEach(k -> key.put(k, row.get(k)));
        Stored s = views.getOrDefault(view, Map.of()).get(key);
        if (s == null || !s.values().containsKey(feature)) {
          m.put(ref, new Feature(null, Status.NOT_FOUND, Instant.EPOCH));
        } else {
          Object v = s.values().get(feature);
          m.put(ref, new Feature(v, v == null ? Status.NULL_VALUE : Status.PRESENT, s.eventTime()));
        }
      }
      out.add(m);
    }
    return out;
  }

  @Override
  public void close() {}
}
