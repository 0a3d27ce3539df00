package io.liverec.serving.rollout;

import io.liverec.serving.inference.InferenceException;
import io.liverec.serving.repository.ModelRepositoryPublisher;
import io.liverec.serving.repository.ServingOptions;
import io.liverec.serving.triton.TritonApi;
import io.liverec.serving.triton.proto.ModelConfig;
import io.liverec.serving.triton.proto.RepositoryIndexResponse;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A real Triton server in explicit model-control mode as the rollout's {@link
 * InferenceServerControl}. Triton loads models, not versions, so a version is loaded by reloading
 * its model with a {@code version_policy} of exactly the versions that serve now plus the new one;
 * Triton keeps the serving versions up when the new one fails (tested in {@code TritonRolloutIT}),
 * and {@link #failure} carries Triton's message for the {@code LoadFailed} condition. Unloading a
 * version reloads the model with the others, or unloads the model when none remain.
 *
 * <p>Which versions serve is read from Triton's repository index on every change, never kept here,
 * so an operator restart loses nothing. Load and unload calls run one at a time on a single worker
 * thread: two rollouts of one model must not reload it with each other's version set half-applied.
 * {@link #load} returns at once; {@link #state} reports {@code LOADING} until Triton answers.
 */
public final class TritonInferenceServer implements InferenceServerControl, AutoCloseable {
  private final TritonApi triton;
  private final ModelRepositoryPublisher repository;
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "triton-model-control");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, Future<?>> loads = new ConcurrentHashMap<>();
  private final Map<String, String> failures = new ConcurrentHashMap<>();

  /**
   * @param repository the repository Triton serves from, where the model's {@code config.pbtxt}
   *     (the base of every version-policy override) is published
   */
  public TritonInferenceServer(TritonApi triton, ModelRepositoryPublisher repository) {
    this.triton = triton;
    this.repository = repository;
  }

  @Override
  public void load(String model, int version) {
    String key = key(model, version);
    failures.remove(key);
    loads.put(
        key,
        worker.submit(
            () -> {
              TreeSet<Integer> wanted = serving(model);
              wanted.add(version);
              try {
                apply(model, wanted);
              } catch (InferenceException e) {
                failures.put(key, e.serverMessage());
              } catch (RuntimeException e) {
                failures.put(key, String.valueOf(e.getMessage()));
              }
            }));
  }

  @Override
  public LoadState state(String model, int version) {
    String key = key(model, version);
    Future<?> pending = loads.get(key);
    if (pending != null && !pending.isDone()) {
      return LoadState.LOADING;
    }
    if (failures.containsKey(key)) {
      return LoadState.FAILED;
    }
    if (triton.modelReady(model, version)) {
      return LoadState.READY;
    }
    return index(model, version).map(TritonInferenceServer::state).orElse(LoadState.ABSENT);
  }

  /**
   * One entry of Triton's repository index as a load state. Triton keeps a version it unloaded in
   * the index as {@code UNAVAILABLE} with the reason {@value #UNLOADED}: that version is not loaded
   * (retired, rolled back, withdrawn), not a failed load, so it reads {@code ABSENT}; any other
   * {@code UNAVAILABLE} carries the load error. {@code UNLOADING} is on its way to absent.
   */
  static LoadState state(RepositoryIndexResponse.ModelIndex m) {
    return switch (m.getState()) {
      case "LOADING" -> LoadState.LOADING;
      case "READY" -> LoadState.READY;
      case "UNAVAILABLE" -> unloaded(m) ? LoadState.ABSENT : LoadState.FAILED;
      default -> LoadState.ABSENT;
    };
  }

  /** Triton's reason for a version it unloaded on request (tritonserver 2.51). */
  static final String UNLOADED = "unloaded";

  private static boolean unloaded(RepositoryIndexResponse.ModelIndex m) {
    return UNLOADED.equals(m.getReason().trim());
  }

  @Override
  public Optional<String> failure(String model, int version) {
    String key = key(model, version);
    if (failures.containsKey(key)) {
      return Optional.of(failures.get(key));
    }
    return index(model, version)
        .filter(m -> state(m) == LoadState.FAILED)
        .map(RepositoryIndexResponse.ModelIndex::getReason)
        .filter(r -> !r.isBlank());
  }

  @Override
  public void unload(String model, int version) {
    String key = key(model, version);
    failures.remove(key);
    loads.remove(key);
    Future<?> done =
        worker.submit(
            () -> {
              TreeSet<Integer> wanted = serving(model);
              if (!wanted.remove(version) && !published(model, version)) {
                return; // neither serving nor tried: nothing to do
              }
              if (wanted.isEmpty()) {
                triton.unload(model, false);
              } else {
                apply(model, wanted);
              }
            });
    await(done, "unload " + key);
  }

  /** The versions of {@code model} that Triton serves now. */
  TreeSet<Integer> serving(String model) {
    TreeSet<Integer> out = new TreeSet<>();
    for (RepositoryIndexResponse.ModelIndex m : triton.repositoryIndex(false)) {
      if (m.getName().equals(model) && "READY".equals(m.getState()) && !m.getVersion().isEmpty()) {
        out.add(Integer.parseInt(m.getVersion()));
      }
    }
    return out;
  }

  private void apply(String model, TreeSet<Integer> versions) {
    ModelConfig base =
        repository
            .config(model)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        model + " has no config.pbtxt in " + repository.root()));
    long[] v = versions.stream().mapToLong(Integer::longValue).toArray();
    triton.load(model, base.toBuilder().setVersionPolicy(ServingOptions.specific(v)).build());
  }

  private boolean published(String model, int version) {
    return repository.versions(model).contains(version);
  }

  private Optional<RepositoryIndexResponse.ModelIndex> index(String model, int version) {
    String v = Integer.toString(version);
    return triton.repositoryIndex(false).stream()
        .filter(m -> m.getName().equals(model) && m.getVersion().equals(v))
        .findFirst();
  }

  private static void await(Future<?> f, String what) {
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + what, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(what + ": " + e.getCause(), e.getCause());
    }
  }

  private static String key(String model, int version) {
    return model + "/" + version;
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
