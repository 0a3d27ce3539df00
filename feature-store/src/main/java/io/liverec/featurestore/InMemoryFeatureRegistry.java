package io.liverec.featurestore;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.liverec.api.v1alpha1.FeatureViewSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A registry held in memory (tests, the operator until the Feast registry lands). */
public class InMemoryFeatureRegistry implements FeatureRegistry {
  static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  @Override
  public Entry register(String namespace, String name, FeatureViewSpec spec) {
    String fp = fingerprint(spec);
    Entry e =
        entries.compute(
            key(namespace, name),
            (k, old) -> {
              if (old != null && old.fingerprint().equals(fp)) {
                return old;
              }
              long version = old == null ? 1 : old.version() + 1;
              return new Entry(namespace, name, version, fp, copy(spec));
            });
    saved(e);
    return e;
  }

  @Override
  public boolean unregister(String namespace, String name) {
    boolean removed = entries.remove(key(namespace, name)) != null;
    if (removed) {
      removed(namespace, name);
    }
    return removed;
  }

  @Override
  public Optional<Entry> get(String namespace, String name) {
    return Optional.ofNullable(entries.get(key(namespace, name)));
  }

  @Override
  public List<Entry> list() {
    return new ArrayList<>(entries.values());
  }

  /** Hook for persistent subclasses: called after every registration. */
  protected void saved(Entry e) {}

  /** Hook for persistent subclasses: called after a removal. */
  protected void removed(String namespace, String name) {}

  /** Restores an entry (persistent subclasses, at start). */
  protected void restore(Entry e) {
    entries.put(key(e.namespace(), e.name()), e);
  }

  /** SHA-256 of the canonical JSON of the definition. */
  public static String fingerprint(FeatureViewSpec spec) {
    try {
      byte[] json = JSON.writeValueAsString(spec).getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
    } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static FeatureViewSpec copy(FeatureViewSpec spec) {
    return JSON.convertValue(spec, FeatureViewSpec.class);
  }

  private static String key(String namespace, String name) {
    return (namespace == null ? "" : namespace) + "/" + name;
  }
}
