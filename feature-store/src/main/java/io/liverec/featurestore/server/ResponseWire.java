package io.liverec.featurestore.server;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import feast.proto.serving.ServingAPIProto.FeatureList;
import feast.proto.serving.ServingAPIProto.FieldStatus;
import feast.proto.serving.ServingAPIProto.GetOnlineFeaturesResponse;
import feast.proto.serving.ServingAPIProto.GetOnlineFeaturesResponseMetadata;
import feast.proto.types.ValueProto.Value;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A {@code GetOnlineFeaturesResponse} written straight to its protobuf wire bytes. The online
 * stores hold every value as a serialized {@code feast.types.Value} and the event time as one
 * serialized {@code Timestamp} per entity, so the response copies those bytes into place instead of
 * parsing each of the 200 × 20 cells into a message and serializing it again (what the online
 * benchmark's profile showed as the server's largest cost after Redis). The bytes are exactly a
 * valid encoding of the message: fields in number order, statuses packed, an absent value or time
 * an empty message — what {@link GetOnlineFeaturesResponse#parseFrom} (and so {@code FeastClient})
 * reads back; {@code ResponseWireTest} checks this against the message-built response.
 *
 * <p>A stored value is classified without parsing when its bytes are exactly one scalar field
 * (double, float, a varint type, or {@code null_val}); anything else goes through {@link
 * Value#parseFrom} so a corrupt value is still found and reported as INVALID.
 */
final class ResponseWire {
  private static final byte[] EMPTY = new byte[0];
  private static final int TAG_DOUBLE = (Value.DOUBLE_VAL_FIELD_NUMBER << 3) | 1;
  private static final int TAG_FLOAT = (Value.FLOAT_VAL_FIELD_NUMBER << 3) | 5;
  private static final int TAG_NULL = Value.NULL_VAL_FIELD_NUMBER << 3; // 2 bytes: 0x98 0x01

  private ResponseWire() {}

  /** One response column: per row the value bytes (null = not found), status and time bytes. */
  record Column(byte[][] values, byte[] statuses, byte[][] times) {
    Column(int rows) {
      this(new byte[rows][], new byte[rows], new byte[rows][]);
    }
  }

  /**
   * The status of stored value bytes: PRESENT, NULL_VALUE (no value set, or {@code null_val}), or
   * INVALID when they are not a Value. Freshness (OUTSIDE_MAX_AGE) is the caller's.
   */
  static FieldStatus classify(byte[] raw) {
    int n = raw.length;
    if (n == 0) {
      return FieldStatus.NULL_VALUE;
    }
    int tag = raw[0] & 0xff;
    if (tag == TAG_DOUBLE && n == 9 || tag == TAG_FLOAT && n == 5) {
      return FieldStatus.PRESENT;
    }
    if (isVarintTag(tag) && varintEndsAt(raw, 1, n)) {
      return FieldStatus.PRESENT;
    }
    if (n >= 3 && tag == (0x80 | (TAG_NULL & 0x7f)) && raw[1] == (TAG_NULL >>> 7)) {
      if (varintEndsAt(raw, 2, n)) {
        return FieldStatus.NULL_VALUE;
      }
    }
    Value v;
    try {
      v = Value.parseFrom(raw);
    } catch (InvalidProtocolBufferException e) {
      return FieldStatus.INVALID;
    }
    return v.getValCase() == Value.ValCase.VAL_NOT_SET || v.getValCase() == Value.ValCase.NULL_VAL
        ? FieldStatus.NULL_VALUE
        : FieldStatus.PRESENT;
  }

  /** int32, int64, bool, unix_timestamp: one-byte tags with wire type 0. */
  private static boolean isVarintTag(int tag) {
    return tag == Value.INT32_VAL_FIELD_NUMBER << 3
        || tag == Value.INT64_VAL_FIELD_NUMBER << 3
        || tag == Value.BOOL_VAL_FIELD_NUMBER << 3
        || tag == Value.UNIX_TIMESTAMP_VAL_FIELD_NUMBER << 3;
  }

  /** Whether {@code b[from..end)} is exactly one varint of at most 10 bytes. */
  private static boolean varintEndsAt(byte[] b, int from, int end) {
    int len = end - from;
    if (len < 1 || len > 10) {
      return false;
    }
    for (int i = from; i < end - 1; i++) {
      if (b[i] >= 0) {
        return false; // the varint ended before the last byte
      }
    }
    return b[end - 1] >= 0;
  }

  private static int lenField(int size) {
    return 1 + CodedOutputStream.computeUInt32SizeNoTag(size) + size;
  }

  private static int vectorSize(Column c) {
    int size = 0;
    int rows = c.statuses().length;
    for (int r = 0; r < rows; r++) {
      byte[] v = c.values()[r];
      byte[] t = c.times()[r];
      size += lenField(v == null ? 0 : v.length) + lenField(t == null ? 0 : t.length);
    }
    return rows == 0 ? size : size + lenField(rows); // statuses packed, each one byte (< 128)
  }

  /** The response's wire bytes: feature names, one vector per column, status true. */
  static byte[] write(List<String> names, Column[] columns) {
    int namesSize = 0;
    for (String s : names) {
      namesSize += CodedOutputStream.computeStringSize(FeatureList.VAL_FIELD_NUMBER, s);
    }
    int metadataSize = lenField(namesSize);
    int[] vectorSizes = new int[columns.length];
    int total = lenField(metadataSize) + CodedOutputStream.computeBoolSize(3, true);
    for (int i = 0; i < columns.length; i++) {
      vectorSizes[i] = vectorSize(columns[i]);
      total += lenField(vectorSizes[i]);
    }
    byte[] out = new byte[total];
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    try {
      o.writeTag(GetOnlineFeaturesResponse.METADATA_FIELD_NUMBER, 2);
      o.writeUInt32NoTag(metadataSize);
      o.writeTag(GetOnlineFeaturesResponseMetadata.FEATURE_NAMES_FIELD_NUMBER, 2);
      o.writeUInt32NoTag(namesSize);
      for (String s : names) {
        o.writeString(FeatureList.VAL_FIELD_NUMBER, s);
      }
      for (int i = 0; i < columns.length; i++) {
        Column c = columns[i];
        o.writeTag(GetOnlineFeaturesResponse.RESULTS_FIELD_NUMBER, 2);
        o.writeUInt32NoTag(vectorSizes[i]);
        int rows = c.statuses().length;
        for (int r = 0; r < rows; r++) {
          bytesField(o, GetOnlineFeaturesResponse.FeatureVector.VALUES_FIELD_NUMBER, c.values()[r]);
        }
        if (rows > 0) {
          o.writeTag(GetOnlineFeaturesResponse.FeatureVector.STATUSES_FIELD_NUMBER, 2);
          o.writeUInt32NoTag(rows);
          o.writeRawBytes(c.statuses());
        }
        for (int r = 0; r < rows; r++) {
          bytesField(
              o,
              GetOnlineFeaturesResponse.FeatureVector.EVENT_TIMESTAMPS_FIELD_NUMBER,
              c.times()[r]);
        }
      }
      o.writeBool(GetOnlineFeaturesResponse.STATUS_FIELD_NUMBER, true);
      o.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("response size miscounted", e);
    }
    return out;
  }

  private static void bytesField(CodedOutputStream o, int field, byte[] b) throws IOException {
    byte[] v = b == null ? EMPTY : b;
    o.writeTag(field, 2);
    o.writeUInt32NoTag(v.length);
    o.writeRawBytes(v);
  }
}
