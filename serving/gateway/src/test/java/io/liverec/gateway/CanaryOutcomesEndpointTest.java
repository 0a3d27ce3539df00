package io.liverec.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.liverec.serving.rollout.ArmOutcomes.Arm;
import io.liverec.serving.rollout.CanaryReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/canary/outcomes}: feedback posted to the gateway comes back as the canary's
 * counts, read through the same {@code OutcomeCounts} interface the analysis uses, with the
 * version's technical inputs and the share it is served at; bad queries name the field.
 */
class CanaryOutcomesEndpointTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void servesTheCanarysCountsAsTheAnalysisReadsThem() throws Exception {
    try (Fixture fx = new Fixture(dir)) {
      TrafficSplit split =
          TrafficSplit.canary("ranker/2", Fixture.RANKER_V2, 3000, Fixture.RANKER_V1);
      try (Recommender rec = fx.recommender(GatewayConfig.defaults(Fixture.TOWER), split);
          GatewayServer server = new GatewayServer(rec, "127.0.0.1", 0, 2)) {
        long canaryImpressions = 0;
        long canaryClicks = 0;
        for (int u = 0; u < Fixture.USERS; u++) {
          String user = "u" + u;
          post(server, "/v1/recommend", "{\"userId\":\"" + user + "\",\"k\":3}");
          post(server, "/v1/feedback", feedback(user, "impression"));
          if (u % 3 == 0) {
            post(server, "/v1/feedback", feedback(user, "click"));
          }
          if (split.comparisonArm(user).orElse(null) == Arm.CANARY) {
            canaryImpressions++;
            canaryClicks += u % 3 == 0 ? 1 : 0;
          }
        }
        HttpResponse<String> r = get(server, "/v1/canary/outcomes?model=ranker&version=2");
        assertThat(r.statusCode()).isEqualTo(200);
        CanaryReport report = JSON.readValue(r.body(), CanaryReport.class);
        assertThat(canaryImpressions).isPositive();
        var counts = report.outcomes().counts("ranker", 2, Arm.CANARY, "click");
        assertThat(counts.impressions()).isEqualTo(canaryImpressions);
        assertThat(counts.events()).isEqualTo(canaryClicks);
        assertThat(report.outcomes().users("ranker", 2, Arm.CANARY, 3000))
            .isEqualTo(canaryImpressions);
        assertThat(report.outcomes().users("ranker", 2, Arm.CONTROL, 3000)).isPositive();
        assertThat(report.servingBasisPoints()).isEqualTo(3000);
        assertThat(report.technical()).containsKeys("p99LatencyMs", "errorRate", "requests");

        // a version the gateway does not route: zero counts, served at 0, no technical data
        CanaryReport other =
            JSON.readValue(
                get(server, "/v1/canary/outcomes?model=ranker&version=9").body(),
                CanaryReport.class);
        assertThat(other.servingBasisPoints()).isZero();
        assertThat(other.technical()).isEmpty();
        assertThat(other.outcomes().counts("ranker", 9, Arm.CANARY, "click").impressions())
            .isZero();

        assertThat(get(server, "/v1/canary/outcomes?version=2").body()).contains("\"model\"");
        HttpResponse<String> bad = get(server, "/v1/canary/outcomes?model=ranker&version=x");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"field\":\"version\"");
        assertThat(post(server, "/v1/canary/outcomes?model=ranker&version=2", "{}").statusCode())
            .isEqualTo(405);
      }
    }
  }

  private static String feedback(String user, String event) {
    return "{\"userId\":\"" + user + "\",\"roomId\":1,\"event\":\"" + event + "\"}";
  }

  private HttpResponse<String> post(GatewayServer s, String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(GatewayServer s, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
