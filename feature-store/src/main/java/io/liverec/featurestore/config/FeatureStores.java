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
 */
public final class FeatureStores {
  public static final String ENV_REGISTRY = "LIVEREC_FEATURE_REGISTRY";

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

  /** The Feast repository of the environment; {@code dir} when LIVEREC_FEAST_REPO is unset. */
  public static FeastRepo feastRepo(Map<String, String> env, Optional<Path> dir) {
    if (!env.containsKey(FeastRepo.ENV_DIR) && dir.isEmpty()) {
      throw LiverecException.badInput(
          "no Feast repository: set " + FeastRepo.ENV_DIR + " or give a registry directory");
    }
    return FeastRepo.fromEnvironment(env, dir.orElse(Path.of(".")));
  }
}
