package io.liverec.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricKeyTest {
  @Test
  void namesMlflowRejectsAreMadeValidAndValidOnesKept() {
    assertThat(MlflowGateway.metricKey("recall@100")).isEqualTo("recall_at_100");
    assertThat(MlflowGateway.metricKey("popular.coldRecall@20"))
        .isEqualTo("popular.coldRecall_at_20");
    assertThat(MlflowGateway.metricKey("ctcvr_auc")).isEqualTo("ctcvr_auc");
    assertThat(MlflowGateway.metricKey("train/loss-1: a")).isEqualTo("train/loss-1: a");
    assertThat(MlflowGateway.metricKey("p99(ms)")).isEqualTo("p99_ms_");
  }
}
