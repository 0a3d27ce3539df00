package io.liverec.pipelines.tracking;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.liverec.registry.MetricPoint;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The local, durable record of one run, written before anything is sent to MLflow. It is the source
 * of truth: MLflow is an idempotent replay of it (see {@link MlflowSync}), so a run whose server
 * was down is never lost and is uploaded exactly once later.
 *
 * <p>Layout under {@code <runDir>/tracking/}: {@code run.json} (identity, params, tags, artifact
 * list, registration request and requested aliases, sync state) and {@code metrics.jsonl} (one
 * metric point a line, with the timestamp it was recorded at, so a replay sends identical points).
 */
public final class RunJournal {
  public static final String DIR = "tracking";
  static final String RUN_FILE = "run.json";
  static final String METRICS_FILE = "metrics.jsonl";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final ObjectMapper LINES = new ObjectMapper();

  private final Path runDir;
  private final Path dir;
  private final Record record;

  private RunJournal(Path runDir, Record record) {
    this.runDir = runDir;
    this.dir = runDir.resolve(DIR);
    this.record = record;
  }

  /** Starts a new journal in {@code runDir}. */
  public static RunJournal create(Path runDir, String experiment, String runName) {
    Record r = new Record();
    r.journalId = UUID.randomUUID().toString();
    r.experiment = experiment;
    r.runName = runName;
    r.startTime = System.currentTimeMillis();
    r.status = "RUNNING";
    RunJournal journal = new RunJournal(runDir, r);
    try {
      Files.createDirectories(journal.dir);
      Files.createFile(journal.dir.resolve(METRICS_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    journal.save();
    return journal;
  }

  /** Opens the journal of an existing run directory. */
  public static RunJournal open(Path runDir) {
    Path file = runDir.resolve(DIR).resolve(RUN_FILE);
    try {
      return new RunJournal(runDir, JSON.readValue(file.toFile(), Record.class));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read run journal " + file, e);
    }
  }

  /** Every run directory below {@code root} (any depth up to 4) that has a journal. */
  public static List<Path> findRunDirs(Path root) {
    if (Files.exists(root.resolve(DIR).resolve(RUN_FILE))) {
      return List.of(root);
    }
    try (Stream<Path> files = Files.walk(root, 5)) {
      return files
          .filter(p -> p.getFileName().toString().equals(RUN_FILE))
          .filter(p -> p.getParent().getFileName().toString().equals(DIR))
          .map(p -> p.getParent().getParent())
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path runDir() {
    return runDir;
  }

  public synchronized Record record() {
    return record;
  }

  public synchronized void putParams(Map<String, String> params) {
    record.params.putAll(params);
    save();
  }

  public synchronized void putTags(Map<String, String> tags) {
    record.tags.putAll(tags);
    save();
  }

  /** Appends a metric point and returns it (with the timestamp used). */
  public synchronized MetricPoint appendMetric(String key, double value, long step) {
    MetricPoint p = new MetricPoint(key, value, System.currentTimeMillis(), step);
    try (BufferedWriter w =
        Files.newBufferedWriter(
            dir.resolve(METRICS_FILE), StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
      w.write(LINES.writeValueAsString(p));
      w.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  public synchronized List<MetricPoint> metrics() {
    try (Stream<String> lines = Files.lines(dir.resolve(METRICS_FILE))) {
      return lines
          .filter(l -> !l.isBlank())
          .map(
              l -> {
                try {
                  return LINES.readValue(l, MetricPoint.class);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              })
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Records a file of the run directory to upload as an artifact under {@code artifactDir}. */
  public synchronized void addArtifact(Path file, String artifactDir) {
    Path rel = runDir.toAbsolutePath().relativize(file.toAbsolutePath());
    if (rel.startsWith("..")) {
      throw new IllegalArgumentException("artifact " + file + " is outside the run directory");
    }
    Artifact a = new Artifact();
    a.file = rel.toString();
    a.artifactDir = artifactDir == null ? "" : artifactDir;
    record.artifacts.removeIf(x -> x.file.equals(a.file) && x.artifactDir.equals(a.artifactDir));
    record.artifacts.add(a);
    save();
  }

  public synchronized void requestRegistration(String registeredModel, String modelArtifactDir) {
    record.registeredModel = registeredModel;
    record.modelArtifactDir = modelArtifactDir;
    save();
  }

  /**
   * Asks for {@code alias} on this run's model version (e.g. {@code champion} once its canary
   * promoted it). Replayed by {@link MlflowSync} once the version exists, so it works the same when
   * the version is registered later by {@code liverec sync}.
   */
  public synchronized void requestAlias(String alias) {
    if (record.registeredModel == null) {
      throw new IllegalStateException(
          "run " + record.runName + " requested no registration; no version can take " + alias);
    }
    if (!record.aliases.contains(alias)) {
      record.aliases.add(alias);
    }
    record.sync.complete = false;
    save();
  }

  public synchronized void finish(String status) {
    record.status = status;
    record.endTime = System.currentTimeMillis();
    save();
  }

  /** Applies a change to the sync state and persists it at once. */
  public synchronized void updateSync(java.util.function.Consumer<SyncState> change) {
    change.accept(record.sync);
    save();
  }

  public synchronized void save() {
    Path tmp = dir.resolve(RUN_FILE + ".tmp");
    try {
      JSON.writeValue(tmp.toFile(), record);
      Files.move(
          tmp,
          dir.resolve(RUN_FILE),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The persisted part of the journal ({@code run.json}). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class Record {
    /** Unique id of this run; tagged on the MLflow run so a replay finds it again. */
    public String journalId;

    public String experiment;
    public String runName;
    public long startTime;
    public Long endTime;

    /** RUNNING, FINISHED, FAILED or KILLED (MLflow's run states). */
    public String status;

    public Map<String, String> params = new LinkedHashMap<>();
    public Map<String, String> tags = new LinkedHashMap<>();
    public List<Artifact> artifacts = new ArrayList<>();

    /** Registered model to create a version in, once the run passed its gates; null = none. */
    public String registeredModel;

    /** Artifact directory holding the model (the version's source). */
    public String modelArtifactDir;

    /** Aliases the version should take beyond {@code challenger} (see {@link #requestAlias}). */
    public List<String> aliases = new ArrayList<>();

    public SyncState sync = new SyncState();
  }

  /** A file of the run directory and where it goes among the MLflow run's artifacts. */
  public static final class Artifact {
    public String file;
    public String artifactDir = "";
  }

  /** What MLflow already has of this run. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static final class SyncState {
    public String experimentId;
    public String mlflowRunId;
    public String artifactUri;
    public String modelVersion;

    /** True once everything in the journal (as finished) is in MLflow. */
    public boolean complete;

    public int attempts;
    public String lastError;
    public Long lastAttempt;
  }
}
