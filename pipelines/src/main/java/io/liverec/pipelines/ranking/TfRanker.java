package io.liverec.pipelines.ranking;

import io.liverec.pipelines.features.Batch;
import io.liverec.pipelines.features.FeatureSchema;
import io.liverec.pipelines.ranking.layers.Embeddings;
import io.liverec.pipelines.ranking.multitask.GradNorm;
import io.liverec.pipelines.ranking.multitask.Losses;
import io.liverec.pipelines.ranking.multitask.PcGrad;
import io.liverec.pipelines.ranking.ops.TfOps;
import io.liverec.pipelines.ranking.optim.Adam;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.train.Restore;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * The {@link Ranker} on a TF Java graph: the {@link RankerNet} forward pass built through {@link
 * TfOps}, weighted task losses, Adam, and optionally GradNorm task weighting and PCGrad gradient
 * surgery, all in one graph run per step. Deterministic for a seed: initial values come from seeded
 * Java generators and the graph has no random ops.
 */
public final class TfRanker implements Ranker {

  /** Checkpoint file prefix inside a checkpoint directory. */
  public static final String CHECKPOINT_PREFIX = "ranker";

  private final RankerConfig config;
  private final Graph graph;
  private final Session session;
  private final TfOps ops;
  private final Embeddings.Inputs<Operand<?>> inputs;
  private final Placeholder<TFloat32> click;
  private final Placeholder<TFloat32> conversion;
  private final Placeholder<TFloat32> weight;
  private final RankerNet.Outputs<Operand<?>> outputs;
  private final Map<String, Operand<TFloat32>> taskLosses = new LinkedHashMap<>();
  private final Operand<TFloat32> totalLoss;
  private final List<String> modelVariables;
  private final Map<String, Operand<?>> gradients = new LinkedHashMap<>();
  private final Map<String, SparseRows> sparseRows = new LinkedHashMap<>();
  private final Op trainOp;
  private final GradNorm gradNorm;
  private final Placeholder<TString> checkpointPrefix;
  private final Op saveOp;
  private final List<Op> restoreOps = new ArrayList<>();

