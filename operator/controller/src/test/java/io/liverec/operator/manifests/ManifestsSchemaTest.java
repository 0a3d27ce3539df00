package io.liverec.operator.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.gson.JsonParser;
import io.liverec.api.validation.CustomResourceValidator;
import io.liverec.testenv.TestEnv;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders the overlays with the real kustomize and validates every object against its schema:
 * built-in kinds against the Kubernetes OpenAPI schema (the official Java client's models, which
 * are generated from it and reject unknown fields, missing required fields and wrong JSON types),
 * LiveRec's custom resources against the CRDs' openAPIV3Schema and CEL rules ({@link
 * CustomResourceValidator}). A kind with no schema fails the test.
 */
class ManifestsSchemaTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "overlays/cpu",
        "overlays/gpu",
        "overlays/dev",
        "overlays/prod",
        "overlays/triton",
        "overlays/triton-gpu"
      })
  void everyRenderedObjectMatchesItsSchema(String dir) throws Exception {
    List<JsonNode> docs = render(dir);
    Map<String, String> errors = new TreeMap<>();
    for (JsonNode doc : docs) {
      String id = id(doc);
      try {
        validate(doc);
      } catch (Exception e) {
        errors.put(id, message(e));
      }
    }
    assertThat(errors).as("schema violations in manifests/" + dir).isEmpty();
    String accelerator = dir.endsWith("/cpu") ? "cpu" : dir.endsWith("/gpu") ? "gpu" : null;
    if (accelerator != null) {
      assertThat(docs)
          .allSatisfy(
              d ->
                  assertThat(
                          d.path("metadata").path("labels").path("liverec.io/accelerator").asText())
                      .as(id(d))
                      .isEqualTo(accelerator));
    }
  }

  /**
   * What differs between the two: the GPU overlay runs Triton on a GPU (one nvidia.com/gpu, the
   * toleration, KIND_GPU instances from the operator); both tell the operator the GPU trainer image
   * for runs with spec.resources.gpu &gt; 0.
   */
  @Test
  void theGpuOverlayPutsTritonOnAGpuAndBothKnowTheGpuTrainer() throws Exception {
    for (String overlay : List.of("cpu", "gpu")) {
      boolean gpu = overlay.equals("gpu");
      List<JsonNode> docs = render("overlays/" + overlay);
      JsonNode triton = deployment(docs, "triton");
      JsonNode tc = triton.at("/spec/template/spec/containers/0");
      assertThat(tc.at("/resources/limits").has("nvidia.com/gpu")).as(overlay).isEqualTo(gpu);
      JsonNode operator = deployment(docs, "liverec-operator");
      Map<String, String> env = new TreeMap<>();
      operator
          .at("/spec/template/spec/containers/0/env")
          .forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
      assertThat(env.getOrDefault("LIVEREC_OPERATOR_TRITON_GPU", "false"))
          .isEqualTo(String.valueOf(gpu));
      assertThat(env.get("LIVEREC_OPERATOR_TRAINER_GPU_IMAGE"))
          .isEqualTo("ghcr.io/liverec/liverec-trainer-gpu:0.1.0-SNAPSHOT");
      assertThat(env.get("LIVEREC_OPERATOR_TRAINER_IMAGE"))
          .isEqualTo("ghcr.io/liverec/liverec-trainer:0.1.0-SNAPSHOT");
    }
  }

  /** The validator can fail: an unknown field, a missing required field, a wrong type. */
  @Test
  void theSchemasRejectWhatTheApiServerWould() throws Exception {
    JsonNode deployment = deployment(render("overlays/cpu"), "liverec-gateway");
    validate(deployment);

    ObjectNode typo = deployment.deepCopy();
    ((ObjectNode) typo.at("/spec/template/spec/containers/0")).put("imagePullPolicyy", "Always");
    assertThatThrownBy(() -> validate(typo)).hasMessageContaining("imagePullPolicyy");

    ObjectNode noName = deployment.deepCopy();
    ((ObjectNode) noName.at("/spec/template/spec/containers/0")).remove("name");
    assertThatThrownBy(() -> validate(noName)).hasMessageContaining("name");

    ObjectNode wrongType = deployment.deepCopy();
    ((ObjectNode) wrongType.at("/spec/template/spec")).put("containers", "gateway");
    assertThatThrownBy(() -> validate(wrongType)).hasMessageContaining("containers");

    ObjectNode unknownKind = deployment.deepCopy();
    unknownKind.put("kind", "Deploymint");
    assertThatThrownBy(() -> validate(unknownKind)).hasMessageContaining("no schema");

    // a LiveRec custom resource is held to its CRD
    ObjectNode run =
        (ObjectNode)
            YAML.readTree(
                TestEnv.repoRoot().resolve("manifests/samples/trainingrun-ranking.yaml").toFile());
    validate(run);
    ((ObjectNode) run.path("spec")).put("task", "clustering");
    assertThatThrownBy(() -> validate(run)).hasMessageContaining("spec.task");
  }

  /** Validates one object; throws with the violation (and the field) when it does not match. */
  static void validate(JsonNode doc) throws Exception {
    String apiVersion = doc.path("apiVersion").asText();
    String kind = doc.path("kind").asText();
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    if (group.equals("liverec.io")) {
      CustomResourceValidator.Result r = CustomResourceValidator.validate(doc);
      if (!r.violations().isEmpty()) {
        throw new IllegalArgumentException(
            r.violations().stream().map(Object::toString).collect(Collectors.joining("; ")));
      }
      return;
    }
    String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
    String model =
        "io.kubernetes.client.openapi.models."
            + Character.toUpperCase(version.charAt(0))
            + version.substring(1)
            + kind;
    Class<?> type;
    try {
      type = Class.forName(model);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(
          "no schema for " + apiVersion + " " + kind + " (no " + model + ")");
    }
    Method check = type.getMethod("validateJsonElement", com.google.gson.JsonElement.class);
    try {
      check.invoke(null, JsonParser.parseString(JSON.writeValueAsString(doc)));
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception x ? x : e;
    }
  }

  private static String message(Throwable e) {
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private static String id(JsonNode d) {
    return d.path("kind").asText()
        + " "
        + d.path("metadata").path("namespace").asText("")
        + "/"
        + d.path("metadata").path("name").asText();
  }

  private static JsonNode deployment(List<JsonNode> docs, String name) {
    return docs.stream()
        .filter(
            d ->
                d.path("kind").asText().equals("Deployment")
                    && d.path("metadata").path("name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no Deployment " + name));
  }

  private static List<JsonNode> render(String dir) throws Exception {
    Process p =
        new ProcessBuilder(
                ManifestsRenderTest.kustomize(),
                "build",
                TestEnv.repoRoot().resolve("manifests").resolve(dir).toString())
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      fail("`kustomize build manifests/" + dir + "` failed:\n" + err);
    }
    List<JsonNode> docs =
        new ArrayList<>(YAML.readValues(YAML.createParser(out), JsonNode.class).readAll());
    assertThat(docs).isNotEmpty();
    return docs.stream().filter(d -> !d.isNull()).collect(Collectors.toList());
  }
}
