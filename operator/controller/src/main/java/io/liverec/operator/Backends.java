package io.liverec.operator;

import io.liverec.api.run.RegistryAliases;
import io.liverec.featurestore.FeatureRegistry;
import io.liverec.featurestore.FeatureStores;
import io.liverec.registry.MlflowGateway;
import io.liverec.registry.MlflowRegistryAliases;
import io.liverec.registry.Retry;
import io.liverec.serving.rollout.CanaryAnalysis;
import io.liverec.serving.rollout.InProcessInferenceServer;
import io.liverec.serving.rollout.InProcessModelRepository;
import io.liverec.serving.rollout.InProcessTrafficRouter;
import io.liverec.serving.rollout.InferenceServerControl;
import io.liverec.serving.rollout.ModelRepository;
import io.liverec.serving.rollout.ObservedMetricsAnalysis;
import io.liverec.serving.rollout.Rollout;
import io.liverec.serving.rollout.TrafficRouter;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The external systems the reconcilers talk to. Today these are the in-process implementations (the
 * same the embedded CLI uses), except the feature registry, which follows {@code
 * LIVEREC_FEATURE_REGISTRY} (memory, file or Feast); the Triton client, the gateway routing and the
 * real analysis replace them here as they land.
 */
public class Backends {
  /** Short in-call backoff: the rollout itself retries a failed alias update every 30 s. */
  private static final java.time.Duration ALIAS_BACKOFF = java.time.Duration.ofMillis(200);

  /** Canary metrics as observed per {@code model/version} (fed by the gateway later). */
  public static final class ObservedMetrics {
    private final Map<String, Map<String, Double>> byVersion = new ConcurrentHashMap<>();

    public Map<String, Double> of(String model, int version) {
      return byVersion.computeIfAbsent(model + "/" + version, k -> new ConcurrentHashMap<>());
    }
  }

  @Produces
  @Singleton
  FeatureRegistry featureRegistry(OperatorSettings settings) {
    // LIVEREC_FEATURE_REGISTRY=feast: Feast registry.db; unset: file with a dir, else memory
    return FeatureStores.registry(System.getenv(), settings.registryDir().map(Path::of));
  }

  @Produces
  @Singleton
  ObservedMetrics observedMetrics() {
    return new ObservedMetrics();
  }

  @Produces
  @Singleton
  ModelRepository modelRepository() {
    return new InProcessModelRepository();
  }

  @Produces
  @Singleton
  InferenceServerControl inferenceServer() {
    return new InProcessInferenceServer();
  }

  @Produces
  @Singleton
  TrafficRouter trafficRouter() {
    return new InProcessTrafficRouter();
  }

  @Produces
  @Singleton
  CanaryAnalysis analysis(ObservedMetrics observed) {
    return new ObservedMetricsAnalysis(observed::of);
  }

  @Produces
  @Singleton
  RegistryAliases registryAliases(OperatorSettings settings) {
    return settings
        .mlflowTrackingUri()
        .<RegistryAliases>map(
            uri -> new MlflowRegistryAliases(new MlflowGateway(uri, new Retry(2, ALIAS_BACKOFF))))
        .orElse(RegistryAliases.NONE);
  }

  @Produces
  @Singleton
  Rollout rollout(
      ModelRepository repo,
      InferenceServerControl server,
      TrafficRouter router,
      CanaryAnalysis analysis,
      RegistryAliases aliases) {
    return new Rollout(repo, server, router, analysis, aliases);
  }
}
