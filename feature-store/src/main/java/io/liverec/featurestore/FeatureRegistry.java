package io.liverec.featurestore;

import io.liverec.api.v1alpha1.FeatureViewSpec;
import java.util.List;
import java.util.Optional;

/**
 * Where FeatureView definitions are registered, keyed by namespace and name. Registration is
 * idempotent: registering an unchanged definition keeps its version; a changed one gets the next
 * version. Implementations: {@link InMemoryFeatureRegistry}, {@link LocalFileFeatureRegistry}; a
 * Feast-registry implementation follows.
 */
public interface FeatureRegistry {

  /** Registers (or updates) a view and returns its entry. */
  Entry register(String namespace, String name, FeatureViewSpec spec);

  /** Removes a view; true when it was registered. */
  boolean unregister(String namespace, String name);

  Optional<Entry> get(String namespace, String name);

  List<Entry> list();

  /** A registered view: its definition, version and a fingerprint of the definition. */
  record Entry(
      String namespace, String name, long version, String fingerprint, FeatureViewSpec spec) {}
}
