package io.liverec.serving.rollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.liverec.api.run.RegistryAliases;
import io.liverec.api.v1alpha1.Conditions;
import io.liverec.api.v1alpha1.Durations;
import io.liverec.api.v1alpha1.ModelVersionSpec;
import io.liverec.api.v1alpha1.ModelVersionStatus;
import io.liverec.api.v1alpha1.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The ModelVersion phase machine, shared by the operator and the embedded CLI: Pending → Loading →
 * Canary(step i) → Promoted | RolledBack | Failed. All state is in {@link ModelVersionStatus}; one
 * call advances at most one phase or step and says when to call again.
 *
 * <p>Step policy: a step is held at least its {@code pause} and until an analysis run succeeds
 * after it; an inconclusive run (missing data) holds the step and never promotes; failed runs
 * beyond {@code failureLimit} roll back (traffic 0, version unloaded). A spec change that alters
 * what is loaded (model, version, source, triton) restarts from Pending; a change of the steps
 * alone continues from the current step.
 *
 * <p>Size: one class because it is one state machine: every phase handler (pending, loading,
 * canary) reads and mutates the same ModelVersionStatus and reports through the same transition
 * list, and the condition bookkeeping must see every phase. The seams are the registry alias sync
 * (syncAlias) and the condition/transition bookkeeping (record, move, updateConditions); they stay
 * here while they are private to this machine and have no second user. The rollout's record
 * (status.steps and its copy as registry tags) is {@link RolloutRecord}.
 */
public final class Rollout {
  public static final String PENDING = "Pending";
  public static final String LOADING = "Loading";
  public static final String CANARY = "Canary";
  public static final String PROMOTED = "Promoted";
  public static final String ROLLED_BACK = "RolledBack";
  public static final String FAILED = "Failed";

  static final Duration LOAD_POLL = Duration.ofSeconds(5);
  static final int KEPT_ANALYSIS_RUNS = 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ModelRepository repository;
  private final InferenceServerControl server;
  private final TrafficRouter router;
  private final CanaryAnalysis analysis;
  private final RegistryAliases aliases;
  private final Optional<Duration> retireAfter;

  public Rollout(
      ModelRepository repository,
      InferenceServerControl server,
      TrafficRouter router,
      CanaryAnalysis analysis) {
    this(repository, server, router, analysis, RegistryAliases.NONE);
  }

  /**
   * @param aliases the model registry whose {@code champion} alias follows promotions and rollbacks
   *     of versions whose source is a registered model ({@code models:/name/version})
   */
  public Rollout(
      ModelRepository repository,
      InferenceServerControl server,
      TrafficRouter router,
      CanaryAnalysis analysis,
      RegistryAliases aliases) {
    this(repository, server, router, analysis, aliases, Optional.empty());
  }

  /**
   * @param retireAfter the grace period after a promotion before the version that served until then
   *     ({@code status.stableVersion}) is unloaded from the inference server (requests in flight
   *     and gateways whose watch is behind still reach it meanwhile); empty = it stays loaded (the
   *     embedded modes)
   */
  public Rollout(
      ModelRepository repository,
      InferenceServerControl server,
      TrafficRouter router,
      CanaryAnalysis analysis,
      RegistryAliases aliases,
      Optional<Duration> retireAfter) {
    this.repository = repository;
    this.server = server;
    this.router = router;
    this.analysis = analysis;
    this.aliases = aliases;
    this.retireAfter = retireAfter;
    retireAfter.ifPresent(
        d -> {
          if (d.isNegative()) {
            throw new IllegalArgumentException("retireAfter must be >= 0, got " + d);
          }
        });
  }

  /** A phase or step change, for status messages and Kubernetes Events. */
  public record Transition(
      String from, String to, Reason reason, String message, boolean warning) {}

  /** What one call did and when to call again (empty: nothing more to do). */
  public record Outcome(List<Transition> transitions, Optional<Duration> requeueAfter) {}

  public static boolean isTerminal(String phase) {
    return PROMOTED.equals(phase) || ROLLED_BACK.equals(phase) || FAILED.equals(phase);
  }

