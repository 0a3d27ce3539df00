package io.liverec.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluates a resource against the OpenAPI v3 schema of its generated CRD, as the API server does
 * (types, required, enum, minimum/maximum, pattern, minItems/maxItems). The structural subset of
 * OpenAPI that CRDs allow is JSON Schema draft 4 plus {@code x-kubernetes-*} keywords, which are
 * ignored here and handled by {@link CelRules}.
 */
final class SchemaCheck {
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
  private static final SchemaValidatorsConfig CONFIG =
      SchemaValidatorsConfig.builder().pathType(PathType.JSON_PATH).build();
  private static final Map<Class<?>, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

  private SchemaCheck() {}

  static List<Violation> check(Class<? extends HasMetadata> type, JsonNode resource) {
    JsonSchema schema =
        SCHEMAS.computeIfAbsent(
            type, t -> FACTORY.getSchema(CrdSchemas.openApiSchema(type), CONFIG));
    List<Violation> out = new ArrayList<>();
    for (ValidationMessage m : schema.validate(resource)) {
      String at = fieldPath(m.getInstanceLocation().toString());
      String path = at;
      String text = m.getMessage();
      int colon = text.indexOf(": ");
      if (colon > 0 && text.startsWith("$")) {
        text = text.substring(colon + 2);
      }
      if ("required".equals(m.getType()) && m.getProperty() != null) {
        path = at.isEmpty() ? m.getProperty() : at + "." + m.getProperty();
        text = "required field is missing";
      }
      out.add(new Violation(path, text, Violation.Source.SCHEMA));
    }
    out.sort(Comparator.comparing(Violation::path));
    return out;
  }

  /** {@code $.spec.steps[1].weight} → {@code spec.steps[1].weight}. */
  static String fieldPath(String jsonPath) {
    if (jsonPath.startsWith("$.")) {
      return jsonPath.substring(2);
    }
    return jsonPath.equals("$") ? "" : jsonPath;
  }
}
