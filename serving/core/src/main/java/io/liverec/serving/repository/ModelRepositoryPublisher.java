package io.liverec.serving.repository;

import io.liverec.serving.triton.proto.ModelConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Publishes exported ONNX models into a Triton model repository on a local path (in a cluster, the
 * mounted volume Triton serves from): {@code <root>/<model>/config.pbtxt} and {@code
 * <root>/<model>/<version>/model.onnx} (+ {@code model.py} for the Python backend, + extra files
 * such as the feature transform).
 *
 * <p>Atomic: a version is written into {@code <model>/.staging-<version>-<nonce>/} (a directory
 * name Triton ignores), flushed, then renamed to {@code <model>/<version>}; {@code config.pbtxt} is
 * replaced by renaming a flushed temporary file. A reader (Triton loading, a second publisher) sees
 * a version either complete or not at all. Versions are immutable once published: Triton may have
 * them loaded. A later version must serve the same tensors as the model's config (names, types,
 * dims): one {@code config.pbtxt} describes every version of a model.
 */
public final class ModelRepositoryPublisher {
  private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
  private static final String STAGING_PREFIX = ".staging-";
  private static final String RETIRED_PREFIX = ".retired-";
  private static final String MODEL_PY = "model.py";
  private static final String MODEL_ONNX = "model.onnx";

  private final Path root;

  public ModelRepositoryPublisher(Path root) {
    this.root = root.toAbsolutePath();
  }

  public Path root() {
    return root;
  }

  /** What was published. */
  public record Published(Path modelDir, Path versionDir, ModelConfig config) {}

  /**
   * Publishes {@code onnx} as {@code version} of {@code model}.
   *
   * @param extraFiles files copied into the version directory under the given names
   * @throws IllegalArgumentException naming the field: bad model name or version, missing or
   *     unreadable ONNX file, the version already published, tensors that differ from the model's
   *     published config
   */
  public Published publish(
      String model, int version, Path onnx, Map<String, Path> extraFiles, ServingOptions options) {
    checkName(model);
    if (version <= 0) {
      throw new IllegalArgumentException("version: Triton versions are positive, got " + version);
    }
    ModelSignature signature = ModelSignature.read(onnx);
    ModelConfig config = TritonModelConfig.of(model, signature, options);
    Path modelDir = root.resolve(model);
    Path versionDir = modelDir.resolve(Integer.toString(version));
    if (Files.exists(versionDir)) {
      throw new IllegalArgumentException(
          "version: " + model + "/" + version + " is already published in " + root);
    }
    for (String name : extraFiles.keySet()) {
      if (name.contains("/")
          || name.startsWith(".")
          || name.equals(MODEL_ONNX)
          || name.equals(MODEL_PY)) {
        throw new IllegalArgumentException("extraFiles: " + name + " is not a plain file name");
      }
      if (!Files.isRegularFile(extraFiles.get(name))) {
        throw new IllegalArgumentException(
            "extraFiles: " + name + " (" + extraFiles.get(name) + ") does not exist");
      }
    }
    Optional<ModelConfig> existing = TritonModelConfig.read(modelDir);
    if (existing.isPresent()) {
      Optional<String> diff = TritonModelConfig.signatureDifference(existing.get(), config);
      if (diff.isPresent()) {
        throw new IllegalArgumentException(
            "model "
                + model
                + " version "
                + version
                + ": serves other tensors than the published config.pbtxt ("
                + diff.get()
                + "); publish it under a new model name");
      }
    }
    try {
      Files.createDirectories(modelDir);
      removeStale(modelDir, STAGING_PREFIX + version + "-");
      Path staging = modelDir.resolve(STAGING_PREFIX + version + "-" + UUID.randomUUID());
      Files.createDirectory(staging);
      copy(onnx, staging.resolve(MODEL_ONNX));
      for (Map.Entry<String, Path> e : extraFiles.entrySet()) {
        copy(e.getValue(), staging.resolve(e.getKey()));
      }
      if (options.backend() == ServingOptions.Backend.PYTHON) {
        write(staging.resolve(MODEL_PY), pythonModel());
      }
      fsync(staging);
      // config first: it describes the same tensors as the versions already there
      writeConfig(modelDir, config);
      move(staging, versionDir);
      fsync(modelDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot publish " + model + "/" + version + " in " + root, e);
    }
    return new Published(modelDir, versionDir, config);
  }

  /**
   * Replaces the model's {@code config.pbtxt} atomically (e.g. a new version policy). The tensors
   * must stay those of the published versions.
   */
  public void writeConfig(String model, ModelConfig config) {
    checkName(model);
    Path modelDir = root.resolve(model);
    Optional<ModelConfig> existing = TritonModelConfig.read(modelDir);
    existing
        .flatMap(c -> TritonModelConfig.signatureDifference(c, config))
        .ifPresent(
            d -> {
              throw new IllegalArgumentException(
                  "config of " + model + " changes its tensors: " + d);
            });
    try {
      Files.createDirectories(modelDir);
      writeConfig(modelDir, config);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the config of " + model, e);
    }
  }

  /**
   * Removes a published version (no-op when absent): renamed out of Triton's sight first, then
   * deleted. Unload it from the server before.
   */
  public void remove(String model, int version) {
    checkName(model);
    Path modelDir = root.resolve(model);
    Path versionDir = modelDir.resolve(Integer.toString(version));
    if (!Files.exists(versionDir)) {
      return;
    }
    try {
      Path retired = modelDir.resolve(RETIRED_PREFIX + version + "-" + UUID.randomUUID());
      move(versionDir, retired);
      deleteTree(retired);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + model + "/" + version, e);
    }
  }

