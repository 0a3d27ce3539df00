package io.liverec.gateway;

import java.util.Map;

/**
 * A room's online features: encoded for a ranker that takes them as they are ({@link
 * RankerInputs#PRE_ENCODED}), and/or raw attributes by training column name ({@code category},
 * {@code followers}, {@code audio_vec}, …) for a ranker that ships its feature transform ({@link
 * TransformedRankerInputs}).
 */
public record RoomFeatures(long[] sparse, float[] dense, Map<String, Object> attributes) {
  public RoomFeatures {
    attributes = Map.copyOf(attributes);
  }

  public RoomFeatures(long[] sparse, float[] dense) {
    this(sparse, dense, Map.of());
  }
}
