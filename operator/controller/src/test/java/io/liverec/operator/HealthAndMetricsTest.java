package io.liverec.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithKubernetesTestServer(crud = true)
class HealthAndMetricsTest {
  @Inject KubernetesClient client;

  @TestHTTPResource("/q/health/ready")
  URI ready;

  @TestHTTPResource("/q/health/live")
  URI live;

  @TestHTTPResource("/q/metrics")
  URI metrics;

  @Test
  void probesAnswerAndReconcilesAreCountedByKindAndResult() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(get(http, ready).statusCode()).isEqualTo(200));
    assertThat(get(http, live).statusCode()).isEqualTo(200);

    client.resource(Fixtures.featureView("metrics", "fv-metrics")).create();
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              String body = get(http, metrics).body();
              assertThat(body)
                  .containsPattern(
                      "liverec_reconcile_seconds_count\\{kind=\"FeatureView\",result=\"updated\"\\} [1-9]");
              assertThat(body)
                  .contains(
                      "liverec_reconcile_seconds_bucket{kind=\"FeatureView\",result=\"updated\"");
            });
  }

  private static HttpResponse<String> get(HttpClient http, URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }
}
