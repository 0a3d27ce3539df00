package io.liverec.gateway;

/** A served model version: the name in the inference backend's repository and its version. */
public record ModelRef(String name, int version) {
  public ModelRef {
    if (name == null || name.isBlank() || version < 1) {
      throw new IllegalArgumentException("model ref needs a name and a version ≥ 1");
    }
  }

  @Override
  public String toString() {
    return name + "/" + version;
  }
}