  /** The published versions of {@code model}, ascending. */
  public List<Integer> versions(String model) {
    checkName(model);
    Path modelDir = root.resolve(model);
    List<Integer> out = new ArrayList<>();
    if (!Files.isDirectory(modelDir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(modelDir, Files::isDirectory)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (n.matches("[1-9][0-9]{0,9}")) {
          out.add(Integer.parseInt(n));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + modelDir, e);
    }
    out.sort(Comparator.naturalOrder());
    return out;
  }

  /** The model's published config, if any. */
  public Optional<ModelConfig> config(String model) {
    checkName(model);
    return TritonModelConfig.read(root.resolve(model));
  }

  /** The Python-backend model that runs {@code model.onnx} with the onnxruntime package. */
  public static String pythonModel() {
    try (InputStream in = ModelRepositoryPublisher.class.getResourceAsStream(MODEL_PY)) {
      if (in == null) {
        throw new IllegalStateException("resource " + MODEL_PY + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void checkName(String model) {
    if (model == null || !MODEL_NAME.matcher(model).matches()) {
      throw new IllegalArgumentException(
          "model: '" + model + "' is not a model name (letters, digits, _ . -; at most 128)");
    }
  }

  private static void writeConfig(Path modelDir, ModelConfig config) throws IOException {
    Path tmp = modelDir.resolve(STAGING_PREFIX + "config-" + UUID.randomUUID());
    write(tmp, TritonModelConfig.toPbtxt(config));
    move(tmp, modelDir.resolve(TritonModelConfig.FILE));
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
    fsync(to);
  }

  private static void write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
    fsync(file);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          "the repository's file system cannot rename " + from + " atomically to " + to, e);
    }
  }

  /** Flushes a file or a directory entry to disk (a directory's rename is durable after this). */
  private static void fsync(Path p) throws IOException {
    boolean dir = Files.isDirectory(p);
    try (FileChannel ch =
        FileChannel.open(p, dir ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
      ch.force(true);
    } catch (IOException e) {
      if (!dir) {
        throw e;
      }
      // some file systems do not open directories for fsync; the rename is still atomic
    }
  }

  private static void removeStale(Path modelDir, String prefix) throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(modelDir, prefix + "*")) {
      for (Path p : ds) {
        deleteTree(p);
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
