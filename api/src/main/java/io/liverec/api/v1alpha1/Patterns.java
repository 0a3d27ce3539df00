package io.liverec.api.v1alpha1;

/** Regular expressions shared by the custom-resource schemas (OpenAPI {@code pattern}). */
public final class Patterns {
  /** A calendar day, {@code yyyy-MM-dd}. */
  public static final String DATE = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

  /** A metric name such as {@code ctcvr_auc} or {@code p99LatencyMs}. */
  public static final String METRIC = "^[A-Za-z][A-Za-z0-9_.@-]{0,62}$";

  /** An MLflow experiment / registered model / Triton model name. */
  public static final String NAME = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$";

  /** A feature or entity column name. */
  public static final String COLUMN = "^[A-Za-z_][A-Za-z0-9_]{0,63}$";

  /** A Kubernetes CPU quantity: {@code 2}, {@code 0.5}, {@code 500m}. */
  public static final String CPU = "^([0-9]+(\\.[0-9]+)?|[0-9]+m)$";

  /** A Kubernetes memory quantity: {@code 512Mi}, {@code 4Gi}, {@code 1G}. */
  public static final String MEMORY = "^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|K|M|G|T)?$";

  /**
   * A Spark memory size with its unit: {@code 512m}, {@code 4g} (Spark's notation, not
   * Kubernetes').
   */
  public static final String SPARK_MEMORY = "^[1-9][0-9]*[kmgtKMGT]$";

  /** A duration such as {@code 90s}, {@code 10m}, {@code 1h30m}, {@code 7d}. */
  public static final String DURATION = "^([0-9]+(ms|s|m|h|d))+$";

  /** A five-field cron schedule (minute hour day-of-month month day-of-week). */
  public static final String CRON = "^(\\S+\\s+){4}\\S+$";

  private Patterns() {}
}
