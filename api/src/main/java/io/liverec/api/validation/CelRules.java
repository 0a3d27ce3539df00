package io.liverec.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluates the {@code x-kubernetes-validations} rules of a generated CRD with the CEL reference
 * implementation for Java (dev.cel), the way the API server does: each rule runs at the schema node
 * that declares it with {@code self} bound to the value there, values typed by the schema (integer
 * → int, number → double), and only when the value is present.
 */
final class CelRules {
  private static final Cel CEL =
      CelFactory.standardCelBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", SimpleType.DYN)
          .build();
  private static final Map<String, CelRuntime.Program> PROGRAMS = new ConcurrentHashMap<>();

  private CelRules() {}

  static List<Violation> check(Class<? extends HasMetadata> type, JsonNode resource) {
    List<Violation> out = new ArrayList<>();
    walk(CrdSchemas.openApiSchema(type), resource, "", out);
    return out;
  }

  private static void walk(JsonNode schema, JsonNode value, String path, List<Violation> out) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return;
    }
    for (JsonNode rule : schema.path("x-kubernetes-validations")) {
      evaluate(rule, schema, value, path, out);
    }
    if (value.isObject()) {
      JsonNode props = schema.path("properties");
      Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        JsonNode child = props.path(f.getKey());
        if (child.isMissingNode()) {
          child = schema.path("additionalProperties");
        }
        if (child.isObject()) {
          walk(child, f.getValue(), join(path, f.getKey()), out);
        }
      }
    } else if (value.isArray() && schema.path("items").isObject()) {
      for (int i = 0; i < value.size(); i++) {
        walk(schema.path("items"), value.get(i), path + "[" + i + "]", out);
      }
    }
  }

  private static void evaluate(
      JsonNode rule, JsonNode schema, JsonNode value, String path, List<Violation> out) {
    String expr = rule.path("rule").asText();
    String where = path;
    String fieldPath = rule.path("fieldPath").asText("");
    if (!fieldPath.isEmpty()) {
      where = path + fieldPath;
    }
    Object result;
    try {
      result = program(expr).eval(Map.of("self", toCel(schema, value)));
    } catch (CelEvaluationException e) {
      out.add(
          new Violation(
              where,
              "rule `" + expr + "` could not be evaluated: " + e.getMessage(),
              Violation.Source.CEL));
      return;
    }
    if (!Boolean.TRUE.equals(result)) {
      String message = rule.path("message").asText("");
      if (message.isEmpty()) {
        message = "failed rule: " + expr;
      }
      out.add(new Violation(where, message, Violation.Source.CEL));
    }
  }

  private static CelRuntime.Program program(String expr) {
    return PROGRAMS.computeIfAbsent(
        expr,
        e -> {
          try {
            CelAbstractSyntaxTree ast = CEL.compile(e).getAst();
            return CEL.createProgram(ast);
          } catch (CelValidationException | CelEvaluationException ex) {
            throw new IllegalStateException("invalid CEL rule in the generated CRD: " + e, ex);
          }
        });
  }

  /** JSON → CEL values, typed by the schema like the API server does. */
  static Object toCel(JsonNode schema, JsonNode value) {
    String type = schema.path("type").asText("");
    if (value.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      JsonNode props = schema.path("properties");
      Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        if (f.getValue().isNull()) {
          continue;
        }
        JsonNode child = props.path(f.getKey());
        if (child.isMissingNode()) {
          child = schema.path("additionalProperties");
        }
        map.put(f.getKey(), toCel(child, f.getValue()));
      }
      return map;
    }
    if (value.isArray()) {
      List<Object> list = new ArrayList<>();
      for (JsonNode item : value) {
        list.add(toCel(schema.path("items"), item));
      }
      return list;
    }
    if (value.isNumber()) {
      if ("integer".equals(type) || (type.isEmpty() && value.isIntegralNumber())) {
        return value.asLong();
      }
      return value.asDouble();
    }
    if (value.isBoolean()) {
      return value.asBoolean();
    }
    return value.asText();
  }

  private static String join(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }
}
