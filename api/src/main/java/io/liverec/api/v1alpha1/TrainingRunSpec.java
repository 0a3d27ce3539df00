package io.liverec.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/**
 * What a TrainingRun trains. One definition shared by the operator, the CLI's embedded mode and the
 * trainer Job. Defaults here are the documented defaults of the custom resource.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.deploy) || (has(self.tracking) && has(self.tracking.registeredModel))",
    message = "deploy needs tracking.registeredModel: the ModelVersion serves a registered version",
    fieldPath = ".deploy")
@ValidationRule(
    value =
        "!has(self.schedule) || !has(self.data) || (!has(self.data.from) && !has(self.data.to))",
    message = "data.from and data.to must be unset on a scheduled run: schedule.window sets them",
    fieldPath = ".data")
@ValidationRule(
    value =
        "!has(self.releaseGates) || !has(self.releaseGates.noRegression)"
            + " || (has(self.tracking) && has(self.tracking.registeredModel))",
    message =
        "releaseGates.noRegression needs tracking.registeredModel: the champion is a version of it",
    fieldPath = ".releaseGates.noRegression")
public class TrainingRunSpec {
  /** {@code ranking} or {@code recall}. */
  public Task task = Task.RANKING;

  @Required public DataSpec data = new DataSpec();
  public ModelSpec model = new ModelSpec();
  public TrainingSpec training = new TrainingSpec();
  public ResourcesSpec resources = new ResourcesSpec();
  public TrackingSpec tracking = new TrackingSpec();

  /**
   * Set = this run is a template that creates a dated child run at each scheduled time (see {@link
   * ScheduleSpec}); it trains nothing itself. Its {@code data.from}/{@code data.to} must be unset:
   * the window sets them for each child.
   */
  public ScheduleSpec schedule;

  /** Set = a run that passes its gates creates the next ModelVersion (see {@link DeploySpec}). */
  public DeploySpec deploy;

  /** Quality gates that must hold before the model is registered as a challenger. */
  @Size(max = 20)
  public List<Gate> gates = new ArrayList<>();

  /** No regression against the champion, ONNX parity, model size; each off while unset. */
  public ReleaseGates releaseGates;
}
