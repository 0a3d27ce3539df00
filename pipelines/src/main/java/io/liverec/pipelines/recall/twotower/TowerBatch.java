package io.liverec.pipelines.recall.twotower;

/**
 * Rows for the towers. User side: {@code userSparse[N][3]} (user id + 1, language + 1, hour) and
 * {@code seq[N][L]} (recent room ids + 1, newest first, 0-padded). Room side: {@code
 * roomSparse[N][4]} (room id + 1 or 0 = unknown, category + 1, language + 1, tag + 1), {@code
 * roomDense[N][3]} and {@code multimodal[N][M]} (zero-width when the input is off). A training
 * batch fills both sides with row i = (user i, clicked room i), and may append extra room rows
 * (mixed negatives) after the B positives; {@code rooms} are the room ids of the room rows (for
 * duplicate masking and logQ).
 */
public record TowerBatch(
    long[][] userSparse,
    long[][] seq,
    long[][] roomSparse,
    float[][] roomDense,
    float[][] multimodal,
    int[] rooms) {

  public int size() {
    return userSparse != null ? userSparse.length : roomSparse.length;
  }

  /** Number of room rows (the positives plus any extra negatives). */
  public int roomRows() {
    return roomSparse.length;
  }
}
