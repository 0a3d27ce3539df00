package io.liverec.featurestore.server;

import com.google.protobuf.Timestamp;
import feast.proto.serving.ServingAPIProto.FieldStatus;
import feast.proto.serving.ServingAPIProto.GetOnlineFeaturesRequest;
import feast.proto.types.ValueProto.RepeatedValue;
import feast.proto.types.ValueProto.Value;
import feast.proto.types.ValueProto.ValueType;
import io.grpc.Status;
import io.liverec.featurestore.online.EntityKeys;
import io.liverec.featurestore.online.OnlineStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * GetOnlineFeatures over a registry and an online store: the request is checked against the
 * registry (unknown views or features, missing or mistyped entity values → INVALID_ARGUMENT naming
 * them), entity values are converted to the entity's declared type (the Feast Java SDK sends ints
 * as INT32), each view is read once for all rows, and every value gets a status — PRESENT,
 * NULL_VALUE, NOT_FOUND, OUTSIDE_MAX_AGE (older than the view's ttl), or INVALID for a stored value
 * that does not parse (counted, never fatal) — and an event timestamp (0 when not found). Response
 * columns are named as requested ({@code view:feature}; {@code view__feature} with
 * full_feature_names), without entity columns, as the old Feast Java server answered.
 */
final class OnlineServing {
  private final RegistryCache registry;
  private final OnlineStore store;
  private final String project;
  private final Clock clock;
  private final AtomicLong corruptValues = new AtomicLong();

  OnlineServing(RegistryCache registry, OnlineStore store, String project, Clock clock) {
    this.registry = registry;
    this.store = store;
    this.project = project;
    this.clock = clock;
  }

  long corruptValues() {
    return corruptValues.get();
  }

  private static RuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }

  /** The response's wire bytes (see {@link ResponseWire}). */
  byte[] answer(GetOnlineFeaturesRequest req) {
    if (req.getKindCase() == GetOnlineFeaturesRequest.KindCase.FEATURE_SERVICE) {
      throw Status.UNIMPLEMENTED
          .withDescription("feature services are not served; request features as view:feature")
          .asRuntimeException();
    }
    List<String> refs = req.getFeatures().getValList();
    if (refs.isEmpty()) {
      throw invalid("features: no features requested");
    }
    Catalog catalog = registry.current();
    int rows = -1;
    for (Map.Entry<String, RepeatedValue> e : req.getEntitiesMap().entrySet()) {
      int n = e.getValue().getValCount();
      if (rows >= 0 && n != rows) {
        throw invalid(
            "entities: every join key needs one value per row; "
                + e.getKey()
                + " has "
                + n
                + ", others "
                + rows);
      }
      rows = n;
    }
    if (rows <= 0) {
      throw invalid("entities: no entity rows");
    }
    // requested features grouped by view, in request order
    Map<String, List<Integer>> byView = new LinkedHashMap<>();
    List<String> featureOf = new ArrayList<>(refs.size());
    for (int i = 0; i < refs.size(); i++) {
      String ref = refs.get(i);
      int colon = ref.indexOf(':');
      if (colon <= 0 || colon == ref.length() - 1) {
        throw invalid("features[" + i + "]: '" + ref + "' is not view:feature");
      }
      String view = ref.substring(0, colon);
      String feature = ref.substring(colon + 1);
      Catalog.View v = catalog.views().get(view);
      if (v == null) {
        throw invalid(
            "features["
                + i
                + "]: unknown feature view '"
                + view
                + "' (registered: "
                + String.join(", ", catalog.views().keySet())
                + ")");
      }
      if (!v.features().containsKey(feature)) {
        throw invalid(
            "features["
                + i
                + "]: feature view '"
                + view
                + "' has no feature '"
                + feature
                + "' (it has: "
                + String.join(", ", v.features().keySet())
                + ")");
      }
      byView.computeIfAbsent(view, k -> new ArrayList<>()).add(i);
      featureOf.add(feature);
    }
    ResponseWire.Column[] columns = new ResponseWire.Column[refs.size()];
    long now = clock.instant().getEpochSecond();
    for (Map.Entry<String, List<Integer>> e : byView.entrySet()) {
      Catalog.View v = catalog.views().get(e.getKey());
      List<byte[]> keys = keys(v, req.getEntitiesMap(), rows);
      List<String> features = e.getValue().stream().map(featureOf::get).distinct().toList();
      List<OnlineStore.Stored> stored = store.read(project, v.name(), keys, features);
      // one serialized Timestamp per stored entity, shared by its features' cells
      byte[][] times = new byte[rows][];
      long[] seconds = new long[rows];
      for (int r = 0; r < rows; r++) {
        OnlineStore.Stored s = stored.get(r);
        if (s != null) {
          seconds[r] = s.eventTs().getEpochSecond();
          times[r] =
              Timestamp.newBuilder()
                  .setSeconds(seconds[r])
                  .setNanos(s.eventTs().getNano())
                  .build()
                  .toByteArray();
        }
      }
      for (int col : e.getValue()) {
        String feature = featureOf.get(col);
        ResponseWire.Column c = new ResponseWire.Column(rows);
        for (int r = 0; r < rows; r++) {
          OnlineStore.Stored s = stored.get(r);
          fill(c, r, s == null ? null : s.values().get(feature), times[r], seconds[r], v, now);
        }
        columns[col] = c;
      }
    }
    List<String> names = new ArrayList<>(refs.size());
    for (String ref : refs) {
      names.add(req.getFullFeatureNames() ? ref.replaceFirst(":", "__") : ref);
    }
    return ResponseWire.write(names, columns);
  }

  private void fill(
      ResponseWire.Column c,
      int r,
      byte[] raw,
      byte[] time,
      long seconds,
      Catalog.View v,
      long now) {
    if (raw == null) {
      c.statuses()[r] = (byte) FieldStatus.NOT_FOUND_VALUE; // empty value and time
      return;
    }
    FieldStatus status = ResponseWire.classify(raw);
    c.times()[r] = time;
    if (status == FieldStatus.INVALID) {
      corruptValues.incrementAndGet();
      c.statuses()[r] = (byte) FieldStatus.INVALID_VALUE; // empty value
      return;
    }
    if (status == FieldStatus.PRESENT && v.ttlSeconds() > 0 && now - seconds > v.ttlSeconds()) {
      status = FieldStatus.OUTSIDE_MAX_AGE;
    }
    c.values()[r] = raw;
    c.statuses()[r] = (byte) status.getNumber();
  }

  private static List<byte[]> keys(Catalog.View v, Map<String, RepeatedValue> entities, int rows) {
    List<RepeatedValue> columns = new ArrayList<>(v.joinKeys().size());
    for (String k : v.joinKeys()) {
      RepeatedValue col = entities.get(k);
      if (col == null) {
        throw invalid(
            "entities: feature view '"
                + v.name()
                + "' needs join key '"
                + k
                + "' (given: "
                + String.join(", ", entities.keySet())
                + ")");
      }
      columns.add(col);
    }
    List<byte[]> keys = new ArrayList<>(rows);
    List<Value> values = new ArrayList<>(columns.size());
    for (int r = 0; r < rows; r++) {
      values.clear();
      for (int c = 0; c < columns.size(); c++) {
        values.add(coerce(v.joinKeys().get(c), r, columns.get(c).getVal(r), v.keyTypes().get(c)));
      }
      keys.add(EntityKeys.serialize(v.joinKeys(), values));
    }
    return keys;
  }

  /** An entity value in its declared type; integers widen or narrow when they fit. */
  static Value coerce(String key, int row, Value v, ValueType.Enum declared) {
    Value.ValCase c = v.getValCase();
    switch (declared) {
      case INT64 -> {
        if (c == Value.ValCase.INT64_VAL) {
          return v;
        }
        if (c == Value.ValCase.INT32_VAL) {
          return Value.newBuilder().setInt64Val(v.getInt32Val()).build();
        }
      }
      case INT32 -> {
        if (c == Value.ValCase.INT32_VAL) {
          return v;
        }
        if (c == Value.ValCase.INT64_VAL && v.getInt64Val() == (int) v.getInt64Val()) {
          return Value.newBuilder().setInt32Val((int) v.getInt64Val()).build();
        }
      }
      case STRING -> {
        if (c == Value.ValCase.STRING_VAL) {
          return v;
        }
      }
      case BYTES -> {
        if (c == Value.ValCase.BYTES_VAL) {
          return v;
        }
      }
      case UNIX_TIMESTAMP -> {
        if (c == Value.ValCase.UNIX_TIMESTAMP_VAL) {
          return v;
        }
        if (c == Value.ValCase.INT64_VAL) {
          return Value.newBuilder().setUnixTimestampVal(v.getInt64Val()).build();
        }
      }
      default -> {
        // not a join-key type
      }
    }
    throw invalid(
        "entities."
            + key
            + "["
            + row
            + "]: "
            + describe(v)
            + " does not fit the entity's type "
            + declared);
  }

  private static String describe(Value v) {
    return switch (v.getValCase()) {
      case VAL_NOT_SET -> "an empty value";
      case STRING_VAL -> "STRING '" + v.getStringVal() + "'";
      case INT32_VAL -> "INT32 " + v.getInt32Val();
      case INT64_VAL -> "INT64 " + v.getInt64Val();
      default -> v.getValCase().name().replace("_VAL", "");
    };
  }
}
