package io.liverec.pipelines.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SimOverridesTest {

  @Test
  void setsNamedFieldsOnACopyAndTheKeyFollows() {
    SimulatorConfig base = new SimulatorConfig();
    SimulatorConfig c =
        SimOverrides.apply(
            base,
            List.of(
                "thirdOrder=false",
                "thirdOrderStrength=1.25",
                "users=50",
                "seed=9",
                "startDay=2026-03-01"));
    assertThat(c.thirdOrder).isFalse();
    assertThat(c.thirdOrderStrength).isEqualTo(1.25);
    assertThat(c.users).isEqualTo(50);
    assertThat(c.seed).isEqualTo(9L);
    assertThat(c.startDay).hasToString("2026-03-01");
    assertThat(base.thirdOrder).isTrue(); // the preset is not touched
    assertThat(SimOverrides.describe(c))
        .contains("\"thirdOrder\":false", "\"thirdOrderStrength\":1.25", "2026-03-01");
    assertThat(SimOverrides.describe(c)).isNotEqualTo(SimOverrides.describe(base));
    assertThat(SimOverrides.describe(base.copy())).isEqualTo(SimOverrides.describe(base));
  }

  @Test
  void badAssignmentsFailNamingTheField() {
    SimulatorConfig base = new SimulatorConfig();
    assertThatThrownBy(() -> SimOverrides.apply(base, List.of("thirdOrderStrenght=1")))
        .hasMessageContaining("thirdOrderStrenght");
    assertThatThrownBy(() -> SimOverrides.apply(base, List.of("users=many")))
        .hasMessageContaining("users");
    assertThatThrownBy(() -> SimOverrides.apply(base, List.of("conflict=yes")))
        .hasMessageContaining("conflict");
    assertThatThrownBy(() -> SimOverrides.apply(base, List.of("conflict")))
        .hasMessageContaining("name=value");
  }
}