  /** Advances the rollout of a valid spec by one step; mutates {@code st}. */
  public Outcome reconcile(
      ModelVersionSpec spec, ModelVersionStatus st, long generation, Instant now) {
    List<Transition> out = new ArrayList<>();
    String fingerprint = loadFingerprint(spec);
    if (st.phase != null
        && !PENDING.equals(st.phase)
        && st.loadedFingerprint != null
        && !fingerprint.equals(st.loadedFingerprint)) {
      withdraw(spec, st);
      move(st, PENDING, now, out, Reason.SpecChanged, "what is loaded changed; restarting", false);
    }
    if (st.phase == null || "Invalid".equals(st.phase)) {
      move(st, PENDING, now, out, Reason.SpecValid, "waiting to load", false);
    }
    Optional<Duration> requeue =
        manual(spec, st, now, out)
            .orElseGet(
                () ->
                    switch (st.phase) {
                      case PENDING -> pending(spec, st, fingerprint, now, out);
                      case LOADING -> loading(spec, st, now, out);
                      case CANARY -> canary(spec, st, now, out);
                      case PROMOTED -> retire(spec, st, now, out);
                      default -> Optional.empty();
                    });
    if (PROMOTED.equals(st.phase) && requeue.isEmpty()) {
      requeue = retire(spec, st, now, out); // promoted by this very call
    }
    if (isTerminal(st.phase)) {
      requeue = earliest(requeue, syncAlias(spec, st, out));
    }
    if (!syncRecord(spec, st, out) && requeue.isEmpty()) {
      requeue = Optional.of(ALIAS_RETRY);
    }
    st.observedGeneration = generation;
    updateConditions(st, generation, now);
    return new Outcome(out, requeue);
  }

  /**
   * {@code spec.rollout.control}: abort (any unfinished phase), promote now or pause (once the
   * canary serves), resume. Empty = no manual control applies and the rollout walks on; else the
   * requeue (empty inside = wait for the next spec change).
   */
  private Optional<Optional<Duration>> manual(
      ModelVersionSpec spec, ModelVersionStatus st, Instant now, List<Transition> out) {
    ModelVersionSpec.Control c =
        spec.rollout.control == null ? ModelVersionSpec.Control.RUN : spec.rollout.control;
    if (isTerminal(st.phase)) {
      return Optional.empty();
    }
    if (c == ModelVersionSpec.Control.ABORT) {
      withdraw(spec, st);
      st.paused = null;
      move(
          st,
          ROLLED_BACK,
          now,
          out,
          Reason.RolloutAborted,
          "aborted by spec.rollout.control",
          true);
      return Optional.of(Optional.empty());
    }
    if (!CANARY.equals(st.phase)) {
      return Optional.empty(); // pause and promote act on a serving canary; loading goes on
    }
    if (c == ModelVersionSpec.Control.PROMOTE) {
      st.paused = null;
      promote(spec, st, now, out, Reason.PromotedManually, "promoted by spec.rollout.control");
      return Optional.of(Optional.empty());
    }
    if (c == ModelVersionSpec.Control.PAUSE) {
      if (!Boolean.TRUE.equals(st.paused)) {
        st.paused = true;
        out.add(
            new Transition(
                CANARY,
                CANARY,
                Reason.RolloutPaused,
                "paused at step " + st.currentStep + " (" + st.trafficWeight + "% of traffic)",
                false));
      }
      return Optional.of(Optional.empty());
    }
    if (Boolean.TRUE.equals(st.paused)) {
      st.paused = null;
      out.add(
          new Transition(
              CANARY,
              CANARY,
              Reason.RolloutResumed,
              "resumed at step " + st.currentStep + " (" + st.trafficWeight + "% of traffic)",
              false));
    }
    return Optional.empty();
  }

  private static Optional<Duration> earliest(Optional<Duration> a, Optional<Duration> b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    return Optional.of(a.get().compareTo(b.get()) <= 0 ? a.get() : b.get());
  }

  /**
   * Once promoted, unloads the version that served before ({@code status.stableVersion}) when the
   * grace period since the promotion has passed; records it in {@code status.retiredVersion}, so it
   * happens once across operator restarts. Empty = nothing (more) to retire; else when to look
   * again. An unload the server refuses is retried, never changes the phase.
   */
  private Optional<Duration> retire(
      ModelVersionSpec spec, ModelVersionStatus st, Instant now, List<Transition> out) {
    Integer previous = st.stableVersion;
    if (retireAfter.isEmpty()
        || previous == null
        || previous.equals(spec.version)
        || previous.equals(st.retiredVersion)) {
      return Optional.empty();
    }
    Instant due = Instant.parse(st.stepStartedAt).plus(retireAfter.get());
    if (now.isBefore(due)) {
      return Optional.of(Duration.between(now, due));
    }
    OptionalInt serving = router.stable(spec.model);
    if (serving.isPresent() && previous.equals(serving.getAsInt())) {
      return Optional.empty(); // the previous version serves again (a later promotion of it)
    }
    try {
      server.unload(spec.model, previous);
    } catch (RuntimeException e) {
      out.add(
          new Transition(
              PROMOTED,
              PROMOTED,
              Reason.Unloaded,
              "cannot unload the previous version "
                  + spec.model
                  + "/"
                  + previous
                  + " (retrying in "
                  + ALIAS_RETRY.toSeconds()
                  + " s): "
                  + e.getMessage(),
              true));
      return Optional.of(ALIAS_RETRY);
    }
    st.retiredVersion = previous;
    out.add(
        new Transition(
            PROMOTED,
            PROMOTED,
            Reason.Unloaded,
            "unloaded the previous version "
                + spec.model
                + "/"
                + previous
                + ", "
                + retireAfter.get().toMillis()
                + " ms after the promotion of "
                + spec.version,
            false));
    return Optional.empty();
  }

