package io.liverec.featurestore.offline;

import io.liverec.api.errors.LiverecException;
import io.liverec.featurestore.FeatureRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Feature references {@code view:feature} resolved against a {@link FeatureRegistry}. */
public final class FeatureRefs {
  private FeatureRefs() {}

  /** The views to join, in the order of their first reference; unknown names are bad input. */
  public static List<PointInTimeSql.View> resolve(
      FeatureRegistry registry, String namespace, List<String> refs) {
    Map<String, List<String>> byView = new LinkedHashMap<>();
    for (String ref : refs) {
      int colon = ref.indexOf(':');
      if (colon <= 0) {
        throw LiverecException.badInput("feature '" + ref + "': expected view:feature");
      }
      byView
          .computeIfAbsent(ref.substring(0, colon), v -> new ArrayList<>())
          .add(ref.substring(colon + 1));
    }
    List<PointInTimeSql.View> views = new ArrayList<>();
    for (var e : byView.entrySet()) {
      FeatureRegistry.Entry entry =
          registry
              .get(namespace, e.getKey())
              .orElseThrow(
                  () ->
                      LiverecException.badInput(
                          "unknown feature view '" + e.getKey() + "' in namespace " + namespace));
      for (String f : e.getValue()) {
        if (entry.spec().features.stream().noneMatch(x -> x.name.equals(f))) {
          throw LiverecException.badInput(
              "feature view '" + e.getKey() + "' has no feature '" + f + "'");
        }
      }
      views.add(new PointInTimeSql.View(e.getKey(), entry.spec(), e.getValue()));
    }
    return views;
  }
}
