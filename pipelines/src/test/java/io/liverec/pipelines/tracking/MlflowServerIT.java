package io.liverec.pipelines.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.liverec.testenv.TestEnv;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.tracking.MlflowClient;

/** Logs a run through the Java client to the real MLflow server, then reads it back over REST. */
class MlflowServerIT {

  @Test
  void runLoggedWithJavaClientIsVisibleThroughRestApi() throws Exception {
    String uri = TestEnv.mlflowUri();
    MlflowClient client = new MlflowClient(uri);
    String experimentId = client.createExperiment("it-foundation-" + UUID.randomUUID());
    String runId = client.createRun(experimentId).getRunId();
    client.logParam(runId, "model.interactions", "kfm,cross");
    client.logMetric(runId, "ctr_auc", 0.71, System.currentTimeMillis(), 0);
    client.logMetric(runId, "ctr_auc", 0.74, System.currentTimeMillis(), 1);
    client.setTag(runId, "liverec.spec_hash", "abc123");
    client.setTerminated(runId, RunStatus.FINISHED);

    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(uri + "/api/2.0/mlflow/runs/get?run_id=" + runId))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode run = new ObjectMapper().readTree(response.body()).get("run");

    assertThat(run.at("/info/status").asText()).isEqualTo("FINISHED");
    assertThat(run.at("/info/experiment_id").asText()).isEqualTo(experimentId);
    assertThat(keyed(run.at("/data/params"))).containsEntry("model.interactions", "kfm,cross");
    assertThat(keyed(run.at("/data/tags"))).containsEntry("liverec.spec_hash", "abc123");
    // runs/get returns the latest value per metric; the history endpoint has both points.
    assertThat(keyed(run.at("/data/metrics"))).containsEntry("ctr_auc", "0.74");

    HttpResponse<String> history =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            uri
                                + "/api/2.0/mlflow/metrics/get-history?run_id="
                                + runId
                                + "&metric_key=ctr_auc"))
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    JsonNode points = new ObjectMapper().readTree(history.body()).get("metrics");
    assertThat(points).hasSize(2);
  }

  private static Map<String, String> keyed(JsonNode array) {
    Map<String, String> out = new HashMap<>();
    array.forEach(n -> out.put(n.get("key").asText(), n.get("value").asText()));
    return out;
  }
}