  /** Builds the graph and initialises every variable from the seed. */
  public TfRanker(RankerConfig config) {
    if (config.schema() == null) {
      throw new IllegalArgumentException("schema: a ranker needs the feature schema");
    }
    this.config = config;
    this.graph = new Graph();
    org.tensorflow.op.Ops tf = org.tensorflow.op.Ops.create(graph);
    this.ops = new TfOps(tf);
    FeatureSchema s = config.schema();
    this.inputs =
        new Embeddings.Inputs<>(
            s.numSparse() > 0 ? input(tf, "sparse", TInt64.class, s.numSparse()) : null,
            s.denseDim() > 0 ? input(tf, "dense", TFloat32.class, s.denseDim()) : null,
            s.seqLength() > 0 ? input(tf, "seq", TInt64.class, s.seqLength()) : null,
            s.multimodalDim() > 0
                ? input(tf, "multimodal", TFloat32.class, s.multimodalDim())
                : null);
    this.click = label(tf, "click");
    this.conversion = label(tf, "conversion");
    this.weight = label(tf, "weight");
    this.outputs = RankerNet.build(ops, config, inputs);
    this.modelVariables = List.copyOf(ops.variables().keySet());

    // Task losses. ESMM: BCE(pCTR, click) + BCE(pCTR·pCVR, click∧conversion) over all impressions.
    Map<String, Set<String>> towersUsed = new LinkedHashMap<>();
    taskLosses.put(
        "ctr", TfOps.f(Losses.bceWithLogits(ops, outputs.logits().get("ctr"), click, weight)));
    towersUsed.put("ctr", Set.of("ctr"));
    if (config.tasks().contains("cvr")) {
      if (config.esmm()) {
        taskLosses.put(
            RankerNet.CTCVR,
            TfOps.f(
                Losses.bceWithProbabilities(
                    ops,
                    outputs.probabilities().get(RankerNet.CTCVR),
                    tf.math.mul(click, conversion),
                    weight)));
        towersUsed.put(RankerNet.CTCVR, Set.of("ctr", "cvr"));
      } else {
        taskLosses.put(
            "cvr",
            TfOps.f(Losses.bceWithLogits(ops, outputs.logits().get("cvr"), conversion, weight)));
        towersUsed.put("cvr", Set.of("cvr"));
      }
    }
    List<String> lossNames = List.copyOf(taskLosses.keySet());
    Operand<TFloat32> lossVector = tf.stack(new ArrayList<>(taskLosses.values()));
    this.gradNorm = config.gradNorm() ? new GradNorm(ops, "gradnorm", lossNames.size()) : null;
    Operand<TFloat32> taskWeights =
        gradNorm != null ? tf.identity(gradNorm.weights()) : tf.constant(ones(lossNames.size()));
    this.totalLoss = tf.reduceSum(tf.math.mul(taskWeights, lossVector), tf.constant(0));

    // Gradients of the model variables. Tables read only through gathers (embeddings, FM
    // weights) get row gradients [U, d] over the batch's unique ids when sparse updates are on.
    for (String name : modelVariables) {
      if (config.sparseEmbeddingUpdates() && ops.onlyGathered(name)) {
        sparseRows.put(name, new SparseRows(tf, ops, name));
      }
    }
    if (!config.pcGrad()) {
      gradients.putAll(gradientsOf(tf, totalLoss, modelVariables, "total"));
    } else {
      pcGradGradients(tf, lossNames, towersUsed, taskWeights);
    }

    // GradNorm's per-task gradient norms on the last shared layer.
    List<Operand<TFloat32>> norms = new ArrayList<>();
    if (gradNorm != null) {
      List<Operand<?>> shared = new ArrayList<>();
      for (String name : outputs.lastSharedKernels()) {
        shared.add(ops.variables().get(name).variable());
      }
      for (String loss : lossNames) {
        Operand<TFloat32> sq = null;
        for (Operand<?> g :
            tf.withSubScope("gradnorm_" + loss).gradients(taskLosses.get(loss), shared)) {
          Operand<TFloat32> part = tf.reduceSum(tf.math.square(TfOps.f(g)), allAxes(tf, g));
          sq = sq == null ? part : tf.math.add(sq, part);
        }
        norms.add(tf.identity(tf.math.sqrt(sq)));
      }
    }

    // Every gradient (and GradNorm's norms) is computed before any variable changes: ref
    // variables are read when a consumer runs, so an early update would leak into another
    // variable's gradient, or into the norms, and make a step depend on thread scheduling.
    List<Op> gradientOps = new ArrayList<>();
    norms.forEach(n -> gradientOps.add((Op) n));
    for (String name : modelVariables) {
      org.tensorflow.op.core.Identity<?> g = tf.identity(gradients.get(name));
      gradients.put(name, g);
      gradientOps.add(g);
    }
    Op gradientsReady = tf.withControlDependencies(gradientOps).noOp();
    Adam adam = new Adam(ops, "optimizer", (float) config.learningRate(), List.of(gradientsReady));
    List<Op> updates = new ArrayList<>();
    for (String name : modelVariables) {
      TfOps.Var v = ops.variables().get(name);
      SparseRows rows = sparseRows.get(name);
      updates.add(
          rows == null
              ? adam.apply(name, v.variable(), v.shape(), gradients.get(name))
              : adam.applySparse(name, v.variable(), v.shape(), rows.unique, gradients.get(name)));
    }
    if (gradNorm != null) {
      Adam weightOptimizer =
          new Adam(ops, "gradnorm_optimizer", (float) config.learningRate(), List.of());
      updates.add(
          gradNorm.update(
              lossVector,
              tf.stack(norms),
              config.gradNormAlpha(),
              weightOptimizer,
              List.copyOf(updates)));
    }
    this.trainOp = Adam.group(ops, updates);

    // Checkpointing: SaveV2/RestoreV2 of every registered variable (model, optimizer, GradNorm).
    this.checkpointPrefix = tf.withName("checkpoint_prefix").placeholder(TString.class);
    List<String> allNames = List.copyOf(ops.variables().keySet());
    String[] names = allNames.toArray(String[]::new);
    String[] slices = new String[names.length];
    java.util.Arrays.fill(slices, "");
    List<Operand<?>> tensors = new ArrayList<>();
    List<Class<? extends TType>> types = new ArrayList<>();
    for (String name : allNames) {
      tensors.add(ops.variables().get(name).variable());
      types.add(TFloat32.class);
    }
    this.saveOp =
        tf.train.save(
            checkpointPrefix,
            tf.constant(java.nio.charset.StandardCharsets.UTF_8, names),
            tf.constant(java.nio.charset.StandardCharsets.UTF_8, slices),
            tensors);
    Restore restored =
        tf.train.restore(
            checkpointPrefix,
            tf.constant(java.nio.charset.StandardCharsets.UTF_8, names),
            tf.constant(java.nio.charset.StandardCharsets.UTF_8, slices),
            types);
    for (int i = 0; i < names.length; i++) {
      restoreOps.add(
          tf.assign(ops.variables().get(names[i]).variable(), TfOps.f(restored.tensors().get(i))));
    }

    // One inter-op thread: independent ops run in one fixed order, so a step never depends on
    // thread scheduling (a resumed run continues bit for bit); intra-op threads still use both
    // cores inside each kernel.
    this.session =
        new Session(
            graph,
            org.tensorflow.proto.ConfigProto.newBuilder().setInterOpParallelismThreads(1).build());
    ops.initialise(session, config.seed());
  }

