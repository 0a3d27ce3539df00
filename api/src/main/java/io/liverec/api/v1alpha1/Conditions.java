package io.liverec.api.v1alpha1;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Status conditions following the Kubernetes API conventions: one entry per type; {@code
 * lastTransitionTime} moves only when the status flips; {@code observedGeneration} records which
 * spec the condition describes.
 */
public final class Conditions {
  public static final String READY = "Ready";
  public static final String VALID = "Valid";
  public static final String PROGRESSING = "Progressing";

  private Conditions() {}

  /** Sets condition {@code type}; returns true when anything changed. */
  public static boolean set(
      List<Condition> conditions,
      String type,
      boolean status,
      Reason reason,
      String message,
      Long generation,
      Instant now) {
    String s = status ? "True" : "False";
    Condition c = find(conditions, type);
    if (c == null) {
      c = new Condition();
      c.type = type;
      conditions.add(c);
    }
    boolean changed =
        !s.equals(c.status)
            || !Objects.equals(reason.name(), c.reason)
            || !Objects.equals(message, c.message)
            || !Objects.equals(generation, c.observedGeneration);
    if (!s.equals(c.status)) {
      c.lastTransitionTime = now.toString();
    }
    c.status = s;
    c.reason = reason.name();
    c.message = message;
    c.observedGeneration = generation;
    return changed;
  }

  public static Condition find(List<Condition> conditions, String type) {
    for (Condition c : conditions) {
      if (type.equals(c.type)) {
        return c;
      }
    }
    return null;
  }

  /** True when condition {@code type} is present with status True. */
  public static boolean isTrue(List<Condition> conditions, String type) {
    Condition c = find(conditions, type);
    return c != null && "True".equals(c.status);
  }
}
