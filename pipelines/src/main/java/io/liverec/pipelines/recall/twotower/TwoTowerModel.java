package io.liverec.pipelines.recall.twotower;

import io.liverec.pipelines.ranking.TfRanker;
import io.liverec.pipelines.ranking.ops.TfOps;
import io.liverec.pipelines.ranking.optim.Adam;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The two-tower model in a TF Java graph: both towers ({@link TwoTowerNet}), the in-batch softmax
 * loss with logQ correction ({@link InBatchSoftmax}) and Adam (the ranking module's). Variables
 * start from seeded Java-side values, so a seed gives the same model.
 */
public final class TwoTowerModel implements AutoCloseable {
  private final TwoTowerConfig config;
  private final Graph graph;
  private final Session session;
  private final TfOps ops;
  private final Placeholder<TInt64> userSparse;
  private final Placeholder<TInt64> seq;
  private final Placeholder<TInt64> roomSparse;
  private final Placeholder<TFloat32> roomDense;
  private final Placeholder<TFloat32> multimodal;
  private final Placeholder<TFloat32> logQ;
  private final Placeholder<TFloat32> mask;
  private final Placeholder<TFloat32> labels;
  private final Operand<TFloat32> userVectors;
  private final Operand<TFloat32> roomVectors;
  private final Operand<TFloat32> roomPrior;
  private final Operand<TFloat32> loss;
  private final Op trainOp;
  private final List<String> modelVariables;

  public TwoTowerModel(TwoTowerConfig config) {
    this.config = config;
    this.graph = new Graph();
    org.tensorflow.op.Ops tf = org.tensorflow.op.Ops.create(graph);
    this.ops = new TfOps(tf);
    this.userSparse = ids(tf, "user_sparse", config.userSparseWidth());
    this.seq = ids(tf, "seq", config.seqLength());
    this.roomSparse = ids(tf, "room_sparse", 4);
    this.roomDense = floats(tf, "room_dense", TwoTowerConfig.ROOM_DENSE.size());
    this.multimodal = floats(tf, "multimodal", Math.max(1, config.multimodalDim()));
    this.logQ = tf.withName("log_q").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
    this.mask =
        tf.withName("mask").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1)));
    this.labels =
        tf.withName("labels").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1)));
    this.userVectors = TfOps.f(TwoTowerNet.userTower(ops, config, userSparse, seq));
    var room = TwoTowerNet.roomTowerAndPrior(ops, config, roomSparse, roomDense, multimodal);
    this.roomVectors = TfOps.f(room.vectors());
    this.roomPrior = room.prior() == null ? null : TfOps.f(room.prior());
    this.modelVariables = List.copyOf(ops.variables().keySet());
    this.loss =
        InBatchSoftmax.loss(
            tf,
            userVectors,
            roomVectors,
            roomPrior,
            logQ,
            mask,
            labels,
            (float) config.temperature());
    List<Operand<?>> vars = new ArrayList<>();
    for (String name : modelVariables) {
      vars.add(ops.variables().get(name).variable());
    }
    List<Operand<?>> grads = new ArrayList<>();
    tf.gradients(loss, vars).forEach(grads::add);
    List<Op> gradientOps = new ArrayList<>();
    List<Operand<?>> ready = new ArrayList<>();
    for (Operand<?> g : grads) {
      var id = tf.identity(g);
      ready.add(id);
      gradientOps.add(id);
    }
    Op gradientsReady = tf.withControlDependencies(gradientOps).noOp();
    Adam adam = new Adam(ops, "optimizer", (float) config.learningRate(), List.of(gradientsReady));
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < modelVariables.size(); i++) {
      TfOps.Var v = ops.variables().get(modelVariables.get(i));
      updates.add(adam.apply(v.name(), v.variable(), v.shape(), ready.get(i)));
    }
    this.trainOp = Adam.group(ops, updates);
    this.session = new Session(graph);
    ops.initialise(session, config.seed());
  }

  public TwoTowerConfig config() {
    return config;
  }

  /**
   * One Adam step on a batch; {@code logQ[j]} is the log sampling probability of room row j (the B
   * positives, then any extra negatives).
   */
  public double trainStep(TowerBatch b, float[] logQValues) {
    int n = b.size();
    int m = b.roomRows();
    float[] maskValues = new float[n * m];
    float[] eye = new float[n * m];
    for (int i = 0; i < n; i++) {
      eye[i * m + i] = 1;
      for (int j = 0; j < m; j++) {
        if (i != j && b.rooms()[i] == b.rooms()[j]) {
          maskValues[i * m + j] = InBatchSoftmax.MASKED;
        }
      }
    }
    List<Tensor> feeds = new ArrayList<>();
    try {
      Session.Runner r = session.runner();
      feedUser(r, b, feeds);
      feedRoom(r, b, feeds);
      r.feed(logQ, track(feeds, TFloat32.vectorOf(logQValues)));
      r.feed(mask, track(feeds, TFloat32.tensorOf(Shape.of(n, m), DataBuffers.of(maskValues))));
      r.feed(labels, track(feeds, TFloat32.tensorOf(Shape.of(n, m), DataBuffers.of(eye))));
      r.fetch(loss).addTarget(trainOp);
      try (Result res = r.run()) {
        return ((TFloat32) res.get(0)).getFloat();
      }
    } finally {
      feeds.forEach(Tensor::close);
    }
  }

  /** Unit user vectors for the user side of {@code b}. */
  public float[][] userVectors(TowerBatch b) {
    List<Tensor> feeds = new ArrayList<>();
    try {
      Session.Runner r = session.runner();
      feedUser(r, b, feeds);
      r.fetch(userVectors);
      try (Result res = r.run()) {
        return rows((TFloat32) res.get(0), b.size());
      }
    } finally {
      feeds.forEach(Tensor::close);
    }
  }

  /** Unit room vectors for the room side of {@code b}. */
  public float[][] roomVectors(TowerBatch b) {
    return runRoom(b, roomVectors, t -> rows(t, b.size()));
  }

  /** The room prior b_r for the room side of {@code b}; zeros when the config has none. */
  public float[] roomPrior(TowerBatch b) {
    if (roomPrior == null) {
      return new float[b.roomRows()];
    }
    return runRoom(
        b,
        roomPrior,
        t -> {
          float[] out = new float[b.roomRows()];
          t.copyTo(DataBuffers.of(out, false, false));
          return out;
        });
  }

  private <R> R runRoom(
      TowerBatch b, Operand<TFloat32> output, java.util.function.Function<TFloat32, R> read) {
    List<Tensor> feeds = new ArrayList<>();
    try {
      Session.Runner r = session.runner();
      feedRoom(r, b, feeds);
      r.fetch(output);
      try (Result res = r.run()) {
        return read.apply((TFloat32) res.get(0));
      }
    } finally {
      feeds.forEach(Tensor::close);
    }
  }

  /** Current values of the model variables (for export), by name. */
  public Map<String, float[]> variableValues() {
    Map<String, float[]> out = new LinkedHashMap<>();
    Session.Runner r = session.runner();
    modelVariables.forEach(n -> r.fetch(ops.variables().get(n).variable()));
    try (Result res = r.run()) {
      for (int i = 0; i < modelVariables.size(); i++) {
        TFloat32 t = (TFloat32) res.get(i);
        float[] v = new float[Math.toIntExact(t.size())];
        t.copyTo(DataBuffers.of(v, false, false));
        out.put(modelVariables.get(i), v);
      }
    }
    return out;
  }

  private void feedUser(Session.Runner r, TowerBatch b, List<Tensor> feeds) {
    int n = b.size();
    r.feed(
        userSparse, track(feeds, longs(b.userSparse(), n, config.userSparseWidth(), "userSparse")));
    r.feed(seq, track(feeds, longs(b.seq(), n, config.seqLength(), "seq")));
  }

  private void feedRoom(Session.Runner r, TowerBatch b, List<Tensor> feeds) {
    int n = b.roomRows();
    r.feed(roomSparse, track(feeds, longs(b.roomSparse(), n, 4, "roomSparse")));
    r.feed(
        roomDense,
        track(feeds, floats(b.roomDense(), n, TwoTowerConfig.ROOM_DENSE.size(), "roomDense")));
    int m = config.multimodalDim();
    r.feed(
        multimodal,
        track(
            feeds,
            m > 0
                ? floats(b.multimodal(), n, m, "multimodal")
                : TFloat32.tensorOf(Shape.of(n, 1))));
  }

  private static Placeholder<TInt64> ids(org.tensorflow.op.Ops tf, String name, int width) {
    return tf.withName(name).placeholder(TInt64.class, Placeholder.shape(Shape.of(-1, width)));
  }

  private static Placeholder<TFloat32> floats(org.tensorflow.op.Ops tf, String name, int width) {
    return tf.withName(name).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, width)));
  }

  private static TInt64 longs(long[][] rows, int n, int width, String field) {
    return TInt64.tensorOf(
        Shape.of(n, width), DataBuffers.of(TfRanker.flatten(rows, n, width, field), true, false));
  }

  private static TFloat32 floats(float[][] rows, int n, int width, String field) {
    return TFloat32.tensorOf(
        Shape.of(n, width), DataBuffers.of(TfRanker.flatten(rows, n, width, field), true, false));
  }

  private static float[][] rows(TFloat32 t, int n) {
    int d = Math.toIntExact(t.shape().size(1));
    float[] flat = new float[n * d];
    t.copyTo(DataBuffers.of(flat, false, false));
    float[][] out = new float[n][d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(flat, i * d, out[i], 0, d);
    }
    return out;
  }

  private static <T extends Tensor> T track(List<Tensor> feeds, T t) {
    feeds.add(t);
    return t;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
