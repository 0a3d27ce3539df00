package io.liverec.pipelines.recall.twotower;

import io.liverec.pipelines.nn.Dense;
import io.liverec.pipelines.nn.Embeddings;
import io.liverec.pipelines.nn.Fields;
import io.liverec.pipelines.nn.Ops;

/**
 * The two towers, written once against the ranking op vocabulary ({@link Ops}) so the same code
 * builds the TF training graph and the ONNX export. Each tower: field embeddings ({@link
 * Embeddings}: shared sparse table, mean-pooled sequence, projected dense and multimodal inputs) →
 * ReLU MLP → linear projection → L2 normalisation.
 */
public final class TwoTowerNet {
  /** Added under the square root of the norm: a zero output stays finite. */
  static final float NORM_EPSILON = 1e-12f;

  private TwoTowerNet() {}

  /** {@code [N, outputDim]} unit user vectors from sparse {@code [N, 3]} and seq {@code [N, L]}. */
  public static <T> T userTower(Ops<T> ops, TwoTowerConfig c, T sparse, T seq) {
    Fields<T> f =
        Embeddings.apply(
            ops,
            "user",
            c.userSchema(),
            c.embeddingDim(),
            new Embeddings.Inputs<>(sparse, null, seq, null));
    return head(ops, "user", c, f);
  }

  /**
   * {@code [N, outputDim]} unit room vectors from sparse {@code [N, 4]}, dense {@code [N, 3]} and
   * (when enabled) the content input {@code [N, M]}.
   */
  public static <T> T roomTower(Ops<T> ops, TwoTowerConfig c, T sparse, T dense, T multimodal) {
    return roomTowerAndPrior(ops, c, sparse, dense, multimodal).vectors();
  }

  /** A tower's unit output and, when {@link TwoTowerConfig#roomPrior()}, its {@code [N]} prior. */
  public record RoomOutputs<T>(T vectors, T prior) {}

  /**
   * The room tower and the room prior b_r (null when the config has no prior).
   *
   * <p>The MLP sees the room's id, category, language, tag and statistics; b_r is a linear read-out
   * of its last hidden layer. The content input (principal-axis coordinates, {@link
   * ContentProjection}) is added to the MLP's output through one linear map before normalisation,
   * so content can turn a room's vector towards the users whose taste it matches but cannot encode
   * each training room's popularity or placement: a linear map of a few coordinates has far too few
   * degrees of freedom to memorise hundreds of rooms, and the prior never sees content. With {@link
   * TwoTowerConfig#contentThroughMlp()} the raw content vector is one more MLP field instead (the
   * first design).
   */
  public static <T> RoomOutputs<T> roomTowerAndPrior(
      Ops<T> ops, TwoTowerConfig c, T sparse, T dense, T multimodal) {
    boolean viaMlp = c.contentThroughMlp() && c.multimodalDim() > 0;
    Fields<T> f =
        Embeddings.apply(
            ops,
            "room",
            c.roomSchema(),
            c.embeddingDim(),
            new Embeddings.Inputs<>(sparse, dense, null, viaMlp ? multimodal : null));
    T h = Dense.mlp(ops, "room/mlp", f.flat(), f.flatWidth(), c.hiddenUnits());
    int width = hiddenWidth(c, f);
    T out = Dense.layer(ops, "room/out", h, width, c.outputDim(), false);
    if (c.multimodalDim() > 0 && !viaMlp) {
      out =
          ops.add(
              out,
              Dense.layer(
                  ops, "room/content", multimodal, c.multimodalDim(), c.outputDim(), false));
    }
    T vectors = l2Normalize(ops, out);
    if (!c.roomPrior()) {
      return new RoomOutputs<>(vectors, null);
    }
    T prior = ops.reshape(Dense.layer(ops, "room/prior", h, width, 1, false), -1);
    return new RoomOutputs<>(vectors, prior);
  }

  private static <T> T head(Ops<T> ops, String scope, TwoTowerConfig c, Fields<T> f) {
    T h = Dense.mlp(ops, scope + "/mlp", f.flat(), f.flatWidth(), c.hiddenUnits());
    T out = Dense.layer(ops, scope + "/out", h, hiddenWidth(c, f), c.outputDim(), false);
    return l2Normalize(ops, out);
  }

  private static <T> int hiddenWidth(TwoTowerConfig c, Fields<T> f) {
    return c.hiddenUnits().isEmpty()
        ? f.flatWidth()
        : c.hiddenUnits().get(c.hiddenUnits().size() - 1);
  }

  /** x / √(Σx² + ε) over the last axis. */
  public static <T> T l2Normalize(Ops<T> ops, T x) {
    T norm = ops.sqrt(ops.add(ops.reduceSum(ops.square(x), 1, true), ops.scalar(NORM_EPSILON)));
    return ops.div(x, norm);
  }
}
