package io.liverec.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/** Model structure. Names map to layer classes through registries in the pipelines module. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelSpec {
  /**
   * Feature-interaction layers, combined: {@code fm}, {@code nfm}, {@code kfm}, {@code cross},
   * {@code autoint}, {@code bitint}. Empty = DNN only.
   */
  public List<String> interactions = new ArrayList<>(List.of("fm"));

  /**
   * KFM kernel sharing: {@code pair} (one d×d kernel per field pair), {@code field}, {@code
   * shared}.
   */
  public String kfmKernelSharing = "field";

  /** Number of DCN cross layers when {@code cross} is enabled. */
  public Integer crossLayers = 2;

  /** AutoInt / BitInt attention heads and layers. */
  public Integer attentionHeads = 2;

  public Integer attentionLayers = 1;

  /** Hidden sizes of the DNN part and of each task tower. */
  public List<Integer> hiddenUnits = new ArrayList<>(List.of(64, 32));

  public Integer embeddingDim = 16;

  public MultitaskSpec multitask = new MultitaskSpec();

  /** Recall (two-tower) settings; used when {@code task: recall}. */
  public RecallSpec recall = new RecallSpec();

  /** Multi-task structure and balancing. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class MultitaskSpec {
    /** Tasks trained: {@code ctr}, {@code cvr} (ESMM ctcvr), optionally {@code gift}. */
    public List<String> tasks = new ArrayList<>(List.of("ctr", "cvr"));

    /** {@code esmm} or {@code independent}. */
    public String structure = "esmm";

    /** Shared-bottom structure: {@code none}, {@code mmoe}, {@code cgc}. */
    public String experts = "none";

    public Integer numExperts = 4;

    /** CGC only: task-specific experts per task. */
    public Integer taskExperts = 1;

    /** {@code none} or {@code gradnorm}. */
    public String balancing = "none";

    /** GradNorm asymmetry α. */
    public Double alpha = 0.5;

    /** {@code none} or {@code pcgrad}. */
    public String gradientSurgery = "none";
  }

  /** Two-tower recall settings. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class RecallSpec {
    public Double temperature = 0.05;
    public Boolean logQCorrection = true;
    public Boolean multimodal = true;

    /** Extra random negatives mixed into the in-batch ones (0 = in-batch only). */
    public Integer mixedNegatives = 0;

    public Integer outputDim = 32;
  }
}
