package io.liverec.gateway;

import io.liverec.pipelines.features.TransformSpec;
import io.liverec.serving.inference.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ranker inputs per version from the model repository: a version directory that ships its own
 * {@code transform.json} ({@code <repository>/<model>/<version>/transform.json}) is encoded with
 * it, so two arms trained on different data each see the encoding they were trained with; a version
 * without one uses the default.
 */
public final class VersionedRankerInputs implements RankerInputs {
  private final Path repository;
  private final RankerInputs fallback;
  private final Map<ModelRef, RankerInputs> byVersion = new ConcurrentHashMap<>();

  public VersionedRankerInputs(Path repository, RankerInputs fallback) {
    this.repository = repository;
    this.fallback = fallback;
  }

  @Override
  public RankerInputs forRanker(ModelRef ranker) {
    return byVersion.computeIfAbsent(
        ranker,
        m -> {
          Path t =
              repository
                  .resolve(m.name())
                  .resolve(Integer.toString(m.version()))
                  .resolve("transform.json");
          return Files.isRegularFile(t)
              ? new TransformedRankerInputs(TransformSpec.load(t))
              : fallback;
        });
  }

  @Override
  public List<Tensor> encode(
      RecommendRequest request, UserFeatures user, List<RoomFeatures> rooms) {
    return fallback.encode(request, user, rooms);
  }
}