  private void pcGradGradients(
      org.tensorflow.op.Ops tf,
      List<String> lossNames,
      Map<String, Set<String>> towersUsed,
      Operand<TFloat32> taskWeights) {
    // Which variables each loss reaches: shared ones plus those of the task towers it uses.
    Map<String, List<String>> reach = new LinkedHashMap<>();
    for (String loss : lossNames) {
      List<String> r = new ArrayList<>();
      for (String name : modelVariables) {
        String owner = owner(name);
        if (owner == null || towersUsed.get(loss).contains(owner)) {
          r.add(name);
        }
      }
      reach.put(loss, r);
    }
    Set<String> common = new LinkedHashSet<>(modelVariables);
    reach.values().forEach(common::retainAll);
    Map<String, Map<String, Operand<?>>> perTask = new LinkedHashMap<>();
    for (int t = 0; t < lossNames.size(); t++) {
      String loss = lossNames.get(t);
      Operand<TFloat32> weighted =
          tf.math.mul(tf.gather(taskWeights, tf.constant(t), tf.constant(0)), taskLosses.get(loss));
      Map<String, Operand<?>> g = gradientsOf(tf, weighted, reach.get(loss), "pcgrad_" + loss);
      perTask.put(loss, g);
    }
    List<String> commonList = List.copyOf(common);
    List<List<Operand<?>>> taskGrads = new ArrayList<>();
    for (String loss : lossNames) {
      List<Operand<?>> g = new ArrayList<>();
      for (String name : commonList) {
        g.add(perTask.get(loss).get(name));
      }
      taskGrads.add(g);
    }
    List<Operand<?>> combined =
        PcGrad.combine(
            ops,
            taskGrads,
            config.seed(),
            config.pcGradScope(),
            commonList.stream().map(ops::onlyGathered).toList());
    for (int i = 0; i < commonList.size(); i++) {
      gradients.put(commonList.get(i), combined.get(i));
    }
    for (String name : modelVariables) {
      if (common.contains(name)) {
        continue;
      }
      Operand<?> sum = null;
      for (String loss : lossNames) {
        Operand<?> g = perTask.get(loss).get(name);
        if (g != null) {
          sum = sum == null ? g : ops.add(sum, g);
        }
      }
      gradients.put(name, sum);
    }
  }

