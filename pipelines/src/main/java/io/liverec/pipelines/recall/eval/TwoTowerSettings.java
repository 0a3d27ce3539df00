package io.liverec.pipelines.recall.eval;

import java.util.List;

/**
 * The two-tower hyperparameters an ablation trains with (every {@code two-tower*} method shares
 * them; the variants switch one input off).
 *
 * @param temperature softmax temperature τ
 * @param outputDim width of the unit tower outputs
 * @param embeddingDim field embedding width
 * @param hidden ReLU MLP of each tower
 * @param epochs passes over the training clicks
 * @param batchSize clicks per in-batch softmax
 * @param learningRate Adam step
 * @param roomPrior the {@code two-tower} method's room prior term (the {@code two-tower-noprior}
 *     variant switches it off)
 */
public record TwoTowerSettings(
    double temperature,
    int outputDim,
    int embeddingDim,
    List<Integer> hidden,
    int epochs,
    int batchSize,
    double learningRate,
    boolean roomPrior) {

  /** The defaults of docs/RECALL.md. */
  public static final TwoTowerSettings DEFAULT =
      new TwoTowerSettings(0.2, 32, 16, List.of(64), 10, 512, 0.003, true);

  public TwoTowerSettings {
    hidden = List.copyOf(hidden);
  }

  public TwoTowerSettings withTraining(int newEpochs, int newBatchSize, double newLearningRate) {
    return new TwoTowerSettings(
        temperature,
        outputDim,
        embeddingDim,
        hidden,
        newEpochs,
        newBatchSize,
        newLearningRate,
        roomPrior);
  }

  public TwoTowerSettings withTemperature(double t) {
    return new TwoTowerSettings(
        t, outputDim, embeddingDim, hidden, epochs, batchSize, learningRate, roomPrior);
  }
}
