package io.liverec.featurestore.online;

import com.google.protobuf.ByteString;
import feast.proto.types.ValueProto;
import feast.proto.types.ValueProto.Value;
import io.liverec.api.v1alpha1.FeatureViewSpec.ValueType;
import java.sql.Array;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Column values (as JDBC returns them) → Feast {@code Value} protos of a declared type, the way
 * Feast's materialization converts them; SQL NULL → an empty Value (Feast's NULL_VALUE).
 */
public final class Values {
  private Values() {}

  public static Value of(Object o, ValueType type) throws SQLException {
    if (o == null) {
      return Value.getDefaultInstance();
    }
    Value.Builder b = Value.newBuilder();
    switch (type) {
      case INT32 -> b.setInt32Val(((Number) o).intValue());
      case INT64 -> b.setInt64Val(((Number) o).longValue());
      case FLOAT -> b.setFloatVal(((Number) o).floatValue());
      case DOUBLE -> b.setDoubleVal(((Number) o).doubleValue());
      case STRING -> b.setStringVal(o.toString());
      case BOOL -> b.setBoolVal((Boolean) o);
      case BYTES -> b.setBytesVal(ByteString.copyFrom((byte[]) o));
      case UNIX_TIMESTAMP -> b.setUnixTimestampVal(epochSeconds(o));
      case INT64_LIST -> {
        ValueProto.Int64List.Builder l = ValueProto.Int64List.newBuilder();
        for (Object e : elements(o)) {
          l.addVal(((Number) e).longValue());
        }
        b.setInt64ListVal(l);
      }
      case FLOAT_LIST -> {
        ValueProto.FloatList.Builder l = ValueProto.FloatList.newBuilder();
        for (Object e : elements(o)) {
          l.addVal(((Number) e).floatValue());
        }
        b.setFloatListVal(l);
      }
      case DOUBLE_LIST -> {
        ValueProto.DoubleList.Builder l = ValueProto.DoubleList.newBuilder();
        for (Object e : elements(o)) {
          l.addVal(((Number) e).doubleValue());
        }
        b.setDoubleListVal(l);
      }
      case STRING_LIST -> {
        ValueProto.StringList.Builder l = ValueProto.StringList.newBuilder();
        for (Object e : elements(o)) {
          l.addVal(String.valueOf(e));
        }
        b.setStringListVal(l);
      }
    }
    return b.build();
  }

  private static Object[] elements(Object o) throws SQLException {
    if (o instanceof Array a) {
      return (Object[]) a.getArray();
    }
    if (o instanceof List<?> l) {
      return l.toArray();
    }
    return (Object[]) o;
  }

  /** Epoch seconds of a timestamp value (naive timestamps are UTC). */
  public static long epochSeconds(Object o) {
    return instant(o).getEpochSecond();
  }

  /** The instant of a JDBC timestamp value; naive timestamps are UTC. */
  public static Instant instant(Object o) {
    if (o instanceof Instant i) {
      return i;
    }
    if (o instanceof OffsetDateTime t) {
      return t.toInstant();
    }
    if (o instanceof LocalDateTime t) {
      return t.toInstant(ZoneOffset.UTC);
    }
    if (o instanceof java.sql.Timestamp t) {
      return t.toLocalDateTime().toInstant(ZoneOffset.UTC);
    }
    if (o instanceof Number n) {
      return Instant.ofEpochSecond(n.longValue());
    }
    throw new IllegalArgumentException("not a timestamp: " + o + " (" + o.getClass() + ")");
  }
}
