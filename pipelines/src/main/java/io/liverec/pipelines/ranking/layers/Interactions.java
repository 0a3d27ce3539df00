package io.liverec.pipelines.ranking.layers;

import io.liverec.api.v1alpha1.ModelSpec;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;

/**
 * Registry: spec names in {@code model.interactions} → interaction layers. Adding a layer is its
 * class in this package plus one line here.
 */
public enum Interactions {
  FM("fm", Fm::fromSpec),
  NFM("nfm", Nfm::fromSpec),
  KFM("kfm", Kfm::fromSpec),
  CROSS("cross", Cross::fromSpec),
  AUTOINT("autoint", AutoInt::fromSpec),
  BITINT("bitint", BitInt::fromSpec);

  private final String specName;
  private final Function<ModelSpec, Interaction> factory;

  Interactions(String specName, Function<ModelSpec, Interaction> factory) {
    this.specName = specName;
    this.factory = factory;
  }

  public String specName() {
    return specName;
  }

  /**
   * The layer with its settings read from the model spec.
   *
   * @throws IllegalArgumentException naming the offending spec field
   */
  public Interaction create(ModelSpec model) {
    return factory.apply(model);
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
