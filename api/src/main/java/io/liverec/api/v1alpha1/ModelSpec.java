package io.liverec.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** Model structure. Names map to layer classes through registries in the pipelines module. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.interactions) || self.interactions.all(i, i in ['fm', 'nfm', 'kfm', 'cross',"
            + " 'autoint', 'bitint'])",
    message = "interactions must be among fm, nfm, kfm, cross, autoint, bitint",
    fieldPath = ".interactions")
@ValidationRule(
    value = "!has(self.hiddenUnits) || self.hiddenUnits.all(h, h >= 1 && h <= 4096)",
    message = "hiddenUnits must each be in 1..4096",
    fieldPath = ".hiddenUnits")
public class ModelSpec {
  /**
   * Feature-interaction layers, combined: {@code fm}, {@code nfm}, {@code kfm}, {@code cross},
   * {@code autoint}, {@code bitint}. Empty = DNN only.
   */
  @Size(max = 6)
  public List<String> interactions = new ArrayList<>(List.of("fm"));

  /**
   * KFM kernel sharing: {@code pair} (one d×d kernel per field pair), {@code field}, {@code
   * shared}.
   */
  @Pattern("^(pair|field|shared)$")
  public String kfmKernelSharing = "field";

  /** Number of DCN cross layers when {@code cross} is enabled. */
  @Min(1)
  @Max(8)
  public Integer crossLayers = 2;

  /**
   * Form of each cross layer: {@code vector} (DCN, Wang et al. 2017: x₀·(x_lᵀw_l) + b_l + x_l, one
   * weight vector per layer) or {@code matrix} (DCN-V2, Wang et al. 2021: x₀ ⊙ (W_l x_l + b_l) +
   * x_l, a full k×k matrix per layer). The vector form adds one rank-one product per layer; the
   * matrix form can express any bounded-degree polynomial of the embeddings (docs/ABLATIONS.md).
   */
  @Pattern("^(vector|matrix)$")
  public String crossForm = "vector";

  /** AutoInt / BitInt attention heads and layers. */
  @Min(1)
  @Max(16)
  public Integer attentionHeads = 2;

  @Min(1)
  @Max(8)
  public Integer attentionLayers = 1;

  /** Hidden sizes of the DNN part and of each task tower. */
  @Size(max = 8)
  public List<Integer> hiddenUnits = new ArrayList<>(List.of(64, 32));

  @Min(1)
  @Max(512)
  public Integer embeddingDim = 16;

  /**
   * Field embeddings the multimodal content vectors are projected into (each of embeddingDim
   * units). 1 (default): one field, so interaction layers see the content through embeddingDim
   * linear features; more fields let them form products of more content directions (a quadratic
   * form of the content of rank r needs about r / embeddingDim fields; docs/ABLATIONS.md).
   */
  @Min(1)
  @Max(16)
  public Integer multimodalFields = 1;

  public MultitaskSpec multitask = new MultitaskSpec();

  /** Recall (two-tower) settings; used when {@code task: recall}. */
  public RecallSpec recall = new RecallSpec();

  /** Multi-task structure and balancing. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @ValidationRule(
      value = "!has(self.tasks) || self.tasks.all(t, t in ['ctr', 'cvr', 'gift'])",
      message = "tasks must be among ctr, cvr, gift",
      fieldPath = ".tasks")
  @ValidationRule(
      value =
          "!has(self.gradientSurgery) || self.gradientSurgery != 'pcgrad' || !has(self.tasks)"
              + " || size(self.tasks) >= 2",
      message = "gradientSurgery pcgrad needs at least 2 tasks",
      fieldPath = ".gradientSurgery")
  @ValidationRule(
      value =
          "!has(self.pcgradScope) || (has(self.gradientSurgery) && self.gradientSurgery =="
              + " 'pcgrad')",
      message = "pcgradScope needs gradientSurgery pcgrad",
      fieldPath = ".pcgradScope")
  @ValidationRule(
      value =
          "!has(self.balancing) || self.balancing != 'gradnorm' || !has(self.tasks)"
              + " || size(self.tasks) >= 2",
      message = "balancing gradnorm needs at least 2 tasks",
      fieldPath = ".balancing")
  @ValidationRule(
      value =
          "!has(self.structure) || self.structure != 'esmm' || !has(self.tasks)"
              + " || ('ctr' in self.tasks && 'cvr' in self.tasks)",
      message = "structure esmm needs the tasks ctr and cvr",
      fieldPath = ".structure")
  public static class MultitaskSpec {
    /** Tasks trained: {@code ctr}, {@code cvr} (ESMM ctcvr), optionally {@code gift}. */
    @Size(min = 1, max = 8)
    public List<String> tasks = new ArrayList<>(List.of("ctr", "cvr"));

    /** {@code esmm} or {@code independent}. */
    @Pattern("^(esmm|independent)$")
    @Size(max = 16)
    public String structure = "esmm";

    /** Shared-bottom structure: {@code none}, {@code mmoe}, {@code cgc}. */
    @Pattern("^(none|mmoe|cgc)$")
    public String experts = "none";

    @Min(1)
    @Max(64)
    public Integer numExperts = 4;

    /** CGC only: task-specific experts per task. */
    @Min(0)
    @Max(16)
    public Integer taskExperts = 1;

    /** {@code none} or {@code gradnorm}. */
    @Pattern("^(none|gradnorm)$")
    @Size(max = 16)
    public String balancing = "none";

    /** GradNorm asymmetry α. */
    @Min(0)
    @Max(10)
    public Double alpha = 0.5;

    /** {@code none} or {@code pcgrad}. */
    @Pattern("^(none|pcgrad)$")
    @Size(max = 16)
    public String gradientSurgery = "none";

    /**
     * PCGrad only: over what a conflict is measured. {@code global} (default, the paper's form):
     * one dot product over every shared variable, so the whole gradient is projected or none of it.
     * {@code variable}: a dot product and projection per shared variable, so a conflict on one
     * tensor (say the room embedding table) is projected even when the tasks agree elsewhere.
     * {@code row}: per row of each lookup table (one id's embedding), per variable for the rest, so
     * a conflict on a few rooms is projected for those rooms only.
     */
    @Pattern("^(global|variable|row)$")
    @Size(max = 16)
    public String pcgradScope;
  }

  /** Two-tower recall settings. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class RecallSpec {
    @Min(value = 0, inclusive = false)
    @Max(10)
    public Double temperature = 0.05;

    public Boolean logQCorrection = true;
    public Boolean multimodal = true;

    /** Extra random negatives mixed into the in-batch ones (0 = in-batch only). */
    @Min(0)
    public Integer mixedNegatives = 0;

    @Min(1)
    @Max(1024)
    public Integer outputDim = 32;
  }
}
