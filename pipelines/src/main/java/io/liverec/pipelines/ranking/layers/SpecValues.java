package io.liverec.pipelines.ranking.layers;

import java.util.Locale;

/**
 * Reading the model spec's optional fields with defaults; every failure names the spec field, so a
 * layer's settings are checked where they are defined and reported the same way everywhere.
 */
public final class SpecValues {
  private SpecValues() {}

  public static IllegalArgumentException bad(String field, String message) {
    return new IllegalArgumentException(field + ": " + message);
  }

  public static int positive(Integer v, String field) {
    if (v == null || v <= 0) {
      throw bad(field, "must be a positive integer, got " + v);
    }
    return v;
  }

  public static int nonNegative(Integer v, String field) {
    if (v == null || v < 0) {
      throw bad(field, "must be >= 0, got " + v);
    }
    return v;
  }

  /** Trimmed lower-case value, or {@code dflt} when unset. */
  public static String lower(String v, String dflt) {
    return v == null ? dflt : v.trim().toLowerCase(Locale.ROOT);
  }

  /** The enum constant whose lower-case name is {@code v} (or {@code dflt} when unset). */
  public static <E extends Enum<E>> E parse(Class<E> type, String v, String field, String dflt) {
    String s = lower(v, dflt);
    for (E e : type.getEnumConstants()) {
      if (e.name().toLowerCase(Locale.ROOT).equals(s)) {
        return e;
      }
    }
    throw bad(field, "unknown '" + v + "'");
  }
}
