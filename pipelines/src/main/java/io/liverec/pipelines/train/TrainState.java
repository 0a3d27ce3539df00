package io.liverec.pipelines.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Progress of a run, written atomically next to each checkpoint: a run restarted in the same
 * directory restores {@link #checkpoint} and skips the {@link #step} batches of {@link #epoch} it
 * had already trained on (the epoch's order is a function of the seed, so they are the same).
 *
 * @param epoch current epoch (0-based)
 * @param step batches of {@code epoch} already trained
 * @param globalStep batches trained in all
 * @param checkpoint directory name (under checkpoints/) of the variables matching this state
 * @param bestScore best validation score so far (mean of ctr and ctcvr AUC), NaN before any
 * @param bestEpoch epoch of {@code bestScore}, -1 before any
 * @param sinceBest epochs since the best one (early stopping counter)
 * @param history finished epochs
 * @param trainingDone true once training stopped (last epoch or early stop)
 * @param epochLossSum sum of the training losses of {@code epoch}'s first {@code step} batches
 */
public record TrainState(
    int epoch,
    long step,
    long globalStep,
    String checkpoint,
    double bestScore,
    int bestEpoch,
    int sinceBest,
    List<EpochRecord> history,
    boolean trainingDone,
    double epochLossSum) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * One finished epoch.
   *
   * @param epoch 0-based
   * @param trainLoss mean training loss over the epoch's batches
   * @param validationCtrAuc validation ctr AUC
   * @param validationCtcvrAuc validation ctcvr AUC
   * @param score early-stopping score (mean of the two)
   */
  public record EpochRecord(
      int epoch, double trainLoss, double validationCtrAuc, double validationCtcvrAuc, double score)
      implements io.liverec.pipelines.eval.HistoryRow {}

  public static TrainState initial() {
    return new TrainState(0, 0, 0, null, Double.NaN, -1, 0, new ArrayList<>(), false, 0);
  }

  public TrainState atStep(long stepInEpoch, long global, String ckpt, double lossSum) {
    return new TrainState(
        epoch,
        stepInEpoch,
        global,
        ckpt,
        bestScore,
        bestEpoch,
        sinceBest,
        history,
        trainingDone,
        lossSum);
  }

  public void write(Path file) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      JSON.writeValue(tmp.toFile(), this);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  public static TrainState read(Path file) {
    try {
      return JSON.readValue(file.toFile(), TrainState.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
