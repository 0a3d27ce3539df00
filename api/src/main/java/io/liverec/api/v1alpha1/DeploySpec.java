package io.liverec.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * What a TrainingRun deploys when it passes its gates: the operator creates the next ModelVersion
 * ({@code <registeredModel>-v<version>}) for the version the run registered, with these settings,
 * and its canary starts. Failed gates create nothing; the run's status says which gate failed and
 * by how much.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeploySpec {
  /** Model name in the inference server; unset = {@code tracking.registeredModel}. */
  @Pattern(Patterns.NAME)
  public String model;

  public ModelVersionSpec.Triton triton = new ModelVersionSpec.Triton();

  /** The canary steps and analysis of every ModelVersion this run creates. */
  @Required public ModelVersionSpec.Rollout rollout = new ModelVersionSpec.Rollout();
}
