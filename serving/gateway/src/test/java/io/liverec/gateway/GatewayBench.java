package io.liverec.gateway;

import io.liverec.pipelines.recall.index.IndexParams;
import io.liverec.serving.TinyModels;
import io.liverec.serving.inference.Tensor;
import io.liverec.serving.onnx.OnnxRuntimeBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The gateway for scripts/bench-gateway.sh: {@code rooms} live rooms (8-d embeddings), 10 000
 * users, the tiny ONNX user tower and ranker, embedded. First measures the bare model inference of
 * the same requests (user tower + ranker over recallN rows) in-process, prints it, then serves HTTP
 * on {@code port} until {@code seconds} have passed. Arguments: rooms port seconds recallN.
 */
public final class GatewayBench {
  public static void main(String[] args) throws Exception {
    int rooms = Integer.parseInt(args[0]);
    int port = Integer.parseInt(args[1]);
    int seconds = Integer.parseInt(args[2]);
    int recallN = Integer.parseInt(args[3]);
    Path dir = Files.createTempDirectory("liverec-bench-gateway");
    Path repo = dir.resolve("repo");
    Files.createDirectories(repo.resolve("user_tower/1"));
    Files.createDirectories(repo.resolve("ranker/1"));
    TinyModels.userTower(repo.resolve("user_tower/1/model.onnx"), TinyModels.towerWeights(1));
    TinyModels.ranker(repo.resolve("ranker/1/model.onnx"), TinyModels.rankerWeights(2));
    Random r = new Random(5);
    InProcessOnlineFeatures features = new InProcessOnlineFeatures();
    LiveRoomIndex index = new LiveRoomIndex(8, IndexParams.DEFAULT, Integer.MAX_VALUE);
    long t0 = System.nanoTime();
    for (int i = 0; i < rooms; i++) {
      float[] e = new float[8];
      for (int d = 0; d < 8; d++) {
        e[d] = (float) r.nextGaussian();
      }
      index.roomUp(i, "h" + (i % (rooms / 4 + 1)), e, r.nextDouble());
      float[] dense = {(float) r.nextGaussian(), (float) r.nextGaussian(), 0.1f, 0.2f};
      features.putRoom(
          i, new RoomFeatures(new long[] {i % 10, (i / 10) % 10, r.nextInt(10)}, dense));
    }
    index.rebuildNow();
    System.out.printf("index built: %d rooms in %.1f s%n", rooms, (System.nanoTime() - t0) / 1e9);
    for (int u = 0; u < 10_000; u++) {
      long[] seq = new long[5];
      for (int i = 0; i < 5; i++) {
        seq[i] = r.nextInt(10);
      }
      features.putUser("u" + u, new UserFeatures(new long[] {r.nextInt(10), r.nextInt(10)}, seq));
    }
    OnnxRuntimeBackend backend = new OnnxRuntimeBackend(repo, 1);
    GatewayConfig config =
        new GatewayConfig(
            new ModelRef("user_tower", 1),
            recallN,
            Map.of("ctr", 1.0, "cvr", 0.5),
            2,
            java.time.Duration.ofMillis(50),
            100);

    // The anchor: the same two model calls per request, in-process, no recall, no HTTP.
    int n = 3000;
    long[] took = new long[n];
    for (int i = -500; i < n; i++) {
      UserFeatures uf = features.user("u" + Math.floorMod(i, 10_000)).orElseThrow();
      long s = System.nanoTime();
      backend.infer(
          "user_tower",
          1,
          List.of(
              Tensor.ofLongs("user_sparse", new long[] {1, 2}, uf.sparse()),
              Tensor.ofLongs("seq", new long[] {1, 5}, uf.sequence())),
          List.of("user_vector"));
      long[] sparse = new long[recallN * 3];
      float[] dense = new float[recallN * 4];
      for (int j = 0; j < recallN; j++) {
        RoomFeatures f = features.room(Math.floorMod(i * 7919 + j, rooms)).orElseThrow();
        System.arraycopy(f.sparse(), 0, sparse, j * 3, 3);
        System.arraycopy(f.dense(), 0, dense, j * 4, 4);
      }
      backend.infer(
          "ranker",
          1,
          List.of(
              Tensor.ofLongs("sparse", new long[] {recallN, 3}, sparse),
              Tensor.ofFloats("dense", new long[] {recallN, 4}, dense)),
          List.of("ctr", "cvr"));
      if (i >= 0) {
        took[i] = System.nanoTime() - s;
      }
    }
    Arrays.sort(took);
    System.out.printf(
        "bare inference (user tower + ranker x %d): p50 %.3f ms  p99 %.3f ms%n",
        recallN, took[n / 2] / 1e6, took[(int) (n * 0.99)] / 1e6);

    Recommender rec =
        new Recommender(
            config,
            features,
            index,
            backend,
            () -> TrafficSplit.single(new ModelRef("ranker", 1)),
            new GatewayMetrics());
    GatewayServer server = new GatewayServer(rec, "127.0.0.1", port, 4);
    System.out.println("READY " + server.port());
    System.out.flush();
    Thread.sleep(seconds * 1000L);
    var m = rec.metrics();
    System.out.printf(
        "outcomes: served %.0f, ranker_fallback %.0f, recall_fallback %.0f, cold_start %.0f%n",
        m.outcomeCount(Recommender.SERVED),
        m.outcomeCount(Recommender.RANKER_FALLBACK),
        m.outcomeCount(Recommender.RECALL_FALLBACK),
        m.outcomeCount(Recommender.COLD_START));
    server.close();
    rec.close();
    index.close();
    backend.close();
  }
}
