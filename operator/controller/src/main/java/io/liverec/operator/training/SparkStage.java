package io.liverec.operator.training;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.liverec.api.v1alpha1.Conditions;
import io.liverec.api.v1alpha1.DataSpec;
import io.liverec.api.v1alpha1.Reason;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.v1alpha1.TrainingRunStatus;
import io.liverec.operator.OperatorSettings;
import io.liverec.operator.model.Notice;
import io.liverec.operator.model.SparkApplications;
import io.liverec.operator.model.SparkApplications.Stage;
import io.liverec.operator.model.TrainerFeatureRegistry;
import io.liverec.operator.model.TrainingJobs;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Spark stage of a TrainingRun with {@code spec.data.engine: spark}: before its trainer Job,
 * the generation's SparkApplication ({@link SparkApplications}) is created once, then read (not
 * watched, so that the operator starts and runs where the Spark operator's CRD is absent) until it
 * completes. Its state is kept in the run's status, so a restarted operator neither submits a
 * second application nor looks again at one that completed. A final failure is the run's {@code
 * Failed} phase with the Spark operator's message, and nothing is retried beyond the application's
 * own {@code restartPolicy}; an absent CRD or a missing runs claim is a {@code Ready=False}
 * condition saying what to install or configure.
 */
final class SparkStage {
  /** How soon to look again when the API server does not serve the SparkApplication kind. */
  static final Duration CRD_ABSENT_RETRY = Duration.ofSeconds(60);

  private final KubernetesClient client;
  private final OperatorSettings settings;

  /**
   * What the reconcile does next.
   *
   * @param proceed the stage completed: create the trainer Job
   * @param requeue when to look again (null = on the next event only)
   * @param notices the Events to emit
   */
  record Outcome(boolean proceed, Duration requeue, List<Notice> notices) {}

  SparkStage(KubernetesClient client, OperatorSettings settings) {
    this.client = client;
    this.settings = settings;
  }

  static boolean applies(TrainingRun run) {
    return run.getSpec().data != null && run.getSpec().data.engine == DataSpec.Engine.SPARK;
  }

  private MixedOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      apps() {
    return client.genericKubernetesResources(SparkApplications.CONTEXT);
  }

  /** Advances the stage of the run's generation {@code gen}, recording it in {@code st}. */
  Outcome reconcile(
      TrainingRun run, TrainingRunStatus before, TrainingRunStatus st, long gen, Instant now) {
    String ns = run.getMetadata().getNamespace();
    String name = SparkApplications.name(run.getMetadata().getName(), gen);
    if (name.equals(st.sparkApplication) && "COMPLETED".equals(st.sparkState)) {
      return new Outcome(true, null, List.of());
    }
    List<Notice> notices = new ArrayList<>();
    if (settings.runsClaim().filter(c -> !c.isBlank()).isEmpty()) {
      String why =
          "spec.data.engine: spark needs the operator setting liverec.operator.runs-claim: a"
              + " ReadWriteMany PersistentVolumeClaim that the Spark pods write the samples to"
              + " and the trainer reads them from";
      return unavailable(before, st, gen, now, why, null);
    }
    GenericKubernetesResource app;
    try {
      app = apps().inNamespace(ns).withName(name).get();
      if (app == null) {
        supersede(run, gen).forEach(notices::add);
        app =
            apps()
                .inNamespace(ns)
                .resource(
                    SparkApplications.application(
                        run,
                        settings.sparkImage(),
                        settings.sparkServiceAccount(),
                        settings.runsClaim().get(),
                        TrainerFeatureRegistry.of(
                            System.getenv(), settings.featureRegistryClaim().orElse(null))))
                .create();
        notices.add(
            Notice.normal(
                Reason.SparkApplicationCreated,
                "created SparkApplication " + name + " for generation " + gen));
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
        String why =
            "the API server does not serve "
                + SparkApplications.GROUP
                + "/"
                + SparkApplications.VERSION
                + " "
                + SparkApplications.KIND
                + " (404): install the Kubeflow Spark Operator (its CRD) to train with"
                + " spec.data.engine: spark, or use engine duckdb";
        return unavailable(before, st, gen, now, why, CRD_ABSENT_RETRY);
      }
      throw e;
    }
    String state = SparkApplications.state(app);
    st.sparkApplication = name;
    st.sparkState = state.isEmpty() ? null : state;
    boolean moved = !Objects.equals(st.sparkState, before.sparkState);
    Stage stage = SparkApplications.stage(app);
    String error = SparkApplications.errorMessage(app);
    switch (stage) {
      case COMPLETED -> {
        if (moved) {
          notices.add(
              Notice.normal(
                  Reason.SparkApplicationCompleted,
                  "SparkApplication " + name + " completed: samples in " + out(run)));
        }
        return new Outcome(true, null, notices);
      }
      case FAILED -> {
        String why = "SparkApplication " + name + " " + state + (error == null ? "" : ": " + error);
        st.phase = TrainingJobs.Phase.Failed.name();
        ready(st, Reason.SparkApplicationFailed, why, gen, now);
        // a retried attempt fails with the same state: the Event marks the run's failure, once
        if (!TrainingJobs.Phase.Failed.name().equals(before.phase)) {
          notices.add(Notice.warning(Reason.SparkApplicationFailed, why));
        }
        return new Outcome(false, null, notices);
      }
      case RUNNING -> {
        st.phase = TrainingJobs.Phase.Running.name();
        String msg = "SparkApplication " + name + " is sampling and joining (" + state + ")";
        ready(st, Reason.SparkApplicationRunning, msg, gen, now);
        if (moved && "RUNNING".equals(state)) {
          notices.add(Notice.normal(Reason.SparkApplicationRunning, msg));
        }
      }
      default -> {
        st.phase = TrainingJobs.Phase.Pending.name();
        String msg =
            "SparkApplication "
                + name
                + (state.isEmpty() ? " is waiting for the Spark operator" : " is " + state)
                + (error == null ? "" : " (the Spark operator retries: " + error + ")");
        ready(st, Reason.SparkApplicationCreated, msg, gen, now);
      }
    }
    return new Outcome(false, settings.sparkPoll(), notices);
  }

