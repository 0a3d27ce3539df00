package io.liverec.featurestore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.liverec.api.errors.LiverecException;
import io.liverec.api.v1alpha1.FeatureView;
import io.liverec.api.validation.CustomResourceValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * FeatureView YAML files on disk (the views an event-log bundle declares, {@code liverec run -f}).
 * A file may name its Parquet source relative to its own directory ({@code uri:
 * room_realtime.parquet}), so the directory can move as a whole: reading resolves such a {@code
 * spec.source.uri} against the file's directory into an absolute path before validating, so the
 * registries, Feast and the joins only ever see absolute sources (on a cluster, where no file gives
 * a base, the CRD schema requires an absolute URI).
 */
public final class FeatureViewFiles {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern ABSOLUTE = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://.*|^/.*");

  private FeatureViewFiles() {}

  /** Whether {@code uri} is relative (no scheme, no leading '/'). */
  public static boolean isRelative(String uri) {
    return uri != null && !uri.isBlank() && !ABSOLUTE.matcher(uri).matches();
  }

  /**
   * Resolves a relative {@code spec.source.uri} of a FeatureView document (parsed YAML) against
   * {@code base}, in place; other documents and absolute URIs are left as they are.
   */
  public static void resolveSource(JsonNode doc, Path base) {
    if (!"FeatureView".equals(doc.path("kind").asText())) {
      return;
    }
    JsonNode source = doc.path("spec").path("source");
    JsonNode uri = source.path("uri");
    if (source instanceof ObjectNode o && uri.isTextual() && isRelative(uri.asText())) {
      o.put("uri", base.resolve(uri.asText()).toAbsolutePath().normalize().toString());
    }
  }

  /**
   * Reads and validates one FeatureView file as the operator would; {@code field} names the
   * reference in errors (e.g. {@code spec.data.featureViews[1]}).
   */
  public static FeatureView read(Path file, String field) {
    JsonNode tree;
    try {
      tree = YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw LiverecException.badInput(field + ": cannot read " + file + ": " + e.getMessage());
    }
    if (tree == null || !tree.isObject()) {
      throw LiverecException.badInput(field + ": " + file + " is not a FeatureView");
    }
    resolveSource(tree, file.toAbsolutePath().getParent());
    CustomResourceValidator.Result r = CustomResourceValidator.validate(tree);
    CustomResourceValidator.requireValid(field + " (" + file + ")", r.violations());
    if (!(r.resource() instanceof FeatureView fv)) {
      throw LiverecException.badInput(field + ": " + file + " is not a FeatureView");
    }
    return fv;
  }

  /** Every {@code *.yaml} FeatureView in {@code dir} (sorted by file name; none = empty). */
  public static List<FeatureView> readAll(Path dir) {
    List<FeatureView> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw LiverecException.badInput("cannot list the FeatureViews in " + dir + ": " + e);
    }
    for (Path f : files) {
      out.add(read(f, f.toString()));
    }
    return out;
  }
}
