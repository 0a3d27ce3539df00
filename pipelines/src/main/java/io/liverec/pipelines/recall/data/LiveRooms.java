package io.liverec.pipelines.recall.data;

import java.util.BitSet;

/**
 * The rooms that may be returned for one request: those live during its time window. Every
 * retriever takes one and must never return a room outside it; the ANN indexes apply it inside the
 * graph search (as the accept-ordinals filter), the heuristic retrievers while scoring.
 */
public final class LiveRooms {
  private final BitSet live;
  private final int numRooms;

  public LiveRooms(BitSet live, int numRooms) {
    this.live = (BitSet) live.clone();
    this.numRooms = numRooms;
  }

  /** All rooms live (no filtering); for tests and the ANN benchmark. */
  public static LiveRooms all(int numRooms) {
    BitSet b = new BitSet(numRooms);
    b.set(0, numRooms);
    return new LiveRooms(b, numRooms);
  }

  public boolean isLive(int room) {
    return room >= 0 && room < numRooms && live.get(room);
  }

  public int count() {
    return live.cardinality();
  }

  public int numRooms() {
    return numRooms;
  }

  /** Fraction of the catalogue that is live: the filter's selectivity. */
  public double fraction() {
    return numRooms == 0 ? 0 : (double) count() / numRooms;
  }

  /** A copy of the live set (callers may not change this object's). */
  public BitSet toBitSet() {
    return (BitSet) live.clone();
  }

  /** Live rooms in ascending id order. */
  public int[] ids() {
    return live.stream().toArray();
  }
}
