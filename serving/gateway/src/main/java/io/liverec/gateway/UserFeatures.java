package io.liverec.gateway;

import java.util.Map;

/**
 * A user's online features: the user tower's inputs (categorical ids and a recent sequence), and
 * raw attributes by training column name ({@code gender}, {@code city}, {@code recent_rooms}, …)
 * for a ranker that ships its feature transform.
 */
public record UserFeatures(long[] sparse, long[] sequence, Map<String, Object> attributes) {
  public UserFeatures {
    attributes = Map.copyOf(attributes);
  }

  public UserFeatures(long[] sparse, long[] sequence) {
    this(sparse, sequence, Map.of());
  }
}
