package io.liverec.pipelines.ranking;

import io.liverec.api.v1alpha1.ModelSpec;
import io.liverec.api.v1alpha1.TrainingSpec;
import io.liverec.pipelines.features.FeatureSchema;
import io.liverec.pipelines.ranking.layers.Cross;
import io.liverec.pipelines.ranking.layers.Interactions;
import io.liverec.pipelines.ranking.layers.Kfm;
import io.liverec.pipelines.ranking.multitask.Experts;
import io.liverec.pipelines.ranking.multitask.PcGrad;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A validated, immutable view of the model and training spec plus the feature schema: everything
 * needed to build the ranker's graph. Built only through {@link #of}, which checks every field
 * before any data is read.
 */
public record RankerConfig(
    FeatureSchema schema,
    int embeddingDim,
    int multimodalFields,
    List<Integer> hiddenUnits,
    List<Interactions> interactions,
    Kfm.Sharing kfmSharing,
    int crossLayers,
    Cross.Form crossForm,
    int attentionHeads,
    int attentionLayers,
    List<String> tasks,
    boolean esmm,
    Experts experts,
    int numExperts,
    int taskExperts,
    boolean gradNorm,
    double gradNormAlpha,
    boolean pcGrad,
    PcGrad.Scope pcGradScope,
    double learningRate,
    long seed,
    boolean sparseEmbeddingUpdates) {

  /** Task names a {@link io.liverec.pipelines.features.Batch} has labels for. */
  public static final List<String> SUPPORTED_TASKS = List.of("ctr", "cvr");

  /**
   * Validates a spec against the schema and returns the config. With a null schema only the spec is
   * checked (what a trainer does before reading any data); such a config cannot build a model.
   *
   * @throws IllegalArgumentException naming the offending spec field
   */
  public static RankerConfig of(ModelSpec model, TrainingSpec training, FeatureSchema schema) {
    if (model == null) {
      throw bad("model", "is missing");
    }
    TrainingSpec t = training == null ? new TrainingSpec() : training;
    int dim = positive(model.embeddingDim, "model.embeddingDim");
    int mmFields =
        model.multimodalFields == null
            ? 1
            : positive(model.multimodalFields, "model.multimodalFields");
    List<Integer> hidden = model.hiddenUnits == null ? List.of() : List.copyOf(model.hiddenUnits);
    if (hidden.isEmpty()) {
      throw bad("model.hiddenUnits", "needs at least one layer");
    }
    for (Integer h : hidden) {
      if (h == null || h <= 0) {
        throw bad("model.hiddenUnits", "sizes must be positive, got " + hidden);
      }
    }
    List<Interactions> interactions = new ArrayList<>();
    for (String name : model.interactions == null ? List.<String>of() : model.interactions) {
      Interactions i = Interactions.byName(name);
      if (interactions.contains(i)) {
        throw bad("model.interactions", "lists '" + name + "' twice");
      }
      interactions.add(i);
    }
    Kfm.Sharing sharing =
        parse(Kfm.Sharing.class, model.kfmKernelSharing, "model.kfmKernelSharing", "field");
    int cross = nonNegative(model.crossLayers, "model.crossLayers");
    if (interactions.contains(Interactions.CROSS) && cross == 0) {
      throw bad("model.crossLayers", "must be > 0 when 'cross' is in model.interactions");
    }
    Cross.Form crossForm = parse(Cross.Form.class, model.crossForm, "model.crossForm", "vector");
    int heads = positive(model.attentionHeads, "model.attentionHeads");
    int attLayers = positive(model.attentionLayers, "model.attentionLayers");

    ModelSpec.MultitaskSpec mt =
        model.multitask == null ? new ModelSpec.MultitaskSpec() : model.multitask;
    List<String> tasks = mt.tasks == null ? List.of() : List.copyOf(mt.tasks);
    if (tasks.isEmpty()) {
      throw bad("model.multitask.tasks", "needs at least one task");
    }
    for (String task : tasks) {
      if (!SUPPORTED_TASKS.contains(task)) {
        throw bad(
            "model.multitask.tasks",
            "unknown or unsupported task '" + task + "' (supported: " + SUPPORTED_TASKS + ")");
      }
    }
    if (tasks.size() != tasks.stream().distinct().count()) {
      throw bad("model.multitask.tasks", "lists a task twice: " + tasks);
    }
    if (!tasks.contains("ctr")) {
      throw bad("model.multitask.tasks", "must include 'ctr'");
    }
    String structure = lower(mt.structure, "esmm");
    boolean esmm;
    switch (structure) {
      case "esmm" -> esmm = true;
      case "independent" -> esmm = false;
      default ->
          throw bad(
              "model.multitask.structure", "unknown '" + mt.structure + "' (esmm, independent)");
    }
    if (esmm && !tasks.containsAll(List.of("ctr", "cvr"))) {
      throw bad("model.multitask.structure", "esmm needs tasks [ctr, cvr], got " + tasks);
    }
    Experts experts = Experts.byName(mt.experts);
    int numExperts = positive(mt.numExperts, "model.multitask.numExperts");
    int taskExperts = positive(mt.taskExperts, "model.multitask.taskExperts");
    if (experts != Experts.NONE && tasks.size() < 2) {
      throw bad(
          "model.multitask.experts",
          "'" + mt.experts + "' needs at least 2 tasks, got " + tasks.size());
    }
    String balancing = lower(mt.balancing, "none");
    boolean gradNorm;
    switch (balancing) {
      case "none" -> gradNorm = false;
      case "gradnorm" -> gradNorm = true;
      default ->
          throw bad("model.multitask.balancing", "unknown '" + mt.balancing + "' (none, gradnorm)");
    }
    if (gradNorm && tasks.size() < 2) {
      throw bad("model.multitask.balancing", "gradnorm needs at least 2 tasks");
    }
    double alpha = mt.alpha == null ? 0.5 : mt.alpha;
    if (!(alpha >= 0) || Double.isInfinite(alpha)) {
      throw bad("model.multitask.alpha", "must be a finite number >= 0, got " + mt.alpha);
    }
    String surgery = lower(mt.gradientSurgery, "none");
    boolean pcGrad;
    switch (surgery) {
      case "none" -> pcGrad = false;
      case "pcgrad" -> pcGrad = true;
      default ->
          throw bad(
              "model.multitask.gradientSurgery",
              "unknown '" + mt.gradientSurgery + "' (none, pcgrad)");
    }
    if (pcGrad && tasks.size() < 2) {
      throw bad("model.multitask.gradientSurgery", "pcgrad needs at least 2 tasks");
    }
    PcGrad.Scope pcGradScope;
    switch (lower(mt.pcgradScope, "global")) {
      case "global" -> pcGradScope = PcGrad.Scope.GLOBAL;
      case "variable" -> pcGradScope = PcGrad.Scope.VARIABLE;
      case "row" -> pcGradScope = PcGrad.Scope.ROW;
      default ->
          throw bad(
              "model.multitask.pcgradScope",
              "unknown '" + mt.pcgradScope + "' (global, variable, row)");
    }
    if (mt.pcgradScope != null && !pcGrad) {
      throw bad(
          "model.multitask.pcgradScope",
          "is set but gradientSurgery is '" + surgery + "', not pcgrad");
    }
    double lr = t.learningRate == null ? 0.001 : t.learningRate;
    if (!(lr > 0) || Double.isInfinite(lr)) {
      throw bad("training.learningRate", "must be > 0, got " + t.learningRate);
    }
    long seed = t.seed == null ? 7L : t.seed;
    if (schema != null) {
      checkSchema(schema);
    }
    RankerConfig c =
        new RankerConfig(
            schema,
            dim,
            mmFields,
            hidden,
            List.copyOf(interactions),
            sharing,
            cross,
            crossForm,
            heads,
            attLayers,
            tasks,
            esmm,
            experts,
            numExperts,
            taskExperts,
            gradNorm,
            alpha,
            pcGrad,
            pcGradScope,
            lr,
            seed,
            true);
    boolean needsPairs =
        interactions.stream().anyMatch(i -> i == Interactions.FM || i == Interactions.KFM);
    if (schema != null && needsPairs && c.numFields() < 2) {
      throw bad("model.interactions", "fm/kfm need at least 2 fields, schema has " + c.numFields());
    }
    return c;
  }

  private static void checkSchema(FeatureSchema schema) {
    if (schema.numSparse() == 0 && schema.denseDim() == 0) {
      throw bad("schema", "has neither sparse fields nor dense inputs");
    }
    for (FeatureSchema.SparseField f : schema.sparseFields()) {
      if (f.vocabSize() <= 0) {
        throw bad("schema.sparseFields[" + f.name() + "].vocabSize", "must be > 0");
      }
    }
    if (schema.seqLength() > 0 && schema.seqVocab() <= 0) {
      throw bad("schema.seqVocab", "must be > 0 when seqLength > 0");
    }
  }

  /**
   * The same config with dense (exact Adam) or sparse (lazy Adam over the batch's unique ids)
   * updates of the tables read only through lookups. Sparse is the default: its step time does not
   * grow with the vocabulary.
   */
  public RankerConfig withSparseEmbeddingUpdates(boolean sparse) {
    return new RankerConfig(
        schema,
        embeddingDim,
        multimodalFields,
        hiddenUnits,
        interactions,
        kfmSharing,
        crossLayers,
        crossForm,
        attentionHeads,
        attentionLayers,
        tasks,
        esmm,
        experts,
        numExperts,
        taskExperts,
        gradNorm,
        gradNormAlpha,
        pcGrad,
        pcGradScope,
        learningRate,
        seed,
        sparse);
  }

  /**
   * Fields entering interactions: sparse fields, one each for seq and dense, and {@link
   * #multimodalFields} for the multimodal vectors.
   */
  public int numFields() {
    return schema.numSparse()
        + (schema.seqLength() > 0 ? 1 : 0)
        + (schema.denseDim() > 0 ? 1 : 0)
        + (schema.multimodalDim() > 0 ? multimodalFields : 0);
  }

  public boolean has(Interactions i) {
    return interactions.contains(i);
  }

  private static IllegalArgumentException bad(String field, String message) {
    return new IllegalArgumentException(field + ": " + message);
  }

  private static int positive(Integer v, String field) {
    if (v == null || v <= 0) {
      throw bad(field, "must be a positive integer, got " + v);
    }
    return v;
  }

  private static int nonNegative(Integer v, String field) {
    if (v == null || v < 0) {
      throw bad(field, "must be >= 0, got " + v);
    }
    return v;
  }

  private static String lower(String v, String dflt) {
    return v == null ? dflt : v.trim().toLowerCase(Locale.ROOT);
  }

  private static <E extends Enum<E>> E parse(Class<E> type, String v, String field, String dflt) {
    String s = lower(v, dflt);
    for (E e : type.getEnumConstants()) {
      if (e.name().toLowerCase(Locale.ROOT).equals(s)) {
        return e;
      }
    }
    throw bad(field, "unknown '" + v + "'");
  }
}