  /** How long to wait before asking the registry again after it failed. */
  static final Duration ALIAS_RETRY = Duration.ofSeconds(30);

  private static final java.util.regex.Pattern REGISTERED =
      java.util.regex.Pattern.compile("^models:/([^/]+)/([0-9]+)$");

  /**
   * After Promoted or RolledBack, makes the registry's champion alias agree (once; retried while
   * the registry fails). Never changes the phase: a registry outage shows as a condition.
   */
  private Optional<Duration> syncAlias(
      ModelVersionSpec spec, ModelVersionStatus st, List<Transition> out) {
    if ("Synced".equals(st.registryAlias) || FAILED.equals(st.phase)) {
      return Optional.empty();
    }
    java.util.regex.Matcher m =
        spec.source == null || spec.source.mlflow == null
            ? null
            : REGISTERED.matcher(spec.source.mlflow);
    if (m == null || !m.matches()) {
      st.registryAlias = null;
      return Optional.empty();
    }
    String registered = m.group(1);
    int version = Integer.parseInt(m.group(2));
    try {
      if (PROMOTED.equals(st.phase)) {
        aliases.promoted(registered, version);
      } else {
        aliases.rolledBack(registered, version, st.stableVersion);
      }
      st.registryAlias = "Synced";
      out.add(
          new Transition(
              st.phase,
              st.phase,
              Reason.ChampionAliasSet,
              PROMOTED.equals(st.phase)
                  ? registered + " v" + version + " is the champion"
                  : "champion of "
                      + registered
                      + " no longer points at the rolled-back v"
                      + version,
              false));
      return Optional.empty();
    } catch (RuntimeException e) {
      boolean first = !"Pending".equals(st.registryAlias);
      st.registryAlias = "Pending";
      if (first) {
        out.add(
            new Transition(
                st.phase,
                st.phase,
                Reason.ChampionAliasPending,
                "cannot update the champion alias of "
                    + registered
                    + " (retrying every "
                    + ALIAS_RETRY.toSeconds()
                    + " s): "
                    + e.getMessage(),
                true));
      }
      return Optional.of(ALIAS_RETRY);
    }
  }

  /**
   * Copies the rollout's record onto the registered model version (a {@code models:/name/N} source)
   * as tags; false when the registry failed and it must be retried. Never changes the phase.
   */
  private boolean syncRecord(ModelVersionSpec spec, ModelVersionStatus st, List<Transition> out) {
    java.util.regex.Matcher m =
        spec.source == null || spec.source.mlflow == null
            ? null
            : REGISTERED.matcher(spec.source.mlflow);
    if (m == null || !m.matches()) {
      st.registryTrail = null;
      return true;
    }
    return RolloutRecord.sync(st, m.group(1), Integer.parseInt(m.group(2)), aliases, out);
  }

  /** Undoes what the rollout holds when the resource is deleted (a promoted version stays). */
  public void cleanup(ModelVersionSpec spec, ModelVersionStatus st) {
    if (st == null || !PROMOTED.equals(st.phase)) {
      withdraw(spec, st);
    }
  }

  private Optional<Duration> pending(
      ModelVersionSpec spec,
      ModelVersionStatus st,
      String fingerprint,
      Instant now,
      List<Transition> out) {
    try {
      String location = repository.stage(spec);
      server.load(spec.model, spec.version);
      st.loadedFingerprint = fingerprint;
      st.stableVersion =
          router.stable(spec.model).isPresent() ? router.stable(spec.model).getAsInt() : null;
      move(
          st,
          LOADING,
          now,
          out,
          Reason.LoadStarted,
          "loading " + spec.model + "/" + spec.version + " from " + location,
          false);
      return Optional.of(Duration.ZERO);
    } catch (IllegalArgumentException e) {
      move(st, FAILED, now, out, Reason.LoadFailed, e.getMessage(), true);
      return Optional.empty();
    }
  }

