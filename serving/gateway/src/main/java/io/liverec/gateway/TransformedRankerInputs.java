package io.liverec.gateway;

import io.liverec.pipelines.features.FeatureCounters;
import io.liverec.pipelines.features.FeatureSchema;
import io.liverec.pipelines.features.FeatureTransform;
import io.liverec.pipelines.features.TransformSpec;
import io.liverec.serving.inference.Tensor;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ranker's rows built by the transform it was trained with ({@code transform.json}, shipped in
 * its version directory), so serving encodes exactly as training did: each row is the raw training
 * columns of (user attributes, room attributes, request) through {@link
 * FeatureTransform#transformRow} — the one per-row code path of both.
 *
 * <p>Request columns: {@code surface} from the request (or {@code "feed"}), {@code hour} from
 * {@code context.hour} (or the current UTC hour), {@code position} from {@code context.position}
 * (or 0: the ranker scores every candidate as if shown first, so the position bias it learnt does
 * not reorder them). Missing raw values take the transform's repair rules, as in training.
 */
public final class TransformedRankerInputs implements RankerInputs {
  private final FeatureTransform transform;
  private final FeatureSchema schema;
  private final FeatureCounters counters = new FeatureCounters();

  public TransformedRankerInputs(TransformSpec spec) {
    this.transform = new FeatureTransform(spec);
    this.schema = spec.schema();
  }

  /** Missing and repaired raw values seen so far (for metrics and debugging). */
  public FeatureCounters counters() {
    return counters;
  }

  @Override
  public List<Tensor> encode(
      RecommendRequest request, UserFeatures user, List<RoomFeatures> rooms) {
    int n = rooms.size();
    int ns = schema.numSparse();
    int nd = schema.denseDim();
    int nq = schema.seqLength();
    int nm = schema.multimodalDim();
    long[] sparse = new long[n * ns];
    float[] dense = new float[n * nd];
    long[] seq = new long[n * nq];
    float[] mm = new float[n * nm];
    Map<String, Object> row = new HashMap<>(user.attributes());
    row.put("user_id", request.userId());
    row.put("surface", request.surface() == null ? "feed" : request.surface());
    row.put("hour", intContext(request, "hour", Instant.now().atZone(ZoneOffset.UTC).getHour()));
    row.put("position", intContext(request, "position", 0));
    long[] s = new long[ns];
    float[] d = new float[nd];
    long[] q = new long[nq];
    float[] m = new float[nm];
    for (int i = 0; i < n; i++) {
      Map<String, Object> r = new HashMap<>(row);
      r.putAll(rooms.get(i).attributes());
      synchronized (counters) {
        transform.transformRow(r::get, s, d, q, m, counters);
      }
      System.arraycopy(s, 0, sparse, i * ns, ns);
      System.arraycopy(d, 0, dense, i * nd, nd);
      System.arraycopy(q, 0, seq, i * nq, nq);
      System.arraycopy(m, 0, mm, i * nm, nm);
    }
    List<Tensor> out = new ArrayList<>();
    if (ns > 0) {
      out.add(Tensor.ofLongs("sparse", new long[] {n, ns}, sparse));
    }
    if (nd > 0) {
      out.add(Tensor.ofFloats("dense", new long[] {n, nd}, dense));
    }
    if (nq > 0) {
      out.add(Tensor.ofLongs("seq", new long[] {n, nq}, seq));
    }
    if (nm > 0) {
      out.add(Tensor.ofFloats("multimodal", new long[] {n, nm}, mm));
    }
    return out;
  }

  private static int intContext(RecommendRequest request, String key, int fallback) {
    String v = request.context() == null ? null : request.context().get(key);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
