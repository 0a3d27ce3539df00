package io.liverec.pipelines.recall.cli;

import io.liverec.api.errors.ExitCode;
import io.liverec.api.errors.LiverecException;
import io.liverec.pipelines.recall.data.EventLogReader;
import io.liverec.pipelines.recall.data.HoldoutSplit;
import io.liverec.pipelines.recall.eval.AblationReport;
import io.liverec.pipelines.recall.eval.AblationSettings;
import io.liverec.pipelines.recall.eval.RecallEvaluator;
import io.liverec.pipelines.recall.eval.RecallMethod;
import io.liverec.pipelines.recall.eval.TwoTowerSettings;
import io.liverec.pipelines.recall.index.IndexKind;
import io.liverec.pipelines.recall.index.IndexParams;
import io.liverec.pipelines.recall.vector.Item2Vec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code liverec ablate recall}: every recall method on the same time-based holdout, repeated over
 * seeds, reported as mean ± 95% CI in markdown.
 */
@Command(
    name = "recall",
    mixinStandardHelpOptions = true,
    description = {
      "Compare the recall channels (popular, content, i2i, item-knn, mf-bpr, vector-i2i,"
          + " two-tower and its"
          + " no-logQ / no-multimodal variants) on a last-day holdout: recall@K, NDCG@K,"
          + " coverage, tail coverage and cold-room recall, mean ± 95%% CI over seeds, plus"
          + " paired per-seed differences. Writes <out>/recall-ablation.md."
    })
