package io.liverec.featurestore.feast;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import feast.proto.core.DataFormatProto.FileFormat;
import feast.proto.core.DataSourceProto.DataSource;
import feast.proto.core.EntityProto.Entity;
import feast.proto.core.EntityProto.EntitySpecV2;
import feast.proto.core.FeatureProto.FeatureSpecV2;
import feast.proto.core.FeatureViewProto.FeatureView;
import feast.proto.core.FeatureViewProto.FeatureViewMeta;
import feast.proto.types.ValueProto;
import io.liverec.api.v1alpha1.Durations;
import io.liverec.api.v1alpha1.FeatureViewSpec;
import io.liverec.api.v1alpha1.FeatureViewSpec.Field;
import io.liverec.featurestore.offline.ParquetSources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A FeatureView custom resource ↔ Feast's registry protos: one Entity per join key, a file
 * DataSource ({@code <view>_source}) for the Parquet table, the FeatureView with {@code
 * entity_columns} (without them Feast's own materialization writes every row under an empty key).
 * LiveRec's bookkeeping (namespace, version, fingerprint, schedule) travels as tags.
 */
public final class FeatureViewProtos {
  public static final String TAG_NAMESPACE = "liverec.io/namespace";
  public static final String TAG_VERSION = "liverec.io/version";
  public static final String TAG_FINGERPRINT = "liverec.io/fingerprint";
  public static final String TAG_SCHEDULE = "liverec.io/materialization-schedule";
  static final String FILE_SOURCE_CLASS = "feast.infra.offline_stores.file_source.FileSource";

  private FeatureViewProtos() {}

  public static ValueProto.ValueType.Enum valueType(FeatureViewSpec.ValueType t) {
    return ValueProto.ValueType.Enum.valueOf(t.name());
  }

  /** The LiveRec type of a Feast value type, when LiveRec has one. */
  public static Optional<FeatureViewSpec.ValueType> valueType(ValueProto.ValueType.Enum t) {
    try {
      return Optional.of(FeatureViewSpec.ValueType.valueOf(t.name()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static Entity entity(String project, Field key, Timestamp now) {
    return Entity.newBuilder()
        .setSpec(
            EntitySpecV2.newBuilder()
                .setName(key.name)
                .setJoinKey(key.name)
                .setProject(project)
                .setValueType(valueType(key.type))
                .setDescription(key.description == null ? "" : key.description))
        .setMeta(
            feast.proto.core.EntityProto.EntityMeta.newBuilder()
                .setCreatedTimestamp(now)
                .setLastUpdatedTimestamp(now))
        .build();
  }

  static DataSource source(String project, String view, FeatureViewSpec spec) {
    DataSource.Builder b =
        DataSource.newBuilder()
            .setName(view + "_source")
            .setProject(project)
            .setType(DataSource.SourceType.BATCH_FILE)
            .setDataSourceClassType(FILE_SOURCE_CLASS)
            .setTimestampField(spec.source.timestampField)
            .setFileOptions(
                DataSource.FileOptions.newBuilder()
                    .setUri(ParquetSources.sourcePath(spec.source.uri))
                    .setFileFormat(
                        FileFormat.newBuilder()
                            .setParquetFormat(FileFormat.ParquetFormat.getDefaultInstance())));
    if (spec.source.createdTimestampField != null) {
      b.setCreatedTimestampColumn(spec.source.createdTimestampField);
    }
    return b.build();
  }

  private static FeatureSpecV2 field(Field f) {
    FeatureSpecV2.Builder b =
        FeatureSpecV2.newBuilder().setName(f.name).setValueType(valueType(f.type));
    if (f.description != null) {
      b.setDescription(f.description);
    }
    return b.build();
  }

  /**
   * The FeatureView proto; {@code previous} (the registered one, if any) gives the creation time
   * and the materialization intervals, which are kept.
   */
  static FeatureView featureView(
      String project,
      String namespace,
      String name,
      FeatureViewSpec spec,
      long version,
      String fingerprint,
      Optional<FeatureView> previous,
      Timestamp now) {
    feast.proto.core.FeatureViewProto.FeatureViewSpec.Builder s =
        feast.proto.core.FeatureViewProto.FeatureViewSpec.newBuilder()
            .setName(name)
            .setProject(project)
            .setOnline(spec.online == null || spec.online)
            .setTtl(Duration.newBuilder().setSeconds(Durations.parse(spec.ttl).getSeconds()))
            .setBatchSource(source(project, name, spec));
    for (Field e : spec.entities) {
      s.addEntities(e.name);
      s.addEntityColumns(field(e));
    }
    for (Field f : spec.features) {
      s.addFeatures(field(f));
    }
    Map<String, String> tags = new LinkedHashMap<>(spec.tags == null ? Map.of() : spec.tags);
    tags.put(TAG_NAMESPACE, namespace);
    tags.put(TAG_VERSION, Long.toString(version));
    tags.put(TAG_FINGERPRINT, fingerprint);
    if (spec.materialization != null) {
      tags.put(TAG_SCHEDULE, spec.materialization.schedule);
    }
    s.putAllTags(tags);
    FeatureViewMeta.Builder meta =
        previous.map(p -> p.getMeta().toBuilder()).orElseGet(FeatureViewMeta::newBuilder);
    if (!meta.hasCreatedTimestamp()) {
      meta.setCreatedTimestamp(now);
    }
    meta.setLastUpdatedTimestamp(now);
    return FeatureView.newBuilder().setSpec(s).setMeta(meta).build();
  }

  /**
   * The custom-resource spec of a registered view (entities from {@code entity_columns}, else from
   * the registry's entities); types LiveRec has no name for become an error naming the field.
   */
  public static FeatureViewSpec spec(FeatureView fv, Map<String, Entity> entitiesByName) {
    var s = fv.getSpec();
    FeatureViewSpec spec = new FeatureViewSpec();
    spec.entities = new ArrayList<>();
    if (s.getEntityColumnsCount() > 0) {
      for (FeatureSpecV2 c : s.getEntityColumnsList()) {
        spec.entities.add(fieldOf(s.getName(), c.getName(), c.getValueType(), c.getDescription()));
      }
    } else {
      for (String e : s.getEntitiesList()) {
        Entity ent = entitiesByName.get(e);
        if (ent != null) {
          spec.entities.add(
              fieldOf(
                  s.getName(),
                  ent.getSpec().getJoinKey().isEmpty() ? e : ent.getSpec().getJoinKey(),
                  ent.getSpec().getValueType(),
                  ent.getSpec().getDescription()));
        }
      }
    }
    spec.features = new ArrayList<>();
    for (FeatureSpecV2 f : s.getFeaturesList()) {
      spec.features.add(fieldOf(s.getName(), f.getName(), f.getValueType(), f.getDescription()));
    }
    spec.source.uri = s.getBatchSource().getFileOptions().getUri();
    spec.source.timestampField = s.getBatchSource().getTimestampField();
    String created = s.getBatchSource().getCreatedTimestampColumn();
    spec.source.createdTimestampField = created.isEmpty() ? null : created;
    spec.ttl = duration(s.getTtl().getSeconds());
    spec.online = s.getOnline();
    spec.tags = new LinkedHashMap<>(s.getTagsMap());
    spec.tags.keySet().removeIf(k -> k.startsWith("liverec.io/"));
    String schedule = s.getTagsMap().get(TAG_SCHEDULE);
    if (schedule != null) {
      spec.materialization = new FeatureViewSpec.Materialization();
      spec.materialization.schedule = schedule;
    }
    return spec;
  }

  private static Field fieldOf(
      String view, String name, ValueProto.ValueType.Enum type, String description) {
    Field f =
        new Field(
            name,
            valueType(type)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "feature view "
                                + view
                                + ", column "
                                + name
                                + ": Feast type "
                                + type
                                + " has no LiveRec equivalent")));
    f.description = description == null || description.isEmpty() ? null : description;
    return f;
  }

  /** {@code 86400} → {@code 1d}, {@code 5400} → {@code 90m}, {@code 0} → {@code 0s}. */
  static String duration(long seconds) {
    if (seconds > 0 && seconds % 86_400 == 0) {
      return seconds / 86_400 + "d";
    }
    if (seconds > 0 && seconds % 3_600 == 0) {
      return seconds / 3_600 + "h";
    }
    if (seconds > 0 && seconds % 60 == 0) {
      return seconds / 60 + "m";
    }
    return seconds + "s";
  }

  public static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }
}
