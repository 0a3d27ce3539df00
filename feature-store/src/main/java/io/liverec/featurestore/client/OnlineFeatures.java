package io.liverec.featurestore.client;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Online features for request time, as the gateway asks for them: feature references {@code
 * view:feature} and entity rows (join key → value: Long, Integer, String, byte[]). Implementations:
 * {@link FeastClientOnlineFeatures} (the Feast Java SDK against LiveRec's ServingService server)
 * and, for unit tests only, {@link InProcessOnlineFeatures}.
 */
public interface OnlineFeatures extends AutoCloseable {

  /** One row of results per entity row, in the same order; one value per requested feature. */
  List<Map<String, Feature>> get(List<String> features, List<Map<String, Object>> entityRows);

  /** Status of one value, as Feast's FieldStatus. */
  enum Status {
    PRESENT,
    NULL_VALUE,
    NOT_FOUND,
    OUTSIDE_MAX_AGE,
    /** The stored value could not be read. */
    INVALID
  }

  /**
   * A value (Long, Integer, Double, Float, String, Boolean, byte[], or a List of those; null when
   * absent) with its status and the event time of its row (epoch 0 when not found).
   */
  record Feature(Object value, Status status, Instant eventTime) {}

  @Override
  void close();
}
