package io.liverec.gateway;

import io.liverec.pipelines.recall.index.IndexParams;
import io.liverec.pipelines.recall.index.LuceneHnswIndex;
import io.liverec.pipelines.recall.index.Neighbors;
import io.liverec.pipelines.recall.index.Vectors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The rooms that are live now, searchable by vector. A Lucene HNSW graph holds every room seen when
 * it was last built; a per-graph live bitset (one bit per graph ordinal, set while the room is live
 * and still the version in the graph) filters it at search time, so a room going down or up again
 * is visible on the next request. Rooms first seen (or changed) after the build are kept in a
 * pending set and scanned exactly until a background rebuild folds them into a new graph, swapped
 * in atomically: no restart, no pause. With few live rooms ({@link #DEFAULT_EXACT_THRESHOLD}) the
 * search is an exact scan of the live rooms: faster than a graph walk behind a very selective
 * filter, and exact.
 *
 * <p>Scores are inner products of unit vectors (cosine) on every path — graph, pending scan and
 * exact scan — so hits from different paths sort together. Searches take no lock and share no
 * mutable state; room updates and the snapshot swap are serialised among themselves.
 */
public final class LiveRoomIndex implements AutoCloseable {
  /**
   * The serving efSearch. Measured by GatewayBench (scripts/bench-gateway.sh, 2026-12-08): 100 000
   * live rooms, 32-d (the demo's tower width), M=16, beamWidth 100; recall@200 of the filtered
   * graph search against the exact scan over 200 users' tower vectors: ef 200 → 0.918, ef 400 →
   * 0.983, ef 800 → 0.999. Per search (one thread, load average ≈ 7 on 2 cores): ef 200 3.6 ms, ef
   * 800 10.1 ms p50 — the largest cost of a request. 400 is the smallest measured setting with
   * recall@200 ≥ 0.95.
   */
  public static final int SERVING_EF_SEARCH = 400;

  /** HNSW parameters for serving: the ANN benchmark's graph with {@link #SERVING_EF_SEARCH}. */
  public static final IndexParams SERVING_PARAMS =
      new IndexParams(
          IndexParams.DEFAULT.maxConn(),
          IndexParams.DEFAULT.beamWidth(),
          SERVING_EF_SEARCH,
          IndexParams.DEFAULT.seed());

  /** Live rooms up to which a search is an exact scan instead of a graph search. */
  public static final int DEFAULT_EXACT_THRESHOLD = 4096;

  /** A room as recall returns it. */
  public record Hit(int roomId, String hostId, float score) {}

  private record Room(int id, String hostId, float[] unitVector) {}

  /**
   * One graph with its rooms by ordinal (the graph's ids are the ordinals) and the live bit of each
   * ordinal.
   */
  private record Snapshot(
      LuceneHnswIndex graph, Room[] byOrd, Map<Integer, Integer> ordOf, AtomicLongArray liveBits) {
    static final Snapshot EMPTY = new Snapshot(null, new Room[0], Map.of(), new AtomicLongArray(0));

    Room indexed(int roomId) {
      Integer ord = ordOf.get(roomId);
      return ord == null ? null : byOrd[ord];
    }

    boolean bit(int ord) {
      return (liveBits.get(ord >>> 6) & (1L << ord)) != 0;
    }

    void setBit(int roomId, boolean on) {
      Integer ord = ordOf.get(roomId);
      if (ord == null) {
        return;
      }
      long mask = 1L << ord;
      int w = ord >>> 6;
      if (on) {
        liveBits.getAndAccumulate(w, mask, (a, b) -> a | b);
      } else {
        liveBits.getAndAccumulate(w, ~mask, (a, b) -> a & b);
      }
    }
  }

  private final int dimension;
  private final IndexParams params;
  private final int exactThreshold;
  private final Map<Integer, Room> rooms = new ConcurrentHashMap<>();
  private final Set<Integer> live = ConcurrentHashMap.newKeySet();

  /** Rooms known but not (or not in this version) in the current graph. */
  private final Map<Integer, Room> pending = new ConcurrentHashMap<>();

  private final Map<Integer, Double> popularity = new ConcurrentHashMap<>();
  private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(Snapshot.EMPTY);

  /** Serialises room updates with the snapshot swap (searches never take it). */
  private final Object writes = new Object();

  private final AtomicBoolean rebuildQueued = new AtomicBoolean();
  private final ExecutorService rebuilder =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "liverec-index-rebuild");
            t.setDaemon(true);
            return t;
          });
  private final int rebuildThreshold;

  /**
   * @param rebuildThreshold rooms outside the graph that trigger a background rebuild
   */
  public LiveRoomIndex(int dimension, IndexParams params, int rebuildThreshold) {
    this(dimension, params, rebuildThreshold, DEFAULT_EXACT_THRESHOLD);
  }

  /**
   * @param rebuildThreshold rooms outside the graph that trigger a background rebuild
   * @param exactThreshold live rooms up to which a search scans them exactly (0: always the graph,
   *     when there is one)
   */
  public LiveRoomIndex(
      int dimension, IndexParams params, int rebuildThreshold, int exactThreshold) {
    if (exactThreshold < 0) {
      throw new IllegalArgumentException("exactThreshold must be >= 0, got " + exactThreshold);
    }
    this.dimension = dimension;
    this.params = params;
    this.rebuildThreshold = Math.max(1, rebuildThreshold);
    this.exactThreshold = exactThreshold;
  }

  public int dimension() {
    return dimension;
  }

  /** A room went live (or changed): its embedding, its host and a popularity prior. */
  public void roomUp(int roomId, String hostId, float[] embedding, double popularityPrior) {
    if (embedding.length != dimension) {
      throw new IllegalArgumentException(
          "room "
              + roomId
              + " embedding has "
              + embedding.length
              + " dims, index has "
              + dimension);
    }
    float[] unit = Vectors.normalized(embedding);
    popularity.merge(roomId, popularityPrior, Math::max);
    boolean queue;
    synchronized (writes) {
      Snapshot s = snapshot.get();
      Room indexed = s.indexed(roomId);
      if (indexed != null
          && indexed.hostId().equals(hostId)
          && Arrays.equals(indexed.unitVector(), unit)) {
        // unchanged: the graph's version stays current
        rooms.put(roomId, indexed);
        pending.remove(roomId);
        live.add(roomId);
        s.setBit(roomId, true);
        return;
      }
      Room r = new Room(roomId, hostId, unit);
      rooms.put(roomId, r);
      pending.put(roomId, r);
      live.add(roomId);
      s.setBit(roomId, false); // the graph holds an older version (if any)
      queue = pending.size() >= rebuildThreshold;
    }
    if (queue) {
      queueRebuild();
    }
  }

  /** A room ended: it is filtered out of recall and popularity from now on. */
  public void roomDown(int roomId) {
    synchronized (writes) {
      live.remove(roomId);
      snapshot.get().setBit(roomId, false);
    }
  }

  /**
   * A known room is live again, unchanged (no rebuild): its next session. False when the room was
   * never {@link #roomUp} and needs its embedding first.
   */
  public boolean roomBackUp(int roomId) {
    synchronized (writes) {
      Room r = rooms.get(roomId);
      if (r == null) {
        return false;
      }
      live.add(roomId);
      Snapshot s = snapshot.get();
      if (s.indexed(roomId) == r) {
        s.setBit(roomId, true);
      }
      return true;
    }
  }

  public boolean isLive(int roomId) {
    return live.contains(roomId);
  }

  public int liveCount() {
    return live.size();
  }

  /** Adds to a room's popularity (feedback events). */
  public void bump(int roomId, double amount) {
    popularity.merge(roomId, amount, Double::sum);
  }

  /** Rooms known but not yet in the graph. */
  public int pendingCount() {
    return pending.size();
  }

  /** Builds the graph now over every known room (startup, tests). */
  public void rebuildNow() {
    List<Room> all = new ArrayList<>(rooms.values());
    if (all.isEmpty()) {
      synchronized (writes) {
        if (rooms.isEmpty()) {
          snapshot.set(Snapshot.EMPTY);
        }
      }
      return;
    }
    int n = all.size();
    float[][] vectors = new float[n][];
    int[] ords = new int[n];
    Room[] byOrd = new Room[n];
    Map<Integer, Integer> ordOf = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      Room r = all.get(i);
      vectors[i] = r.unitVector();
      ords[i] = i;
      byOrd[i] = r;
      ordOf.put(r.id(), i);
    }
    LuceneHnswIndex graph = LuceneHnswIndex.build(vectors, ords, params);
    synchronized (writes) {
      // rooms may have changed while the graph was built: a bit only for the live room version
      // the graph holds; every other known room stays (or becomes) pending
      AtomicLongArray bits = new AtomicLongArray((n + 63) >>> 6);
      Snapshot next = new Snapshot(graph, byOrd, Map.copyOf(ordOf), bits);
      for (int i = 0; i < n; i++) {
        Room r = byOrd[i];
        if (rooms.get(r.id()) == r && live.contains(r.id())) {
          next.setBit(r.id(), true);
        }
      }
      pending.clear();
      for (Room r : rooms.values()) {
        if (next.indexed(r.id()) != r) {
          pending.put(r.id(), r);
        }
      }
      snapshot.set(next);
    }
  }

  private void queueRebuild() {
    if (rebuildQueued.compareAndSet(false, true)) {
      rebuilder.execute(
          () -> {
            rebuildQueued.set(false);
            rebuildNow();
          });
    }
  }

  /**
   * The {@code n} live rooms nearest to {@code query}: an exact scan of the live rooms when there
   * are at most the exact threshold of them, else the graph search plus an exact scan of the
   * pending rooms.
   */
  public List<Hit> search(float[] query, int n) {
    return search(query, n, params.efSearch());
  }

  /**
   * As {@link #search(float[], int)} with another efSearch for the graph (the benchmark's sweep).
   */
  public List<Hit> search(float[] query, int n, int efSearch) {
    if (query.length != dimension) {
      throw new IllegalArgumentException(
          "query has " + query.length + " dims, index has " + dimension);
    }
    float[] q = Vectors.normalized(query);
    Snapshot s = snapshot.get();
    List<Hit> hits = new ArrayList<>();
    if (s.graph() == null || live.size() <= exactThreshold) {
      for (Integer id : live) {
        Room r = rooms.get(id);
        if (r != null) {
          hits.add(new Hit(r.id(), r.hostId(), dot(q, r.unitVector())));
        }
      }
    } else {
      Neighbors nb = s.graph().search(q, n, efSearch, s::bit);
      for (int i = 0; i < nb.size(); i++) {
        Room r = s.byOrd()[nb.ids()[i]];
        hits.add(new Hit(r.id(), r.hostId(), nb.scores()[i]));
      }
      for (Room r : pending.values()) {
        if (live.contains(r.id())) {
          hits.add(new Hit(r.id(), r.hostId(), dot(q, r.unitVector())));
        }
      }
    }
    return top(hits, n);
  }

  /** The exact answer: every live room scored (for tests and the benchmark's recall). */
  public List<Hit> searchExact(float[] query, int n) {
    float[] q = Vectors.normalized(query);
    List<Hit> hits = new ArrayList<>();
    for (Integer id : live) {
      Room r = rooms.get(id);
      if (r != null) {
        hits.add(new Hit(r.id(), r.hostId(), dot(q, r.unitVector())));
      }
    }
    return top(hits, n);
  }

  /** The inner product, the graph's own score (LuceneHnswIndex maps Lucene's (1+dot)/2 back). */
  private static float dot(float[] a, float[] b) {
    float d = 0;
    for (int i = 0; i < a.length; i++) {
      d += a[i] * b[i];
    }
    return d;
  }

  private static List<Hit> top(List<Hit> hits, int n) {
    hits.sort(Comparator.comparingDouble((Hit h) -> -h.score()).thenComparingInt(Hit::roomId));
    return hits.size() > n ? new ArrayList<>(hits.subList(0, n)) : hits;
  }

  /** The {@code n} most popular live rooms (the fallback when recall or the user is unknown). */
  public List<Hit> popularLive(int n) {
    List<Hit> out = new ArrayList<>();
    for (Integer id : live) {
      Room r = rooms.get(id);
      if (r != null) {
        out.add(new Hit(id, r.hostId(), popularity.getOrDefault(id, 0.0).floatValue()));
      }
    }
    return top(out, n);
  }

  @Override
  public void close() {
    rebuilder.shutdownNow();
  }
}
