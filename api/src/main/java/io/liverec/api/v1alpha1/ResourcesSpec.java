package io.liverec.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Resources of the trainer Job (and of its Spark stage) on a cluster (ignored embedded). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourcesSpec {
  /** CPU request and limit as a Kubernetes quantity, e.g. {@code 2} or {@code 500m}. */
  @Pattern(Patterns.CPU)
  public String cpu = "2";

  /** Memory request and limit as a Kubernetes quantity, e.g. {@code 4Gi}. */
  @Pattern(Patterns.MEMORY)
  public String memory = "4Gi";

  /** {@code nvidia.com/gpu} limit; 0 = CPU only. */
  @Min(0)
  @Max(16)
  public Integer gpu = 0;

  /** Job retries before the run is Failed. */
  @Min(0)
  @Max(20)
  public Integer backoffLimit = 1;

  /** Job deadline in seconds (activeDeadlineSeconds); null = none. */
  @Min(1)
  public Long deadlineSeconds;

  /**
   * Driver and executors of the SparkApplication that samples and joins first when {@code
   * data.engine} is {@code spark}; its retries are {@link #backoffLimit}.
   */
  public SparkResources spark = new SparkResources();
}
