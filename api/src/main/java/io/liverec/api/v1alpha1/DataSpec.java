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

/** Where the events come from and how impressions become samples. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.from) || !has(self.to) || self.from <= self.to",
    message = "data.from must not be after data.to",
    fieldPath = ".from")
public class DataSpec {
  /** URI of the event log root (Parquet partitioned by day), e.g. {@code file:///data/events}. */
  @Required
  @Pattern("^(file|s3|s3a|gs|hdfs|https?)://.+|^/.+")
  public String events;

  /** First day (inclusive, {@code yyyy-MM-dd}); null = from the first day present. */
  @Pattern(Patterns.DATE)
  @Size(max = 10)
  public String from;

  /** Last day (inclusive, {@code yyyy-MM-dd}); null = up to the last day present. */
  @Pattern(Patterns.DATE)
  @Size(max = 10)
  public String to;

  /** Days at the end of the window held out for evaluation (time-based split). */
  @Min(0)
  @Max(365)
  public Integer holdoutDays = 1;

  /**
   * Whole days at the end of the training window (before the holdout) used as the early-stopping
   * validation; unset or 0 = the latest tenth of the training rows by time. Whole days matter when
   * a feature is fixed within a day (a live session's content): a validation inside the training
   * days sees the same sessions and rewards memorising them.
   */
  @Min(0)
  @Max(365)
  public Integer validationDays;

  public SamplingSpec sampling = new SamplingSpec();
  public LabelsSpec labels = new LabelsSpec();
  public WeightsSpec weights = new WeightsSpec();

  /** Names of FeatureView resources joined point-in-time onto the samples. */
  public List<String> featureViews = new ArrayList<>();

  /**
   * Engine of the point-in-time join with {@link #featureViews}: {@code duckdb} (embedded, the
   * default) or {@code spark} (the same SQL on Spark SQL; Spark must be on the trainer's class
   * path, else the run fails naming this field). Both give every sample the same values. On a
   * cluster, {@code spark} has the operator submit a SparkApplication that samples and joins before
   * the trainer Job, which then trains on its output ({@link ResourcesSpec#spark}).
   */
  public Engine engine = Engine.DUCKDB;

  /** Engines of the point-in-time join (one SQL text, {@code PointInTimeSql}). */
  public enum Engine {
    @JsonProperty("duckdb")
    DUCKDB,
    @JsonProperty("spark")
    SPARK
  }

  /** Negative sampling strategy of the seed talk. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value =
          "!has(self.noClick) || self.noClick != 'keepTopK' || (has(self.noClickTopK) && self.noClickTopK >= 1)",
      message = "noClick keepTopK needs noClickTopK >= 1",
      fieldPath = ".noClickTopK")
  public static class SamplingSpec {
    public Strategy strategy = Strategy.SKIP_ABOVE;

    /** Click-Around window k: keep non-clicked impressions within ±k positions of a click. */
    @Min(0)
    @Max(50)
    public Integer window = 2;

    /**
     * Skip-Above only: what to do with requests that have no click. {@code drop} (default) keeps
     * nothing; {@code keepTopK} keeps the first {@link #noClickTopK} impressions as negatives.
     */
    public NoClickPolicy noClick = NoClickPolicy.DROP;

    @Min(0)
    @Max(1000)
    public Integer noClickTopK = 0;
  }

  /** Sampling strategies. */
  public enum Strategy {
    @JsonProperty("skip-above")
    SKIP_ABOVE,
    @JsonProperty("click-around")
    CLICK_AROUND,
    @JsonProperty("all")
    ALL
  }

  /** Skip-Above's treatment of requests without any click. */
  public enum NoClickPolicy {
    @JsonProperty("drop")
    DROP,
    @JsonProperty("keepTopK")
    KEEP_TOP_K
  }

  /** Label rules. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class LabelsSpec {
    /** conversion = click ∧ watch seconds ≥ this threshold. */
    @Min(0)
    public Integer conversionWatchSeconds = 30;
  }

  /**
   * Behaviour weights wᵢ of a positive sample's weight Σ wᵢ·fᵢ. The fᵢ are documented in
   * docs/DATA.md.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class WeightsSpec {
    @Min(0)
    public Double gift = 5.0;

    @Min(0)
    public Double flower = 2.0;

    @Min(0)
    public Double watch = 1.0;

    @Min(0)
    public Double asyncView = 0.5;
  }
}
