package io.liverec.pipelines.recall.twotower;

import io.liverec.pipelines.nn.Adam;
import io.liverec.pipelines.nn.GraphSession;
import io.liverec.pipelines.nn.Tensors;
import io.liverec.pipelines.nn.TfOps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The two-tower model in a TF Java graph: both towers ({@link TwoTowerNet}), the in-batch softmax
 * loss with logQ correction ({@link InBatchSoftmax}) and {@link io.liverec.pipelines.nn.Adam}, run
 * on a {@link GraphSession}. Variables start from seeded Java-side values, so a seed gives the same
 * model.
 */
public final class TwoTowerModel implements AutoCloseable {
  private final TwoTowerConfig config;
  private final GraphSession session;
  private final TfOps ops;
  private final Placeholder<TInt64> userSparse;
  private final Placeholder<TInt64> seq;
  private final Placeholder<TInt64> roomSparse;
  private final Placeholder<TFloat32> roomDense;
  private final Placeholder<TFloat32> multimodal;
  private final Placeholder<TFloat32> logQ;
  private final Placeholder<TFloat32> mask;
  private final Placeholder<TFloat32> labels;
  private final Placeholder<TFloat32> revisit;
  private final Operand<TFloat32> revisitBeta;
  private final Operand<TFloat32> userVectors;
  private final Operand<TFloat32> roomVectors;
  private final Operand<TFloat32> roomPrior;
  private final Operand<TFloat32> loss;
  private final Op trainOp;
  private final List<String> modelVariables;

  public TwoTowerModel(TwoTowerConfig config) {
    this.config = config;
    Graph graph = new Graph();
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
    this.revisit =
        tf.withName("revisit").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1)));
    // β·v_ij (v_ij = 1 when room j is among row i's recent rooms) joins the additive mask term
    this.revisitBeta =
        config.revisit()
            ? TfOps.f(
                ops.variable("revisit/beta", new long[] {1}, io.liverec.pipelines.nn.Init.ZEROS))
            : null;
    this.modelVariables = List.copyOf(ops.variables().keySet());
    Operand<TFloat32> additive =
        revisitBeta == null ? mask : tf.math.add(mask, tf.math.mul(revisit, revisitBeta));
    this.loss =
        InBatchSoftmax.loss(
            tf,
            userVectors,
            roomVectors,
            roomPrior,
            logQ,
            additive,
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
    this.session = new GraphSession(graph, ops, config.seed(), false, "two_tower");
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
    float[] revisitValues = config.revisit() ? revisitMatrix(b) : new float[0];
    for (int i = 0; i < n; i++) {
      eye[i * m + i] = 1;
      for (int j = 0; j < m; j++) {
        if (i != j && b.rooms()[i] == b.rooms()[j]) {
          maskValues[i * m + j] = InBatchSoftmax.MASKED;
        }
      }
    }
    try (GraphSession.Call c = session.call()) {
      feedUser(c, b);
      feedRoom(c, b);
      c.feed(logQ, TFloat32.vectorOf(logQValues));
      c.feed(mask, TFloat32.tensorOf(Shape.of(n, m), DataBuffers.of(maskValues)));
      c.feed(labels, TFloat32.tensorOf(Shape.of(n, m), DataBuffers.of(eye)));
      if (config.revisit()) {
        c.feed(revisit, TFloat32.tensorOf(Shape.of(n, m), DataBuffers.of(revisitValues)));
      }
      c.fetch(loss).target(trainOp);
      try (Result res = c.run()) {
        return ((TFloat32) res.get(0)).getFloat();
      }
    }
  }

  /**
   * v_ij = 1 when room row j's room is in row i's recent-room sequence ({@code seq} holds ids + 1),
   * row-major {@code [B, M]}.
   */
  static float[] revisitMatrix(TowerBatch b) {
    int n = b.size();
    int m = b.roomRows();
    float[] v = new float[n * m];
    for (int i = 0; i < n; i++) {
      java.util.Set<Long> recent = new java.util.HashSet<>();
      for (long id : b.seq()[i]) {
        if (id > 0) {
          recent.add(id);
        }
      }
      for (int j = 0; j < m; j++) {
        if (recent.contains(b.rooms()[j] + 1L)) {
          v[i * m + j] = 1;
        }
      }
    }
    return v;
  }

  /** The learned re-visit logit β; 0 when the config has no re-visit term. */
  public float revisitBonus() {
    if (revisitBeta == null) {
      return 0;
    }
    return session.values(List.of("revisit/beta")).get("revisit/beta")[0];
  }

  /** Unit user vectors for the user side of {@code b}. */
  public float[][] userVectors(TowerBatch b) {
    try (GraphSession.Call c = session.call()) {
      feedUser(c, b);
      c.fetch(userVectors);
      try (Result res = c.run()) {
        return Tensors.rows(res.get(0), b.size());
      }
    }
  }

  /** Unit room vectors for the room side of {@code b}. */
  public float[][] roomVectors(TowerBatch b) {
    return runRoom(b, roomVectors, t -> Tensors.rows(t, b.size()));
  }

  /** The room prior b_r for the room side of {@code b}; zeros when the config has none. */
  public float[] roomPrior(TowerBatch b) {
    if (roomPrior == null) {
      return new float[b.roomRows()];
    }
    return runRoom(b, roomPrior, Tensors::read);
  }

  private <R> R runRoom(
      TowerBatch b, Operand<TFloat32> output, java.util.function.Function<Tensor, R> read) {
    try (GraphSession.Call c = session.call()) {
      feedRoom(c, b);
      c.fetch(output);
      try (Result res = c.run()) {
        return read.apply(res.get(0));
      }
    }
  }

  /** Current values of the model variables (for export), by name. */
  public Map<String, float[]> variableValues() {
    return session.values(modelVariables);
  }

  private void feedUser(GraphSession.Call c, TowerBatch b) {
    int n = b.size();
    c.feed(userSparse, Tensors.longs(b.userSparse(), n, config.userSparseWidth(), "userSparse"));
    c.feed(seq, Tensors.longs(b.seq(), n, config.seqLength(), "seq"));
  }

  private void feedRoom(GraphSession.Call c, TowerBatch b) {
    int n = b.roomRows();
    c.feed(roomSparse, Tensors.longs(b.roomSparse(), n, 4, "roomSparse"));
    c.feed(
        roomDense, Tensors.floats(b.roomDense(), n, TwoTowerConfig.ROOM_DENSE.size(), "roomDense"));
    int m = config.multimodalDim();
    c.feed(
        multimodal,
        m > 0
            ? Tensors.floats(b.multimodal(), n, m, "multimodal")
            : TFloat32.tensorOf(Shape.of(n, 1)));
  }

  private static Placeholder<TInt64> ids(org.tensorflow.op.Ops tf, String name, int width) {
    return tf.withName(name).placeholder(TInt64.class, Placeholder.shape(Shape.of(-1, width)));
  }

  private static Placeholder<TFloat32> floats(org.tensorflow.op.Ops tf, String name, int width) {
    return tf.withName(name).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, width)));
  }

  @Override
  public void close() {
    session.close();
  }
}
