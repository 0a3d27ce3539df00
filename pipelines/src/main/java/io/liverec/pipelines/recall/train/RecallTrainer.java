package io.liverec.pipelines.recall.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.liverec.api.errors.LiverecException;
import io.liverec.api.v1alpha1.ModelSpec;
import io.liverec.api.v1alpha1.Task;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.v1alpha1.TrainingRunSpec;
import io.liverec.pipelines.export.OnnxParity;
import io.liverec.pipelines.pipeline.Trainer;
import io.liverec.pipelines.pipeline.TrainerOutput;
import io.liverec.pipelines.recall.Popular;
import io.liverec.pipelines.recall.data.EventLogReader;
import io.liverec.pipelines.recall.data.HoldoutSplit;
import io.liverec.pipelines.recall.eval.AblationSettings;
import io.liverec.pipelines.recall.index.IndexKind;
import io.liverec.pipelines.recall.index.IndexParams;
import io.liverec.pipelines.recall.metrics.RecallSummary;
import io.liverec.pipelines.recall.twotower.PriorVectors;
import io.liverec.pipelines.recall.twotower.TowerBatch;
import io.liverec.pipelines.recall.twotower.TwoTowerConfig;
import io.liverec.pipelines.recall.twotower.TwoTowerFeatures;
import io.liverec.pipelines.recall.twotower.TwoTowerRecall;
import io.liverec.pipelines.recall.twotower.UserTowerExport;
import io.liverec.pipelines.tracking.Gates;
import io.liverec.pipelines.train.SampleSources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code task: recall}: trains the two-tower model of a TrainingRun on its event log, evaluates it
 * (and the popularity anchor) on the last {@code data.holdoutDays}, and writes to the run
 * directory:
 *
 * <pre>
 * user_tower.onnx     the user tower (inputs user_sparse, seq; output user_vector)
 * room_vectors.json   external room id → unit room vector, as of the cutoff
 * index.json          ANN index kind and build/search parameters for the room vectors
 * user_inputs.jsonl   per user: the user tower's inputs for a request after the whole log
 *                     ({user_id, user_sparse, seq, recent_rooms}; hour = the default serving hour)
 * metrics.json        holdout recall@K, NDCG@K, coverage, tail coverage, cold-room recall
 * report.md           the same, readable
 * </pre>
 */
public final class RecallTrainer implements Trainer {

  @Override
  public Task task() {
    return Task.RECALL;
  }

  @Override
  public TrainingRunSpec validate(TrainingRun run) {
    TrainingRunSpec spec = run == null ? null : run.getSpec();
    if (spec == null || spec.task != Task.RECALL) {
      throw LiverecException.badInput("spec.task: RecallTrainer runs task 'recall' only");
    }
    if (spec.data == null || spec.data.events == null) {
      throw LiverecException.badInput("spec.data.events: a recall run needs the event log");
    }
    return spec;
  }

  @Override
  public TrainerOutput train(TrainingRun run, Path runDir) {
    TrainingRunSpec spec = validate(run);
    Path log = SampleSources.toPath(spec.data.events);
    int conversionSeconds =
        spec.data.labels != null && spec.data.labels.conversionWatchSeconds != null
            ? spec.data.labels.conversionWatchSeconds
            : 30;
    EventLogReader.Loaded loaded =
        EventLogReader.read(log, conversionSeconds, runDir.resolve("quarantine"));
    int holdoutDays = spec.data.holdoutDays == null ? 1 : spec.data.holdoutDays;
    HoldoutSplit split = HoldoutSplit.lastDays(loaded.data(), holdoutDays, false, loaded.endMs());
    ModelSpec.RecallSpec r =
        spec.model.recall == null ? new ModelSpec.RecallSpec() : spec.model.recall;
    TwoTowerConfig base =
        TwoTowerRecall.configFor(
            split.train(),
            !Boolean.FALSE.equals(r.multimodal),
            !Boolean.FALSE.equals(r.logQCorrection),
            r.temperature,
            r.outputDim,
            spec.model.embeddingDim,
            spec.model.hiddenUnits,
            spec.training.epochs,
            spec.training.seed);
    int mixed = r.mixedNegatives == null ? 0 : r.mixedNegatives;
    TwoTowerConfig config =
        base.withTraining(spec.training.learningRate, spec.training.batchSize)
            .withMixedNegatives(mixed)
            .withRoomPrior(true);
    IndexParams params = IndexParams.DEFAULT;
    IndexKind kind = IndexKind.LUCENE_HNSW;
    Map<String, Path> artifacts = new LinkedHashMap<>();
    Map<String, Double> metrics = new LinkedHashMap<>();
    try (TwoTowerRecall model =
        TwoTowerRecall.fit("two-tower", split.train(), config, kind, params)) {
      Files.createDirectories(runDir);
      int[] ks = AblationSettings.DEFAULT_KS;
      BitSet live = split.live().toBitSet();
      RecallSummary tt = new RecallSummary(ks, split.coldRooms(), new BitSet(), live);
      RecallSummary pop = new RecallSummary(ks, split.coldRooms(), new BitSet(), live);
      Popular popular = Popular.fit(split.train());
      int maxK = ks[ks.length - 1];
      for (HoldoutSplit.Request q : split.requests()) {
        tt.add(model.retrieve(q.user(), q.recentRooms(), split.live(), maxK), q.truth());
        pop.add(popular.retrieve(q.user(), q.recentRooms(), split.live(), maxK), q.truth());
      }
      metrics.putAll(tt.metrics());
      pop.metrics().forEach((k, v) -> metrics.put("popular." + k, v));
      metrics.put("requests", (double) tt.requests());
      List<Double> loss = model.epochLoss();
      metrics.put("train.loss.last", loss.isEmpty() ? Double.NaN : loss.get(loss.size() - 1));

      Path onnx = runDir.resolve("user_tower.onnx");
      UserTowerExport.export(config, model.model().variableValues(), onnx);
      artifacts.put("user_tower", onnx);
      metrics.put(Gates.PARITY_METRIC, userTowerParity(model, loaded, onnx));
      Path vectors = runDir.resolve("room_vectors.json");
      writeRoomVectors(model, loaded, vectors);
      artifacts.put("room_vectors", vectors);
      Path users = runDir.resolve("user_inputs.jsonl");
      writeUserInputs(model, loaded, users);
      artifacts.put("user_inputs", users);
      Path index = runDir.resolve("index.json");
      Map<String, Object> idx = new LinkedHashMap<>();
      idx.put("kind", kind.id());
      idx.put("params", params);
      idx.put("describe", model.index().describe());
      idx.put("model", config);
      json().writeValue(index.toFile(), idx);
      artifacts.put("index", index);
      Path metricsFile = runDir.resolve("metrics.json");
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("metrics", metrics);
      m.put("epochLoss", loss);
      m.put("data", loaded.summary());
      json().writeValue(metricsFile.toFile(), m);
      artifacts.put("metrics", metricsFile);
      Path report = runDir.resolve("report.md");
      Files.writeString(report, report(run, metrics, loss, loaded.summary()));
      artifacts.put("report", report);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the recall run directory " + runDir, e);
    }
    return new TrainerOutput(Task.RECALL, runDir, metrics, artifacts, List.of(), 0, null);
  }

