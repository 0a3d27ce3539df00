package io.liverec.pipelines.tracking;

import io.liverec.api.run.RegistryAliases;
import io.liverec.registry.MetricPoint;
import io.liverec.registry.MlflowGateway;
import io.liverec.registry.MlflowRegistryAliases;
import io.liverec.registry.Retry;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mlflow.api.proto.Service.RunInfo;

/**
 * Replays a {@link RunJournal} into MLflow. Every step is idempotent, so running it again after a
 * failure (or after a successful run) never creates a second run or model version:
 *
 * <ul>
 *   <li>the run is found again by its {@value #JOURNAL_TAG} tag before one is created, and its id
 *       is written to the journal the moment it exists;
 *   <li>params and tags are set to the same values; metric points carry their original timestamps,
 *       and the server keeps one row per identical point;
 *   <li>artifacts are uploaded to the same paths (overwrite);
 *   <li>a model version is looked up by run id before one is created;
 *   <li>aliases the journal requests (e.g. {@code champion}) are set to the same version.
 * </ul>
 */
public final class MlflowSync {
  /** Tag carrying the journal id on the MLflow run. */
  public static final String JOURNAL_TAG = "liverec.journal_id";

  /** Alias set on every new version that passed its gates. */
  public static final String CHALLENGER = "challenger";

  private final MlflowGateway mlflow;

  public MlflowSync(MlflowGateway mlflow) {
    this.mlflow = mlflow;
  }

  /** Result of one replay. */
  public record Outcome(String runId, String modelVersion, boolean complete) {}

  /** Makes sure the run exists in MLflow and returns its id (creating it at most once). */
  public String ensureRun(RunJournal journal) {
    RunJournal.Record r = journal.record();
    if (r.sync.mlflowRunId != null) {
      return r.sync.mlflowRunId;
    }
    String experimentId = mlflow.ensureExperiment(r.experiment);
    Optional<RunInfo> existing = mlflow.findRunByTag(experimentId, JOURNAL_TAG, r.journalId);
    Map<String, String> tags = new LinkedHashMap<>(r.tags);
    tags.put(JOURNAL_TAG, r.journalId);
    RunInfo info =
        existing.orElseGet(() -> mlflow.createRun(experimentId, r.runName, r.startTime, tags));
    journal.updateSync(
        s -> {
          s.experimentId = experimentId;
          s.mlflowRunId = info.getRunId();
          s.artifactUri = info.getArtifactUri();
        });
    return info.getRunId();
  }

  /** Uploads everything the journal holds; registers the model version if requested. */
  public Outcome sync(RunJournal journal) {
    journal.updateSync(
        s -> {
          s.attempts++;
          s.lastAttempt = System.currentTimeMillis();
        });
    try {
      String runId = ensureRun(journal);
      RunJournal.Record r = journal.record();
      Map<String, String> tags = new LinkedHashMap<>(r.tags);
      tags.put(JOURNAL_TAG, r.journalId);
      List<MetricPoint> metrics = journal.metrics();
      mlflow.logBatch(runId, metrics, r.params, tags);
      for (RunJournal.Artifact a : r.artifacts) {
        mlflow.uploadArtifact(r.sync.artifactUri, a.artifactDir, journal.runDir().resolve(a.file));
      }
      boolean finished = !"RUNNING".equals(r.status);
      if (finished) {
        mlflow.setTerminated(runId, r.status, r.endTime == null ? r.startTime : r.endTime);
      }
      String version = r.sync.modelVersion;
      if (finished && r.registeredModel != null && version == null) {
        version = register(journal, runId);
      }
      if (version != null) {
        applyAliases(r, version);
      }
      String v = version;
      journal.updateSync(
          s -> {
            s.modelVersion = v;
            s.complete = finished;
            s.lastError = null;
          });
      return new Outcome(runId, version, finished);
    } catch (RuntimeException e) {
      journal.updateSync(s -> s.lastError = Retry.rootMessage(e));
      throw e;
    }
  }

  private String register(RunJournal journal, String runId) {
    RunJournal.Record r = journal.record();
    mlflow.ensureRegisteredModel(r.registeredModel);
    String version =
        mlflow
            .findVersionByRun(r.registeredModel, runId)
            .orElseGet(
                () -> {
                  String source =
                      r.sync.artifactUri
                          + (r.modelArtifactDir == null || r.modelArtifactDir.isEmpty()
                              ? ""
                              : "/" + r.modelArtifactDir);
                  Map<String, String> lineage = new LinkedHashMap<>();
                  lineage.put(JOURNAL_TAG, r.journalId);
                  for (String key :
                      List.of(
                          "liverec.spec_hash",
                          "liverec.git_commit",
                          "liverec.data_window",
                          "liverec.trainingrun")) {
                    if (r.tags.containsKey(key)) {
                      lineage.put(key, r.tags.get(key));
                    }
                  }
                  return mlflow.createModelVersion(r.registeredModel, source, runId, lineage);
                });
    journal.updateSync(s -> s.modelVersion = version);
    mlflow.setAlias(r.registeredModel, CHALLENGER, version);
    return version;
  }

  /**
   * Gives the version the aliases the journal asks for; {@code champion} moves the way a rollout
   * moves it (the previous holder is remembered for a rollback). Idempotent.
   */
  private void applyAliases(RunJournal.Record r, String version) {
    for (String alias : r.aliases) {
      if (RegistryAliases.CHAMPION.equals(alias)) {
        new MlflowRegistryAliases(mlflow).promoted(r.registeredModel, Integer.parseInt(version));
      } else {
        mlflow.setAlias(r.registeredModel, alias, version);
      }
    }
  }

  /** Syncs every incomplete journal under {@code root}; returns outcomes by run directory. */
  public Map<Path, Object> syncAll(Path root) {
    Map<Path, Object> results = new LinkedHashMap<>();
    for (Path dir : RunJournal.findRunDirs(root)) {
      RunJournal j = RunJournal.open(dir);
      if (j.record().sync.complete) {
        continue;
      }
      try {
        results.put(dir, sync(j));
      } catch (RuntimeException e) {
        results.put(dir, e);
      }
    }
    return results;
  }
}
