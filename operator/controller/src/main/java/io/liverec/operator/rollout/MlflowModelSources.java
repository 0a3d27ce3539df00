package io.liverec.operator.rollout;

import io.liverec.api.v1alpha1.ModelVersionSpec;
import io.liverec.registry.MlflowGateway;
import io.liverec.registry.Retry;
import io.liverec.serving.rollout.TritonModelRepository.SourceResolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mlflow.tracking.MlflowHttpException;

/**
 * Brings a ModelVersion's {@code spec.source.mlflow} ({@code models:/name/version}) from the MLflow
 * model registry to a local directory, so it can be published into Triton's repository. The
 * registered version's {@code source} is the run's model artifact directory (see {@code
 * MlflowSync}); its {@code model.onnx} is downloaded once per version and kept in the cache.
 *
 * <p>A version the registry does not have is the user's error and is refused naming the field; an
 * unreachable registry is not (the gateway's retries run out, the exception reaches the reconciler,
 * which retries with backoff).
 */
public final class MlflowModelSources implements SourceResolver {
  private static final Pattern MODELS_URI = Pattern.compile("models:/([^/@]+)/(\\d+)");

  private final MlflowGateway mlflow;
  private final Path cache;

  public MlflowModelSources(MlflowGateway mlflow, Path cache) {
    this.mlflow = mlflow;
    this.cache = cache;
  }

  @Override
  public Path resolve(ModelVersionSpec.Source source) {
    if (source.mlflow == null) {
      return SourceResolver.LOCAL_ONLY.resolve(source);
    }
    Matcher m = MODELS_URI.matcher(source.mlflow);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "spec.source.mlflow: " + source.mlflow + " is not of the form models:/<name>/<version>");
    }
    String name = m.group(1);
    String version = m.group(2);
    Path dir = cache.resolve(name).resolve(version);
    Path onnx = dir.resolve("model.onnx");
    if (Files.isRegularFile(onnx)) {
      return dir;
    }
    MlflowGateway.VersionInfo info;
    try {
      info = mlflow.getVersion(name, version);
    } catch (MlflowHttpException e) {
      if (e.getStatusCode() / 100 == 4) {
        throw new IllegalArgumentException(
            "spec.source.mlflow: the MLflow registry has no " + source.mlflow, e);
      }
      throw e;
    }
    Path partial = dir.resolve("model.onnx.partial");
    try {
      mlflow.downloadArtifact(info.source(), "model.onnx", partial);
    } catch (Retry.HttpStatusException e) {
      if (e.status() / 100 == 4) {
        throw new IllegalArgumentException(
            "spec.source.mlflow: "
                + source.mlflow
                + " has no model.onnx under its source "
                + info.source(),
            e);
      }
      throw e;
    }
    try {
      Files.move(partial, onnx, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return dir;
  }
}
