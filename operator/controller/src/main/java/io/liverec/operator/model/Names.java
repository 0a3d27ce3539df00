package io.liverec.operator.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Deterministic names of child objects (at most 63 characters, valid as label values). */
public final class Names {
  public static final int MAX = 63;

  private Names() {}

  /** {@code base + suffix}, shortened with a stable hash when too long. */
  public static String child(String base, String suffix) {
    String name = base + suffix;
    if (name.length() <= MAX) {
      return name;
    }
    String hash = sha256(base).substring(0, 8);
    int keep = MAX - suffix.length() - hash.length() - 1;
    String head = base.substring(0, keep).replaceAll("[-.]+$", "");
    return head + "-" + hash + suffix;
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
