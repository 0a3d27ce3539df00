package io.liverec.pipelines.export;

import io.liverec.api.v1alpha1.ModelSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** The ranking ablation ladder as spec edits on a small base model (tests only). */
final class AblationLadder {
  private AblationLadder() {}

  static ModelSpec base() {
    ModelSpec m = new ModelSpec();
    m.embeddingDim = 4;
    m.hiddenUnits = new ArrayList<>(List.of(16, 8));
    m.interactions = new ArrayList<>(List.of("fm"));
    m.multitask.structure = "independent";
    m.multitask.numExperts = 2;
    return m;
  }

  static Map<String, Consumer<ModelSpec>> rungs() {
    Map<String, Consumer<ModelSpec>> r = new LinkedHashMap<>();
    r.put("DeepFM", m -> {});
    r.put("DeepNFM", m -> m.interactions = list("nfm"));
    r.put("DeepKFM", m -> m.interactions = list("kfm"));
    r.put(
        "+Cross",
        m -> {
          m.interactions = list("kfm", "cross");
          m.crossForm = "matrix";
        });
    r.put("+Cross (vector form)", m -> m.interactions = list("kfm", "cross"));
    r.put(
        "+AutoInt",
        m -> {
          m.interactions = list("kfm", "cross", "autoint");
          m.crossForm = "matrix";
        });
    r.put(
        "BitInt",
        m -> {
          m.interactions = list("kfm", "cross", "bitint");
          m.crossForm = "matrix";
        });
    r.put(
        "+AutoInt (4 content fields)",
        m -> {
          m.interactions = list("kfm", "cross", "autoint");
          m.crossForm = "matrix";
          m.multimodalFields = 4;
        });
    r.put(
        "BitInt (4 content fields)",
        m -> {
          m.interactions = list("kfm", "cross", "bitint");
          m.crossForm = "matrix";
          m.multimodalFields = 4;
        });
    r.put("AutoInt (no cross)", m -> m.interactions = list("kfm", "autoint"));
    r.put("BitInt (no cross)", m -> m.interactions = list("kfm", "bitint"));
    r.put("ESMM", m -> m.multitask.structure = "esmm");
    r.put(
        "+GradNorm",
        m -> {
          m.multitask.structure = "esmm";
          m.multitask.balancing = "gradnorm";
        });
    r.put(
        "+FM",
        m -> {
          m.multitask.structure = "esmm";
          m.multitask.balancing = "gradnorm";
          m.interactions = list("fm", "kfm", "cross");
        });
    r.put(
        "+MMoE",
        m -> {
          m.multitask.structure = "esmm";
          m.multitask.balancing = "gradnorm";
          m.interactions = list("fm", "kfm", "cross");
          m.multitask.experts = "mmoe";
        });
    r.put(
        "+CGC",
        m -> {
          m.multitask.structure = "esmm";
          m.multitask.balancing = "gradnorm";
          m.interactions = list("fm", "kfm", "cross");
          m.multitask.experts = "cgc";
        });
    r.put(
        "+PCGrad",
        m -> {
          m.multitask.structure = "esmm";
          m.multitask.balancing = "gradnorm";
          m.interactions = list("fm", "kfm", "cross", "autoint");
          m.multitask.experts = "cgc";
          m.multitask.gradientSurgery = "pcgrad";
        });
    return r;
  }

  private static List<String> list(String... names) {
    return new ArrayList<>(List.of(names));
  }
}
