package io.liverec.gateway;

import io.liverec.pipelines.recall.index.IndexParams;
import io.liverec.pipelines.recall.index.LuceneHnswIndex;
import io.liverec.pipelines.recall.index.Neighbors;
import io.liverec.pipelines.recall.index.Vectors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The rooms that are live now, searchable by vector. A Lucene HNSW graph holds every room seen when
 * it was last built; a live set filters it at search time, so a room going down or up again is
 * visible on the next request. Rooms first seen after the build are scanned exactly until a
 * background rebuild folds them into a new graph, swapped in atomically: no restart, no pause.
 */
public final class LiveRoomIndex implements AutoCloseable {
  /** A room as recall returns it. */
  public record Hit(int roomId, String hostId, float score) {}

  private record Room(int id, String hostId, float[] unitVector) {}

  private record Snapshot(LuceneHnswIndex graph, Map<Integer, Room> indexed) {}

  private final int dimension;
  private final IndexParams params;
  private final Map<Integer, Room> rooms = new ConcurrentHashMap<>();
  private final Map<Integer, Boolean> live = new ConcurrentHashMap<>();
  private final Map<Integer, Double> popularity = new ConcurrentHashMap<>();
  private final AtomicReference<Snapshot> snapshot =
      new AtomicReference<>(new Snapshot(null, Map.of()));
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
    this.dimension = dimension;
    this.params = params;
    this.rebuildThreshold = Math.max(1, rebuildThreshold);
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
    Room r = new Room(roomId, hostId, Vectors.normalized(embedding));
    Room before = rooms.put(roomId, r);
    popularity.merge(roomId, popularityPrior, Math::max);
    live.put(roomId, Boolean.TRUE);
    Room indexed = snapshot.get().indexed().get(roomId);
    if (indexed == null || (before != null && before != indexed)) {
      maybeRebuild();
    }
  }

  /** A room ended: it is filtered out of recall and popularity from now on. */
  public void roomDown(int roomId) {
    live.remove(roomId);
  }

  /**
   * A known room is live again, unchanged (no rebuild): its next session. False when the room was
   * never {@link #roomUp} and needs its embedding first.
   */
  public boolean roomBackUp(int roomId) {
    if (!rooms.containsKey(roomId)) {
      return false;
    }
    live.put(roomId, Boolean.TRUE);
    return true;
  }

  public boolean isLive(int roomId) {
    return live.containsKey(roomId);
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
    Map<Integer, Room> indexed = snapshot.get().indexed();
    int n = 0;
    for (Room r : rooms.values()) {
      if (indexed.get(r.id()) != r) {
        n++;
      }
    }
    return n;
  }

  /** Builds the graph now over every known room (startup, tests). */
  public void rebuildNow() {
    List<Room> all = new ArrayList<>(rooms.values());
    Map<Integer, Room> indexed = new HashMap<>();
    if (all.isEmpty()) {
      snapshot.set(new Snapshot(null, Map.of()));
      return;
    }
    float[][] vectors = new float[all.size()][];
    int[] ids = new int[all.size()];
    for (int i = 0; i < all.size(); i++) {
      vectors[i] = all.get(i).unitVector();
      ids[i] = all.get(i).id();
      indexed.put(ids[i], all.get(i));
    }
    snapshot.set(new Snapshot(LuceneHnswIndex.build(vectors, ids, params), Map.copyOf(indexed)));
  }

  private void maybeRebuild() {
    if (pendingCount() >= rebuildThreshold && rebuildQueued.compareAndSet(false, true)) {
      rebuilder.execute(
          () -> {
            rebuildQueued.set(false);
            rebuildNow();
          });
    }
  }

  /**
   * The {@code n} live rooms nearest to {@code query} (graph search plus exact scan of pending).
   */
  public List<Hit> search(float[] query, int n) {
    if (query.length != dimension) {
      throw new IllegalArgumentException(
          "query has " + query.length + " dims, index has " + dimension);
    }
    float[] q = Vectors.normalized(query);
    Snapshot s = snapshot.get();
    List<Hit> hits = new ArrayList<>();
    if (s.graph() != null) {
      Neighbors nb =
          s.graph()
              .search(q, n, id -> live.containsKey(id) && rooms.get(id) == s.indexed().get(id));
      for (int i = 0; i < nb.size(); i++) {
        int id = nb.ids()[i];
        hits.add(new Hit(id, rooms.get(id).hostId(), nb.scores()[i]));
      }
    }
    for (Room r : rooms.values()) {
      if (s.indexed().get(r.id()) != r && live.containsKey(r.id())) {
        double dot = 0;
        for (int i = 0; i < dimension; i++) {
          dot += q[i] * r.unitVector()[i];
        }
        hits.add(new Hit(r.id(), r.hostId(), (float) ((1 + dot) / 2)));
      }
    }
    hits.sort(Comparator.comparingDouble((Hit h) -> -h.score()).thenComparingInt(Hit::roomId));
    return hits.size() > n ? new ArrayList<>(hits.subList(0, n)) : hits;
  }

  /** The {@code n} most popular live rooms (the fallback when recall or the user is unknown). */
  public List<Hit> popularLive(int n) {
    List<Hit> out = new ArrayList<>();
    for (Integer id : live.keySet()) {
      Room r = rooms.get(id);
      if (r != null) {
        out.add(new Hit(id, r.hostId(), popularity.getOrDefault(id, 0.0).floatValue()));
      }
    }
    out.sort(Comparator.comparingDouble((Hit h) -> -h.score()).thenComparingInt(Hit::roomId));
    return out.size() > n ? new ArrayList<>(out.subList(0, n)) : out;
  }

  @Override
  public void close() {
    rebuilder.shutdownNow();
  }
}
