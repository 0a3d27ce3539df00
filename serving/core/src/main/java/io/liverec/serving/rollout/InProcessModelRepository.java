package io.liverec.serving.rollout;

import io.liverec.api.v1alpha1.ModelVersionSpec;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded repository: records where each version comes from. A {@code file:} or path source
 * must exist; an MLflow source is recorded as is (downloading it arrives with the MLflow export).
 */
public final class InProcessModelRepository implements ModelRepository {
  private final Map<String, String> staged = new ConcurrentHashMap<>();

  @Override
  public String stage(ModelVersionSpec spec) {
    ModelVersionSpec.Source source = spec.source;
    String location;
    if (source.uri != null) {
      Path path =
          source.uri.startsWith("file:") ? Path.of(URI.create(source.uri)) : Path.of(source.uri);
      if (source.uri.startsWith("file:") || source.uri.startsWith("/")) {
        if (!Files.exists(path)) {
          throw new IllegalArgumentException("spec.source.uri: " + source.uri + " does not exist");
        }
      }
      location = source.uri;
    } else {
      location = source.mlflow;
    }
    staged.put(spec.model + "/" + spec.version, location);
    return location;
  }

  @Override
  public void remove(String model, int version) {
    staged.remove(model + "/" + version);
  }

  public boolean isStaged(String model, int version) {
    return staged.containsKey(model + "/" + version);
  }
}
