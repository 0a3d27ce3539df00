package io.liverec.operator.model;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.liverec.api.v1alpha1.ScheduleSpec;
import io.liverec.api.v1alpha1.ScheduleSpec.ConcurrencyPolicy;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.v1alpha1.TrainingRunSpec;
import io.liverec.api.v1alpha1.TrainingRunStatus.MissedRun;
import io.liverec.api.v1alpha1.TrainingRunStatus.ScheduleStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Scheduled TrainingRuns without I/O: which times are due, which child to create, which children to
 * delete, and what the parent's status says. A parent with {@code spec.schedule} trains nothing
 * itself; at each time its cron names it gets one child TrainingRun, named after the time, so a
 * reconcile repeated after an operator restart finds the child instead of creating a second one.
 *
 * <p>Policy: when several times passed without a reconcile (operator down), the latest one runs and
 * the earlier ones are recorded as missed ({@code NotRunInTime}) — a newer run's window covers
 * their data. {@code Forbid} records a due time as missed ({@code ConcurrencyForbid}) while a child
 * is active; {@code Replace} deletes the active children first; {@code Allow} runs them side by
 * side. While suspended, times pass unrecorded and are not caught up on resume.
 */
public final class TrainingSchedules {
  /** Label on every child: the parent's name. */
  public static final String LABEL_PARENT = "liverec.io/scheduled-by";

  /** Annotation on every child: its scheduled time (RFC 3339). */
  public static final String ANNOTATION_TIME = "liverec.io/scheduled-time";

  /** Missed times kept in status (the total is counted). */
  static final int MISSED_KEPT = 20;

  /** Due times looked at in one reconcile; beyond that only the latest counts. */
  static final int SCAN_LIMIT = 1000;

  private static final CronParser CRON =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmm");
  private static final Set<String> FINISHED = Set.of("Succeeded", "Failed", "Invalid");
  private static final ObjectMapper JSON = new ObjectMapper();

  private TrainingSchedules() {}

  /**
   * What one reconcile does.
   *
   * @param create the scheduled time to create a child for
   * @param missed times that get no child, with why
   * @param replace active children to delete before {@code create} ({@code Replace})
   * @param prune finished children beyond the history limits
   * @param handled the latest due time (becomes {@code lastScheduleTime}); null = none was due
   * @param next the next fire time; null while suspended
   */
  public record Plan(
      Optional<Instant> create,
      List<MissedRun> missed,
      List<String> replace,
      List<String> prune,
      Instant handled,
      Instant next) {}

  /**
   * @param since the last handled time ({@code status.schedule.lastScheduleTime}), or the parent's
   *     creation time on its first reconcile
   * @param children the parent's children, as listed by {@link #LABEL_PARENT}
   */
  public static Plan plan(ScheduleSpec s, Instant since, List<TrainingRun> children, Instant now) {
    ZoneId zone = zone(s);
    ExecutionTime cron = ExecutionTime.forCron(CRON.parse(s.cron));
    List<Instant> due = new ArrayList<>();
    ZonedDateTime t = since.atZone(zone);
    while (due.size() < SCAN_LIMIT) {
      Optional<ZonedDateTime> n = cron.nextExecution(t);
      if (n.isEmpty() || n.get().toInstant().isAfter(now)) {
        break;
      }
      due.add(n.get().toInstant());
      t = n.get();
    }
    if (due.size() == SCAN_LIMIT) { // far behind: the latest due time is the one that counts
      cron.lastExecution(now.atZone(zone)).map(ZonedDateTime::toInstant).ifPresent(due::add);
    }
    List<String> prune = prune(s, children);
    if (Boolean.TRUE.equals(s.suspend)) {
      return new Plan(
          Optional.empty(), List.of(), List.of(), prune, due.isEmpty() ? null : last(due), null);
    }
    Instant next = cron.nextExecution(now.atZone(zone)).map(ZonedDateTime::toInstant).orElse(null);
    if (due.isEmpty()) {
      return new Plan(Optional.empty(), List.of(), List.of(), prune, null, next);
    }
    List<MissedRun> missed = new ArrayList<>();
    for (Instant old : due.subList(0, due.size() - 1)) {
      missed.add(new MissedRun(old.toString(), "NotRunInTime"));
    }
    Instant latest = last(due);
    boolean exists =
        children.stream().anyMatch(c -> latest.toString().equals(scheduledTime(c).orElse(null)));
    List<String> active = active(children);
    Optional<Instant> create = Optional.of(latest);
    List<String> replace = List.of();
    if (exists) {
      create = Optional.empty(); // created before a restart: nothing to do for this time
    } else if (!active.isEmpty() && policy(s) == ConcurrencyPolicy.FORBID) {
      missed.add(new MissedRun(latest.toString(), "ConcurrencyForbid"));
      create = Optional.empty();
    } else if (!active.isEmpty() && policy(s) == ConcurrencyPolicy.REPLACE) {
      replace = active;
    }
    return new Plan(create, missed, replace, prune, latest, next);
  }

