package io.liverec.featurestore.feast;

import com.google.protobuf.Timestamp;
import feast.proto.core.EntityProto.Entity;
import feast.proto.core.FeatureViewProto.FeatureView;
import feast.proto.core.ProjectProto;
import feast.proto.core.RegistryProto.ProjectMetadata;
import feast.proto.core.RegistryProto.Registry;
import io.liverec.api.errors.LiverecException;
import io.liverec.api.v1alpha1.FeatureViewSpec;
import io.liverec.featurestore.FeatureRegistry;
import io.liverec.featurestore.InMemoryFeatureRegistry;
import io.liverec.featurestore.offline.ParquetSources;
import io.liverec.featurestore.online.OnlineStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@link FeatureRegistry} kept in a Feast repository: each FeatureView becomes a Feast feature
 * view in {@code registry.db}, with its entities and its Parquet data source, so that {@code feast
 * feature-views list} and {@code FeatureStore(repo_path=…)} see it. Views are keyed by name within
 * the Feast project (the namespace is a tag; a second namespace registering the same name is
 * rejected). Materialization intervals recorded by {@code liverec materialize} or by Feast itself
 * survive re-registration.
 */
public final class FeastFeatureRegistry implements FeatureRegistry {
  private final FeastRepo repo;
  private final RegistryFile file;

  public FeastFeatureRegistry(FeastRepo repo) {
    this.repo = repo;
    this.file = new RegistryFile(repo.registryPath());
    repo.writeConfig();
  }

  public FeastRepo repo() {
    return repo;
  }

  public RegistryFile file() {
    return file;
  }

  @Override
  public Entry register(String namespace, String name, FeatureViewSpec spec) {
    String ns = namespace == null ? "default" : namespace;
    String fp = InMemoryFeatureRegistry.fingerprint(spec);
    Optional<Entry> current = get(ns, name);
    if (current.isPresent() && current.get().fingerprint().equals(fp)) {
      return current.get();
    }
    ParquetSources.requireDeclaredColumns(spec);
    Registry written =
        file.update(
            r -> {
              Optional<FeatureView> old = find(r.getFeatureViewsList(), name);
              old.ifPresent(o -> requireSameNamespace(o, ns, name));
              long version = old.map(FeastFeatureRegistry::version).orElse(0L) + 1;
              Timestamp now = FeatureViewProtos.timestamp(Instant.now());
              upsertEntities(r, spec, now);
              replaceSource(r, name, spec);
              FeatureView fv =
                  FeatureViewProtos.featureView(
                      repo.project(), ns, name, spec, version, fp, old, now);
              replaceView(r, name, fv);
              ensureProject(r, now);
              return r;
            });
    // Feast Python writes a SQLite table only once `feast apply` created it: LiveRec creates it on
    // registration where the SQLite driver is present (not in the operator image; the first
    // `liverec materialize` creates it there)
    boolean sqlite = repo.online() instanceof OnlineStoreConfig.Sqlite;
    if ((spec.online == null || spec.online)
        && (!sqlite || ParquetSources.available("org.sqlite.JDBC"))) {
      try (OnlineStore store = OnlineStores.open(repo.online())) {
        store.prepare(repo.project(), name);
      }
    }
    return entry(find(written.getFeatureViewsList(), name).orElseThrow(), entities(written));
  }

  @Override
  public boolean unregister(String namespace, String name) {
    String ns = namespace == null ? "default" : namespace;
    if (get(ns, name).isEmpty()) {
      return false;
    }
    file.update(
        r -> {
          for (int i = r.getFeatureViewsCount() - 1; i >= 0; i--) {
            if (isView(r.getFeatureViews(i), name)) {
              r.removeFeatureViews(i);
            }
          }
          for (int i = r.getDataSourcesCount() - 1; i >= 0; i--) {
            var ds = r.getDataSources(i);
            if (ds.getName().equals(name + "_source") && ds.getProject().equals(repo.project())) {
              r.removeDataSources(i);
            }
          }
          return r;
        });
    return true;
  }

  @Override
  public Optional<Entry> get(String namespace, String name) {
    String ns = namespace == null ? "default" : namespace;
    Registry r = file.readOrEmpty();
    return find(r.getFeatureViewsList(), name)
        .filter(fv -> ns.equals(fv.getSpec().getTagsMap().get(FeatureViewProtos.TAG_NAMESPACE)))
        .map(fv -> entry(fv, entities(r)));
  }

