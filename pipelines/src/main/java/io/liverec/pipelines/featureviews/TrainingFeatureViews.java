package io.liverec.pipelines.featureviews;

import io.liverec.api.errors.LiverecException;
import io.liverec.api.v1alpha1.FeatureView;
import io.liverec.featurestore.FeatureRegistry;
import io.liverec.featurestore.FeatureViewFiles;
import io.liverec.featurestore.InMemoryFeatureRegistry;
import io.liverec.featurestore.config.FeatureStores;
import io.liverec.featurestore.feast.FeastFeatureRegistry;
import io.liverec.featurestore.feast.FeastRepo;
import io.liverec.featurestore.offline.PointInTimeSql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a training run finds the feature views {@code spec.data.featureViews} names: in a {@link
 * FeatureRegistry}. The registry is the one the environment configures ({@link
 * FeatureStores#configured}: the Feast {@code registry.db} or file registry the operator writes
 * from FeatureView resources); without one, the embedded registry: an in-memory registry into which
 * the views an event log declares ({@code <log>/features/*.yaml}, what {@code liverec simulate}
 * writes) are registered, each validated as the operator would.
 */
public final class TrainingFeatureViews {
  public static final String FIELD = "spec.data.featureViews";

  private TrainingFeatureViews() {}

  /**
   * The registry training resolves from: configured by {@code env}, else embedded over {@code log}.
   */
  public static FeatureRegistry registry(Map<String, String> env, Path log, String namespace) {
    return FeatureStores.configured(env).orElseGet(() -> embedded(log, namespace));
  }

  /**
   * An in-memory registry holding the views of the embedded Feast repository beside the log ({@link
   * FeatureStores#embeddedRepo}, when it exists: what {@code liverec simulate} and {@code liverec
   * run -f featureview.yaml} registered there) and the FeatureViews declared under {@code
   * log/features/}, which win on a name both hold.
   */
  public static FeatureRegistry embedded(Path log, String namespace) {
    FeatureRegistry r = new InMemoryFeatureRegistry();
    if (log == null) {
      return r;
    }
    Path repo = FeatureStores.embeddedRepo(log);
    if (Files.isRegularFile(repo.resolve("registry.db"))
        && Files.isRegularFile(repo.resolve("feature_store.yaml"))) {
      for (FeatureRegistry.Entry e : new FeastFeatureRegistry(FeastRepo.load(repo).repo()).list()) {
        r.register(e.namespace(), e.name(), e.spec());
      }
    }
    for (FeatureView fv : FeatureViewFiles.readAll(FeatureSnapshots.dir(log))) {
      r.register(ns(namespace), fv.getMetadata().getName(), fv.getSpec());
    }
    return r;
  }

  /**
   * Registers the FeatureViews {@code log} declares ({@code <log>/features/*.yaml}) in the registry
   * {@code env} configures, else in the embedded Feast repository beside the log ({@link
   * FeatureStores#embeddedRepo}), so {@code liverec materialize} and the feature server find them
   * without flags; returns that registry (nothing is written when the log declares no view).
   */
  public static FeatureRegistry registerDeclared(Map<String, String> env, Path log) {
    List<FeatureView> declared = FeatureViewFiles.readAll(FeatureSnapshots.dir(log));
    FeatureRegistry r =
        FeatureStores.configured(env)
            .orElseGet(
                () ->
                    new FeastFeatureRegistry(
                        FeastRepo.fromEnvironment(env, FeatureStores.embeddedRepo(log))));
    for (FeatureView fv : declared) {
      r.register(ns(null), fv.getMetadata().getName(), fv.getSpec());
    }
    return r;
  }

  /**
   * The views {@code names} names, every feature of each, from {@code registry}; a name it does not
   * hold is bad input naming the list entry and what the registry does hold.
   */
  public static List<PointInTimeSql.View> resolve(
      FeatureRegistry registry, String namespace, List<String> names) {
    List<PointInTimeSql.View> views = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      String field = FIELD + "[" + i + "]";
      FeatureRegistry.Entry e =
          registry
              .get(ns(namespace), name)
              .orElseThrow(() -> notFound(registry, namespace, name, field));
      List<String> features = e.spec().features.stream().map(f -> f.name).toList();
      views.add(new PointInTimeSql.View(name, e.spec(), features));
    }
    return views;
  }

  private static LiverecException notFound(
      FeatureRegistry registry, String namespace, String name, String field) {
    List<String> known =
        registry.list().stream()
            .filter(x -> ns(namespace).equals(x.namespace()))
            .map(FeatureRegistry.Entry::name)
            .sorted()
            .toList();
    return LiverecException.badInput(
        field
            + ": no FeatureView '"
            + name
            + "' in namespace "
            + ns(namespace)
            + " of "
            + FeatureStores.describe(registry)
            + " (registered there: "
            + (known.isEmpty() ? "none" : String.join(", ", known))
            + "); register it (a FeatureView resource, `liverec run -f`) or, embedded, declare it"
            + " as <events>/"
            + FeatureSnapshots.DIR
            + "/"
            + name
            + ".yaml");
  }

  private static String ns(String namespace) {
    return namespace == null || namespace.isBlank() ? "default" : namespace;
  }
}
