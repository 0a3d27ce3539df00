package io.liverec.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * A TrainingRun with a schedule is a template: at every time its cron expression names, the
 * operator creates a dated child TrainingRun with the same spec, no schedule, and the data window
 * resolved to calendar days ending {@code window.endOffsetDays} before the scheduled day.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScheduleSpec {
  /** Five-field cron expression (minute hour day-of-month month day-of-week), e.g. "0 3 * * *". */
  @Required
  @Pattern(Patterns.CRON)
  @Size(max = 100)
  public String cron;

  /** IANA time zone the cron expression and the window's days are read in. */
  @Size(max = 64)
  public String timeZone = "UTC";

  /** What to do when a run is due while an earlier child is still running. */
  public ConcurrencyPolicy concurrencyPolicy = ConcurrencyPolicy.FORBID;

  /** True = create no new children (running ones continue); missed times are not caught up. */
  public Boolean suspend = false;

  /** Succeeded children kept; older ones are deleted. */
  @Min(0)
  @Max(100)
  public Integer successfulRunsHistoryLimit = 3;

  /** Failed children kept; older ones are deleted. */
  @Min(0)
  @Max(100)
  public Integer failedRunsHistoryLimit = 3;

  @Required public WindowSpec window = new WindowSpec();

  /** The data window of a child, relative to its scheduled day. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class WindowSpec {
    /** Days of events the child trains and evaluates on (its data.from .. data.to). */
    @Required
    @Min(1)
    @Max(365)
    public Integer days = 7;

    /** Days between the window's last day and the scheduled day; 1 = up to yesterday. */
    @Min(0)
    @Max(365)
    public Integer endOffsetDays = 1;
  }

  /** Concurrency of scheduled children (the same three policies as a Kubernetes CronJob). */
  public enum ConcurrencyPolicy {
    /** Skip the due run while one is active; the skipped time is recorded as missed. */
    @JsonProperty("Forbid")
    FORBID,
    /** Start the due run next to the active ones. */
    @JsonProperty("Allow")
    ALLOW,
    /** Delete the active runs, then start the due one. */
    @JsonProperty("Replace")
    REPLACE
  }
}
