package io.liverec.pipelines.recall.twotower;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.liverec.pipelines.recall.Popular;
import io.liverec.pipelines.recall.RecallFixtures;
import io.liverec.pipelines.recall.data.HoldoutSplit;
import io.liverec.pipelines.recall.data.LiveRooms;
import io.liverec.pipelines.recall.data.RecallDataset;
import io.liverec.pipelines.recall.index.IndexKind;
import io.liverec.pipelines.recall.index.IndexParams;
import io.liverec.pipelines.recall.metrics.RankingMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TwoTowerRecallTest {
  static HoldoutSplit split;
  static TwoTowerRecall model;

  @BeforeAll
  static void train() {
    RecallDataset data = RecallFixtures.grouped(21, 400, 200, 8, 6);
    split = HoldoutSplit.lastDays(data, 1, false);
    TwoTowerConfig base =
        TwoTowerRecall.configFor(split.train(), true, true, 0.2, 16, 8, List.of(32), 8, 3);
    TwoTowerConfig c = base.withTraining(0.01, 64);
    model = TwoTowerRecall.fit("two-tower", split.train(), c, IndexKind.EXACT, IndexParams.DEFAULT);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void learnsTasteBeyondPopularityAndTheLossFalls() {
    Popular popular = Popular.fit(split.train());
    double tt = 0;
    double pop = 0;
    for (HoldoutSplit.Request q : split.requests()) {
      tt +=
          RankingMetrics.recallAtK(
              model.retrieve(q.user(), q.recentRooms(), split.live(), 20), q.truth(), 20);
      pop +=
          RankingMetrics.recallAtK(
              popular.retrieve(q.user(), q.recentRooms(), split.live(), 20), q.truth(), 20);
    }
    List<Double> loss = model.epochLoss();
    assertThat(loss.get(loss.size() - 1)).isLessThan(loss.get(0) - 0.2);
    assertThat(tt).isGreaterThan(1.5 * pop);
  }

  @Test
  void userVectorsAreUnitLengthAndUsersWithoutHistoryGetOne() {
    float[] u = model.userVector(3, new int[] {1, 2}, 20);
    float[] nobody = model.userVector(-1, new int[0], 20);
    assertThat(norm(u)).isCloseTo(1.0, within(1e-4));
    assertThat(norm(nobody)).isCloseTo(1.0, within(1e-4));
  }

  @Test
  void neverReturnsAnOfflineRoom() {
    BitSet live = new BitSet();
    for (int r = 0; r < 200; r += 7) {
      live.set(r);
    }
    LiveRooms few = new LiveRooms(live, 200);
    for (HoldoutSplit.Request q : split.requests().subList(0, 30)) {
      for (int r : model.retrieve(q.user(), q.recentRooms(), few, 50)) {
        assertThat(live.get(r)).isTrue();
      }
    }
  }

  @Test
  void exportedUserTowerMatchesTheTrainingGraphInOnnxRuntime(@TempDir Path dir) throws Exception {
    Path onnx = dir.resolve("user_tower.onnx");
    UserTowerExport.export(model.model().config(), model.model().variableValues(), onnx);
    int n = 5;
    long[][] us = new long[n][];
    long[][] seq = new long[n][];
    for (int i = 0; i < n; i++) {
      us[i] = model.features().userSparse(i * 7, (i * 5) % 24);
      seq[i] = model.features().pad(i == 0 ? new int[0] : new int[] {i, i + 10, i + 20});
    }
    float[][] tf = model.model().userVectors(new TowerBatch(us, seq, null, null, null, null));
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession s = env.createSession(Files.readAllBytes(onnx));
        OnnxTensor a = OnnxTensor.createTensor(env, us);
        OnnxTensor b = OnnxTensor.createTensor(env, seq);
        OrtSession.Result r = s.run(Map.of("user_sparse", a, "seq", b))) {
      float[][] ort = (float[][]) r.get(0).getValue();
      for (int i = 0; i < n; i++) {
        for (int d = 0; d < tf[i].length; d++) {
          assertThat(ort[i][d]).isCloseTo(tf[i][d], within(1e-5f));
        }
      }
    }
  }

  @Test
  void withARoomPriorTheIndexHoldsUnitVectorsTwoWiderAndTheLiveFilterHolds() {
    TwoTowerConfig c =
        TwoTowerRecall.configFor(split.train(), true, true, 0.2, 16, 8, List.of(32), 3, 3)
            .withTraining(0.01, 64)
            .withRoomPrior(true);
    try (TwoTowerRecall prior =
        TwoTowerRecall.fit("prior", split.train(), c, IndexKind.EXACT, IndexParams.DEFAULT)) {
      assertThat(prior.roomVector(0)).hasSize(18);
      assertThat(norm(prior.roomVector(5))).isCloseTo(1.0, within(1e-4));
      BitSet live = new BitSet();
      for (int r = 0; r < 200; r += 5) {
        live.set(r);
      }
      LiveRooms few = new LiveRooms(live, 200);
      for (HoldoutSplit.Request q : split.requests().subList(0, 30)) {
        int[] got = prior.retrieve(q.user(), q.recentRooms(), few, 50);
        assertThat(got).hasSize(40);
        for (int r : got) {
          assertThat(live.get(r)).isTrue();
        }
      }
    }
  }

  private static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += x * x;
    }
    return Math.sqrt(s);
  }
}
