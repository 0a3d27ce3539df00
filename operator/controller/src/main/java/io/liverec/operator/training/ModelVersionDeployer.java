package io.liverec.operator.training;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.liverec.api.run.TrainingResult;
import io.liverec.api.v1alpha1.Conditions;
import io.liverec.api.v1alpha1.ModelVersion;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.v1alpha1.TrainingRunStatus;
import io.liverec.operator.model.Deployments;
import io.liverec.operator.model.Notice;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Kubernetes side of {@link Deployments}: creates the ModelVersion a run that passed its gates
 * deploys, and sets the run's {@value Deployments#DEPLOYED} condition either way.
 */
final class ModelVersionDeployer {
  private final KubernetesClient client;

  ModelVersionDeployer(KubernetesClient client) {
    this.client = client;
  }

  /**
   * @param recorded the result recorded in this reconcile, if any (failed gates are told once)
   * @return the Events to emit
   */
  List<Notice> reconcile(
      TrainingRun run,
      TrainingRunStatus st,
      Optional<TrainingResult> recorded,
      long gen,
      Instant now) {
    List<Notice> out = new ArrayList<>();
    if (recorded.isPresent()) {
      Deployments.gatesFailed(run, st).ifPresent(n -> out.add(condition(st, n, false, gen, now)));
    }
    Deployments.next(run, st)
        .ifPresent(
            mv -> {
              create(mv);
              out.add(condition(st, Deployments.created(st, mv), true, gen, now));
            });
    return out;
  }

  private void create(ModelVersion mv) {
    try {
      client.resource(mv).create();
    } catch (KubernetesClientException e) {
      // created before a restart lost the status write: the version's name is its identity
      if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
        throw e;
      }
    }
  }

  private static Notice condition(
      TrainingRunStatus st, Notice n, boolean ok, long gen, Instant now) {
    Conditions.set(st.conditions, Deployments.DEPLOYED, ok, n.reason(), n.message(), gen, now);
    return n;
  }
}
