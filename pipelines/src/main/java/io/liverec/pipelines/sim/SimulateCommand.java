package io.liverec.pipelines.sim;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code liverec simulate}: writes a simulated live-streaming event log (docs/DATA.md). */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Simulate a live-streaming event log with planted structure (Parquet, partitioned by day).",
      "Layout and the planted effects: docs/DATA.md."
    })
public final class SimulateCommand implements Callable<Integer> {

  @Option(
      names = "--users",
      defaultValue = "2000",
      description = "Users (default: ${DEFAULT-VALUE}).")
  int users;

  @Option(
      names = "--rooms",
      defaultValue = "300",
      description = "Rooms (default: ${DEFAULT-VALUE}).")
  int rooms;

  @Option(names = "--days", defaultValue = "3", description = "Days (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(
      names = "--seed",
      defaultValue = "7",
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--out",
      defaultValue = "liverec-out/events",
      description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--start",
      defaultValue = "2026-01-01",
      description = "First day, yyyy-MM-dd (default: ${DEFAULT-VALUE}).")
  LocalDate start;

  @Option(
      names = "--requests-per-user",
      defaultValue = "20",
      description = "Mean requests per user per day (default: ${DEFAULT-VALUE}).")
  double requestsPerUser;

  @Option(
      names = "--cold-room-fraction",
      description =
          "Fraction of rooms that first go live on the last day (cold rooms; default: the"
              + " simulator's, 0.05). Larger values make cold-room recall measurable.")
  Double coldRoomFraction;

  @Option(
      names = "--disable",
      split = ",",
      paramLabel = "EFFECT",
      description =
          "Planted effects to turn off (ablations): position, taste, pairwise, third-order,"
              + " multimodal, recency, popularity, conflict.")
  List<String> disable = new ArrayList<>();

  @Option(
      names = "--sim",
      paramLabel = "NAME=VALUE",
      description =
          "Set any simulator field (repeatable), e.g. --sim policyNoise=3 --sim tasteStrength=1.5;"
              + " fields and defaults: docs/DATA.md. Applied after the options above.")
  List<String> sim = new ArrayList<>();

  @Override
  public Integer call() {
    SimulatorConfig cfg = new SimulatorConfig();
    cfg.users = users;
    cfg.rooms = rooms;
    cfg.days = days;
    cfg.seed = seed;
    cfg.startDay = start;
    cfg.requestsPerUserPerDay = requestsPerUser;
    if (coldRoomFraction != null) {
      if (coldRoomFraction < 0 || coldRoomFraction > 1) {
        throw new picocli.CommandLine.ParameterException(
            new picocli.CommandLine(this), "--cold-room-fraction must be in [0, 1]");
      }
      cfg.coldRoomFraction = coldRoomFraction;
    }
    for (String e : disable) {
      switch (e.trim()) {
        case "position" -> cfg.positionBias = false;
        case "taste" -> cfg.taste = false;
        case "pairwise" -> cfg.pairwise = false;
        case "third-order" -> cfg.thirdOrder = false;
        case "multimodal" -> cfg.multimodal = false;
        case "recency" -> cfg.recency = false;
        case "popularity" -> cfg.popularity = false;
        case "conflict" -> cfg.conflict = false;
        default ->
            throw new picocli.CommandLine.ParameterException(
                new picocli.CommandLine(this), "unknown effect '" + e + "' for --disable");
      }
    }
    cfg = SimOverrides.apply(cfg, sim);
    long expected = Math.round(cfg.users * cfg.requestsPerUserPerDay * cfg.days * 7.6);
    SimulationReport report;
    try (ProgressBar pb =
        new ProgressBarBuilder()
            .setTaskName("simulate")
            .setInitialMax(expected)
            .setStyle(ProgressBarStyle.ASCII)
            .setUnit(" imp", 1)
            .build()) {
      report = new Simulator(cfg).run(out, pb::stepBy);
      pb.maxHint(report.impressions());
    }
    System.out.println(report.toMarkdown());
    System.out.println("event log: " + out.toAbsolutePath());
    // the embedded runs' one registry (liverec-out/feast beside liverec-out/events by default)
    var registry =
        io.liverec.pipelines.featureviews.TrainingFeatureViews.registerDeclared(
            System.getenv(), out);
    System.out.println(
        "feature views registered in "
            + io.liverec.featurestore.config.FeatureStores.describe(registry));
    return 0;
  }
}
