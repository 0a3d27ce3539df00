package io.liverec.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.liverec.pipelines.features.ColumnSpec;
import io.liverec.pipelines.features.FeatureColumn;
import io.liverec.pipelines.features.FeatureCounters;
import io.liverec.pipelines.features.FeatureSchema;
import io.liverec.pipelines.features.FeatureTransform;
import io.liverec.pipelines.features.TransformSpec;
import io.liverec.serving.inference.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The user part transformed once per request gives the same tensors as transforming every merged
 * (user + request + room) row, including a column a room overrides and columns some rooms lack.
 */
class TransformedRankerInputsTest {

  static TransformSpec spec() {
    List<FeatureColumn> cols =
        List.of(
            FeatureColumn.vocab("user_id", 100),
            FeatureColumn.vocab("room_id", 100),
            FeatureColumn.vocab("surface", 8),
            FeatureColumn.vocab("gender", 4),
            FeatureColumn.vocab("city", 10),
            FeatureColumn.vocab("category", 10),
            FeatureColumn.bucket("followers", 4),
            FeatureColumn.dense("room_viewers"),
            FeatureColumn.dense("user_clicks_1d"),
            FeatureColumn.sequence("recent_rooms", 100, 5, "room_id"),
            FeatureColumn.vector("audio_vec", 4));
    ColumnSpec columns =
        new ColumnSpec("user_id", "click", "conversion", "weight", "day", cols, Map.of(), null);
    List<TransformSpec.Fitted> fitted = new ArrayList<>();
    for (FeatureColumn c : cols) {
      fitted.add(
          switch (c.kind()) {
            case VOCAB -> {
              List<String> v = new ArrayList<>();
              for (int i = 0; i < 20; i++) {
                v.add(
                    c.name().equals("user_id")
                        ? "u" + i
                        : c.name().equals("gender") ? "g" + i : "" + i);
              }
              yield new TransformSpec.Fitted(c.name(), v, null, null, null);
            }
            case BUCKET ->
                new TransformSpec.Fitted(c.name(), null, new double[] {1, 10, 100}, null, null);
            case DENSE -> new TransformSpec.Fitted(c.name(), null, null, 5.0, 2.0);
            default -> new TransformSpec.Fitted(c.name(), null, null, null, null);
          });
    }
    return new TransformSpec(columns, fitted, "test", 0);
  }

  @Test
  void userPartOnceEqualsEveryMergedRow() {
    TransformSpec spec = spec();
    Random r = new Random(9);
    List<RoomFeatures> rooms = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      Map<String, Object> a = new HashMap<>();
      a.put("room_id", i);
      a.put("category", Integer.toString(r.nextInt(12)));
      if (i % 3 != 0) {
        a.put("followers", r.nextInt(500)); // missing in every third room
      }
      a.put("room_viewers", r.nextInt(50));
      a.put("audio_vec", new float[] {r.nextFloat(), r.nextFloat(), r.nextFloat(), r.nextFloat()});
      if (i == 7) {
        a.put("city", "3"); // a room attribute named like a user one overrides it in that row
      }
      rooms.add(new RoomFeatures(new long[0], new float[0], a));
    }
    Map<String, Object> u = new HashMap<>();
    u.put("gender", "g1");
    u.put("city", "5");
    u.put("recent_rooms", List.of(3, 4, 99, 5));
    // user_clicks_1d missing: repaired to the mean in every row
    UserFeatures user = new UserFeatures(new long[0], new long[0], u);
    RecommendRequest req = new RecommendRequest("u4", "home", Map.of("hour", "7"), 10);

    List<Tensor> got = new TransformedRankerInputs(spec).encode(req, user, rooms);

    FeatureTransform t = new FeatureTransform(spec);
    FeatureSchema s = spec.schema();
    int n = rooms.size();
    long[] sparse = new long[n * s.numSparse()];
    float[] dense = new float[n * s.denseDim()];
    long[] seq = new long[n * s.seqLength()];
    float[] mm = new float[n * s.multimodalDim()];
    for (int i = 0; i < n; i++) {
      Map<String, Object> row = new HashMap<>(u);
      row.put("user_id", "u4");
      row.put("surface", "home");
      row.put("hour", 7);
      row.put("position", 0);
      row.putAll(rooms.get(i).attributes());
      long[] rs = new long[s.numSparse()];
      float[] rd = new float[s.denseDim()];
      long[] rq = new long[s.seqLength()];
      float[] rm = new float[s.multimodalDim()];
      t.transformRow(row::get, rs, rd, rq, rm, new FeatureCounters());
      System.arraycopy(rs, 0, sparse, i * rs.length, rs.length);
      System.arraycopy(rd, 0, dense, i * rd.length, rd.length);
      System.arraycopy(rq, 0, seq, i * rq.length, rq.length);
      System.arraycopy(rm, 0, mm, i * rm.length, rm.length);
    }
    Map<String, Tensor> byName = new HashMap<>();
    got.forEach(x -> byName.put(x.name(), x));
    assertThat(byName.get("sparse").longs()).containsExactly(sparse);
    assertThat(byName.get("dense").floats()).containsExactly(dense);
    assertThat(byName.get("seq").longs()).containsExactly(seq);
    assertThat(byName.get("multimodal").floats()).containsExactly(mm);
    // the override really differs from the user's value in row 7 (city "3" vs "5")
    int cityCol = 4;
    assertThat(sparse[7 * s.numSparse() + cityCol])
        .isNotEqualTo(sparse[6 * s.numSparse() + cityCol]);
  }
}
