package io.liverec.featurestore.online;

import java.util.AbstractMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The stored values of one entity as a read-only map over an array, the feature → position index
 * shared by every entity of one read: a read of 200 entities × 20 features then builds no hash
 * table per entity (what the online benchmark's profile showed as the store's largest cost after
 * Redis itself). Absent values are null in the array and not in the map.
 */
final class IndexedValues extends AbstractMap<String, byte[]> {
  private final Map<String, Integer> index;
  private final byte[][] values;

  IndexedValues(Map<String, Integer> index, byte[][] values) {
    this.index = index;
    this.values = values;
  }

  @Override
  public byte[] get(Object key) {
    Integer i = index.get(key);
    return i == null ? null : values[i];
  }

  @Override
  public boolean containsKey(Object key) {
    return get(key) != null;
  }

  @Override
  public Set<Entry<String, byte[]>> entrySet() {
    Set<Entry<String, byte[]>> out = new LinkedHashSet<>();
    for (Entry<String, Integer> e : index.entrySet()) {
      byte[] v = values[e.getValue()];
      if (v != null) {
        out.add(new SimpleImmutableEntry<>(e.getKey(), v));
      }
    }
    return out;
  }
}
