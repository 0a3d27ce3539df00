package io.liverec.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** What a FeatureView registers: entities (join keys), features, the offline source, the TTL. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.features.all(f, size(self.features.filter(g, g.name == f.name)) == 1)",
    message = "feature names must be unique",
    fieldPath = ".features")
@ValidationRule(
    value = "self.features.all(f, !self.entities.exists(e, e.name == f.name))",
    message = "a feature must not have the name of an entity",
    fieldPath = ".features")
@ValidationRule(
    value = "!has(self.materialization) || !has(self.online) || self.online",
    message = "materialization needs online: true (it writes the online store)",
    fieldPath = ".materialization")
public class FeatureViewSpec {
  /** Join keys, e.g. {@code user_id: INT64}. */
  @Required
  @Size(min = 1, max = 8)
  public List<Field> entities = new ArrayList<>();

  /** Feature columns served by this view. */
  @Required
  // At most 300: the uniqueness rule compares every pair, and the API server rejects CRDs whose
  // estimated CEL cost exceeds its budget.
  @Size(min = 1, max = 300)
  public List<Field> features = new ArrayList<>();

  @Required public Source source = new Source();

  /** How long a value stays valid after its event time, e.g. {@code 24h}; {@code 0s} = forever. */
  @Pattern(Patterns.DURATION)
  public String ttl = "24h";

  /** Whether the view is materialized to the online store. */
  public Boolean online = true;

  /** Scheduled materialization; absent = materialize on demand only. */
  public Materialization materialization;

  /** Free-form tags copied into the registry. */
  public java.util.Map<String, String> tags = new java.util.LinkedHashMap<>();

  /** A named, typed column. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Field {
    @Required
    @Pattern(Patterns.COLUMN)
    @Size(max = 64)
    public String name;

    @Required public ValueType type;

    public String description;

    public Field() {}

    public Field(String name, ValueType type) {
      this.name = name;
      this.type = type;
    }
  }

  /** Value types, named as Feast's {@code ValueType}. */
  public enum ValueType {
    INT32,
    INT64,
    FLOAT,
    DOUBLE,
    STRING,
    BOOL,
    BYTES,
    UNIX_TIMESTAMP,
    INT64_LIST,
    FLOAT_LIST,
    DOUBLE_LIST,
    STRING_LIST
  }

  /** The offline (batch) source of the view. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Source {
    /** Parquet file or directory, e.g. {@code file:///data/features/user_profile}. */
    @Required
    @Pattern("^(file|s3|s3a|gs|hdfs|https?)://.+|^/.+")
    public String uri;

    /** Event-time column used by point-in-time joins. */
    @Required
    @Pattern(Patterns.COLUMN)
    public String timestampField;

    /** Optional creation-time column that breaks ties between equal event times. */
    @Pattern(Patterns.COLUMN)
    public String createdTimestampField;
  }

  /** A materialization CronJob. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Materialization {
    /** Five-field cron schedule, e.g. {@code "*}{@code /10 * * * *"}. */
    @Required
    @Pattern(Patterns.CRON)
    public String schedule;

    /** Retries of one materialization Job. */
    @Min(0)
    @Max(10)
    public Integer backoffLimit = 1;
  }
}
