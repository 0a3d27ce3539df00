package io.liverec.api.validation;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.liverec.api.errors.LiverecException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one validator set of LiveRec's custom resources, used by the reconcilers and by {@code
 * liverec run}: (1) the OpenAPI schema of the generated CRD, (2) its CEL rules, (3) unknown fields
 * (which the API server would prune), (4) the Java {@link SpecRules}. An empty list means valid.
 */
public final class CustomResourceValidator {
  static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private CustomResourceValidator() {}

  /** The Java type of a {@code kind} served by LiveRec, if any. */
  public static Optional<Class<? extends HasMetadata>> typeOf(String apiVersion, String kind) {
    for (Class<? extends HasMetadata> type : CrdSchemas.KINDS) {
      if (HasMetadata.getKind(type).equals(kind)
          && HasMetadata.getApiVersion(type).equals(apiVersion)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  /** Validates a typed resource (as the reconcilers receive it). */
  public static List<Violation> validate(HasMetadata resource) {
    JsonNode tree = JSON.valueToTree(resource);
    List<Violation> out = new ArrayList<>(checkTree(resource.getClass(), tree));
    out.addAll(SpecRules.check(resource));
    return out;
  }

  /**
   * Validates a resource read from YAML/JSON before it is typed, then types it. Returns the typed
   * resource when valid.
   */
  public static Result validate(JsonNode tree) {
    String apiVersion = tree.path("apiVersion").asText("");
    String kind = tree.path("kind").asText("");
    Optional<Class<? extends HasMetadata>> type = typeOf(apiVersion, kind);
    if (type.isEmpty()) {
      return new Result(
          null,
          List.of(
              new Violation(
                  "kind",
                  "'"
                      + apiVersion
                      + "/"
                      + kind
                      + "' is not a LiveRec resource (liverec.io/v1alpha1 TrainingRun,"
                      + " FeatureView or ModelVersion)",
                  Violation.Source.SCHEMA)));
    }
    List<Violation> out = new ArrayList<>(checkTree(type.get(), tree));
    HasMetadata typed;
    try {
      typed = JSON.treeToValue(tree, type.get());
    } catch (Exception e) {
      if (out.isEmpty()) {
        out.add(
            new Violation(
                "", "cannot read the resource: " + e.getMessage(), Violation.Source.SCHEMA));
      }
      return new Result(null, out);
    }
    if (out.isEmpty()) {
      out.addAll(SpecRules.check(typed));
    }
    return new Result(out.isEmpty() ? typed : null, out);
  }

  /** Throws a bad-input error listing every violation with its field path. */
  public static void requireValid(String what, List<Violation> violations) {
    if (!violations.isEmpty()) {
      throw LiverecException.badInput(describe(what, violations));
    }
  }

  /** {@code what} is invalid, then one line per violation. */
  public static String describe(String what, List<Violation> violations) {
    StringBuilder sb = new StringBuilder(what).append(" is invalid:");
    for (Violation v : violations) {
      sb.append("\n  ").append(v);
    }
    return sb.toString();
  }

  private static List<Violation> checkTree(Class<? extends HasMetadata> type, JsonNode tree) {
    List<Violation> out = new ArrayList<>(SchemaCheck.check(type, tree));
    unknownFields(CrdSchemas.openApiSchema(type), tree, "", out);
    if (out.isEmpty()) {
      // CEL rules assume a schema-valid value, as the API server evaluates them only then.
      out.addAll(CelRules.check(type, tree));
    }
    return out;
  }

  private static void unknownFields(
      JsonNode schema, JsonNode value, String path, List<Violation> out) {
    if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
      return;
    }
    if (value instanceof ObjectNode obj) {
      JsonNode props = schema.path("properties");
      JsonNode additional = schema.path("additionalProperties");
      if (props.isMissingNode() && additional.isMissingNode()) {
        return; // e.g. metadata: the API server handles it
      }
      Iterator<Map.Entry<String, JsonNode>> fields = obj.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        String child = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
        if (props.has(f.getKey())) {
          unknownFields(props.get(f.getKey()), f.getValue(), child, out);
        } else if (additional.isObject()) {
          unknownFields(additional, f.getValue(), child, out);
        } else if (!(path.isEmpty()
            && (f.getKey().equals("apiVersion")
                || f.getKey().equals("kind")
                || f.getKey().equals("metadata")))) {
          out.add(new Violation(child, "unknown field", Violation.Source.SCHEMA));
        }
      }
    } else if (value != null && value.isArray() && schema.path("items").isObject()) {
      for (int i = 0; i < value.size(); i++) {
        unknownFields(schema.path("items"), value.get(i), path + "[" + i + "]", out);
      }
    }
  }

  /** A validated resource (null when invalid) and the violations found. */
  public record Result(HasMetadata resource, List<Violation> violations) {
    public boolean valid() {
      return violations.isEmpty();
    }
  }
}