public final class AblateRecallCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--events",
      required = true,
      split = ",",
      description =
          "Event log directories (docs/DATA.md layout). One per seed (e.g. simulations with"
              + " different seeds), or one shared by all seeds (then seeds vary the training).")
  List<Path> events;

  @Option(
      names = "--seeds",
      split = ",",
      defaultValue = "1,2,3",
      description = "Seeds (default: ${DEFAULT-VALUE}; at least 3 for a confidence interval).")
  List<Long> seeds;

  @Option(
      names = "--methods",
      split = ",",
      defaultValue =
          "popular,content,i2i,item-knn,mf-bpr,vector-i2i,two-tower,two-tower-nologq,"
              + "two-tower-nomm,"
              + "two-tower-noprior",
      description = "Methods to compare (default: ${DEFAULT-VALUE}).")
  List<String> methods;

  @Option(
      names = "--k",
      split = ",",
      defaultValue = "20,50,100,200",
      description = "Cut-offs K (default: ${DEFAULT-VALUE}).")
  List<Integer> ks;

  @Option(
      names = "--index",
      defaultValue = "lucene-hnsw",
      description =
          "ANN index of the vector methods: exact, lucene-hnsw, jvector (default: ${DEFAULT-VALUE}).")
  String index;

  @Option(
      names = "--holdout-days",
      defaultValue = "1",
      description = "Whole days at the end held out (default: ${DEFAULT-VALUE}).")
  int holdoutDays;

  @Option(
      names = "--conversions",
      description = "Ground truth = converted clicks only (default: all clicks).")
  boolean conversionsOnly;

  @Option(
      names = "--conversion-watch-seconds",
      defaultValue = "30",
      description = "Watch seconds that make a click a conversion (default: ${DEFAULT-VALUE}).")
  int conversionWatchSeconds;

  @Option(names = "--two-tower-epochs", description = "Two-tower training epochs (default: 10).")
  Integer ttEpochs;

  @Option(
      names = "--two-tower-batch",
      description = "Two-tower batch size = in-batch negatives (default: 512).")
  Integer ttBatch;

  @Option(names = "--two-tower-lr", description = "Two-tower Adam learning rate (default: 0.003).")
  Double ttLearningRate;

  @Option(
      names = "--two-tower-temperature",
      description = "Two-tower softmax temperature (default: 0.2).")
  Double ttTemperature;

  @Option(
      names = "--two-tower-output-dim",
      description = "Width of the two-tower unit vectors (default: 32).")
  Integer ttOutputDim;

  @Option(
      names = "--two-tower-embedding-dim",
      description = "Two-tower field embedding width (default: 16).")
  Integer ttEmbeddingDim;

  @Option(
      names = "--two-tower-hidden",
      split = ",",
      description = "Two-tower ReLU layers of each tower, e.g. 128 or 256,128 (default: 64).")
  List<Integer> ttHidden;

  @Option(
      names = "--out",
      defaultValue = "liverec-out/ablate-recall",
      description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  /** {@link TwoTowerSettings#DEFAULT} with the flags given on the command line. */
  TwoTowerSettings twoTowerSettings() {
    TwoTowerSettings d = TwoTowerSettings.DEFAULT;
    if (ttOutputDim != null || ttEmbeddingDim != null || ttHidden != null) {
      int out = ttOutputDim != null ? ttOutputDim : d.outputDim();
      int emb = ttEmbeddingDim != null ? ttEmbeddingDim : d.embeddingDim();
      List<Integer> hidden = ttHidden != null ? ttHidden : d.hidden();
      if (out <= 0 || emb <= 0 || hidden.stream().anyMatch(h -> h == null || h <= 0)) {
        throw LiverecException.badInput(
            "--two-tower-output-dim, --two-tower-embedding-dim, --two-tower-hidden: sizes must be"
                + " positive");
      }
      d =
          new TwoTowerSettings(
              d.temperature(),
              out,
              emb,
              hidden,
              d.epochs(),
              d.batchSize(),
              d.learningRate(),
              d.roomPrior());
    }
    return d.withTraining(
            ttEpochs != null ? ttEpochs : d.epochs(),
            ttBatch != null ? ttBatch : d.batchSize(),
            ttLearningRate != null ? ttLearningRate : d.learningRate())
        .withTemperature(ttTemperature != null ? ttTemperature : d.temperature());
  }

  @Override
  public Integer call() {
    PrintWriter w = spec.commandLine().getOut();
    if (events.size() != 1 && events.size() != seeds.size()) {
      throw LiverecException.badInput(
          "--events: give one log, or one per seed (" + seeds.size() + "), not " + events.size());
    }
    List<RecallMethod> ms = new ArrayList<>();
    for (String m : methods) {
      try {
        ms.add(RecallMethod.of(m));
      } catch (IllegalArgumentException e) {
        throw LiverecException.badInput("--methods: " + e.getMessage());
      }
    }
    IndexKind kind;
    try {
      kind = IndexKind.of(index);
    } catch (IllegalArgumentException e) {
      throw LiverecException.badInput("--index: " + e.getMessage());
    }
    int[] k = ks.stream().mapToInt(Integer::intValue).sorted().toArray();
    if (k.length == 0 || k[0] <= 0) {
      throw LiverecException.badInput("--k: cut-offs must be positive");
    }
    AblationSettings settings =
        new AblationSettings(
            ms,
            k,
            kind,
            IndexParams.DEFAULT,
            Item2Vec.DEFAULT,
            holdoutDays,
            conversionsOnly,
            twoTowerSettings());
    AblationReport report = new AblationReport(settings);
    EventLogReader.Loaded shared = null;
    try (ProgressBar pb = new ProgressBar("ablate recall", seeds.size())) {
      for (int i = 0; i < seeds.size(); i++) {
        long seed = seeds.get(i);
        Path log = events.size() == 1 ? events.get(0) : events.get(i);
        EventLogReader.Loaded loaded =
            events.size() == 1 && shared != null
                ? shared
                : EventLogReader.read(
                    log, conversionWatchSeconds, out.resolve("quarantine").resolve("seed-" + seed));
        if (events.size() == 1) {
          shared = loaded;
        }
        HoldoutSplit split =
            HoldoutSplit.lastDays(loaded.data(), holdoutDays, conversionsOnly, loaded.endMs());
        List<RecallEvaluator.MethodResult> results =
            RecallEvaluator.evaluate(split, settings, seed);
        report.add(seed, log + ": " + loaded.summary(), results);
        pb.step();
      }
    }
    String md = report.markdown();
    try {
      Files.createDirectories(out);
      Files.writeString(out.resolve("recall-ablation.md"), md);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out, e);
    }
    w.println(md);
    w.println("report: " + out.resolve("recall-ablation.md"));
    w.flush();
    return ExitCode.OK;
  }
}
