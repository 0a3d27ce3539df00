package io.liverec.pipelines.tracking;

import io.liverec.registry.MetricPoint;
import io.liverec.registry.MlflowGateway;
import io.liverec.registry.Retry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a training calls to record itself. Everything goes to the local {@link RunJournal} first;
 * when an MLflow tracking URI is configured the run is also streamed live (best effort) and
 * replayed in full when it finishes. If MLflow is unreachable the training carries on, the journal
 * stays marked unsynced, and {@code liverec sync} uploads it later exactly once.
 */
public final class RunTracker implements AutoCloseable {
  private final RunJournal journal;
  private final MlflowGateway mlflow; // null = local only
  private final MlflowSync sync;
  private boolean live;
  private String lastError;

  private RunTracker(RunJournal journal, MlflowGateway mlflow) {
    this.journal = journal;
    this.mlflow = mlflow;
    this.sync = mlflow == null ? null : new MlflowSync(mlflow);
  }

  /**
   * Starts tracking a run whose outputs live in {@code runDir}.
   *
   * @param trackingUri MLflow server, or null to keep records local only
   */
  public static RunTracker start(
      Path runDir,
      String trackingUri,
      Retry retry,
      String experiment,
      String runName,
      Map<String, String> tags,
      Map<String, String> params) {
    RunJournal journal = RunJournal.create(runDir, experiment, runName);
    journal.putTags(tags);
    journal.putParams(params);
    MlflowGateway gateway =
        trackingUri == null || trackingUri.isBlank() ? null : new MlflowGateway(trackingUri, retry);
    RunTracker tracker = new RunTracker(journal, gateway);
    if (gateway != null) {
      try {
        tracker.sync.ensureRun(journal);
        gateway.logBatch(journal.record().sync.mlflowRunId, List.of(), params, Map.of());
        tracker.live = true;
      } catch (RuntimeException e) {
        tracker.wentOffline(e);
      }
    }
    return tracker;
  }

  /** The tracking URI from {@code MLFLOW_TRACKING_URI}, or null. */
  public static String trackingUriFromEnvironment() {
    String uri = System.getenv("MLFLOW_TRACKING_URI");
    return uri == null || uri.isBlank() ? null : uri;
  }

  public RunJournal journal() {
    return journal;
  }

  public void logMetric(String key, double value, long step) {
    MetricPoint p = journal.appendMetric(key, value, step);
    if (live) {
      try {
        mlflow.logBatch(journal.record().sync.mlflowRunId, List.of(p), Map.of(), Map.of());
      } catch (RuntimeException e) {
        wentOffline(e);
      }
    }
  }

  public void logMetrics(Map<String, Double> metrics, long step) {
    metrics.forEach((k, v) -> logMetric(k, v, step));
  }

  public void setTags(Map<String, String> tags) {
    journal.putTags(tags);
  }

  public void logArtifact(Path file, String artifactDir) {
    journal.addArtifact(file, artifactDir);
  }

  /** Asks for a model version in {@code registeredModel}, made from artifacts under {@code dir}. */
  public void requestRegistration(String registeredModel, String modelArtifactDir) {
    journal.requestRegistration(registeredModel, modelArtifactDir);
  }

  /** Ends the run and uploads it; never throws because MLflow is down. */
  public Result finish(String status) {
    journal.finish(status);
    if (mlflow == null) {
      return new Result(false, null, null, null);
    }
    try {
      MlflowSync.Outcome o = sync.sync(journal);
      return new Result(true, o.runId(), o.modelVersion(), null);
    } catch (RuntimeException e) {
      wentOffline(e);
      return new Result(false, journal.record().sync.mlflowRunId, null, lastError);
    }
  }

  /**
   * Records in a finished run's journal that its model version takes {@code alias} (the demo's
   * canary promoted it), then, when a tracking URI is given, replays the journal so the alias moves
   * in MLflow now. Without one, or when MLflow is down, the request waits in the journal for {@code
   * liverec sync}. Never throws because MLflow is down.
   */
  public static Result requestAlias(Path runDir, String trackingUri, Retry retry, String alias) {
    RunJournal journal = RunJournal.open(runDir);
    journal.requestAlias(alias);
    if (trackingUri == null || trackingUri.isBlank()) {
      return new Result(false, journal.record().sync.mlflowRunId, null, null);
    }
    try (MlflowGateway gateway = new MlflowGateway(trackingUri, retry)) {
      MlflowSync.Outcome o = new MlflowSync(gateway).sync(journal);
      return new Result(true, o.runId(), o.modelVersion(), null);
    } catch (RuntimeException e) {
      return new Result(false, journal.record().sync.mlflowRunId, null, Retry.rootMessage(e));
    }
  }

  private void wentOffline(RuntimeException e) {
    live = false;
    lastError = Retry.rootMessage(e);
    journal.updateSync(s -> s.lastError = lastError);
  }

  /**
   * What happened to the run's records.
   *
   * @param synced everything is in MLflow
   * @param error why not, when a server was configured but failed
   */
  public record Result(boolean synced, String mlflowRunId, String modelVersion, String error) {}

  @Override
  public void close() {
    if (mlflow != null) {
      mlflow.close();
    }
  }
}
