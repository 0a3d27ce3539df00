package io.liverec.featurestore.feast;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.liverec.api.errors.LiverecException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A Feast repository directory as LiveRec writes it: {@code registry.db} (the registry proto) and
 * {@code feature_store.yaml} (project, file registry, online store, DuckDB offline store,
 * entity-key serialization version 3), so that the {@code feast} CLI and {@code
 * FeatureStore(repo_path=…)} read it as their own.
 */
public record FeastRepo(Path dir, String project, OnlineStoreConfig online) {
  public static final String ENV_DIR = "LIVEREC_FEAST_REPO";
  public static final String ENV_PROJECT = "LIVEREC_FEAST_PROJECT";
  public static final String ENV_ONLINE = "LIVEREC_FEAST_ONLINE_STORE";
  public static final String DEFAULT_PROJECT = "liverec";

  /** Feast project names: letters, digits and underscores. */
  private static final Pattern PROJECT = Pattern.compile("^[A-Za-z0-9_]+$");

  /** How long Feast Python caches the registry before it re-reads the file. */
  static final int CACHE_TTL_SECONDS = 5;

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

  public FeastRepo {
    dir = dir.toAbsolutePath();
    if (project == null || !PROJECT.matcher(project).matches()) {
      throw LiverecException.badInput(
          "Feast project '" + project + "': use letters, digits and underscores only");
    }
  }

  /** The repository of the environment ({@link #ENV_DIR}, …), else {@code defaultDir}. */
  public static FeastRepo fromEnvironment(Map<String, String> env, Path defaultDir) {
    Path dir = Path.of(env.getOrDefault(ENV_DIR, defaultDir.toString()));
    return new FeastRepo(
        dir,
        env.getOrDefault(ENV_PROJECT, DEFAULT_PROJECT),
        OnlineStoreConfig.parse(env.get(ENV_ONLINE), dir));
  }

  public Path registryPath() {
    return dir.resolve("registry.db");
  }

  /**
   * Reads the {@code feature_store.yaml} of a repository (one LiveRec wrote or one {@code feast
   * apply} uses): project, file registry path (relative to the repository), online store. Only a
   * file registry and the sqlite and redis online stores are supported.
   */
  public static Loaded load(Path dir) {
    Path yaml = dir.resolve("feature_store.yaml");
    Map<?, ?> y;
    try {
      y = YAML.readValue(yaml.toFile(), Map.class);
    } catch (IOException e) {
      throw LiverecException.badInput("cannot read " + yaml + ": " + e.getMessage());
    }
    String project = String.valueOf(y.get("project"));
    Object reg = y.get("registry");
    String regPath =
        reg instanceof Map<?, ?> m ? String.valueOf(m.get("path")) : String.valueOf(reg);
    Path registry =
        dir.resolve(regPath == null || regPath.equals("null") ? "registry.db" : regPath);
    Object os = y.get("online_store");
    OnlineStoreConfig online;
    if (os instanceof Map<?, ?> m && "redis".equals(m.get("type"))) {
      online =
          OnlineStoreConfig.parse(
              "redis://" + String.valueOf(m.get("connection_string")).split(",")[0], dir);
    } else if (os instanceof Map<?, ?> m && m.get("path") != null) {
      online = new OnlineStoreConfig.Sqlite(dir.resolve(String.valueOf(m.get("path"))));
    } else {
      online = OnlineStoreConfig.parse("sqlite", dir);
    }
    return new Loaded(new FeastRepo(dir, project, online), registry.toAbsolutePath());
  }

  /** A repository read from its {@code feature_store.yaml}, with the registry file it names. */
  public record Loaded(FeastRepo repo, Path registry) {}

  public Path configPath() {
    return dir.resolve("feature_store.yaml");
  }

  /** The content of {@code feature_store.yaml}. */
  public String featureStoreYaml() {
    Map<String, Object> y = new LinkedHashMap<>();
    y.put("project", project);
    y.put("provider", "local");
    Map<String, Object> registry = new LinkedHashMap<>();
    registry.put("registry_type", "file");
    registry.put("path", registryPath().toString());
    registry.put("cache_ttl_seconds", CACHE_TTL_SECONDS);
    y.put("registry", registry);
    Map<String, Object> onlineStore = new LinkedHashMap<>();
    if (online instanceof OnlineStoreConfig.Sqlite s) {
      onlineStore.put("type", "sqlite");
      onlineStore.put("path", s.path().toString());
    } else if (online instanceof OnlineStoreConfig.Redis r) {
      onlineStore.put("type", "redis");
      onlineStore.put("connection_string", r.connectionString());
    }
    y.put("online_store", onlineStore);
    y.put("offline_store", Map.of("type", "duckdb"));
    y.put("entity_key_serialization_version", 3);
    try {
      return YAML.writeValueAsString(y);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code feature_store.yaml} (atomically) when its content differs. */
  public void writeConfig() {
    String want = featureStoreYaml();
    try {
      Files.createDirectories(dir);
      Path f = configPath();
      if (Files.exists(f) && Files.readString(f, StandardCharsets.UTF_8).equals(want)) {
        return;
      }
      AtomicFiles.write(f, want.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + configPath(), e);
    }
  }
}
