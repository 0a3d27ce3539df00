package io.liverec.pipelines.recall.bench;

import io.liverec.pipelines.recall.index.ExactIndex;
import io.liverec.pipelines.recall.index.IndexKind;
import io.liverec.pipelines.recall.index.IndexParams;
import io.liverec.pipelines.recall.index.Neighbors;
import io.liverec.pipelines.recall.index.VectorIndex;
import io.liverec.pipelines.recall.index.Vectors;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * ANN benchmark: Lucene HNSW and jvector side by side against the exact scan, in one run, on
 * random-but-clustered unit vectors. Prints build time, memory, recall@k against exact search and
 * single-thread QPS with its ratio to the exact scan, unfiltered and with a live-room filter.
 *
 * <p>Arguments (all optional, {@code key=value}): {@code n=100000 dim=64 clusters=1000 queries=300
 * k=100 m=16 beam=64 ef=100,200 live=0.3 seed=7}. Run through {@code scripts/bench-ann.sh}.
 */
public final class AnnBenchmark {

  private AnnBenchmark() {}

  record Config(
      int n,
      int dim,
      int clusters,
      int queries,
      int k,
      int m,
      int beam,
      int[] efs,
      double liveFraction,
      long seed) {}

  public static void main(String[] args) {
    Config c = parse(args);
    System.out.printf(
        Locale.ROOT,
        "ANN benchmark: n=%d dim=%d clusters=%d queries=%d k=%d M=%d beam=%d live=%.2f, "
            + "java %s, %d cpus%n",
        c.n,
        c.dim,
        c.clusters,
        c.queries,
        c.k,
        c.m,
        c.beam,
        c.liveFraction,
        System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    Random rnd = new Random(c.seed);
    float[][] centres = new float[c.clusters][];
    for (int i = 0; i < c.clusters; i++) {
      centres[i] = gaussian(rnd, c.dim, 1.0f);
    }
    float[][] data = clustered(rnd, centres, c.n, c.dim);
    float[][] queries = clustered(rnd, centres, c.queries, c.dim);
    int[] ids = new int[c.n];
    for (int i = 0; i < c.n; i++) {
      ids[i] = i;
    }
    BitSet live = new BitSet(c.n);
    for (int i = 0; i < c.n; i++) {
      if (rnd.nextDouble() < c.liveFraction) {
        live.set(i);
      }
    }
    IntPredicate liveFilter = live::get;

    ExactIndex exact = new ExactIndex(data, ids);
    Set<Integer>[] truth = new Set[c.queries];
    Set<Integer>[] truthLive = new Set[c.queries];
    long t0 = System.nanoTime();
    for (int q = 0; q < c.queries; q++) {
      truth[q] = asSet(exact.search(queries[q], c.k, null));
    }
    double exactQps = c.queries / ((System.nanoTime() - t0) / 1e9);
    t0 = System.nanoTime();
    for (int q = 0; q < c.queries; q++) {
      truthLive[q] = asSet(exact.search(queries[q], c.k, liveFilter));
    }
    double exactLiveQps = c.queries / ((System.nanoTime() - t0) / 1e9);
    System.out.printf(
        Locale.ROOT,
        "exact scan: %.1f QPS unfiltered, %.1f QPS with live filter%n",
        exactQps,
        exactLiveQps);
    System.out.println(
        "| index | build s | graph+vectors MB | heap delta MB | ef | recall@k | QPS | x exact |"
            + " live recall@k | live QPS | live x exact |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
    for (IndexKind kind : List.of(IndexKind.LUCENE_HNSW, IndexKind.JVECTOR)) {
      long heapBefore = usedHeap();
      long b0 = System.nanoTime();
      VectorIndex index = kind.build(data, ids, new IndexParams(c.m, c.beam, c.k, c.seed));
      double buildS = (System.nanoTime() - b0) / 1e9;
      long heapDelta = usedHeap() - heapBefore;
      for (int ef : c.efs) {
        Result all = run(index, queries, truth, c.k, ef, null);
        Result filtered = run(index, queries, truthLive, c.k, ef, liveFilter);
        System.out.printf(
            Locale.ROOT,
            "| %s | %.1f | %.1f | %.1f | %d | %.4f | %.0f | %.1f | %.4f | %.0f | %.1f |%n",
            kind.id(),
            buildS,
            index.ramBytesUsed() / 1e6,
            heapDelta / 1e6,
            ef,
            all.recall,
            all.qps,
            all.qps / exactQps,
            filtered.recall,
            filtered.qps,
            filtered.qps / exactLiveQps);
      }
      System.out.println("  params: " + index.describe());
    }
  }

  record Result(double recall, double qps) {}

  private static Result run(
      VectorIndex index,
      float[][] queries,
      Set<Integer>[] truth,
      int k,
      int ef,
      IntPredicate accept) {
    for (int q = 0; q < queries.length; q++) { // warm-up pass: JIT the search path
      index.search(queries[q], k, ef, accept);
    }
    long hits = 0;
    long total = 0;
    long t0 = System.nanoTime();
    Neighbors[] results = new Neighbors[queries.length];
    for (int q = 0; q < queries.length; q++) {
      results[q] = index.search(queries[q], k, ef, accept);
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    for (int q = 0; q < queries.length; q++) {
      for (int id : results[q].ids()) {
        if (truth[q].contains(id)) {
          hits++;
        }
      }
      total += truth[q].size();
    }
    return new Result((double) hits / total, queries.length / secs);
  }

  private static Set<Integer> asSet(Neighbors n) {
    Set<Integer> s = new HashSet<>();
    for (int id : n.ids()) {
      s.add(id);
    }
    return s;
  }

  static float[] gaussian(Random rnd, int dim, float sd) {
    float[] v = new float[dim];
    for (int i = 0; i < dim; i++) {
      v[i] = (float) (rnd.nextGaussian() * sd);
    }
    return v;
  }

  /** Points around random centres: centre + N(0, 0.5²) noise per coordinate, unit-normalised. */
  static float[][] clustered(Random rnd, float[][] centres, int n, int dim) {
    float[][] out = new float[n][];
    for (int i = 0; i < n; i++) {
      float[] c = centres[rnd.nextInt(centres.length)];
      float[] v = gaussian(rnd, dim, 0.5f);
      for (int d = 0; d < dim; d++) {
        v[d] += c[d];
      }
      out[i] = Vectors.normalizeInPlace(v);
    }
    return out;
  }

  private static long usedHeap() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static Config parse(String[] args) {
    java.util.Map<String, String> m = new java.util.HashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("expected key=value, got " + a);
      }
      m.put(a.substring(0, eq), a.substring(eq + 1));
    }
    List<Integer> efs = new ArrayList<>();
    for (String s : m.getOrDefault("ef", "100,200").split(",")) {
      efs.add(Integer.parseInt(s.trim()));
    }
    return new Config(
        Integer.parseInt(m.getOrDefault("n", "100000")),
        Integer.parseInt(m.getOrDefault("dim", "64")),
        Integer.parseInt(m.getOrDefault("clusters", "1000")),
        Integer.parseInt(m.getOrDefault("queries", "300")),
        Integer.parseInt(m.getOrDefault("k", "100")),
        Integer.parseInt(m.getOrDefault("m", "16")),
        Integer.parseInt(m.getOrDefault("beam", "64")),
        efs.stream().mapToInt(Integer::intValue).toArray(),
        Double.parseDouble(m.getOrDefault("live", "0.3")),
        Long.parseLong(m.getOrDefault("seed", "7")));
  }
}