  @Override
  public List<Entry> list() {
    Registry r = file.readOrEmpty();
    Map<String, Entity> entities = entities(r);
    List<Entry> out = new ArrayList<>();
    for (FeatureView fv : r.getFeatureViewsList()) {
      if (fv.getSpec().getProject().equals(repo.project())
          && fv.getSpec().getTagsMap().containsKey(FeatureViewProtos.TAG_NAMESPACE)) {
        out.add(entry(fv, entities));
      }
    }
    return out;
  }

  private boolean isView(FeatureView fv, String name) {
    return fv.getSpec().getName().equals(name) && fv.getSpec().getProject().equals(repo.project());
  }

  private Optional<FeatureView> find(List<FeatureView> views, String name) {
    return views.stream().filter(fv -> isView(fv, name)).findFirst();
  }

  private static void requireSameNamespace(FeatureView old, String ns, String name) {
    String owner = old.getSpec().getTagsMap().get(FeatureViewProtos.TAG_NAMESPACE);
    if (!ns.equals(owner)) {
      throw LiverecException.badInput(
          "metadata.name: feature view '"
              + name
              + "' is already registered in the Feast project by "
              + (owner == null ? "Feast itself" : "namespace " + owner)
              + "; Feast names are unique per project");
    }
  }

  private static long version(FeatureView fv) {
    String v = fv.getSpec().getTagsMap().get(FeatureViewProtos.TAG_VERSION);
    return v == null ? 0 : Long.parseLong(v);
  }

  private Entry entry(FeatureView fv, Map<String, Entity> entities) {
    var tags = fv.getSpec().getTagsMap();
    return new Entry(
        tags.get(FeatureViewProtos.TAG_NAMESPACE),
        fv.getSpec().getName(),
        version(fv),
        tags.getOrDefault(FeatureViewProtos.TAG_FINGERPRINT, ""),
        FeatureViewProtos.spec(fv, entities));
  }

  private Map<String, Entity> entities(Registry r) {
    Map<String, Entity> m = new LinkedHashMap<>();
    for (Entity e : r.getEntitiesList()) {
      if (e.getSpec().getProject().equals(repo.project())) {
        m.put(e.getSpec().getName(), e);
      }
    }
    return m;
  }

  private void upsertEntities(Registry.Builder r, FeatureViewSpec spec, Timestamp now) {
    for (FeatureViewSpec.Field key : spec.entities) {
      Entity want = FeatureViewProtos.entity(repo.project(), key, now);
      int at = -1;
      for (int i = 0; i < r.getEntitiesCount(); i++) {
        var s = r.getEntities(i).getSpec();
        if (s.getName().equals(key.name) && s.getProject().equals(repo.project())) {
          at = i;
        }
      }
      if (at < 0) {
        r.addEntities(want);
      } else if (r.getEntities(at).getSpec().getValueType() != want.getSpec().getValueType()) {
        throw LiverecException.badInput(
            "spec.entities: entity '"
                + key.name
                + "' is "
                + key.type
                + " here but "
                + r.getEntities(at).getSpec().getValueType()
                + " in the Feast registry (an entity has one type across views)");
      }
    }
  }

  private void replaceSource(Registry.Builder r, String view, FeatureViewSpec spec) {
    var ds = FeatureViewProtos.source(repo.project(), view, spec);
    for (int i = 0; i < r.getDataSourcesCount(); i++) {
      var d = r.getDataSources(i);
      if (d.getName().equals(ds.getName()) && d.getProject().equals(repo.project())) {
        r.setDataSources(i, ds);
        return;
      }
    }
    r.addDataSources(ds);
  }

  private void replaceView(Registry.Builder r, String name, FeatureView fv) {
    for (int i = 0; i < r.getFeatureViewsCount(); i++) {
      if (isView(r.getFeatureViews(i), name)) {
        r.setFeatureViews(i, fv);
        return;
      }
    }
    r.addFeatureViews(fv);
  }

  private void ensureProject(Registry.Builder r, Timestamp now) {
    boolean hasProject =
        r.getProjectsList().stream()
            .anyMatch(p -> Objects.equals(p.getSpec().getName(), repo.project()));
    if (!hasProject) {
      r.addProjects(
          ProjectProto.Project.newBuilder()
              .setSpec(ProjectProto.ProjectSpec.newBuilder().setName(repo.project()))
              .setMeta(
                  ProjectProto.ProjectMeta.newBuilder()
                      .setCreatedTimestamp(now)
                      .setLastUpdatedTimestamp(now)));
    }
    boolean hasMetadata =
        r.getProjectMetadataList().stream().anyMatch(m -> m.getProject().equals(repo.project()));
    if (!hasMetadata) {
      r.addProjectMetadata(
          ProjectMetadata.newBuilder()
              .setProject(repo.project())
              .setProjectUuid(UUID.randomUUID().toString()));
    }
  }
}
