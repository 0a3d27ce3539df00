package io.liverec.featurestore.online;

import feast.proto.types.ValueProto.Value;
import feast.proto.types.ValueProto.ValueType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Feast's entity-key serialization, version 3 (little-endian): the number of keys; per join key,
 * sorted by name, {@code STRING}, its length and its UTF-8 name; then per value, in the same order,
 * its value type, its length and its payload. The value type is part of the key: an INT32 7 and an
 * INT64 7 are different entities.
 */
public final class EntityKeys {
  private EntityKeys() {}

  /** The key of one entity row; {@code joinKeys} and {@code values} in the same order. */
  public static byte[] serialize(List<String> joinKeys, List<Value> values) {
    if (joinKeys.size() != values.size()) {
      throw new IllegalArgumentException(
          joinKeys.size() + " join keys, " + values.size() + " values");
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < joinKeys.size(); i++) {
      order.add(i);
    }
    if (order.size() > 1) {
      order.sort((a, b) -> joinKeys.get(a).compareTo(joinKeys.get(b)));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 + 24 * joinKeys.size());
    u32(out, joinKeys.size());
    for (int i : order) {
      byte[] name = joinKeys.get(i).getBytes(StandardCharsets.UTF_8);
      u32(out, ValueType.Enum.STRING_VALUE);
      u32(out, name.length);
      out.writeBytes(name);
    }
    for (int i : order) {
      Value v = values.get(i);
      byte[] payload;
      int type;
      switch (v.getValCase()) {
        case STRING_VAL -> {
          payload = v.getStringVal().getBytes(StandardCharsets.UTF_8);
          type = ValueType.Enum.STRING_VALUE;
        }
        case BYTES_VAL -> {
          payload = v.getBytesVal().toByteArray();
          type = ValueType.Enum.BYTES_VALUE;
        }
        case INT32_VAL -> {
          payload = le(4).putInt(v.getInt32Val()).array();
          type = ValueType.Enum.INT32_VALUE;
        }
        case INT64_VAL -> {
          payload = le(8).putLong(v.getInt64Val()).array();
          type = ValueType.Enum.INT64_VALUE;
        }
        case UNIX_TIMESTAMP_VAL -> {
          payload = le(8).putLong(v.getUnixTimestampVal()).array();
          type = ValueType.Enum.UNIX_TIMESTAMP_VALUE;
        }
        default ->
            throw new IllegalArgumentException(
                "join key " + joinKeys.get(i) + ": " + v.getValCase() + " cannot be an entity key");
      }
      u32(out, type);
      u32(out, payload.length);
      out.writeBytes(payload);
    }
    return out.toByteArray();
  }

  private static ByteBuffer le(int n) {
    return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void u32(ByteArrayOutputStream out, int v) {
    out.write(v);
    out.write(v >>> 8);
    out.write(v >>> 16);
    out.write(v >>> 24);
  }
}
