package io.liverec.pipelines.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.liverec.testenv.TestEnv;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The SparkApplication in manifests/spark/ runs {@link SparkSamplingMain} with arguments it
 * accepts, the point-in-time join included ({@code --feature-views}), and gives the driver the
 * Feast repository those views resolve in.
 */
class SparkManifestTest {
  @Test
  void theManifestsArgumentsParseAndJoinTheFeatureViews() throws Exception {
    JsonNode app =
        new ObjectMapper(new YAMLFactory())
            .readTree(
                TestEnv.repoRoot()
                    .resolve("manifests/spark/sampling-sparkapplication.yaml")
                    .toFile());
    assertThat(app.path("spec").path("mainClass").asText())
        .isEqualTo(SparkSamplingMain.class.getName());
    List<String> args = new ArrayList<>();
    app.path("spec").path("arguments").forEach(a -> args.add(a.asText()));
    Map<String, String> parsed = SparkSamplingMain.parse(args.toArray(String[]::new));
    SparkSamplingMain.options(parsed); // every sampling option is one the entry point takes
    assertThat(parsed.get("--feature-views")).isEqualTo("room-realtime,user-activity");
    List<String> env = new ArrayList<>();
    app.path("spec").path("driver").path("env").forEach(e -> env.add(e.path("name").asText()));
    assertThat(env).contains("LIVEREC_FEAST_REPO");
  }
}
