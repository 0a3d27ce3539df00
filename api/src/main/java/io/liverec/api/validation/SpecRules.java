package io.liverec.api.validation;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.liverec.api.v1alpha1.Durations;
import io.liverec.api.v1alpha1.FeatureView;
import io.liverec.api.v1alpha1.FeatureViewSpec;
import io.liverec.api.v1alpha1.ModelVersion;
import io.liverec.api.v1alpha1.ModelVersionSpec;
import io.liverec.api.v1alpha1.Patterns;
import io.liverec.api.v1alpha1.ScheduleSpec;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.v1alpha1.TrainingRunSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules a CRD schema cannot express, run on the typed resource (defaults applied). The same
 * class serves the reconcilers and the embedded CLI; schema and CEL rules are in the generated CRD.
 */
public final class SpecRules {
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  private static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");
  private static final Pattern METRIC = Pattern.compile(Patterns.METRIC);
  private static final Pattern MLFLOW_URI = Pattern.compile("^models:/([^/]+)/([0-9]+)$");
  private static final int[][] CRON_RANGES = {{0, 59}, {0, 23}, {1, 31}, {1, 12}, {0, 7}};
  private static final String[] CRON_FIELDS = {
    "minute", "hour", "day of month", "month", "day of week"
  };

  private SpecRules() {}

