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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ranker's rows built by the transform it was trained with ({@code transform.json}, shipped in
 * its version directory), so serving encodes exactly as training did: each row is the raw training
 * columns of (user attributes, room attributes, request) through {@link
 * FeatureTransform#transformRow} — the one per-row code path of both. The features read from the
 * user and the request are transformed once per request and copied into every row; the room
 * features per row (so a missing user value is counted once per request, a room's once per row).
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
  private final List<String> sources;

  public TransformedRankerInputs(TransformSpec spec) {
    this.transform = new FeatureTransform(spec);
    this.schema = spec.schema();
    this.sources = transform.sources();
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
    // The user's and the request's features are the same in every row: transformed once, then
    // copied; only the features whose raw column some room carries are transformed per row (a room
    // attribute overrides a user one of the same name, as in the merged row).
    Set<String> roomColumns = new HashSet<>();
    for (RoomFeatures room : rooms) {
      roomColumns.addAll(room.attributes().keySet());
    }
    int nf = sources.size();
    boolean[] perRow = new boolean[nf];
    boolean[] shared = new boolean[nf];
    for (int i = 0; i < nf; i++) {
      perRow[i] = roomColumns.contains(sources.get(i));
      shared[i] = !perRow[i];
    }
    long[] s = new long[ns];
    float[] d = new float[nd];
    long[] q = new long[nq];
    float[] m = new float[nm];
    synchronized (counters) {
      transform.transformRow(row::get, s, d, q, m, counters, shared);
    }
    long[] rs = new long[ns];
    float[] rd = new float[nd];
    long[] rq = new long[nq];
    float[] rm = new float[nm];
    for (int i = 0; i < n; i++) {
      Map<String, Object> attrs = rooms.get(i).attributes();
      System.arraycopy(s, 0, rs, 0, ns);
      System.arraycopy(d, 0, rd, 0, nd);
      System.arraycopy(q, 0, rq, 0, nq);
      System.arraycopy(m, 0, rm, 0, nm);
      synchronized (counters) {
        transform.transformRow(
            key -> {
              Object v = attrs.get(key);
              return v != null ? v : row.get(key);
            },
            rs,
            rd,
            rq,
            rm,
            counters,
            perRow);
      }
      System.arraycopy(rs, 0, sparse, i * ns, ns);
      System.arraycopy(rd, 0, dense, i * nd, nd);
      System.arraycopy(rq, 0, seq, i * nq, nq);
      System.arraycopy(rm, 0, mm, i * nm, nm);
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