  private static void writeRoomVectors(
      TwoTowerRecall model, EventLogReader.Loaded loaded, Path file) throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    var index = model.index();
    // the index was built over every room id in order; read vectors back through the model
    for (int r = 0; r < loaded.roomIds().length; r++) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("room_id", loaded.roomIds()[r]);
      row.put("vector", model.roomVector(r));
      rows.add(row);
    }
    json().writeValue(file.toFile(), Map.of("dim", index.dimension(), "rooms", rows));
  }

  /**
   * What serving needs to query the user tower: one line per user, encoded exactly as training
   * encodes a request (ids + 1, 0 = pad/unknown), with the user's recent rooms after the whole log.
   */
  private static void writeUserInputs(TwoTowerRecall model, EventLogReader.Loaded loaded, Path file)
      throws IOException {
    TwoTowerFeatures f = model.features();
    int[][] clicks = loaded.data().sequences();
    var writer = new ObjectMapper().writer(); // one line per user, never indented
    try (var out = Files.newBufferedWriter(file)) {
      for (int u = 0; u < loaded.userIds().length; u++) {
        long[] seq = f.sequenceAfter(clicks[u]);
        List<Long> recent = new ArrayList<>();
        for (long id : seq) {
          if (id > 0) {
            recent.add(loaded.roomIds()[(int) id - 1]);
          }
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("user_id", loaded.userIds()[u]);
        row.put("user_sparse", f.userSparse(u, TwoTowerFeatures.DEFAULT_HOUR));
        row.put("seq", seq);
        row.put("recent_rooms", recent);
        out.write(writer.writeValueAsString(row));
        out.write('\n');
      }
    }
  }

  /** Users whose vectors the parity of the exported user tower is measured on. */
  static final int PARITY_USERS = 1024;

  /**
   * Max |Δ| between user_tower.onnx in ONNX Runtime and the trained user tower on the first {@link
   * #PARITY_USERS} users' serving inputs (as written to user_inputs.jsonl).
   */
  private static double userTowerParity(
      TwoTowerRecall model, EventLogReader.Loaded loaded, Path onnx) {
    TwoTowerFeatures f = model.features();
    int[][] clicks = loaded.data().sequences();
    int n = Math.min(PARITY_USERS, loaded.userIds().length);
    long[][] userSparse = new long[n][];
    long[][] seq = new long[n][];
    for (int u = 0; u < n; u++) {
      userSparse[u] = f.userSparse(u, TwoTowerFeatures.DEFAULT_HOUR);
      seq[u] = f.sequenceAfter(clicks[u]);
    }
    float[][] tf =
        model.model().userVectors(new TowerBatch(userSparse, seq, null, null, null, null));
    if (model.model().config().roomPrior()) {
      for (int u = 0; u < n; u++) {
        tf[u] = PriorVectors.query(tf[u]);
      }
    }
    Map<String, Object> inputs = new LinkedHashMap<>();
    inputs.put("user_sparse", userSparse);
    inputs.put("seq", seq);
    return OnnxParity.maxAbsDiff(
        onnx, inputs, Map.of(UserTowerExport.OUTPUT, OnnxParity.flatten(tf)));
  }

  private static String report(
      TrainingRun run, Map<String, Double> metrics, List<Double> loss, String data) {
    StringBuilder md = new StringBuilder("# Recall run: two-tower u2i\n\n");
    md.append("Data: ").append(data).append("\n\n");
    md.append("Epoch loss: ").append(loss).append("\n\n");
    md.append("| metric | two-tower | popular |\n|---|---|---|\n");
    metrics.forEach(
        (k, v) -> {
          if (!k.startsWith("popular.") && metrics.containsKey("popular." + k)) {
            md.append(String.format("| %s | %.4f | %.4f |%n", k, v, metrics.get("popular." + k)));
          }
        });
    return md.toString();
  }

  private static ObjectMapper json() {
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }
}
