package io.liverec.pipelines.features;

import java.nio.charset.StandardCharsets;

/**
 * Stable 64-bit FNV-1a hashing of categorical values into [1, size): the same in training, serving
 * and any other language, independent of JVM {@code hashCode}. Id 0 stays reserved for missing.
 */
public final class Hashing {
  private static final long OFFSET = 0xcbf29ce484222325L;
  private static final long PRIME = 0x100000001b3L;

  private Hashing() {}

  public static long fnv1a64(String s) {
    long h = OFFSET;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= PRIME;
    }
    return h;
  }

  /** Id in [1, size) of {@code value} under {@code salt}. */
  public static long bucket(String salt, String value, long size) {
    return 1 + Long.remainderUnsigned(fnv1a64(salt + '\u0001' + value), size - 1);
  }
}
