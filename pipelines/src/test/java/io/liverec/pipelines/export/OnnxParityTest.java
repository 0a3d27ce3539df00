package io.liverec.pipelines.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.liverec.api.v1alpha1.ModelSpec;
import io.liverec.api.v1alpha1.TrainingSpec;
import io.liverec.pipelines.features.Batch;
import io.liverec.pipelines.features.FeatureSchema;
import io.liverec.pipelines.ranking.Rankers;
import io.liverec.pipelines.ranking.TfRanker;
import io.liverec.pipelines.ranking.layers.Interactions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The exported ONNX graph in ONNX Runtime matches the TF forward pass, rung by rung. */
class OnnxParityTest {

  static final FeatureSchema SCHEMA =
      new FeatureSchema(
          List.of(
              new FeatureSchema.SparseField("user", 50),
              new FeatureSchema.SparseField("room", 60),
              new FeatureSchema.SparseField("hour", 24)),
          List.of("age", "ctr7d"),
          6,
          40,
          5);

  static final float TOLERANCE = 1e-5f;

  static Stream<Arguments> ladder() {
    return AblationLadder.rungs().entrySet().stream()
        .map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ladder")
  void onnxMatchesTf(String rung, Consumer<ModelSpec> change, @TempDir Path dir) throws Exception {
    ModelSpec spec = AblationLadder.base();
    change.accept(spec);
    assertParity(rung, spec, dir);
  }

  /** Every registered layer on its own, so a newly registered one is covered without a new test. */
  @ParameterizedTest(name = "{0} alone")
  @EnumSource(Interactions.class)
  void everyRegisteredInteractionMatches(Interactions layer, @TempDir Path dir) throws Exception {
    ModelSpec spec = AblationLadder.base();
    spec.interactions = new ArrayList<>(List.of(layer.specName()));
    assertParity(layer.specName() + "-alone", spec, dir);
  }

  @ParameterizedTest(name = "kfm {0}")
  @ValueSource(strings = {"pair", "field", "shared"})
  void everyKfmKernelSharingMatches(String sharing, @TempDir Path dir) throws Exception {
    ModelSpec spec = AblationLadder.base();
    spec.interactions = new ArrayList<>(List.of("kfm"));
    spec.kfmKernelSharing = sharing;
    assertParity("kfm-" + sharing, spec, dir);
  }

  private static void assertParity(String rung, ModelSpec spec, Path dir) throws Exception {
    TrainingSpec training = new TrainingSpec();
    training.learningRate = 0.01;
    SplittableRandom random = new SplittableRandom(rung.hashCode());
    try (TfRanker ranker = Rankers.create(spec, training, SCHEMA)) {
      for (int i = 0; i < 3; i++) {
        ranker.trainStep(randomBatch(random, 64));
      }
      Path onnx = dir.resolve("model.onnx");
      ranker.exportOnnx(onnx);
      Batch batch = randomBatch(random, 300);
      Map<String, float[]> tf = ranker.predict(batch);
      Map<String, float[]> ort = runOnnx(onnx, batch);
      assertThat(ort.keySet()).containsExactlyInAnyOrderElementsOf(tf.keySet());
      for (String out : tf.keySet()) {
        float maxDiff = 0;
        for (int i = 0; i < batch.size(); i++) {
          maxDiff = Math.max(maxDiff, Math.abs(tf.get(out)[i] - ort.get(out)[i]));
        }
        assertThat(maxDiff).as("%s: max |Δ| of %s", rung, out).isLessThanOrEqualTo(TOLERANCE);
      }
    }
  }

  @org.junit.jupiter.api.Test
  void fullLadderTopMatchesOn10kRows(@TempDir Path dir) throws Exception {
    Map<String, Consumer<ModelSpec>> rungs = AblationLadder.rungs();
    ModelSpec spec = AblationLadder.base();
    rungs.get("+PCGrad").accept(spec);
    spec.interactions = new ArrayList<>(List.of("fm", "nfm", "kfm", "cross", "autoint", "bitint"));
    SplittableRandom random = new SplittableRandom(10_000);
    try (TfRanker ranker = Rankers.create(spec, new TrainingSpec(), SCHEMA)) {
      ranker.trainStep(randomBatch(random, 256));
      Path onnx = dir.resolve("model.onnx");
      ranker.exportOnnx(onnx);
      Batch batch = randomBatch(random, 10_000);
      Map<String, float[]> tf = ranker.predict(batch);
      Map<String, float[]> ort = runOnnx(onnx, batch);
      for (String out : tf.keySet()) {
        for (int i = 0; i < batch.size(); i++) {
          assertThat(Math.abs(tf.get(out)[i] - ort.get(out)[i]))
              .as("%s row %d", out, i)
              .isLessThanOrEqualTo(TOLERANCE);
        }
      }
    }
  }

  static Map<String, float[]> runOnnx(Path onnx, Batch b) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(onnx.toString(), options)) {
      Map<String, OnnxTensor> in = new HashMap<>();
      List<OnnxTensor> all = new ArrayList<>();
      try {
        put(in, all, "sparse", OnnxTensor.createTensor(env, b.sparse()));
        put(in, all, "dense", OnnxTensor.createTensor(env, b.dense()));
        put(in, all, "seq", OnnxTensor.createTensor(env, b.seq()));
        put(in, all, "multimodal", OnnxTensor.createTensor(env, b.multimodal()));
        try (OrtSession.Result r = session.run(in)) {
          Map<String, float[]> out = new HashMap<>();
          for (Map.Entry<String, ai.onnxruntime.OnnxValue> e : r) {
            out.put(e.getKey(), (float[]) e.getValue().getValue());
          }
          return out;
        }
      } finally {
        all.forEach(OnnxTensor::close);
      }
    }
  }

  private static void put(
      Map<String, OnnxTensor> in, List<OnnxTensor> all, String name, OnnxTensor t) {
    all.add(t);
    in.put(name, t);
  }

  static Batch randomBatch(SplittableRandom r, int n) {
    long[][] sparse = new long[n][SCHEMA.numSparse()];
    float[][] dense = new float[n][SCHEMA.denseDim()];
    long[][] seq = new long[n][SCHEMA.seqLength()];
    float[][] mm = new float[n][SCHEMA.multimodalDim()];
    float[] click = new float[n];
    float[] conv = new float[n];
    float[] weight = new float[n];
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < SCHEMA.numSparse(); f++) {
        sparse[i][f] = r.nextLong(SCHEMA.sparseFields().get(f).vocabSize());
      }
      for (int f = 0; f < SCHEMA.denseDim(); f++) {
        dense[i][f] = (float) r.nextGaussian();
      }
      int len = r.nextInt(SCHEMA.seqLength() + 1);
      for (int t = 0; t < len; t++) {
        seq[i][t] = 1 + r.nextLong(SCHEMA.seqVocab() - 1);
      }
      for (int m = 0; m < SCHEMA.multimodalDim(); m++) {
        mm[i][m] = (float) r.nextGaussian();
      }
      click[i] = r.nextDouble() < 0.3 ? 1 : 0;
      conv[i] = click[i] > 0 && r.nextDouble() < 0.3 ? 1 : 0;
      weight[i] = 0.5f + (float) r.nextDouble();
    }
    return new Batch(sparse, dense, seq, mm, click, conv, weight, new long[n]);
  }
}
