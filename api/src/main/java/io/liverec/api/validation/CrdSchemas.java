package io.liverec.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.liverec.api.v1alpha1.FeatureView;
import io.liverec.api.v1alpha1.ModelVersion;
import io.liverec.api.v1alpha1.TrainingRun;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CRDs generated at build time from the {@code v1alpha1} types (by the Fabric8
 * crd-generator-maven-plugin into {@code META-INF/fabric8/} of this jar), read from the class path.
 */
public final class CrdSchemas {
  /** Kinds served by LiveRec and their Java types. */
  public static final List<Class<? extends HasMetadata>> KINDS =
      List.of(TrainingRun.class, FeatureView.class, ModelVersion.class);

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Map<String, JsonNode> CRDS = new ConcurrentHashMap<>();

  private CrdSchemas() {}

  /** Class-path resource of the CRD of {@code type}, e.g. {@code trainingruns.liverec.io}. */
  public static String resourceName(Class<? extends HasMetadata> type) {
    return "META-INF/fabric8/" + HasMetadata.getFullResourceName(type) + "-v1.yml";
  }

  /** The whole CustomResourceDefinition of {@code type} as a JSON tree. */
  public static JsonNode crd(Class<? extends HasMetadata> type) {
    return CRDS.computeIfAbsent(resourceName(type), CrdSchemas::load);
  }

  /** The {@code openAPIV3Schema} of the served version of {@code type}. */
  public static JsonNode openApiSchema(Class<? extends HasMetadata> type) {
    JsonNode versions = crd(type).path("spec").path("versions");
    String version = HasMetadata.getVersion(type);
    for (JsonNode v : versions) {
      if (version.equals(v.path("name").asText())) {
        return v.path("schema").path("openAPIV3Schema");
      }
    }
    throw new IllegalStateException(
        "CRD of " + type.getSimpleName() + " has no version " + version);
  }

  private static JsonNode load(String resource) {
    try (InputStream in = CrdSchemas.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            resource
                + " is not on the class path: the CRDs are generated when the api module is built"
                + " (./mvnw -B -q install -DskipTests -pl api)");
      }
      return YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
