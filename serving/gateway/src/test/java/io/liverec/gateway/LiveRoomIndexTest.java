package io.liverec.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.liverec.pipelines.recall.index.IndexParams;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class LiveRoomIndexTest {
  static final int DIM = 8;

  static float[] vec(Random r) {
    float[] v = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return v;
  }

  static List<Integer> ids(List<LiveRoomIndex.Hit> hits) {
    return hits.stream().map(LiveRoomIndex.Hit::roomId).toList();
  }

  /** The exact answer computed here, independently of the index. */
  static List<Integer> bruteForce(float[][] vectors, Set<Integer> live, float[] q, int n) {
    float[] qu = unit(q);
    List<int[]> order = new ArrayList<>();
    List<Float> scores = new ArrayList<>();
    for (int id : live) {
      float[] u = unit(vectors[id]);
      float d = 0;
      for (int i = 0; i < DIM; i++) {
        d += qu[i] * u[i];
      }
      order.add(new int[] {id});
      scores.add(d);
    }
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < order.size(); i++) {
      idx.add(i);
    }
    idx.sort(
        (a, b) -> {
          int c = Float.compare(scores.get(b), scores.get(a));
          return c != 0 ? c : Integer.compare(order.get(a)[0], order.get(b)[0]);
        });
    return idx.stream().limit(n).map(i -> order.get(i)[0]).toList();
  }

  static float[] unit(float[] v) {
    double s = 0;
    for (float x : v) {
      s += x * x;
    }
    float[] u = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      u[i] = (float) (v[i] / Math.sqrt(s));
    }
    return u;
  }

  @Test
  void onlyLiveRoomsAreReturnedOnTheGraphPath() {
    Random r = new Random(1);
    try (LiveRoomIndex index = new LiveRoomIndex(DIM, IndexParams.DEFAULT, 1_000_000, 0)) {
      for (int i = 0; i < 2000; i++) {
        index.roomUp(i, "h" + i, vec(r), 0);
      }
      index.rebuildNow();
      for (int i = 0; i < 2000; i += 2) {
        index.roomDown(i);
      }
      for (int t = 0; t < 20; t++) {
        List<LiveRoomIndex.Hit> hits = index.search(vec(r), 100);
        assertThat(hits).hasSize(100);
        assertThat(hits).allSatisfy(h -> assertThat(h.roomId() % 2).isEqualTo(1));
      }
      // back up again: found again without a rebuild
      index.roomBackUp(0);
      float[] q = new float[DIM];
      // the query is room 0's own direction (vectors are regenerated with the same seed)
      Random again = new Random(1);
      q = vec(again);
      assertThat(ids(index.search(q, 5))).contains(0);
      assertThat(index.pendingCount()).isZero();
    }
  }

  @Test
  void pendingRoomsAreFoundBeforeTheRebuildWithGraphScores() {
    Random r = new Random(2);
    try (LiveRoomIndex index = new LiveRoomIndex(DIM, IndexParams.DEFAULT, 1_000_000, 0)) {
      for (int i = 0; i < 1000; i++) {
        index.roomUp(i, "h", vec(r), 0);
      }
      index.rebuildNow();
      float[] q = vec(r);
      index.roomUp(5000, "new", q.clone(), 0); // the query's own direction: dot 1
      assertThat(index.pendingCount()).isEqualTo(1);
      List<LiveRoomIndex.Hit> hits = index.search(q, 10);
      assertThat(hits.get(0).roomId()).isEqualTo(5000);
      assertThat(hits.get(0).score()).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
      index.roomDown(5000);
      assertThat(ids(index.search(q, 10))).doesNotContain(5000);
      index.rebuildNow();
      assertThat(index.pendingCount()).isZero();
      assertThat(ids(index.search(q, 10))).doesNotContain(5000);
      index.roomBackUp(5000);
      assertThat(ids(index.search(q, 10)).get(0)).isEqualTo(5000);
    }
  }

  @Test
  void mixedGraphAndPendingHitsAreOrderedByOneScore() {
    // the graph's scores are inner products; a pending room's exact score must be on that scale,
    // or a pending room with a smaller inner product outranks graph rooms (or the reverse)
    Random r = new Random(3);
    int rooms = 3000;
    float[][] vectors = new float[rooms + 300][];
    Set<Integer> live = new HashSet<>();
    try (LiveRoomIndex index = new LiveRoomIndex(DIM, IndexParams.DEFAULT, 1_000_000, 0)) {
      for (int i = 0; i < rooms; i++) {
        vectors[i] = vec(r);
        index.roomUp(i, "h", vectors[i], 0);
        live.add(i);
      }
      index.rebuildNow();
      for (int i = rooms; i < rooms + 300; i++) {
        vectors[i] = vec(r);
        index.roomUp(i, "h", vectors[i], 0);
        live.add(i);
      }
      assertThat(index.pendingCount()).isEqualTo(300);
      int agree = 0;
      int total = 0;
      for (int t = 0; t < 30; t++) {
        float[] q = vec(r);
        List<LiveRoomIndex.Hit> hits = index.search(q, 50);
        for (int i = 1; i < hits.size(); i++) {
          assertThat(hits.get(i).score()).isLessThanOrEqualTo(hits.get(i - 1).score());
        }
        for (LiveRoomIndex.Hit h : hits) {
          float[] qu = unit(q);
          float[] u = unit(vectors[h.roomId()]);
          float d = 0;
          for (int k = 0; k < DIM; k++) {
            d += qu[k] * u[k];
          }
          assertThat(h.score()).isCloseTo(d, org.assertj.core.data.Offset.offset(1e-4f));
        }
        List<Integer> exact = bruteForce(vectors, live, q, 50);
        Set<Integer> got = new HashSet<>(ids(hits));
        for (int id : exact) {
          agree += got.contains(id) ? 1 : 0;
        }
        total += exact.size();
      }
      assertThat((double) agree / total).isGreaterThan(0.95);
    }
  }

  @Test
  void theExactPathAgreesWithBruteForce() {
    Random r = new Random(4);
    int rooms = 3000;
    float[][] vectors = new float[rooms][];
    Set<Integer> live = new HashSet<>();
    try (LiveRoomIndex index = new LiveRoomIndex(DIM, IndexParams.DEFAULT, 1_000_000, 4096)) {
      for (int i = 0; i < rooms; i++) {
        vectors[i] = vec(r);
        index.roomUp(i, "h", vectors[i], 0);
        live.add(i);
      }
      index.rebuildNow();
      for (int i = 0; i < rooms; i += 3) {
        index.roomDown(i);
        live.remove(i);
      }
      for (int t = 0; t < 20; t++) {
        float[] q = vec(r);
        assertThat(ids(index.search(q, 200))).isEqualTo(bruteForce(vectors, live, q, 200));
      }
    }
  }

  @Test
  void concurrentSearchesAgreeWithSequentialOnesAndSurviveRebuilds() throws Exception {
    Random r = new Random(5);
    try (LiveRoomIndex index = new LiveRoomIndex(DIM, IndexParams.DEFAULT, 200, 0)) {
      for (int i = 0; i < 5000; i++) {
        index.roomUp(i, "h", vec(r), 0);
      }
      index.rebuildNow();
      float[][] queries = new float[64][];
      List<List<Integer>> expected = new ArrayList<>();
      for (int i = 0; i < queries.length; i++) {
        queries[i] = vec(r);
        expected.add(ids(index.search(queries[i], 100)));
      }
      // the same graph searched from 4 threads: the same answers (a shared graph cursor would mix
      // neighbour lists between searches)
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<Boolean>> same = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          same.add(
              pool.submit(
                  () -> {
                    for (int rep = 0; rep < 20; rep++) {
                      for (int i = 0; i < queries.length; i++) {
                        if (!ids(index.search(queries[i], 100)).equals(expected.get(i))) {
                          return false;
                        }
                      }
                    }
                    return true;
                  }));
        }
        for (Future<Boolean> f : same) {
          assertThat(f.get(2, TimeUnit.MINUTES)).isTrue();
        }
        // now searches while rooms come and go and the background rebuild swaps graphs
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<Integer>> searches = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
          searches.add(
              pool.submit(
                  () -> {
                    int n = 0;
                    Random qr = new Random(n);
                    while (!stop.get()) {
                      List<LiveRoomIndex.Hit> hits = index.search(vec(qr), 50);
                      for (LiveRoomIndex.Hit h : hits) {
                        if (h.roomId() < 0 || h.roomId() >= 7000) {
                          throw new AssertionError("unknown room " + h.roomId());
                        }
                      }
                      n++;
                    }
                    return n;
                  }));
        }
        Random w = new Random(6);
        for (int i = 5000; i < 7000; i++) {
          index.roomUp(i, "h", vec(w), 0);
          if (i % 3 == 0) {
            index.roomDown(i - 4000);
          }
        }
        // wait for the background rebuild to fold the new rooms in
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (index.pendingCount() >= 200 && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        stop.set(true);
        int done = 0;
        for (Future<Integer> f : searches) {
          done += f.get(1, TimeUnit.MINUTES);
        }
        assertThat(done).isPositive();
        assertThat(index.pendingCount()).isLessThan(200);
        // every room that went down is gone from the answers, every room still live can be found
        for (int i = 1000; i < 3000; i++) {
          if ((i + 4000) % 3 == 0) {
            assertThat(index.isLive(i)).isFalse();
          }
        }
        Random again = new Random(6);
        float[] first = vec(again); // room 5000's vector
        assertThat(ids(index.search(first, 5))).contains(5000);
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
