package io.liverec.pipelines.ranking;

import io.liverec.api.v1alpha1.ModelSpec;
import io.liverec.api.v1alpha1.TrainingSpec;
import io.liverec.pipelines.features.FeatureSchema;
import io.liverec.pipelines.ranking.layers.Interaction;
import io.liverec.pipelines.ranking.layers.Interactions;
import io.liverec.pipelines.ranking.layers.SpecValues;
import io.liverec.pipelines.ranking.multitask.Experts;
import io.liverec.pipelines.ranking.multitask.PcGrad;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    Map<Interactions, Interaction> interactions,
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
    long seed) {

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
    // Every layer's settings are checked, listed or not: a typo in a setting the spec carries is
    // an error even while its layer is switched off, so switching it on later cannot surprise.
    Map<Interactions, Interaction> configured = new LinkedHashMap<>();
    for (Interactions i : Interactions.values()) {
      configured.put(i, i.create(model));
    }
    Map<Interactions, Interaction> interactions = new LinkedHashMap<>();
    for (String name : model.interactions == null ? List.<String>of() : model.interactions) {
      Interactions i = Interactions.byName(name);
      if (interactions.containsKey(i)) {
        throw bad("model.interactions", "lists '" + name + "' twice");
      }
      interactions.put(i, configured.get(i));
    }

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
            Collections.unmodifiableMap(interactions),
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
            seed);
    if (schema != null) {
      for (Map.Entry<Interactions, Interaction> i : interactions.entrySet()) {
        if (c.numFields() < i.getValue().minFields()) {
          throw bad(
              "model.interactions",
              i.getKey().specName()
                  + " needs at least "
                  + i.getValue().minFields()
                  + " fields, schema has "
                  + c.numFields());
        }
      }
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

  /** What the shared bottom (one DNN or the experts) needs of this config. */
  public Experts.Settings bottomSettings() {
    return new Experts.Settings(hiddenUnits, tasks, numExperts, taskExperts);
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
    return interactions.containsKey(i);
  }

  private static IllegalArgumentException bad(String field, String message) {
    return SpecValues.bad(field, message);
  }

  private static int positive(Integer v, String field) {
    return SpecValues.positive(v, field);
  }

  private static String lower(String v, String dflt) {
    return SpecValues.lower(v, dflt);
  }
}