  /** The child TrainingRun for a scheduled time: the parent's spec without schedule, dated. */
  public static TrainingRun child(TrainingRun parent, Instant scheduled) {
    ScheduleSpec s = parent.getSpec().schedule;
    TrainingRunSpec spec = JSON.convertValue(parent.getSpec(), TrainingRunSpec.class);
    spec.schedule = null;
    LocalDate day = scheduled.atZone(zone(s)).toLocalDate();
    int offset = s.window.endOffsetDays == null ? 1 : s.window.endOffsetDays;
    LocalDate to = day.minusDays(offset);
    spec.data.to = to.toString();
    spec.data.from = to.minusDays(s.window.days - 1L).toString();
    TrainingRun child = new TrainingRun();
    child.setMetadata(
        new ObjectMetaBuilder()
            .withName(childName(parent, scheduled))
            .withNamespace(parent.getMetadata().getNamespace())
            .withLabels(Map.of(LABEL_PARENT, parent.getMetadata().getName()))
            .withAnnotations(Map.of(ANNOTATION_TIME, scheduled.toString()))
            .withOwnerReferences(TrainingJobs.owner(parent))
            .build());
    child.setSpec(spec);
    return child;
  }

  /** {@code <parent>-<yyyyMMdd-HHmm>}, the scheduled time read in the schedule's zone. */
  public static String childName(TrainingRun parent, Instant scheduled) {
    return parent.getMetadata().getName()
        + "-"
        + NAME_TIME.format(scheduled.atZone(zone(parent.getSpec().schedule)));
  }

  /**
   * Applies a plan and the children's phases to the parent's schedule status.
   *
   * @param created the name of the child created for {@code plan.create()}, if any
   */
  public static void record(
      ScheduleStatus st, Plan plan, List<TrainingRun> children, Optional<String> created) {
    if (plan.handled() != null) {
      st.lastScheduleTime = plan.handled().toString();
    }
    st.nextScheduleTime = plan.next() == null ? null : plan.next().toString();
    List<TrainingRun> kept =
        children.stream().filter(c -> !plan.replace().contains(name(c))).toList();
    st.active = new ArrayList<>(active(kept));
    created.filter(n -> !st.active.contains(n)).ifPresent(st.active::add);
    newest(kept, "Succeeded")
        .ifPresent(
            c -> {
              st.lastSuccessfulRun = name(c);
              st.lastSuccessfulTime = scheduledTime(c).orElse(null);
            });
    newestFailed(kept).ifPresent(c -> st.lastFailedRun = name(c));
    st.missed.addAll(plan.missed());
    if (st.missed.size() > MISSED_KEPT) {
      st.missed =
          new ArrayList<>(st.missed.subList(st.missed.size() - MISSED_KEPT, st.missed.size()));
    }
    st.missedTotal = (st.missedTotal == null ? 0 : st.missedTotal) + plan.missed().size();
  }

  /** The scheduled time a child was created for. */
  public static Optional<String> scheduledTime(TrainingRun child) {
    Map<String, String> a = child.getMetadata().getAnnotations();
    return Optional.ofNullable(a == null ? null : a.get(ANNOTATION_TIME));
  }

  /** Names of the children that have not finished. */
  public static List<String> active(List<TrainingRun> children) {
    return children.stream()
        .filter(c -> !FINISHED.contains(phase(c)))
        .map(TrainingSchedules::name)
        .toList();
  }

  private static List<String> prune(ScheduleSpec s, List<TrainingRun> children) {
    int keepOk = s.successfulRunsHistoryLimit == null ? 3 : s.successfulRunsHistoryLimit;
    int keepFailed = s.failedRunsHistoryLimit == null ? 3 : s.failedRunsHistoryLimit;
    List<String> out = new ArrayList<>();
    List<TrainingRun> ok = byTimeNewestFirst(children, c -> "Succeeded".equals(phase(c)));
    List<TrainingRun> failed =
        byTimeNewestFirst(children, c -> "Failed".equals(phase(c)) || "Invalid".equals(phase(c)));
    ok.stream().skip(keepOk).map(TrainingSchedules::name).forEach(out::add);
    failed.stream().skip(keepFailed).map(TrainingSchedules::name).forEach(out::add);
    return out;
  }

  private static List<TrainingRun> byTimeNewestFirst(
      List<TrainingRun> children, java.util.function.Predicate<TrainingRun> which) {
    return children.stream()
        .filter(which)
        .sorted(Comparator.comparing((TrainingRun c) -> scheduledTime(c).orElse("")).reversed())
        .toList();
  }

  private static Optional<TrainingRun> newest(List<TrainingRun> children, String phase) {
    return byTimeNewestFirst(children, c -> phase.equals(phase(c))).stream().findFirst();
  }

  private static Optional<TrainingRun> newestFailed(List<TrainingRun> children) {
    return byTimeNewestFirst(children, c -> "Failed".equals(phase(c)) || "Invalid".equals(phase(c)))
        .stream()
        .findFirst();
  }

  private static String phase(TrainingRun c) {
    return c.getStatus() == null || c.getStatus().phase == null ? "Pending" : c.getStatus().phase;
  }

  private static String name(TrainingRun c) {
    return c.getMetadata().getName();
  }

  private static Instant last(List<Instant> xs) {
    return xs.get(xs.size() - 1);
  }

  private static ConcurrencyPolicy policy(ScheduleSpec s) {
    return s.concurrencyPolicy == null ? ConcurrencyPolicy.FORBID : s.concurrencyPolicy;
  }

  private static ZoneId zone(ScheduleSpec s) {
    return ZoneId.of(s.timeZone == null ? "UTC" : s.timeZone);
  }
}
