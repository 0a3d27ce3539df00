package io.liverec.gateway;

import io.liverec.serving.inference.Tensor;
import java.util.List;

/** Builds the ranker's input tensors for one request's candidate rooms (one row per room). */
@FunctionalInterface
public interface RankerInputs {
  List<Tensor> encode(RecommendRequest request, UserFeatures user, List<RoomFeatures> rooms);

  /**
   * The inputs of one ranker version: this, unless versions carry their own feature transform (a
   * canary trained on other data is encoded as it was trained, beside the stable version).
   */
  default RankerInputs forRanker(ModelRef ranker) {
    return this;
  }

  /**
   * Rooms carry the ranker's rows already encoded: {@code sparse [n, s]} and {@code dense [n, d]}
   * from {@link RoomFeatures#sparse()} and {@link RoomFeatures#dense()}.
   */
  RankerInputs PRE_ENCODED =
      (request, user, rooms) -> {
        int n = rooms.size();
        int ns = rooms.get(0).sparse().length;
        int nd = rooms.get(0).dense().length;
        long[] sparse = new long[n * ns];
        float[] dense = new float[n * nd];
        for (int i = 0; i < n; i++) {
          System.arraycopy(rooms.get(i).sparse(), 0, sparse, i * ns, ns);
          System.arraycopy(rooms.get(i).dense(), 0, dense, i * nd, nd);
        }
        return List.of(
            Tensor.ofLongs("sparse", new long[] {n, ns}, sparse),
            Tensor.ofFloats("dense", new long[] {n, nd}, dense));
      };
}
