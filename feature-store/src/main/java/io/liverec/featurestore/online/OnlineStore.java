package io.liverec.featurestore.online;

import feast.proto.types.ValueProto.Value;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One of Feast's online stores, read and written in Feast's own format, so that Feast Python and
 * LiveRec read each other's values. Values are read as raw bytes: the server parses them and
 * reports a corrupt one as a status instead of failing the request.
 */
public interface OnlineStore extends AutoCloseable {

  /** A row to write: the latest values of one entity of a view. */
  record Row(byte[] entityKey, Map<String, Value> values, Instant eventTs, Instant createdTs) {}

  /** What is stored for one entity of a view: event time and serialized values (absent = null). */
  record Stored(Instant eventTs, Map<String, byte[]> values) {}

  /**
   * Creates what the store needs before Feast Python can write {@code view} (its SQLite table), as
   * {@code feast apply} does; a no-op for stores that need nothing.
   */
  default void prepare(String project, String view) {}

  /** Writes rows of {@code view} in {@code project}; returns how many were written. */
  int write(String project, String view, List<Row> rows);

  /**
   * Reads {@code features} of {@code view} for each key (same order); a key with nothing stored
   * gives null.
   */
  List<Stored> read(String project, String view, List<byte[]> keys, List<String> features);

  @Override
  void close();
}
