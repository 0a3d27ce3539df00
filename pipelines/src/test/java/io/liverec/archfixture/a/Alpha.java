package io.liverec.archfixture.a;

import io.liverec.archfixture.b.Beta;

/** Half of a planted package cycle (a → b → a) that PackageCyclesTest must reject. */
public final class Alpha {
  public Beta partner() {
    return new Beta();
  }
}
