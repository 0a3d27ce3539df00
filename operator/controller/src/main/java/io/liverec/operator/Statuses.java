package io.liverec.operator;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Status copies and comparisons, so that a reconcile writes status only when it changed. */
public final class Statuses {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Statuses() {}

  /** A deep copy of {@code status}, or a new instance when null. */
  public static <T> T copyOrNew(T status, Class<T> type) {
    try {
      return status == null
          ? type.getDeclaredConstructor().newInstance()
          : JSON.convertValue(status, type);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  public static boolean same(Object a, Object b) {
    return JSON.valueToTree(a).equals(JSON.valueToTree(b));
  }
}
