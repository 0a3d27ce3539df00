package io.liverec.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.liverec.api.run.RegistryAliases;
import io.liverec.featurestore.FeatureRegistry;
import io.liverec.featurestore.config.FeatureStores;
import io.liverec.operator.rollout.GatewayCanaryAnalysis;
import io.liverec.operator.rollout.GatewayOutcomes;
import io.liverec.operator.rollout.MlflowModelSources;
import io.liverec.operator.rollout.StatusTrafficRouter;
import io.liverec.registry.MlflowGateway;
import io.liverec.registry.MlflowRegistryAliases;
import io.liverec.registry.Retry;
import io.liverec.serving.repository.ModelRepositoryPublisher;
import io.liverec.serving.repository.ServingOptions;
import io.liverec.serving.rollout.CanaryAnalysis;
import io.liverec.serving.rollout.InProcessInferenceServer;
import io.liverec.serving.rollout.InProcessModelRepository;
import io.liverec.serving.rollout.InProcessTrafficRouter;
import io.liverec.serving.rollout.InferenceServerControl;
import io.liverec.serving.rollout.ModelRepository;
import io.liverec.serving.rollout.ObservedMetricsAnalysis;
import io.liverec.serving.rollout.Rollout;
import io.liverec.serving.rollout.TrafficRouter;
import io.liverec.serving.rollout.TritonInferenceServer;
import io.liverec.serving.rollout.TritonModelRepository;
import io.liverec.serving.triton.TritonClient;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The external systems the reconcilers talk to. ModelVersions load into a real Triton when {@code
 * liverec.operator.triton-grpc} is set (publishing into {@code triton-repository}, fetching {@code
 * models:/} sources from the MLflow registry), else into the in-process server the embedded CLI
 * uses; the feature registry follows {@code LIVEREC_FEATURE_REGISTRY} (memory, file or Feast). With
 * {@code liverec.operator.gateway-url} the canary is routed by the ModelVersions' status (the
 * gateways watch it) and judged on the gateways' outcomes; without it the in-process router and
 * observed-metrics analysis of the embedded mode are used.
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

  /**
   * Triton, when {@code liverec.operator.triton-grpc} is set: the client, the repository it serves
   * from and the server control built on both. Absent = the in-process server.
   */
  public record Triton(
      TritonClient client, ModelRepositoryPublisher publisher, ServingOptions options) {
    static Optional<Triton> of(OperatorSettings settings) {
      if (settings.tritonGrpc().isEmpty()) {
        return Optional.empty();
      }
      String repository =
          settings
              .tritonRepository()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "liverec.operator.triton-repository must be set with"
                              + " liverec.operator.triton-grpc: the operator publishes versions"
                              + " into the repository Triton serves from"));
      ServingOptions.Backend backend = backend(settings.tritonBackend());
      ServingOptions options =
          ServingOptions.cpu(backend)
              .withInstances(settings.tritonGpu() ? 1 : 2, settings.tritonGpu());
      return Optional.of(
          new Triton(
              TritonClient.connect(settings.tritonGrpc().get()),
              new ModelRepositoryPublisher(Path.of(repository)),
              options));
    }

    private static ServingOptions.Backend backend(String name) {
      for (ServingOptions.Backend b : ServingOptions.Backend.values()) {
        if (b.tritonName().equals(name)) {
          return b;
        }
      }
      throw new IllegalStateException(
          "liverec.operator.triton-backend: " + name + " is not one of onnxruntime, python");
    }
  }

  @Produces
  @Singleton
  Optional<Triton> triton(OperatorSettings settings) {
    return Triton.of(settings);
  }

  void closeTriton(@Disposes Optional<Triton> triton) {
    triton.ifPresent(t -> t.client().close());
  }

  @Produces
  @Singleton
  ModelRepository modelRepository(Optional<Triton> triton, OperatorSettings settings) {
    return triton
        .<ModelRepository>map(
            t -> new TritonModelRepository(t.publisher(), t.options(), sourceResolver(settings)))
        .orElseGet(InProcessModelRepository::new);
  }

  private static TritonModelRepository.SourceResolver sourceResolver(OperatorSettings settings) {
    if (settings.mlflowTrackingUri().isEmpty()) {
      return TritonModelRepository.SourceResolver.LOCAL_ONLY;
    }
    Path cache =
        settings
            .modelCache()
            .map(Path::of)
            .orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir"), "liverec-models"));
    return new MlflowModelSources(
        new MlflowGateway(settings.mlflowTrackingUri().get(), Retry.DEFAULT), cache);
  }

  @Produces
  @Singleton
  InferenceServerControl inferenceServer(Optional<Triton> triton) {
    return triton
        .<InferenceServerControl>map(t -> new TritonInferenceServer(t.client(), t.publisher()))
        .orElseGet(InProcessInferenceServer::new);
  }

  /**
   * With {@code liverec.operator.gateway-url} (the cluster): the ModelVersions' status is the
   * routing table the gateways watch; else the in-process router of the embedded mode.
   */
  @Produces
  @Singleton
  TrafficRouter trafficRouter(OperatorSettings settings, KubernetesClient client) {
    return settings.gatewayUrl().isPresent()
        ? new StatusTrafficRouter(client)
        : new InProcessTrafficRouter();
  }

  /**
   * With {@code liverec.operator.gateway-url}: the gateways' real outcomes judged by the outcome
   * analysis (mSPRT per weight epoch, SRM, technical SLOs); else the observed-metrics analysis.
   */
  @Produces
  @Singleton
  CanaryAnalysis analysis(
      OperatorSettings settings, ObservedMetrics observed, TrafficRouter router) {
    return settings
        .gatewayUrl()
        .<CanaryAnalysis>map(
            url ->
                new GatewayCanaryAnalysis(
                    new GatewayOutcomes(url, settings.gatewayTimeout()),
                    router,
                    settings.canaryAlpha(),
                    settings.canaryTau(),
                    settings.canaryBurnIn()))
        .orElseGet(() -> new ObservedMetricsAnalysis(observed::of));
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
      RegistryAliases aliases,
      OperatorSettings settings) {
    return new Rollout(
        repo, server, router, analysis, aliases, java.util.Optional.of(settings.retireAfter()));
  }
}
