package io.liverec.pipelines.train;

import io.liverec.pipelines.sim.SimOverrides;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code liverec ablate ranking}: the ranking ladder over seeds on one simulated log. */
@Command(
    name = "ranking",
    mixinStandardHelpOptions = true,
    description = {
      "DeepFM, DeepNFM, DeepKFM, +Cross, +AutoInt, BitInt vs AutoInt; ESMM, +GradNorm, +FM,"
          + " +MMoE, +CGC, +PCGrad on the same simulated samples, mean ± 95%% CI over seeds"
          + " (ctr / cvr / ctcvr AUC, GAUC). Writes <out>/ablation-ranking.md."
    })
public final class AblateRankingCommand implements Callable<Integer> {

  @Option(names = "--quick", description = "small data, 2 epochs: a few minutes")
  boolean quick;

  @Option(
      names = "--seeds",
      split = ",",
      description = "training seeds (default 1..5; --quick 1,2,3)")
  List<Long> seeds;

  @Option(names = "--only", split = ",", description = "run only these rows (names as printed)")
  List<String> only;

  @Option(names = "--epochs", description = "override the epochs")
  Integer epochs;

  @Option(names = "--lr", description = "override the learning rate")
  Double learningRate;

  @Option(names = "--batch-size", description = "override the batch size")
  Integer batchSize;

  @Option(names = "--embedding", description = "override the embedding width")
  Integer embedding;

  @Option(names = "--patience", description = "override the early-stopping patience (0 = none)")
  Integer patience;

  @Option(
      names = "--drop-features",
      split = ",",
      paramLabel = "NAME",
      description =
          "leave these features of the default column spec out of every row, e.g."
              + " --drop-features room_id,host_id (what ids would memorise per room must then be"
              + " read from the room's content and fields)")
  List<String> dropFeatures;

  @Option(
      names = "--validation-days",
      paramLabel = "N",
      description =
          "early-stop on the last N whole training days instead of the latest tenth of the"
              + " training rows (data.validationDays of a TrainingRun)")
  Integer validationDays;

  @Option(
      names = "--sim",
      paramLabel = "NAME=VALUE",
      description =
          "override a SimulatorConfig field of the preset, e.g. --sim thirdOrder=false"
              + " (repeatable; docs/DATA.md lists the planted effects)")
  List<String> sim = new ArrayList<>();

  @Option(
      names = "--out",
      defaultValue = "liverec-out/ablate-ranking",
      description = "working directory (default: ${DEFAULT-VALUE})")
  Path out;

  @Override
  public Integer call() throws Exception {
    RankingAblation.Settings s =
        quick ? RankingAblation.Settings.quick() : RankingAblation.Settings.full();
    s =
        new RankingAblation.Settings(
            s.sim(),
            seeds == null ? s.seeds() : seeds,
            epochs == null ? s.epochs() : epochs,
            batchSize == null ? s.batchSize() : batchSize,
            learningRate == null ? s.learningRate() : learningRate,
            embedding == null ? s.embeddingDim() : embedding,
            patience == null ? s.patience() : patience,
            only == null ? List.of() : new ArrayList<>(only));
    s = s.withSim(SimOverrides.apply(s.sim(), sim));
    if (dropFeatures != null) {
      try {
        s = s.withDropped(dropFeatures);
      } catch (IllegalArgumentException e) {
        throw io.liverec.api.errors.LiverecException.badInput("--drop-features: " + e.getMessage());
      }
    }
    if (validationDays != null) {
      if (validationDays < 0) {
        throw io.liverec.api.errors.LiverecException.badInput(
            "--validation-days must be ≥ 0, got " + validationDays);
      }
      s = s.withValidationDays(validationDays);
    }
    if (s.seeds().size() < 2) {
      throw io.liverec.api.errors.LiverecException.badInput(
          "--seeds: a confidence interval needs at least 2 seeds (3 or more recommended)");
    }
    Path dir = out.resolve(quick ? "quick" : "full");
    RankingAblation.Result r = RankingAblation.run(s, dir, System.err);
    String md = RankingAblation.markdown(r, s);
    Path report = dir.resolve("ablation-ranking.md");
    Files.writeString(report, md);
    System.out.println(md);
    System.out.println("took " + r.took().toSeconds() + " s; report: " + report.toAbsolutePath());
    return 0;
  }
}
