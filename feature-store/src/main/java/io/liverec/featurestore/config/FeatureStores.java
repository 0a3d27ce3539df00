package io.liverec.featurestore.config;

import io.liverec.api.errors.LiverecException;
import io.liverec.featurestore.FeatureRegistry;
import io.liverec.featurestore.InMemoryFeatureRegistry;
import io.liverec.featurestore.LocalFileFeatureRegistry;
import io.liverec.featurestore.feast.FeastFeatureRegistry;
import io.liverec.featurestore.feast.FeastRepo;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses the {@link FeatureRegistry} from configuration, so callers (the operator, {@code liverec
 * run}) wire it in one line: {@code LIVEREC_FEATURE_REGISTRY} = {@code memory}, {@code file} (JSON
 * files in the registry directory) or {@code feast} (a Feast repository: {@code registry.db} +
 * {@code feature_store.yaml} in {@code LIVEREC_FEAST_REPO}, else the registry directory; project
 * {@code LIVEREC_FEAST_PROJECT}; online store {@code LIVEREC_FEAST_ONLINE_STORE}). Without the
 * variable: {@code file} when a directory is given, else {@code memory}.
 *
 * <p>Processes that only read the registry a deployment configured (the trainer resolving {@code
 * spec.data.featureViews}) use {@link #configured}: the registry the environment names, with the
 * directory of a file registry in {@code LIVEREC_FEATURE_REGISTRY_DIR}.
 */
public final class FeatureStores {
  public static final String ENV_REGISTRY = "LIVEREC_FEATURE_REGISTRY";
  public static final String ENV_REGISTRY_DIR = "LIVEREC_FEATURE_REGISTRY_DIR";

  /**
   * The embedded runs' one registry: the Feast repository {@code feast/} beside the event log in
   * the output directory ({@code liverec-out/feast} with the defaults), where {@code liverec
   * simulate} registers the views it declares, {@code liverec run -f featureview.yaml} registers,
   * {@code liverec materialize} records intervals, training resolves {@code spec.data.featureViews}
   * and the feature server serves from, when no registry is configured.
   */
  public static final String EMBEDDED_REPO = "liverec-out/feast";

  /**
   * The embedded repository for an event log (or a samples directory): {@code feast/} beside it.
   */
  public static Path embeddedRepo(Path eventLog) {
    Path parent = eventLog.toAbsolutePath().normalize().getParent();
    return (parent == null ? eventLog.toAbsolutePath() : parent).resolve("feast");
  }

  private FeatureStores() {}

  public static FeatureRegistry registry(Map<String, String> env, Optional<Path> dir) {
    String kind = env.getOrDefault(ENV_REGISTRY, dir.isPresent() ? "file" : "memory");
    return switch (kind) {
      case "memory" -> new InMemoryFeatureRegistry();
      case "file" ->
          new LocalFileFeatureRegistry(
              dir.orElseThrow(
                  () ->
                      LiverecException.badInput(
                          ENV_REGISTRY + "=file needs a registry directory")));
      case "feast" -> new FeastFeatureRegistry(feastRepo(env, dir));
      default ->
          throw LiverecException.badInput(
              ENV_REGISTRY + "='" + kind + "': expected memory, file or feast");
    };
  }

  /**
   * The registry the environment configures: {@code LIVEREC_FEATURE_REGISTRY} set (its directory,
   * for {@code file}, in {@code LIVEREC_FEATURE_REGISTRY_DIR}), or {@code LIVEREC_FEAST_REPO} set
   * (a Feast registry); empty when neither is, so the caller chooses its embedded default.
   */
  public static Optional<FeatureRegistry> configured(Map<String, String> env) {
    Optional<Path> dir = Optional.ofNullable(env.get(ENV_REGISTRY_DIR)).map(Path::of);
    if (env.containsKey(ENV_REGISTRY)) {
      return Optional.of(registry(env, dir));
    }
    if (env.containsKey(FeastRepo.ENV_DIR)) {
      return Optional.of(new FeastFeatureRegistry(feastRepo(env, dir)));
    }
    return Optional.empty();
  }

  /** A line saying which registry {@code r} is, for messages. */
  public static String describe(FeatureRegistry r) {
    if (r instanceof FeastFeatureRegistry f) {
      return "the Feast registry " + f.repo().registryPath();
    }
    if (r instanceof LocalFileFeatureRegistry f) {
      return "the file registry " + f.directory();
    }
    return "the in-memory registry";
  }

  /** The Feast repository of the environment; {@code dir} when LIVEREC_FEAST_REPO is unset. */
  public static FeastRepo feastRepo(Map<String, String> env, Optional<Path> dir) {
    if (!env.containsKey(FeastRepo.ENV_DIR) && dir.isEmpty()) {
      throw LiverecException.badInput(
          "no Feast repository: set " + FeastRepo.ENV_DIR + " or give a registry directory");
    }
    return FeastRepo.fromEnvironment(env, dir.orElse(Path.of(".")));
  }
}
