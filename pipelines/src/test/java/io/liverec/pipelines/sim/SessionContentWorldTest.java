package io.liverec.pipelines.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SessionContentWorldTest {

  @Test
  void sessionsRedrawOnlyTheContentTheUnitPairsRead() {
    SimulatorConfig base = Simulations.smallConfig(9);
    SimulatorConfig on = base.copy();
    on.sessionContent = 0.5;
    World a = new World(base);
    World b = new World(on);
    // off: the rooms' own vectors, the same array every day
    assertThat(a.sessionContent(0)).isSameAs(a.content);
    float[][] day0 = b.sessionContent(0);
    float[][] day1 = b.sessionContent(1);
    // deterministic for a seed and day
    assertThat(b.sessionContent(1)[3]).containsExactly(day1[3]);
    double dot = 0;
    double nn = 0;
    for (int r = 0; r < base.rooms; r++) {
      // the rest of the world is the same draw
      assertThat(b.content[r]).containsExactly(a.content[r]);
      assertThat(b.roomTaste[r]).containsExactly(a.roomTaste[r]);
      assertThat(day0[r]).isNotEqualTo(day1[r]);
      for (int j = 0; j < day0[r].length; j++) {
        dot += day0[r][j] * b.content[r][j];
        nn += b.content[r][j] * b.content[r][j];
      }
    }
    // the session keeps √(1 − 0.5) of the usual vector
    assertThat(dot / nn).isBetween(Math.sqrt(0.5) - 0.05, Math.sqrt(0.5) + 0.05);
    // before a session is set both worlds have the same truth; after it only the unit pairs move
    int r = 5;
    int u = 7;
    assertThat(b.effects.clickLogit(u, r, 20, 0, 1, false))
        .isEqualTo(a.effects.clickLogit(u, r, 20, 0, 1, false));
    double before = b.effects.multimodalTerm(u, r);
    double clickBefore = b.effects.clickLogit(u, r, 20, 0, 1, false);
    double convBefore = b.effects.conversionLogit(u, r, 20, 0);
    b.effects.useContent(day1);
    double after = b.effects.multimodalTerm(u, r);
    assertThat(after).isNotEqualTo(before);
    assertThat(b.effects.clickLogit(u, r, 20, 0, 1, false) - clickBefore)
        .isCloseTo(
            on.multimodalStrength * (after - before), org.assertj.core.data.Offset.offset(1e-9));
    assertThat(b.effects.conversionLogit(u, r, 20, 0)).isEqualTo(convBefore);
  }
}
