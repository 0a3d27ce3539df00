package io.liverec.pipelines.ranking.layers;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/** Registry: spec names in {@code model.interactions} → interaction layers. */
public enum Interactions {
  FM("fm", Fm::new),
  NFM("nfm", Nfm::new),
  KFM("kfm", Kfm::new),
  CROSS("cross", Cross::new),
  AUTOINT("autoint", AutoInt::new),
  BITINT("bitint", BitInt::new);

  private final String specName;
  private final Supplier<Interaction> factory;

  Interactions(String specName, Supplier<Interaction> factory) {
    this.specName = specName;
    this.factory = factory;
  }

  public String specName() {
    return specName;
  }

  public Interaction create() {
    return factory.get();
  }

  /**
   * @throws IllegalArgumentException naming {@code model.interactions} for an unknown name
   */
  public static Interactions byName(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (Interactions i : values()) {
      if (i.specName.equals(n)) {
        return i;
      }
    }
    throw new IllegalArgumentException(
        "model.interactions: unknown interaction '"
            + name
            + "' (known: "
            + Arrays.stream(values()).map(Interactions::specName).toList()
            + ")");
  }
}
