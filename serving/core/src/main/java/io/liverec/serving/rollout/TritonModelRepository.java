package io.liverec.serving.rollout;

import io.liverec.api.v1alpha1.ModelVersionSpec;
import io.liverec.serving.repository.ModelRepositoryPublisher;
import io.liverec.serving.repository.ServingOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A Triton model repository on a local path (in a cluster, the volume Triton serves from) as the
 * rollout's {@link ModelRepository}: staging publishes the version's ONNX file atomically with a
 * {@code config.pbtxt} generated from {@code spec.triton} ({@link ModelRepositoryPublisher}).
 *
 * <p>A source is a local {@code file:} URI or absolute path, either an ONNX file or a version
 * directory holding {@code model.onnx} (other plain files in it, such as the feature transform, are
 * copied along). Other sources ({@code models:/…} from the MLflow registry, object stores) go
 * through the {@link SourceResolver} given at construction, which brings them to a local path
 * first.
 */
public final class TritonModelRepository implements ModelRepository {
  private static final Set<String> GENERATED = Set.of("model.onnx", "model.py", "config.pbtxt");

  /** Brings a non-local source to a local file or directory. */
  @FunctionalInterface
  public interface SourceResolver {
    /**
     * @throws IllegalArgumentException naming the field when the source cannot be fetched
     */
    Path resolve(ModelVersionSpec.Source source);

    /** Only local sources; anything else is refused with the field named. */
    SourceResolver LOCAL_ONLY =
        s -> {
          String field = s.mlflow != null ? "spec.source.mlflow" : "spec.source.uri";
          throw new IllegalArgumentException(
              field
                  + ": "
                  + (s.mlflow != null ? s.mlflow : s.uri)
                  + " is not a local path, and this repository has no resolver for it");
        };
  }

  private final ModelRepositoryPublisher publisher;
  private final ServingOptions defaults;
  private final SourceResolver remote;

  /**
   * @param defaults the server-wide options (backend, GPU, warm-up); {@code spec.triton} sets the
   *     batching and instance count of each version on top
   */
  public TritonModelRepository(
      ModelRepositoryPublisher publisher, ServingOptions defaults, SourceResolver remote) {
    this.publisher = publisher;
    this.defaults = defaults;
    this.remote = remote;
  }

  public ModelRepositoryPublisher publisher() {
    return publisher;
  }

  @Override
  public String stage(ModelVersionSpec spec) {
    Path versionDir = publisher.root().resolve(spec.model).resolve(Integer.toString(spec.version));
    if (publisher.versions(spec.model).contains(spec.version)) {
      return versionDir.toString(); // published before (a requeue, an operator restart)
    }
    Path source = local(spec.source);
    Path onnx;
    Map<String, Path> extra = new TreeMap<>();
    if (Files.isDirectory(source)) {
      onnx = source.resolve("model.onnx");
      if (!Files.isRegularFile(onnx)) {
        throw new IllegalArgumentException(
            field(spec.source) + ": " + source + " holds no model.onnx");
      }
      extra.putAll(plainFiles(source));
    } else if (Files.isRegularFile(source)) {
      onnx = source;
    } else {
      throw new IllegalArgumentException(field(spec.source) + ": " + source + " does not exist");
    }
    ModelVersionSpec.Triton t = spec.triton == null ? new ModelVersionSpec.Triton() : spec.triton;
    ServingOptions options =
        defaults
            .withBatching(
                t.maxBatchSize == null ? defaults.maxBatchSize() : t.maxBatchSize,
                t.dynamicBatching == null || t.dynamicBatching)
            .withInstances(
                t.instances == null ? defaults.instanceCount() : t.instances, defaults.gpu());
    return publisher
        .publish(spec.model, spec.version, onnx, extra, options)
        .versionDir()
        .toString();
  }

  @Override
  public void remove(String model, int version) {
    publisher.remove(model, version);
  }

  private Path local(ModelVersionSpec.Source source) {
    String uri = source.uri;
    if (uri != null && uri.startsWith("file:")) {
      return Path.of(URI.create(uri));
    }
    if (uri != null && uri.startsWith("/")) {
      return Path.of(uri);
    }
    return remote.resolve(source);
  }

  private static String field(ModelVersionSpec.Source source) {
    return source.uri != null ? "spec.source.uri" : "spec.source.mlflow";
  }

  private static Map<String, Path> plainFiles(Path dir) {
    Map<String, Path> out = new TreeMap<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, Files::isRegularFile)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (!name.startsWith(".") && !GENERATED.contains(name)) {
          out.put(name, p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    return out;
  }
}
