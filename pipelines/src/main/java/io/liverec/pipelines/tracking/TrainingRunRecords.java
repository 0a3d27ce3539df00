package io.liverec.pipelines.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.liverec.api.v1alpha1.TrainingRun;
import io.liverec.api.v1alpha1.TrainingRunSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What MLflow records of a TrainingRun: the flattened spec as params, lineage as tags. */
public final class TrainingRunRecords {
  public static final String TAG_SPEC_HASH = "liverec.spec_hash";
  public static final String TAG_GIT_COMMIT = "liverec.git_commit";
  public static final String TAG_DATA_WINDOW = "liverec.data_window";
  public static final String TAG_TRAININGRUN = "liverec.trainingrun";
  public static final String TAG_TRAININGRUN_UID = "liverec.trainingrun_uid";
  public static final String TAG_TASK = "liverec.task";

  private static final ObjectMapper CANONICAL =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private TrainingRunRecords() {}

  /**
   * The spec flattened to dotted keys ({@code model.multitask.balancing}); lists of scalars are
   * joined with commas, lists of objects indexed ({@code gates.0.metric}).
   */
  public static Map<String, String> params(TrainingRunSpec spec) {
    Map<String, String> out = new LinkedHashMap<>();
    flatten("", CANONICAL.valueToTree(spec), out);
    return out;
  }

  private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
    if (node == null || node.isNull()) {
      return;
    }
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
      }
    } else if (node.isArray()) {
      boolean scalars = true;
      for (JsonNode n : node) {
        scalars &= n.isValueNode();
      }
      if (scalars) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode n : node) {
          sb.append(sb.length() == 0 ? "" : ",").append(n.asText());
        }
        out.put(prefix, sb.toString());
      } else {
        for (int i = 0; i < node.size(); i++) {
          flatten(prefix + "." + i, node.get(i), out);
        }
      }
    } else {
      out.put(prefix, node.asText());
    }
  }

  /** SHA-256 of the spec's canonical JSON (object keys sorted): equal specs, equal hashes. */
  public static String specHash(TrainingRunSpec spec) {
    try {
      Object canonical = CANONICAL.treeToValue(CANONICAL.valueToTree(spec), Object.class);
      byte[] bytes = CANONICAL.writeValueAsString(canonical).getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Lineage tags of a run: spec hash, task, git commit, data window, TrainingRun name and uid. */
  public static Map<String, String> tags(TrainingRun run, Path repoRoot) {
    Map<String, String> tags = new LinkedHashMap<>();
    TrainingRunSpec spec = run.getSpec();
    tags.put(TAG_SPEC_HASH, specHash(spec));
    tags.put(TAG_TASK, String.valueOf(spec.task).toLowerCase(Locale.ROOT));
    String commit = gitCommit(repoRoot);
    if (commit != null) {
      tags.put(TAG_GIT_COMMIT, commit);
    }
    if (spec.data != null) {
      tags.put(
          TAG_DATA_WINDOW,
          (spec.data.from == null ? "first" : spec.data.from)
              + ".."
              + (spec.data.to == null ? "last" : spec.data.to));
    }
    if (run.getMetadata() != null && run.getMetadata().getName() != null) {
      String ns = run.getMetadata().getNamespace();
      tags.put(TAG_TRAININGRUN, (ns == null ? "" : ns + "/") + run.getMetadata().getName());
      if (run.getMetadata().getUid() != null) {
        tags.put(TAG_TRAININGRUN_UID, run.getMetadata().getUid());
      }
    }
    return tags;
  }

  /**
   * The commit being run: {@code LIVEREC_GIT_COMMIT} (set in trainer images), else {@code git
   * rev-parse HEAD} in {@code repoRoot}, else null.
   */
  public static String gitCommit(Path repoRoot) {
    String env = System.getenv("LIVEREC_GIT_COMMIT");
    if (env != null && !env.isBlank()) {
      return env;
    }
    if (repoRoot == null || !Files.exists(repoRoot.resolve(".git"))) {
      return null;
    }
    try {
      Process p =
          new ProcessBuilder("git", "rev-parse", "HEAD")
              .directory(repoRoot.toFile())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return null;
      }
      return out.matches("[0-9a-f]{40}") ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