  private Optional<Duration> loading(
      ModelVersionSpec spec, ModelVersionStatus st, Instant now, List<Transition> out) {
    switch (server.state(spec.model, spec.version)) {
      case READY -> {
        out.add(
            new Transition(
                LOADING,
                LOADING,
                Reason.Loaded,
                spec.model + "/" + spec.version + " is ready",
                false));
        enterStep(spec, st, 0, now, out);
        return Optional.of(interval(spec));
      }
      case FAILED, ABSENT -> {
        repository.remove(spec.model, spec.version);
        move(
            st,
            FAILED,
            now,
            out,
            Reason.LoadFailed,
            "the inference server could not load "
                + spec.model
                + "/"
                + spec.version
                + server.failure(spec.model, spec.version).map(m -> ": " + m).orElse(""),
            true);
        return Optional.empty();
      }
      default -> {
        return Optional.of(LOAD_POLL);
      }
    }
  }

  private Optional<Duration> canary(
      ModelVersionSpec spec, ModelVersionStatus st, Instant now, List<Transition> out) {
    int step = st.currentStep == null ? 0 : Math.min(st.currentStep, spec.rollout.steps.size() - 1);
    if (st.currentStep == null || st.currentStep != step) {
      enterStep(spec, st, step, now, out); // the steps were shortened by a spec change
    }
    Duration interval = interval(spec);
    Instant last =
        st.lastAnalysisAt != null
            ? Instant.parse(st.lastAnalysisAt)
            : Instant.parse(st.stepStartedAt);
    Instant due = last.plus(interval);
    if (now.isBefore(due)) {
      return Optional.of(Duration.between(now, due));
    }
    CanaryAnalysis.Result r =
        analysis.analyze(spec.model, spec.version, spec.rollout.analysis.metrics, interval);
    record(st, step, r, now);
    switch (r.verdict()) {
      case FAILED -> {
        st.failedAnalyses = (st.failedAnalyses == null ? 0 : st.failedAnalyses) + 1;
        int limit =
            spec.rollout.analysis.failureLimit == null ? 0 : spec.rollout.analysis.failureLimit;
        out.add(
            new Transition(
                CANARY,
                CANARY,
                Reason.AnalysisFailed,
                "step "
                    + step
                    + ": "
                    + r.message()
                    + " ("
                    + st.failedAnalyses
                    + " failed, limit "
                    + limit
                    + ")",
                true));
        if (st.failedAnalyses > limit) {
          withdraw(spec, st);
          move(
              st,
              ROLLED_BACK,
              now,
              out,
              Reason.RolledBack,
              "rolled back after " + st.failedAnalyses + " failed analyses: " + r.message(),
              true);
          return Optional.empty();
        }
        return Optional.of(interval);
      }
      case INCONCLUSIVE -> {
        out.add(
            new Transition(
                CANARY,
                CANARY,
                Reason.AnalysisInconclusive,
                "step " + step + ": " + r.message() + "; holding",
                true));
        return Optional.of(interval);
      }
      default -> {
        out.add(
            new Transition(
                CANARY,
                CANARY,
                Reason.AnalysisSuccessful,
                "step " + step + ": " + r.message(),
                false));
      }
    }
    String pause = spec.rollout.steps.get(step).pause;
    Instant pauseEnd =
        Instant.parse(st.stepStartedAt)
            .plus(pause == null ? Duration.ZERO : Durations.parse(pause));
    if (now.isBefore(pauseEnd)) {
      return Optional.of(
          Duration.between(now, pauseEnd).compareTo(interval) < 0
              ? Duration.between(now, pauseEnd)
              : interval);
    }
    if (step + 1 < spec.rollout.steps.size()) {
      enterStep(spec, st, step + 1, now, out);
      return Optional.of(interval);
    }
    promote(spec, st, now, out, Reason.Promoted, "");
    return Optional.empty();
  }

  private void promote(
      ModelVersionSpec spec,
      ModelVersionStatus st,
      Instant now,
      List<Transition> out,
      Reason reason,
      String why) {
    router.promote(spec.model, spec.version);
    st.trafficWeight = 100;
    st.currentStep = null;
    String message = spec.model + "/" + spec.version + " serves all traffic";
    move(st, PROMOTED, now, out, reason, why.isEmpty() ? message : message + ", " + why, false);
  }