  /** Violations of the Java rules for any of the three kinds. */
  public static List<Violation> check(HasMetadata resource) {
    List<Violation> out = new ArrayList<>();
    String name = resource.getMetadata() == null ? null : resource.getMetadata().getName();
    if (name == null || name.isBlank()) {
      out.add(violation("metadata.name", "required field is missing"));
    } else if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
      out.add(
          violation(
              "metadata.name",
              "'" + name + "' is not a DNS subdomain (lower-case letters, digits, '-', '.')"));
    }
    if (resource instanceof TrainingRun tr && tr.getSpec() != null) {
      trainingRun(tr.getSpec(), out);
    } else if (resource instanceof FeatureView fv && fv.getSpec() != null) {
      featureView(fv.getSpec(), out);
    } else if (resource instanceof ModelVersion mv && mv.getSpec() != null) {
      modelVersion(mv.getSpec(), out);
    } else {
      out.add(violation("spec", "required field is missing"));
    }
    return out;
  }

  private static void trainingRun(TrainingRunSpec spec, List<Violation> out) {
    if (spec.data != null && spec.data.featureViews != null) {
      for (int i = 0; i < spec.data.featureViews.size(); i++) {
        String fv = spec.data.featureViews.get(i);
        if (fv == null || !DNS_SUBDOMAIN.matcher(fv).matches()) {
          out.add(
              violation(
                  "spec.data.featureViews[" + i + "]",
                  "'" + fv + "' is not the name of a FeatureView resource"));
        }
      }
    }
    if (spec.schedule != null) {
      schedule(spec.schedule, out);
    }
    if (spec.releaseGates != null
        && spec.releaseGates.noRegression != null
        && spec.releaseGates.noRegression.metrics != null) {
      List<String> metrics = spec.releaseGates.noRegression.metrics;
      for (int i = 0; i < metrics.size(); i++) {
        String m = metrics.get(i);
        if (m == null || !METRIC.matcher(m).matches()) {
          out.add(
              violation(
                  "spec.releaseGates.noRegression.metrics[" + i + "]",
                  "'" + m + "' is not a metric name such as ctcvr_auc"));
        }
      }
    }
    if (spec.deploy != null && spec.deploy.rollout != null) {
      rollout(spec.deploy.rollout, "spec.deploy.rollout", out);
    }
    if (spec.data != null && spec.data.from != null && !validDate(spec.data.from)) {
      out.add(violation("spec.data.from", "'" + spec.data.from + "' is not a calendar day"));
    }
    if (spec.data != null && spec.data.to != null && !validDate(spec.data.to)) {
      out.add(violation("spec.data.to", "'" + spec.data.to + "' is not a calendar day"));
    }
  }

  private static void featureView(FeatureViewSpec spec, List<Violation> out) {
    if (spec.ttl != null && !Durations.isValid(spec.ttl)) {
      out.add(violation("spec.ttl", "'" + spec.ttl + "' is not a duration such as 24h"));
    }
    if (spec.materialization != null && spec.materialization.schedule != null) {
      cron(spec.materialization.schedule, "spec.materialization.schedule", out);
    }
  }

  /** A five-field cron expression, each field within its range. */
  private static void cron(String expression, String path, List<Violation> out) {
    String[] fields = expression.trim().split("\\s+");
    if (fields.length != 5) {
      out.add(
          violation(
              path, "a cron schedule has 5 fields (minute hour day-of-month month day-of-week)"));
      return;
    }
    for (int i = 0; i < 5; i++) {
      String problem = cronField(fields[i], CRON_RANGES[i][0], CRON_RANGES[i][1]);
      if (problem != null) {
        out.add(violation(path, CRON_FIELDS[i] + " field: " + problem));
      }
    }
  }

  private static void schedule(ScheduleSpec schedule, List<Violation> out) {
    if (schedule.cron != null) {
      cron(schedule.cron, "spec.schedule.cron", out);
    }
    if (schedule.timeZone != null) {
      try {
        java.time.ZoneId.of(schedule.timeZone);
      } catch (java.time.DateTimeException e) {
        out.add(
            violation(
                "spec.schedule.timeZone",
                "'" + schedule.timeZone + "' is not a time zone such as UTC or Asia/Shanghai"));
      }
    }
  }

  private static void modelVersion(ModelVersionSpec spec, List<Violation> out) {
    if (spec.source != null && spec.source.mlflow != null) {
      Matcher m = MLFLOW_URI.matcher(spec.source.mlflow);
      if (!m.matches()) {
        out.add(
            violation(
                "spec.source.mlflow",
                "'" + spec.source.mlflow + "' is not models:/<registered model>/<version>"));
      } else if (!m.group(1).equals(spec.model)
          || (spec.version != null && !m.group(2).equals(String.valueOf(spec.version)))) {
        out.add(
            violation(
                "spec.source.mlflow",
                "'"
                    + spec.source.mlflow
                    + "' names a different model version than spec.model/spec.version ("
                    + spec.model
                    + "/"
                    + spec.version
                    + ")"));
      }
    }
    if (spec.model != null && !DNS_LABEL.matcher(spec.model.toLowerCase()).matches()) {
      out.add(violation("spec.model", "'" + spec.model + "' cannot name a Triton model"));
    }
    if (spec.rollout != null) {
      rollout(spec.rollout, "spec.rollout", out);
    }
  }

  /** Step pauses and the analysis interval of a rollout at {@code path}. */
  private static void rollout(ModelVersionSpec.Rollout rollout, String path, List<Violation> out) {
    if (rollout.steps != null) {
      for (int i = 0; i < rollout.steps.size(); i++) {
        String pause = rollout.steps.get(i).pause;
        if (pause != null && !Durations.isValid(pause)) {
          out.add(violation(path + ".steps[" + i + "].pause", "'" + pause + "' is invalid"));
        }
      }
    }
    if (rollout.analysis != null
        && rollout.analysis.interval != null
        && Durations.isValid(rollout.analysis.interval)
        && Durations.parse(rollout.analysis.interval).isZero()) {
      out.add(violation(path + ".analysis.interval", "must be longer than 0s"));
    }
  }

  private static String cronField(String field, int min, int max) {
    for (String part : field.split(",")) {
      String range = part;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        String step = part.substring(slash + 1);
        if (!step.matches("[0-9]+") || Integer.parseInt(step) == 0) {
          return "'" + part + "' has an invalid step";
        }
        range = part.substring(0, slash);
      }
      if (range.equals("*")) {
        continue;
      }
      for (String bound : range.split("-", -1)) {
        if (!bound.matches("[0-9]{1,2}")) {
          return "'" + part + "' is not a number, range or */step";
        }
        int v = Integer.parseInt(bound);
        if (v < min || v > max) {
          return "'" + part + "' is outside " + min + ".." + max;
        }
      }
    }
    return null;
  }

  private static boolean validDate(String day) {
    try {
      java.time.LocalDate.parse(day);
      return true;
    } catch (java.time.format.DateTimeParseException e) {
      return false;
    }
  }

  private static Violation violation(String path, String message) {
    return new Violation(path, message, Violation.Source.JAVA);
  }
}
