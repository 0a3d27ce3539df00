package io.liverec.pipelines.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liverec.api.errors.LiverecException;
import org.junit.jupiter.api.Test;

class GateExpressionTest {

  @Test
  void parsesAndEvaluatesEveryOperator() {
    assertThat(GateExpression.parse("ctcvr_auc>=0.72").test(0.72)).isTrue();
    assertThat(GateExpression.parse("ctcvr_auc>=0.72").test(0.7199)).isFalse();
    assertThat(GateExpression.parse("ctr_auc > 0.7").test(0.7)).isFalse();
    assertThat(GateExpression.parse("logloss<=0.4").test(0.4)).isTrue();
    assertThat(GateExpression.parse("ece<0.01").test(0.02)).isFalse();
    GateExpression g = GateExpression.parse(" p99_ms <= 1.5e1 ");
    assertThat(g.metric()).isEqualTo("p99_ms");
    assertThat(g.threshold()).isEqualTo(15.0);
  }

  @Test
  void rejectsMalformedGatesAsBadInput() {
    assertThatThrownBy(() -> GateExpression.parse("ctcvr_auc=0.7"))
        .isInstanceOf(LiverecException.class)
        .hasMessageContaining("metric>=value")
        .extracting(e -> ((LiverecException) e).exitCode())
        .isEqualTo(2);
    assertThatThrownBy(() -> GateExpression.parse(">=0.7")).isInstanceOf(LiverecException.class);
  }
}
