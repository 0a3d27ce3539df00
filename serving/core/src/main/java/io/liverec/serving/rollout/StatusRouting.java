package io.liverec.serving.rollout;

import io.liverec.api.v1alpha1.ModelVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How one model's traffic is split, read from its ModelVersions' status: the rule the gateway
 * (which routes by it) and the operator (which asks who the stable version is) share, so in the
 * cluster the status is the routing table and nothing routes from memory.
 *
 * <ul>
 *   <li>stable: the version promoted last ({@code phase} Promoted, the latest {@code
 *       stepStartedAt}, which the rollout sets when it promotes; ties → the higher version);
 *   <li>canary: a version in phase Canary with a {@code trafficWeight} above 0 that is not the
 *       stable one. One model has at most one canary; if several claim traffic (two rollouts
 *       started by hand), the highest version wins and the others are listed in {@link
 *       Split#ignored} so the caller can say so.
 * </ul>
 *
 * A rolled-back or failed version has weight 0 and drops out; a deleted one is simply absent.
 */
public final class StatusRouting {
  private StatusRouting() {}

  /**
   * @param stable the stable version, if any version of the model was promoted
   * @param canary the canary version, if one holds traffic
   * @param canaryPercent its share of traffic (0 without a canary)
   * @param ignored versions that also claimed canary traffic and lost
   */
  public record Split(
      OptionalInt stable, OptionalInt canary, int canaryPercent, List<Integer> ignored) {}

  public static Split of(String model, Collection<ModelVersion> versions) {
    List<ModelVersion> mine =
        versions.stream()
            .filter(
                mv ->
                    mv.getSpec() != null
                        && model.equals(mv.getSpec().model)
                        && mv.getSpec().version != null
                        && mv.getStatus() != null)
            .toList();
    Optional<ModelVersion> stable =
        mine.stream()
            .filter(mv -> Rollout.PROMOTED.equals(mv.getStatus().phase))
            .max(
                Comparator.comparing(StatusRouting::since)
                    .thenComparing(mv -> mv.getSpec().version));
    OptionalInt stableVersion =
        stable.map(mv -> OptionalInt.of(mv.getSpec().version)).orElse(OptionalInt.empty());
    List<ModelVersion> canaries =
        mine.stream()
            .filter(mv -> Rollout.CANARY.equals(mv.getStatus().phase))
            .filter(mv -> mv.getStatus().trafficWeight != null && mv.getStatus().trafficWeight > 0)
            .filter(
                mv -> stableVersion.isEmpty() || mv.getSpec().version != stableVersion.getAsInt())
            .sorted(Comparator.comparing((ModelVersion mv) -> mv.getSpec().version).reversed())
            .toList();
    if (canaries.isEmpty()) {
      return new Split(stableVersion, OptionalInt.empty(), 0, List.of());
    }
    ModelVersion canary = canaries.get(0);
    List<Integer> ignored = new ArrayList<>();
    canaries.subList(1, canaries.size()).forEach(mv -> ignored.add(mv.getSpec().version));
    return new Split(
        stableVersion,
        OptionalInt.of(canary.getSpec().version),
        Math.min(100, canary.getStatus().trafficWeight),
        List.copyOf(ignored));
  }

  private static Instant since(ModelVersion mv) {
    String t = mv.getStatus().stepStartedAt;
    try {
      return t == null ? Instant.EPOCH : Instant.parse(t);
    } catch (java.time.format.DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }
}
