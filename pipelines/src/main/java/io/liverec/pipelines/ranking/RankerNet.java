package io.liverec.pipelines.ranking;

import io.liverec.pipelines.nn.Dense;
import io.liverec.pipelines.nn.Embeddings;
import io.liverec.pipelines.nn.Fields;
import io.liverec.pipelines.nn.Ops;
import io.liverec.pipelines.ranking.layers.Contribution;
import io.liverec.pipelines.ranking.layers.Interaction;
import io.liverec.pipelines.ranking.layers.Interactions;
import io.liverec.pipelines.ranking.multitask.Experts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ranker's forward pass, written once against {@link Ops}: embeddings → interaction layers
 * (from the registry) → shared bottom / experts → one tower per task → probabilities. Interaction
 * outputs marked deep join the DNN input; wide ones join every task's final logit layer.
 */
public final class RankerNet {
  private RankerNet() {}

  /** Output names of the probabilities. */
  public static final String CTR = "ctr";

  public static final String CVR = "cvr";
  public static final String CTCVR = "ctcvr";

  /**
   * @param logits per task {@code [N]}
   * @param probabilities {@code ctr}, {@code cvr}, {@code ctcvr} (those the tasks define), {@code
   *     [N]}
   * @param lastSharedKernels variable names of the last shared layer (GradNorm's W)
   */
  public record Outputs<T>(
      Map<String, T> logits, Map<String, T> probabilities, List<String> lastSharedKernels) {}

  public static <T> Outputs<T> build(Ops<T> ops, RankerConfig c, Embeddings.Inputs<T> inputs) {
    Fields<T> fields =
        Embeddings.apply(
            ops, "embedding", c.schema(), c.embeddingDim(), c.multimodalFields(), inputs);
    List<T> deep = new ArrayList<>(List.of(fields.flat()));
    int deepWidth = fields.flatWidth();
    List<T> wide = new ArrayList<>();
    int wideWidth = 0;
    for (Map.Entry<Interactions, Interaction> i : c.interactions().entrySet()) {
      String scope = "interaction/" + i.getKey().specName();
      Contribution<T> out = i.getValue().apply(ops, scope, fields);
      if (out.deep() != null) {
        deep.add(out.deep());
        deepWidth += out.deepWidth();
      }
      if (out.wide() != null) {
        wide.add(out.wide());
        wideWidth += out.wideWidth();
      }
    }
    T deepIn = ops.concat(deep, 1);
    Experts.Bottom<T> bottom =
        c.experts().apply(ops, "shared", deepIn, deepWidth, c.bottomSettings());
    int towerUnits = c.hiddenUnits().get(c.hiddenUnits().size() - 1);
    T wideIn = wide.isEmpty() ? null : ops.concat(wide, 1);
    Map<String, T> logits = new LinkedHashMap<>();
    Map<String, T> probs = new LinkedHashMap<>();
    for (String task : c.tasks()) {
      T h =
          Dense.layer(
              ops, task + "/tower", bottom.perTask().get(task), bottom.width(), towerUnits, true);
      int width = towerUnits;
      if (wideIn != null) {
        h = ops.concat(List.of(h, wideIn), 1);
        width += wideWidth;
      }
      T logit = ops.reshape(Dense.layer(ops, task + "/logit", h, width, 1, false), -1);
      logits.put(task, logit);
      probs.put(task, ops.sigmoid(logit));
    }
    if (probs.containsKey(CTR) && probs.containsKey(CVR)) {
      probs.put(CTCVR, ops.mul(probs.get(CTR), probs.get(CVR)));
    }
    return new Outputs<>(logits, probs, bottom.lastSharedKernels());
  }
}
