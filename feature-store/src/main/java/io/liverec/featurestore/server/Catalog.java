package io.liverec.featurestore.server;

import feast.proto.core.EntityProto.Entity;
import feast.proto.core.FeatureProto.FeatureSpecV2;
import feast.proto.core.FeatureViewProto.FeatureView;
import feast.proto.core.RegistryProto.Registry;
import feast.proto.types.ValueProto.ValueType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The feature views of one project of a registry, as the server looks them up per request. */
record Catalog(String versionId, Map<String, View> views) {

  /** A view: its join keys with their declared types, its features, its ttl (0 = none). */
  record View(
      String name,
      List<String> joinKeys,
      List<ValueType.Enum> keyTypes,
      Map<String, ValueType.Enum> features,
      long ttlSeconds) {}

  static Catalog of(Registry r, String project) {
    Map<String, Entity> entities = new HashMap<>();
    for (Entity e : r.getEntitiesList()) {
      if (e.getSpec().getProject().equals(project)) {
        entities.put(e.getSpec().getName(), e);
      }
    }
    Map<String, View> views = new LinkedHashMap<>();
    for (FeatureView fv : r.getFeatureViewsList()) {
      var s = fv.getSpec();
      if (!s.getProject().equals(project)) {
        continue;
      }
      List<String> keys = new ArrayList<>();
      List<ValueType.Enum> types = new ArrayList<>();
      if (s.getEntityColumnsCount() > 0) {
        for (FeatureSpecV2 c : s.getEntityColumnsList()) {
          keys.add(c.getName());
          types.add(c.getValueType());
        }
      } else {
        for (String name : s.getEntitiesList()) {
          Entity e = entities.get(name);
          if (e != null) {
            keys.add(e.getSpec().getJoinKey().isEmpty() ? name : e.getSpec().getJoinKey());
            types.add(e.getSpec().getValueType());
          }
        }
      }
      Map<String, ValueType.Enum> features = new LinkedHashMap<>();
      for (FeatureSpecV2 f : s.getFeaturesList()) {
        features.put(f.getName(), f.getValueType());
      }
      views.put(
          s.getName(),
          new View(
              s.getName(),
              List.copyOf(keys),
              List.copyOf(types),
              features,
              s.getTtl().getSeconds()));
    }
    return new Catalog(r.getVersionId(), views);
  }
}
