package io.liverec.featurestore.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import feast.proto.serving.ServingAPIProto.FeatureList;
import feast.proto.serving.ServingAPIProto.FieldStatus;
import feast.proto.serving.ServingAPIProto.GetOnlineFeaturesResponse;
import feast.proto.serving.ServingAPIProto.GetOnlineFeaturesResponseMetadata;
import feast.proto.types.ValueProto.DoubleList;
import feast.proto.types.ValueProto.Null;
import feast.proto.types.ValueProto.StringList;
import feast.proto.types.ValueProto.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResponseWireTest {

  /** What the server did before the wire writer: parse every stored value. */
  private static FieldStatus parsed(byte[] raw) {
    try {
      Value v = Value.parseFrom(raw);
      return v.getValCase() == Value.ValCase.VAL_NOT_SET || v.getValCase() == Value.ValCase.NULL_VAL
          ? FieldStatus.NULL_VALUE
          : FieldStatus.PRESENT;
    } catch (InvalidProtocolBufferException e) {
      return FieldStatus.INVALID;
    }
  }

  private static List<Value> values() {
    return List.of(
        Value.newBuilder().setDoubleVal(0.25).build(),
        Value.newBuilder().setDoubleVal(0).build(),
        Value.newBuilder().setFloatVal(-1.5f).build(),
        Value.newBuilder().setInt32Val(-7).build(),
        Value.newBuilder().setInt32Val(0).build(),
        Value.newBuilder().setInt64Val(Long.MIN_VALUE).build(),
        Value.newBuilder().setInt64Val(300).build(),
        Value.newBuilder().setBoolVal(false).build(),
        Value.newBuilder().setBoolVal(true).build(),
        Value.newBuilder().setUnixTimestampVal(1_700_000_000L).build(),
        Value.newBuilder().setStringVal("zürich").build(),
        Value.newBuilder().setBytesVal(ByteString.copyFrom(new byte[] {1, 2, 3})).build(),
        Value.newBuilder().setDoubleListVal(DoubleList.newBuilder().addVal(1).addVal(2)).build(),
        Value.newBuilder().setStringListVal(StringList.newBuilder().addVal("a")).build(),
        Value.newBuilder().setNullVal(Null.NULL).build(),
        Value.getDefaultInstance());
  }

  @Test
  void classifiesStoredValuesAsParsingThemWould() {
    for (Value v : values()) {
      byte[] raw = v.toByteArray();
      assertEquals(parsed(raw), ResponseWire.classify(raw), v.toString());
    }
    byte[][] corrupt = {
      {0x29, 0, 0, 0, 0, 0, 0, 0}, // a double one byte short
      {0x29},
      {0x35, 0, 0},
      {0x20, (byte) 0x80}, // an int64 whose varint never ends
      {
        0x20,
        (byte) 0xff,
        (byte) 0xff,
        (byte) 0xff,
        (byte) 0xff,
        (byte) 0xff,
        (byte) 0xff,
        (byte) 0xff,
        (byte) 0xff,
        (byte) 0xff,
        (byte) 0xff,
        0x01
      }, // 11-byte varint
      {(byte) 0x98, 0x01}, // null_val without its value
      {0x12, 0x05, 'a'}, // a string longer than the bytes
      {0x12, 0x01, (byte) 0xff}, // a string that is not UTF-8
      {(byte) 0xff, (byte) 0xff},
    };
    for (byte[] raw : corrupt) {
      assertEquals(parsed(raw), ResponseWire.classify(raw), Arrays.toString(raw));
    }
    assertEquals(FieldStatus.INVALID, ResponseWire.classify(corrupt[0]));
  }

  @Test
  void classifiesRandomBytesAsParsingThemWould() {
    Random rnd = new Random(17);
    byte[] tags = {0x29, 0x35, 0x18, 0x20, 0x38, 0x40, (byte) 0x98, 0x12, 0x7a, 0x00};
    for (int i = 0; i < 50_000; i++) {
      byte[] raw = new byte[rnd.nextInt(13)];
      rnd.nextBytes(raw);
      if (raw.length > 0 && rnd.nextBoolean()) {
        raw[0] = tags[rnd.nextInt(tags.length)];
        if (raw[0] == (byte) 0x98 && raw.length > 1 && rnd.nextBoolean()) {
          raw[1] = 0x01;
        }
      }
      assertEquals(parsed(raw), ResponseWire.classify(raw), Arrays.toString(raw));
    }
  }

  @Test
  void writesTheBytesOfTheMessageBuiltResponse() throws Exception {
    List<Value> values = values();
    int rows = values.size();
    Timestamp t1 = Timestamp.newBuilder().setSeconds(1_700_000_000L).setNanos(5).build();
    Timestamp t0 = Timestamp.getDefaultInstance();
    List<String> names = List.of("user:a", "user:b", "room__c");
    ResponseWire.Column[] columns = new ResponseWire.Column[names.size()];
    GetOnlineFeaturesResponse.Builder expected = GetOnlineFeaturesResponse.newBuilder();
    FieldStatus[] cycle = {
      FieldStatus.PRESENT,
      FieldStatus.NOT_FOUND,
      FieldStatus.NULL_VALUE,
      FieldStatus.OUTSIDE_MAX_AGE,
      FieldStatus.INVALID
    };
    for (int c = 0; c < columns.length; c++) {
      columns[c] = new ResponseWire.Column(rows);
      GetOnlineFeaturesResponse.FeatureVector.Builder vec =
          GetOnlineFeaturesResponse.FeatureVector.newBuilder();
      for (int r = 0; r < rows; r++) {
        FieldStatus s = cycle[(r + c) % cycle.length];
        boolean found = s != FieldStatus.NOT_FOUND;
        Value v = found && s != FieldStatus.INVALID ? values.get(r) : Value.getDefaultInstance();
        Timestamp t = found ? t1 : t0;
        columns[c].values()[r] = found && s != FieldStatus.INVALID ? v.toByteArray() : null;
        columns[c].times()[r] = found ? t.toByteArray() : null;
        columns[c].statuses()[r] = (byte) s.getNumber();
        vec.addValues(v).addStatuses(s).addEventTimestamps(t);
      }
      expected.addResults(vec);
    }
    expected
        .setMetadata(
            GetOnlineFeaturesResponseMetadata.newBuilder()
                .setFeatureNames(FeatureList.newBuilder().addAllVal(new ArrayList<>(names))))
        .setStatus(true);
    byte[] wire = ResponseWire.write(names, columns);
    assertEquals(expected.build(), GetOnlineFeaturesResponse.parseFrom(wire));
    assertArrayEquals(expected.build().toByteArray(), wire);
  }
}
