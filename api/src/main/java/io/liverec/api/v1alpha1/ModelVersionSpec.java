package io.liverec.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** A model version served by the inference server, and how traffic moves to it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelVersionSpec {
  /** Model name in the inference server and the MLflow registry, e.g. {@code live-ranker}. */
  @Required
  @Pattern(Patterns.NAME)
  public String model;

  /** Version number (the MLflow registered-model version). */
  @Required
  @Min(1)
  public Integer version;

  @Required public Source source = new Source();

  public Triton triton = new Triton();

  @Required public Rollout rollout = new Rollout();

  /** Where the model comes from: exactly one of {@code mlflow} or {@code uri}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "has(self.mlflow) != has(self.uri)",
      message = "source needs exactly one of mlflow or uri")
  public static class Source {
    /** MLflow model URI, e.g. {@code models:/live-ranker/7}. */
    @Pattern("^models:/.+")
    public String mlflow;

    /** Directory or file holding a Triton model version, e.g. {@code file:///models/ranker/7}. */
    @Pattern("^(file|s3|s3a|gs|https?)://.+|^/.+")
    public String uri;
  }

  /** Inference-server settings of the version. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Triton {
    @Min(0)
    @Max(65536)
    public Integer maxBatchSize = 1024;

    public Boolean dynamicBatching = true;

    @Min(1)
    @Max(16)
    public Integer instances = 1;
  }

  /** Canary steps and the analysis that gates each step. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value =
          "(size(self.steps) < 2 || self.steps[0].weight < self.steps[1].weight)"
              + " && (size(self.steps) < 3 || self.steps[1].weight < self.steps[2].weight)"
              + " && (size(self.steps) < 4 || self.steps[2].weight < self.steps[3].weight)"
              + " && (size(self.steps) < 5 || self.steps[3].weight < self.steps[4].weight)"
              + " && (size(self.steps) < 6 || self.steps[4].weight < self.steps[5].weight)"
              + " && (size(self.steps) < 7 || self.steps[5].weight < self.steps[6].weight)"
              + " && (size(self.steps) < 8 || self.steps[6].weight < self.steps[7].weight)"
              + " && (size(self.steps) < 9 || self.steps[7].weight < self.steps[8].weight)"
              + " && (size(self.steps) < 10 || self.steps[8].weight < self.steps[9].weight)",
      message = "rollout step weights must be strictly increasing",
      fieldPath = ".steps")
  public static class Rollout {
    /** Traffic steps; after the last one the version is promoted (100 %). */
    @Required
    @Size(min = 1, max = 10)
    public List<Step> steps = new ArrayList<>();

    @Required public Analysis analysis = new Analysis();

    /**
     * Manual control of a rollout under way: {@code Run} (default) walks the steps; {@code Pause}
     * holds the current weight and runs no analysis until set back to Run; {@code Abort} rolls back
     * now; {@code Promote} sends all traffic to the version now. Each takes effect at the next
     * reconcile and is told as an Event; a finished rollout ignores it.
     */
    public Control control = Control.RUN;
  }

  /** See {@link Rollout#control}. */
  public enum Control {
    @com.fasterxml.jackson.annotation.JsonProperty("Run")
    RUN,
    @com.fasterxml.jackson.annotation.JsonProperty("Pause")
    PAUSE,
    @com.fasterxml.jackson.annotation.JsonProperty("Abort")
    ABORT,
    @com.fasterxml.jackson.annotation.JsonProperty("Promote")
    PROMOTE
  }

  /** One canary step: the traffic share, held at least {@code pause}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Step {
    /** Percentage of traffic sent to this version during the step (1..100). */
    @Required
    @Min(1)
    @Max(100)
    public Integer weight;

    /** Minimum time in the step before advancing, e.g. {@code 10m}; absent = one analysis. */
    @Pattern(Patterns.DURATION)
    public String pause;

    public Step() {}

    public Step(int weight, String pause) {
      this.weight = weight;
      this.pause = pause;
    }
  }

  /** How each step is judged. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Analysis {
    /** Time between analysis runs, e.g. {@code 1m}. */
    @Pattern(Patterns.DURATION)
    public String interval = "1m";

    /** Failed analysis runs tolerated; one more rolls the version back. */
    @Min(0)
    @Max(100)
    public Integer failureLimit = 0;

    @Required
    @Size(min = 1, max = 20)
    public List<Metric> metrics = new ArrayList<>();
  }

  /** A metric criterion: {@code min <= value <= max}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "has(self.min) || has(self.max)",
      message = "an analysis metric needs min or max")
  @ValidationRule(
      value = "self.name in " + AnalysisMetrics.ALL_CEL,
      message =
          "unknown analysis metric; one of p99LatencyMs, p50LatencyMs, errorRate, ctrLift,"
              + " conversionLift, giftLift",
      fieldPath = ".name")
  @ValidationRule(
      value =
          "!has(self.test) || self.test != 'sequential' || self.name in "
              + AnalysisMetrics.SEQUENTIAL_CEL,
      message = "a sequential test needs an outcome lift: ctrLift, conversionLift or giftLift",
      fieldPath = ".test")
  @ValidationRule(
      value = "!has(self.min) || !has(self.max) || self.min <= self.max",
      message = "analysis metric min must not exceed max",
      fieldPath = ".min")
  public static class Metric {
    @Required
    @Pattern(Patterns.METRIC)
    public String name;

    public Double min;
    public Double max;

    /** {@code threshold} compares the observed value; {@code sequential} a sequential test. */
    public Test test = Test.THRESHOLD;

    public Metric() {}

    public Metric(String name, Double min, Double max) {
      this.name = name;
      this.min = min;
      this.max = max;
    }
  }

  /** How a metric is judged. */
  public enum Test {
    @JsonProperty("threshold")
    THRESHOLD,
    @JsonProperty("sequential")
    SEQUENTIAL
  }
}
