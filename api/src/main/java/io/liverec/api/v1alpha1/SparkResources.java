package io.liverec.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/**
 * The Spark driver and executors of a run with {@code spec.data.engine: spark} on a cluster: the
 * SparkApplication the operator submits before the trainer Job samples and joins with these
 * (ignored embedded, where the engine runs in-process). Memory is in Spark's own notation ({@code
 * 512m}, {@code 4g}), which the Spark operator turns into pod requests plus overhead.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SparkResources {
  public Driver driver = new Driver();
  public Executor executor = new Executor();

  /** The driver pod. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Driver {
    @Min(1)
    @Max(64)
    public Integer cores = 1;

    @Pattern(Patterns.SPARK_MEMORY)
    public String memory = "2g";
  }

  /** The executor pods. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Executor {
    @Min(1)
    @Max(1000)
    public Integer instances = 2;

    @Min(1)
    @Max(64)
    public Integer cores = 1;

    @Pattern(Patterns.SPARK_MEMORY)
    public String memory = "2g";
  }
}
