package io.liverec.serving.inference;

import java.util.Locale;

/**
 * Element types of the tensors LiveRec serves, with their KServe v2 names ({@code FP32}, …) and
 * Triton model-configuration names ({@code TYPE_FP32}, …).
 */
public enum DataType {
  BOOL(1),
  INT32(4),
  INT64(8),
  FP32(4),
  FP64(8);

  private final int byteSize;

  DataType(int byteSize) {
    this.byteSize = byteSize;
  }

  /** Bytes per element in a raw (little-endian) tensor. */
  public int byteSize() {
    return byteSize;
  }

  /** The KServe v2 datatype name, e.g. {@code FP32}. */
  public String kserveName() {
    return name();
  }

  /** The Triton model-configuration name, e.g. {@code TYPE_FP32}. */
  public String configName() {
    return "TYPE_" + name();
  }

  /** Parses a KServe name ({@code FP32}) or a config name ({@code TYPE_FP32}). */
  public static DataType parse(String name) {
    String n = name.toUpperCase(Locale.ROOT);
    if (n.startsWith("TYPE_")) {
      n = n.substring("TYPE_".length());
    }
    try {
      return valueOf(n);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "datatype " + name + " is not supported (supported: BOOL, INT32, INT64, FP32, FP64)");
    }
  }
}
