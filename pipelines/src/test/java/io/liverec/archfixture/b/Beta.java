package io.liverec.archfixture.b;

import io.liverec.archfixture.a.Alpha;

/** The other half of the planted package cycle (b → a). */
public final class Beta {
  public Alpha partner() {
    return new Alpha();
  }
}
