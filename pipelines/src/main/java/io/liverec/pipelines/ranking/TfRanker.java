package io.liverec.pipelines.ranking;

import io.liverec.pipelines.features.Batch;
import io.liverec.pipelines.features.FeatureSchema;
import io.liverec.pipelines.nn.Adam;
import io.liverec.pipelines.nn.Embeddings;
import io.liverec.pipelines.nn.GraphSession;
import io.liverec.pipelines.nn.SparseGradients;
import io.liverec.pipelines.nn.Tensors;
import io.liverec.pipelines.nn.TfOps;
import io.liverec.pipelines.ranking.multitask.GradNorm;
import io.liverec.pipelines.ranking.multitask.Losses;
import io.liverec.pipelines.ranking.multitask.PcGrad;
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
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/**
 * The {@link Ranker} on a TF Java graph: the {@link RankerNet} forward pass built through {@link
 * TfOps}, weighted task losses, Adam, and optionally GradNorm task weighting and PCGrad gradient
 * surgery, all in one graph run per step. Deterministic for a seed: initial values come from seeded
 * Java generators and the graph has no random ops.
 *
 * <p>Size: one class because the TF graph is built once in the constructor and every later call
 * (train step, predict, gradient norms, save, export) feeds that graph through the placeholders and
 * operands it holds in final fields. The natural seams are the loss and optimiser wiring with
 * GradNorm and PCGrad ({@code pcGradGradients}) and the input checks ({@code feed}, {@code
 * checkIds}); cutting them would pass the graph's Ops, placeholders and variable maps across a
 * class boundary, so they wait until a second graph-backed model needs them.
 */
public final class TfRanker implements Ranker {

  /** Checkpoint file prefix inside a checkpoint directory. */
  public static final String CHECKPOINT_PREFIX = "ranker";

  private final RankerConfig config;
  private final GraphSession session;
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
  private final SparseGradients sparse;
  private final Op trainOp;
  private final GradNorm gradNorm;

  /**
   * Builds the graph with sparse embedding updates and initialises every variable from the seed.
   */
  public TfRanker(RankerConfig config) {
    this(config, true);
  }

  /**
   * @param sparseEmbeddingUpdates lazy Adam over the batch's unique ids (true, the default: step
   *     time does not grow with the vocabulary) or exact dense Adam of the tables read only through
   *     lookups (false)
   */
  public TfRanker(RankerConfig config, boolean sparseEmbeddingUpdates) {
    if (config.schema() == null) {
      throw new IllegalArgumentException("schema: a ranker needs the feature schema");
    }
    this.config = config;
    Graph graph = new Graph();
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
    Set<String> sparseTables = new LinkedHashSet<>();
    for (String name : modelVariables) {
      if (sparseEmbeddingUpdates && ops.onlyGathered(name)) {
        sparseTables.add(name);
      }
    }
    this.sparse = new SparseGradients(ops, sparseTables);
    if (!config.pcGrad()) {
      gradients.putAll(sparse.of(totalLoss, modelVariables, "total"));
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
      updates.add(
          sparse.isSparse(name)
              ? adam.applySparse(
                  name, v.variable(), v.shape(), sparse.uniqueIds(name), gradients.get(name))
              : adam.apply(name, v.variable(), v.shape(), gradients.get(name)));
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

    this.session = new GraphSession(graph, ops, config.seed(), true, CHECKPOINT_PREFIX);
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
      Map<String, Operand<?>> g = sparse.of(weighted, reach.get(loss), "pcgrad_" + loss);
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
    try (GraphSession.Call c = feed(batch, true)) {
      c.fetch(totalLoss);
      taskLosses.values().forEach(c::fetch);
      c.target(trainOp);
      try (Result r = c.run()) {
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("loss", (double) ((TFloat32) r.get(0)).getFloat());
        int i = 1;
        for (String name : taskLosses.keySet()) {
          out.put("loss_" + name, (double) ((TFloat32) r.get(i++)).getFloat());
        }
        return out;
      }
    }
  }

  @Override
  public Map<String, float[]> predict(Batch batch) {
    List<String> names = List.copyOf(outputs.probabilities().keySet());
    try (GraphSession.Call c = feed(batch, false)) {
      names.forEach(n -> c.fetch(outputs.probabilities().get(n)));
      try (Result r = c.run()) {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
          out.put(names.get(i), Tensors.read(r.get(i)));
        }
        return out;
      }
    }
  }

  /** Per-variable L2 norm of the training gradient on a batch (tests, diagnostics). */
  public Map<String, Double> gradientNorms(Batch batch) {
    try (GraphSession.Call c = feed(batch, true)) {
      modelVariables.forEach(n -> c.fetch(gradients.get(n)));
      try (Result r = c.run()) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < modelVariables.size(); i++) {
          double sq = 0;
          for (float x : Tensors.read(r.get(i))) {
            sq += (double) x * x;
          }
          out.put(modelVariables.get(i), Math.sqrt(sq));
        }
        return out;
      }
    }
  }

  /** GradNorm's current task weights by loss name (1 each without GradNorm). */
  public Map<String, Float> taskWeights() {
    Map<String, Float> out = new LinkedHashMap<>();
    float[] w = gradNorm == null ? ones(taskLosses.size()) : session.value(gradNorm.weights());
    int i = 0;
    for (String name : taskLosses.keySet()) {
      out.put(name, w[i++]);
    }
    return out;
  }

  /** Current values of every trainable model variable, by name. */
  public Map<String, float[]> variableValues() {
    return session.values(modelVariables);
  }

  private GraphSession.Call feed(Batch b, boolean labels) {
    FeatureSchema s = config.schema();
    int n = b.size();
    GraphSession.Call c = session.call();
    try {
      if (inputs.sparse() != null) {
        checkIds(b.sparse(), s);
        c.feed(inputs.sparse(), Tensors.longs(b.sparse(), n, s.numSparse(), "sparse"));
      }
      if (inputs.dense() != null) {
        c.feed(inputs.dense(), Tensors.floats(b.dense(), n, s.denseDim(), "dense"));
      }
      if (inputs.seq() != null) {
        checkSeqIds(b.seq(), s.seqVocab());
        c.feed(inputs.seq(), Tensors.longs(b.seq(), n, s.seqLength(), "seq"));
      }
      if (inputs.multimodal() != null) {
        c.feed(
            inputs.multimodal(),
            Tensors.floats(b.multimodal(), n, s.multimodalDim(), "multimodal"));
      }
      if (labels) {
        c.feed(click, TFloat32.vectorOf(b.click()));
        c.feed(conversion, TFloat32.vectorOf(b.conversion()));
        c.feed(weight, TFloat32.vectorOf(b.weight()));
      }
      return c;
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
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

  @Override
  public void save(Path checkpointDir) {
    session.save(checkpointDir);
  }

  @Override
  public void restore(Path checkpointDir) {
    session.restore(checkpointDir);
  }

  @Override
  public void exportOnnx(Path onnxFile) {
    RankerOnnx.export(config, variableValues(), onnxFile);
  }

  @Override
  public void close() {
    session.close();
  }
}