  private void enterStep(
      ModelVersionSpec spec, ModelVersionStatus st, int step, Instant now, List<Transition> out) {
    int weight = spec.rollout.steps.get(step).weight;
    router.setWeight(spec.model, spec.version, weight);
    String from = st.phase;
    st.phase = CANARY;
    st.currentStep = step;
    st.trafficWeight = weight;
    st.stepStartedAt = now.toString();
    st.lastAnalysisAt = null;
    st.message = "canary step " + step + ": " + weight + "% of traffic";
    RolloutRecord.stepStarted(st, step, weight, now);
    out.add(new Transition(from, CANARY, Reason.CanaryStepStarted, st.message, false));
  }

  private void withdraw(ModelVersionSpec spec, ModelVersionStatus st) {
    router.setWeight(spec.model, spec.version, 0);
    server.unload(spec.model, spec.version);
    repository.remove(spec.model, spec.version);
    if (st != null) {
      st.trafficWeight = 0;
    }
  }

  private static void record(
      ModelVersionStatus st, int step, CanaryAnalysis.Result r, Instant now) {
    ModelVersionStatus.AnalysisRun run = new ModelVersionStatus.AnalysisRun();
    run.step = step;
    run.weight = st.trafficWeight;
    run.time = now.toString();
    run.result =
        switch (r.verdict()) {
          case SUCCESSFUL -> "Successful";
          case FAILED -> "Failed";
          case INCONCLUSIVE -> "Inconclusive";
        };
    run.metrics.putAll(r.observed());
    run.message = r.message();
    st.analysisRuns.add(run);
    RolloutRecord.run(st, run);
    while (st.analysisRuns.size() > KEPT_ANALYSIS_RUNS) {
      st.analysisRuns.remove(0);
    }
    st.lastAnalysisAt = now.toString();
  }

  private static void move(
      ModelVersionStatus st,
      String to,
      Instant now,
      List<Transition> out,
      Reason reason,
      String message,
      boolean warning) {
    String from = st.phase;
    st.phase = to;
    st.stepStartedAt = now.toString();
    st.message = message;
    RolloutRecord.moved(st, to, reason, message, now);
    out.add(new Transition(from, to, reason, message, warning));
  }

  private static void updateConditions(ModelVersionStatus st, long generation, Instant now) {
    Reason last = Reason.SpecValid;
    boolean progressing =
        (PENDING.equals(st.phase) || LOADING.equals(st.phase) || CANARY.equals(st.phase))
            && !Boolean.TRUE.equals(st.paused);
    if (Boolean.TRUE.equals(st.paused)) {
      last = Reason.RolloutPaused;
    } else if (PROMOTED.equals(st.phase)) {
      last = Reason.Promoted;
    } else if (ROLLED_BACK.equals(st.phase)) {
      last = Reason.RolledBack;
    } else if (FAILED.equals(st.phase)) {
      last = Reason.LoadFailed;
    } else if (CANARY.equals(st.phase)) {
      last = Reason.CanaryStepStarted;
    } else if (LOADING.equals(st.phase)) {
      last = Reason.LoadStarted;
    }
    Conditions.set(
        st.conditions,
        Conditions.READY,
        PROMOTED.equals(st.phase),
        last,
        st.message,
        generation,
        now);
    Conditions.set(
        st.conditions, Conditions.PROGRESSING, progressing, last, st.message, generation, now);
    if (st.registryAlias != null) {
      boolean synced = "Synced".equals(st.registryAlias);
      Conditions.set(
          st.conditions,
          "RegistryAliasSynced",
          synced,
          synced ? Reason.ChampionAliasSet : Reason.ChampionAliasPending,
          synced
              ? "the registry's champion alias agrees with the rollout"
              : "the model registry could not be updated; retrying (see the events)",
          generation,
          now);
    }
    if (st.registryTrail != null) {
      boolean synced = "Synced".equals(st.registryTrail);
      Conditions.set(
          st.conditions,
          RolloutRecord.CONDITION,
          synced,
          synced ? Reason.RolloutRecorded : Reason.RolloutRecordPending,
          synced
              ? "the registered model version's tags hold the rollout's record so far"
              : "the rollout's record could not be written to the model registry; retrying",
          generation,
          now);
    }
  }

  private static Duration interval(ModelVersionSpec spec) {
    return Durations.parse(
        spec.rollout.analysis.interval == null ? "1m" : spec.rollout.analysis.interval);
  }

  /** SHA-256 over what is loaded: model, version, source and triton settings. */
  static String loadFingerprint(ModelVersionSpec spec) {
    try {
      String json =
          JSON.writeValueAsString(
              new Object[] {spec.model, spec.version, spec.source, spec.triton});
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8)))
          .substring(0, 16);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
