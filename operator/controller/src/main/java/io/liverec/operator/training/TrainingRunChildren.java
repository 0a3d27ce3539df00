package io.liverec.operator.training;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceUtils;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult.Operation;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.operator.Dependents;
import io.liverec.operator.OperatorSettings;
import io.liverec.operator.model.TrainingJobs;
import io.liverec.operator.model.TrainingProgress;
import java.util.List;

/**
 * The Kubernetes side of a TrainingRun's children: this generation's spec ConfigMap and trainer Job
 * (dependent resources), the Jobs of older generations (no longer dependents: the unfinished ones
 * are superseded, all are deleted with the run) and the pods whose termination message carries the
 * trainer's result. What to do is decided by {@link TrainingProgress}; this class only does it.
 */
final class TrainingRunChildren {
  private final KubernetesClient client;
  private final SpecConfigMapDependent specs = new SpecConfigMapDependent();
  private final TrainerJobDependent jobs;

  TrainingRunChildren(KubernetesClient client, OperatorSettings settings) {
    this.client = client;
    this.jobs = new TrainerJobDependent(settings);
  }

  List<EventSource<?, TrainingRun>> eventSources(EventSourceContext<TrainingRun> ctx) {
    return EventSourceUtils.dependentEventSources(ctx, specs, jobs);
  }

  /** The Jobs of this run in the informer cache, of every generation. */
  static List<Job> observed(Context<TrainingRun> ctx) {
    return List.copyOf(ctx.getSecondaryResources(Job.class));
  }

  /** Deletes the unfinished Jobs of generations before {@code gen}; the deleted ones. */
  List<Job> deleteSuperseded(List<Job> observed, long gen) {
    List<Job> old = TrainingProgress.superseded(observed, gen);
    old.forEach(job -> client.resource(job).delete());
    return old;
  }

  /** Reconciles this generation's ConfigMap and Job; true when the Job was created just now. */
  boolean reconcile(TrainingRun run, Context<TrainingRun> ctx) {
    specs.reconcile(run, ctx);
    return jobs.reconcile(run, ctx).getSingleOperation() == Operation.CREATED;
  }

  /** The pods of {@code jobName}, where the trainer leaves its result. */
  List<Pod> pods(TrainingRun run, String jobName) {
    String ns = run.getMetadata().getNamespace();
    return client.pods().inNamespace(ns).withLabel("job-name", jobName).list().getItems();
  }

  /**
   * Deletes all the run's Jobs and ConfigMaps. Owner references let the cluster's garbage collector
   * do this too; deleting explicitly keeps the cleanup independent of it (and of foreground/orphan
   * deletion choices), and covers the Jobs of earlier generations, which are no longer this
   * generation's dependents.
   */
  void deleteAll(TrainingRun run) {
    Dependents.deleteAll(client, run, TrainingJobs.LABEL_RUN, Job.class);
    Dependents.deleteAll(client, run, TrainingJobs.LABEL_RUN, ConfigMap.class);
  }
}
