package io.liverec.gateway;

import io.liverec.pipelines.recall.index.IndexParams;
import io.liverec.serving.TinyModels;
import io.liverec.serving.inference.InferenceBackend;
import io.liverec.serving.inference.Tensor;
import io.liverec.serving.onnx.OnnxRuntimeBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** A model repository with the tiny user tower and two ranker versions, rooms, users. */
final class Fixture implements AutoCloseable {
  static final ModelRef TOWER = new ModelRef("user_tower", 1);
  static final ModelRef RANKER_V1 = new ModelRef("ranker", 1);
  static final ModelRef RANKER_V2 = new ModelRef("ranker", 2);
  static final int ROOMS = 300;
  static final int USERS = 100;

  final TinyModels.Weights rankerV1 = TinyModels.rankerWeights(11);
  final OnnxRuntimeBackend onnx;
  final FaultyBackend backend;
  final InProcessOnlineFeatures features = new InProcessOnlineFeatures();
  final LiveRoomIndex index = new LiveRoomIndex(8, IndexParams.DEFAULT, 1_000_000);
  final GatewayMetrics metrics = new GatewayMetrics();

  Fixture(Path dir) throws IOException {
    Path repo = dir.resolve("repo");
    write(repo, TOWER, p -> TinyModels.userTower(p, TinyModels.towerWeights(7)));
    write(repo, RANKER_V1, p -> TinyModels.ranker(p, rankerV1));
    write(repo, RANKER_V2, p -> TinyModels.ranker(p, TinyModels.rankerWeights(12)));
    onnx = new OnnxRuntimeBackend(repo, 1);
    backend = new FaultyBackend(onnx);
    Random r = new Random(3);
    for (int room = 0; room < ROOMS; room++) {
      float[] e = new float[8];
      for (int i = 0; i < 8; i++) {
        e[i] = (float) r.nextGaussian();
      }
      index.roomUp(room, "host" + (room % 60), e, r.nextDouble() * 100);
      long[] sparse = {r.nextInt(TinyModels.VOCAB), r.nextInt(TinyModels.VOCAB), room % 10};
      float[] dense = new float[4];
      for (int i = 0; i < 4; i++) {
        dense[i] = (float) r.nextGaussian();
      }
      features.putRoom(room, new RoomFeatures(sparse, dense));
    }
    index.rebuildNow();
    for (int u = 0; u < USERS; u++) {
      long[] s = {r.nextInt(TinyModels.VOCAB), r.nextInt(TinyModels.VOCAB)};
      long[] seq = new long[5];
      for (int i = 0; i < 5; i++) {
        seq[i] = r.nextInt(TinyModels.VOCAB);
      }
      features.putUser("u" + u, new UserFeatures(s, seq));
    }
  }

  interface Writer {
    Path write(Path p);
  }

  private static void write(Path repo, ModelRef m, Writer w) throws IOException {
    Path d = repo.resolve(m.name()).resolve(Integer.toString(m.version()));
    Files.createDirectories(d);
    w.write(d.resolve("model.onnx"));
  }

  Recommender recommender(GatewayConfig config, TrafficSplit split) {
    return new Recommender(config, features, index, backend, () -> split, metrics);
  }

  /**
   * The default config with a ranker deadline no loaded CI machine misses: tests whose subject is
   * not the deadline must not turn into fallbacks when a JIT pause or a busy core delays one call.
   * The deadline itself is tested with a slowed backend and a short deadline (RecommenderTest).
   */
  static GatewayConfig config() {
    return GatewayConfig.defaults(TOWER).withRankerDeadline(Duration.ofSeconds(10));
  }

  Recommender recommender() {
    return recommender(config(), TrafficSplit.single(RANKER_V1));
  }

  float[] userVector(String user) {
    UserFeatures f = features.user(user).orElseThrow();
    return onnx.infer(
            TOWER.name(),
            TOWER.version(),
            List.of(
                Tensor.ofLongs("user_sparse", new long[] {1, 2}, f.sparse()),
                Tensor.ofLongs("seq", new long[] {1, 5}, f.sequence())),
            List.of("user_vector"))
        .get("user_vector")
        .floats();
  }

  @Override
  public void close() {
    index.close();
    onnx.close();
  }

  /** Injects faults into one model: throws, or answers after a delay. */
  static final class FaultyBackend implements InferenceBackend {
    private final InferenceBackend inner;
    volatile String failing;
    volatile String slow;
    volatile Duration delay = Duration.ZERO;

    FaultyBackend(InferenceBackend inner) {
      this.inner = inner;
    }

    @Override
    public Map<String, Tensor> infer(
        String model, int version, List<Tensor> inputs, List<String> outputs) {
      if (model.equals(failing)) {
        throw new IllegalStateException("injected: " + model + " is down");
      }
      if (model.equals(slow)) {
        try {
          Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
      }
      return inner.infer(model, version, inputs, outputs);
    }

    @Override
    public boolean ready(String model, int version) {
      return !model.equals(failing) && inner.ready(model, version);
    }
  }
}