  /**
   * Gradients of {@code loss} for {@code names}: dense for ordinary variables, summed row gradients
   * over the batch's unique ids for sparse-updated tables.
   */
  private Map<String, Operand<?>> gradientsOf(
      org.tensorflow.op.Ops tf, Operand<TFloat32> loss, List<String> names, String scope) {
    List<Operand<?>> xs = new ArrayList<>();
    List<int[]> slots = new ArrayList<>(); // per name: [first x, count]
    for (String name : names) {
      SparseRows rows = sparseRows.get(name);
      if (rows == null) {
        slots.add(new int[] {xs.size(), 1});
        xs.add(ops.variables().get(name).variable());
      } else {
        slots.add(new int[] {xs.size(), rows.lookups.size()});
        rows.lookups.forEach(l -> xs.add(l.rows()));
      }
    }
    List<Operand<?>> g = new ArrayList<>();
    tf.withSubScope(scope).gradients(loss, xs).forEach(g::add);
    Map<String, Operand<?>> out = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      SparseRows rows = sparseRows.get(names.get(i));
      int[] slot = slots.get(i);
      out.put(
          names.get(i),
          rows == null
              ? g.get(slot[0])
              : rows.rowGradient(tf, g.subList(slot[0], slot[0] + slot[1])));
    }
    return out;
  }

  /**
   * A table updated sparsely: the unique ids of all its lookups in the batch and the map from each
   * looked-up position to its unique row.
   */
  private static final class SparseRows {
    final List<TfOps.Lookup> lookups;
    final Operand<TInt64> unique;
    final Operand<org.tensorflow.types.TInt32> position;
    final Operand<org.tensorflow.types.TInt32> count;
    final long width;

    SparseRows(org.tensorflow.op.Ops tf, TfOps ops, String name) {
      lookups = ops.lookups().stream().filter(l -> l.variable().equals(name)).toList();
      long[] shape = ops.variables().get(name).shape();
      width = shape[1];
      List<Operand<TInt64>> ids = new ArrayList<>();
      for (TfOps.Lookup l : lookups) {
        ids.add(tf.reshape(l.ids(), tf.constant(new long[] {-1})));
      }
      Operand<TInt64> all = ids.size() == 1 ? ids.get(0) : tf.concat(ids, tf.constant(0));
      org.tensorflow.op.core.Unique<TInt64, org.tensorflow.types.TInt32> u =
          tf.unique(all, tf.constant(new long[] {0}));
      unique = u.y();
      position = u.idx();
      count = tf.size(u.y());
    }

    /** Σ of the looked-up rows' gradients per unique id: {@code [U, d]}. */
    Operand<?> rowGradient(org.tensorflow.op.Ops tf, List<Operand<?>> rowGrads) {
      List<Operand<TFloat32>> flat = new ArrayList<>();
      for (Operand<?> g : rowGrads) {
        flat.add(tf.reshape(TfOps.f(g), tf.constant(new long[] {-1, width})));
      }
      Operand<TFloat32> all = flat.size() == 1 ? flat.get(0) : tf.concat(flat, tf.constant(0));
      return tf.math.unsortedSegmentSum(all, position, count);
    }
  }

  /** The task owning a variable ({@code <task>/...}), or null for shared ones. */
  static String owner(String variable) {
    int slash = variable.indexOf('/');
    String head = slash < 0 ? variable : variable.substring(0, slash);
    return RankerConfig.SUPPORTED_TASKS.contains(head) ? head : null;
  }

  private static Operand<org.tensorflow.types.TInt32> allAxes(
      org.tensorflow.op.Ops tf, Operand<?> x) {
    int rank = x.shape().numDimensions();
    int[] axes = new int[rank];
    for (int i = 0; i < rank; i++) {
      axes[i] = i;
    }
    return tf.constant(axes);
  }

  private static float[] ones(int n) {
    float[] v = new float[n];
    java.util.Arrays.fill(v, 1f);
    return v;
  }

  private static <T extends TType> Placeholder<T> input(
      org.tensorflow.op.Ops tf, String name, Class<T> type, int width) {
    return tf.withName(name).placeholder(type, Placeholder.shape(Shape.of(-1, width)));
  }

  private static Placeholder<TFloat32> label(org.tensorflow.op.Ops tf, String name) {
    return tf.withName(name).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
  }

  public RankerConfig config() {
    return config;
  }

  /** Names of the trainable model variables, in creation order. */
  public List<String> modelVariables() {
    return modelVariables;
  }

  @Override
  public Map<String, Double> trainStep(Batch batch) {
    List<Tensor> feeds = new ArrayList<>();
    try {
      Session.Runner runner = feed(session.runner(), batch, feeds, true);
      runner.fetch(totalLoss);
      taskLosses.values().forEach(runner::fetch);
      runner.addTarget(trainOp);
      try (Result r = runner.run()) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("loss", (double) ((TFloat32) r.get(0)).getFloat());
        int i = 1;
        for (String name : taskLosses.keySet()) {
          out.put("loss_" + name, (double) ((TFloat32) r.get(i++)).getFloat());
        }
        return out;
      }
    } finally {
      feeds.forEach(Tensor::close);
    }
  }

  @Override
  public Map<String, float[]> predict(Batch batch) {
    List<Tensor> feeds = new ArrayList<>();
    try {
      Session.Runner runner = feed(session.runner(), batch, feeds, false);
      List<String> names = List.copyOf(outputs.probabilities().keySet());
      names.forEach(n -> runner.fetch(outputs.probabilities().get(n)));
      try (Result r = runner.run()) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
          out.put(names.get(i), readFloats(r.get(i)));
        }
        return out;
      }
    } finally {
      feeds.forEach(Tensor::close);
    }
  }

  /** Per-variable L2 norm of the training gradient on a batch (tests, diagnostics). */
  public Map<String, Double> gradientNorms(Batch batch) {
    List<Tensor> feeds = new ArrayList<>();
    try {
      Session.Runner runner = feed(session.runner(), batch, feeds, true);
      modelVariables.forEach(n -> runner.fetch(gradients.get(n)));
      try (Result r = runner.run()) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < modelVariables.size(); i++) {
          double sq = 0;
          for (float x : readFloats(r.get(i))) {
            sq += (double) x * x;
          }
          out.put(modelVariables.get(i), Math.sqrt(sq));
        }
        return out;
      }
    } finally {
      feeds.forEach(Tensor::close);
    }
  }

  /** GradNorm's current task weights by loss name (1 each without GradNorm). */
  public Map<String, Float> taskWeights() {
    Map<String, Float> out = new LinkedHashMap<>();
    float[] w = gradNorm == null ? ones(taskLosses.size()) : variableValue(gradNorm.weights());
    int i = 0;
    for (String name : taskLosses.keySet()) {
      out.put(name, w[i++]);
    }
    return out;
  }

  /** Current values of every trainable model variable, by name. */
  public Map<String, float[]> variableValues() {
    Map<String, float[]> out = new LinkedHashMap<>();
    Session.Runner runner = session.runner();
    modelVariables.forEach(n -> runner.fetch(ops.variables().get(n).variable()));
    try (Result r = runner.run()) {
      for (int i = 0; i < modelVariables.size(); i++) {
        out.put(modelVariables.get(i), readFloats(r.get(i)));
      }
    }
    return out;
  }

  private float[] variableValue(Operand<?> v) {
    try (Result r = session.runner().fetch(v).run()) {
      return readFloats(r.get(0));
    }
  }

  private Session.Runner feed(Session.Runner runner, Batch b, List<Tensor> feeds, boolean labels) {
    FeatureSchema s = config.schema();
    int n = b.size();
    if (inputs.sparse() != null) {
      checkIds(b.sparse(), s);
      runner.feed(inputs.sparse(), track(feeds, longs(b.sparse(), n, s.numSparse(), "sparse")));
    }
    if (inputs.dense() != null) {
      runner.feed(inputs.dense(), track(feeds, floats(b.dense(), n, s.denseDim(), "dense")));
    }
    if (inputs.seq() != null) {
      checkSeqIds(b.seq(), s.seqVocab());
      runner.feed(inputs.seq(), track(feeds, longs(b.seq(), n, s.seqLength(), "seq")));
    }
    if (inputs.multimodal() != null) {
      runner.feed(
          inputs.multimodal(),
          track(feeds, floats(b.multimodal(), n, s.multimodalDim(), "multimodal")));
    }
    if (labels) {
      runner.feed(click, track(feeds, TFloat32.vectorOf(b.click())));
      runner.feed(conversion, track(feeds, TFloat32.vectorOf(b.conversion())));
      runner.feed(weight, track(feeds, TFloat32.vectorOf(b.weight())));
    }
    return runner;
  }

  /** Ids outside a field's id space would fail deep inside TF (or read another field's rows). */
  private static void checkIds(long[][] sparse, FeatureSchema s) {
    for (int i = 0; i < sparse.length; i++) {
      long[] row = sparse[i];
      for (int f = 0; f < Math.min(row.length, s.numSparse()); f++) {
        FeatureSchema.SparseField field = s.sparseFields().get(f);
        if (row[f] < 0 || row[f] >= field.vocabSize()) {
          throw new IllegalArgumentException(
              "batch.sparse["
                  + i
                  + "]: id "
                  + row[f]
                  + " of field '"
                  + field.name()
                  + "' is outside [0, "
                  + field.vocabSize()
                  + ")");
        }
      }
    }
  }

  private static void checkSeqIds(long[][] seq, long vocab) {
    for (int i = 0; i < seq.length; i++) {
      for (long id : seq[i]) {
        if (id < 0 || id >= vocab) {
          throw new IllegalArgumentException(
              "batch.seq[" + i + "]: id " + id + " is outside [0, " + vocab + ")");
        }
      }
    }
  }

  private static <T extends Tensor> T track(List<Tensor> feeds, T t) {
    feeds.add(t);
    return t;
  }

  private static void checkWidth(int length, int row, int width, String field) {
    if (length != width) {
      throw new IllegalArgumentException(
          "batch." + field + "[" + row + "] has " + length + " columns, schema says " + width);
    }
  }

  /** Row-major copy of a {@code [n][width]} batch column, checking every row's width. */
  public static long[] flatten(long[][] rows, int n, int width, String field) {
    long[] flat = new long[n * width];
    for (int i = 0; i < n; i++) {
      checkWidth(rows[i].length, i, width, field);
      System.arraycopy(rows[i], 0, flat, i * width, width);
    }
    return flat;
  }

  public static float[] flatten(float[][] rows, int n, int width, String field) {
    float[] flat = new float[n * width];
    for (int i = 0; i < n; i++) {
      checkWidth(rows[i].length, i, width, field);
      System.arraycopy(rows[i], 0, flat, i * width, width);
    }
    return flat;
  }

  private static TInt64 longs(long[][] rows, int n, int width, String field) {
    if (rows.length != n) {
      throw new IllegalArgumentException(
          "batch." + field + " has " + rows.length + " rows, not " + n);
    }
    return TInt64.tensorOf(
        Shape.of(n, width), DataBuffers.of(flatten(rows, n, width, field), true, false));
  }

  private static TFloat32 floats(float[][] rows, int n, int width, String field) {
    if (rows.length != n) {
      throw new IllegalArgumentException(
          "batch." + field + " has " + rows.length + " rows, not " + n);
    }
    return TFloat32.tensorOf(
        Shape.of(n, width), DataBuffers.of(flatten(rows, n, width, field), true, false));
  }

  private static float[] readFloats(Tensor t) {
    TFloat32 f = (TFloat32) t;
    float[] out = new float[Math.toIntExact(f.size())];
    f.copyTo(DataBuffers.of(out, false, false));
    return out;
  }

  @Override
  public void save(Path checkpointDir) {
    try {
      Files.createDirectories(checkpointDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create checkpoint directory " + checkpointDir, e);
    }
    try (TString prefix =
        TString.scalarOf(checkpointDir.resolve(CHECKPOINT_PREFIX).toAbsolutePath().toString())) {
      session.runner().feed(checkpointPrefix, prefix).addTarget(saveOp).run().close();
    }
  }

  @Override
  public void restore(Path checkpointDir) {
    Path index = checkpointDir.resolve(CHECKPOINT_PREFIX + ".index");
    if (!Files.isRegularFile(index)) {
      throw new IllegalArgumentException(
          "no ranker checkpoint in " + checkpointDir + " (missing " + index + ")");
    }
    try (TString prefix =
        TString.scalarOf(checkpointDir.resolve(CHECKPOINT_PREFIX).toAbsolutePath().toString())) {
      Session.Runner runner = session.runner().feed(checkpointPrefix, prefix);
      restoreOps.forEach(runner::addTarget);
      runner.run().close();
    } catch (org.tensorflow.exceptions.TensorFlowException e) {
      throw new IllegalArgumentException(
          "checkpoint " + checkpointDir + " does not match this model: " + e.getMessage(), e);
    }
  }

  @Override
  public void exportOnnx(Path onnxFile) {
    RankerOnnx.export(config, variableValues(), onnxFile);
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