  private Outcome unavailable(
      TrainingRunStatus before,
      TrainingRunStatus st,
      long gen,
      Instant now,
      String why,
      Duration retry) {
    st.phase = TrainingJobs.Phase.Pending.name();
    ready(st, Reason.SparkUnavailable, why, gen, now);
    var was = Conditions.find(before.conditions, Conditions.READY);
    boolean told = was != null && Reason.SparkUnavailable.name().equals(was.reason);
    List<Notice> notices = told ? List.of() : List.of(Notice.warning(Reason.SparkUnavailable, why));
    return new Outcome(false, retry, notices);
  }

  /** Deletes unfinished SparkApplications of the run's earlier generations; their Events. */
  private List<Notice> supersede(TrainingRun run, long gen) {
    List<Notice> out = new ArrayList<>();
    for (GenericKubernetesResource old : owned(run)) {
      Stage s = SparkApplications.stage(old);
      if (TrainingJobs.generationOf(old) < gen && s != Stage.COMPLETED && s != Stage.FAILED) {
        apps()
            .inNamespace(run.getMetadata().getNamespace())
            .withName(old.getMetadata().getName())
            .delete();
        out.add(
            Notice.normal(
                Reason.JobSuperseded,
                "deleted SparkApplication "
                    + old.getMetadata().getName()
                    + " of generation "
                    + TrainingJobs.generationOf(old)));
      }
    }
    return out;
  }

  private List<GenericKubernetesResource> owned(TrainingRun run) {
    return apps()
        .inNamespace(run.getMetadata().getNamespace())
        .withLabel(TrainingJobs.LABEL_RUN, run.getMetadata().getName())
        .list()
        .getItems();
  }

  /**
   * Deletes the run's SparkApplications of every generation (owner references let the cluster do it
   * too); nothing to do, and no error, where the kind is not served.
   */
  void deleteAll(TrainingRun run) {
    if (!applies(run) && (run.getStatus() == null || run.getStatus().sparkApplication == null)) {
      return;
    }
    try {
      apps()
          .inNamespace(run.getMetadata().getNamespace())
          .withLabel(TrainingJobs.LABEL_RUN, run.getMetadata().getName())
          .delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
    }
  }

  private static String out(TrainingRun run) {
    return SparkApplications.output(run);
  }

  private static void ready(
      TrainingRunStatus st, Reason reason, String message, long gen, Instant now) {
    Conditions.set(st.conditions, Conditions.READY, false, reason, message, gen, now);
  }
}
