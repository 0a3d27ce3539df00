package io.liverec.images;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Opens every image tarball the {@code images} profile built (Jib {@code buildTar} on the offline
 * base of scripts/image-base.sh) and checks it is a real, runnable image: layer digests match the
 * config's diff_ids, a Java runtime and the C/C++ libraries it needs are in the file system, the
 * entry point names the right main class and every class-path entry exists, the user is non-root
 * and known to /etc/passwd, ports and environment are what the manifests expect, and the image
 * names are the ones manifests/ deploys.
 */
class ImageTarballsTest {
  private static final Path ROOT =
      Path.of(System.getProperty("liverec.repo.root", "..")).toAbsolutePath().normalize();
  private static final String VERSION = "0.1.0-SNAPSHOT";
  private static final String REGISTRY = "ghcr.io/liverec/";
  private static final Map<String, ImageTar> CACHE = new ConcurrentHashMap<>();

  /** What one image must be. */
  record Spec(
      String name,
      String tarball,
      String mainClass,
      List<String> args,
      Integer port,
      Map<String, String> env,
      List<String> mustContain,
      List<String> mustNotContain) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Spec> images() {
    String cpuNative = "/app/libs/tensorflow-core-native-1.1.0-linux-x86_64.jar";
    String gpuNative = "/app/libs/tensorflow-core-native-1.1.0-linux-x86_64-gpu.jar";
    return Stream.of(
        new Spec(
            "liverec-trainer",
            "operator/cli/target/jib-trainer.tar",
            "io.liverec.cli.Main",
            List.of(),
            null,
            Map.of("TF_CPP_MIN_LOG_LEVEL", "2"),
            List.of("/app/classes/io/liverec/cli/Main.class", cpuNative),
            List.of(gpuNative)),
        new Spec(
            "liverec-trainer-gpu",
            "operator/trainer-gpu/target/jib-trainer-gpu.tar",
            "io.liverec.cli.Main",
            List.of(),
            null,
            Map.of("NVIDIA_VISIBLE_DEVICES", "all"),
            List.of(
                gpuNative,
                "/app/libs/tensorflow-core-native-1.1.0.jar",
                // the CLI module's jar: its finalName in a reactor build, versioned from ~/.m2
                "/app/libs/liverec-cli{,-" + VERSION + "}.jar"),
            List.of(cpuNative)),
        new Spec(
            "liverec-gateway",
            "operator/cli/target/jib-gateway.tar",
            "io.liverec.cli.Main",
            List.of("serve", "--bundle", "/bundle", "--host", "0.0.0.0", "--port", "8080"),
            8080,
            Map.of(),
            List.of("/app/classes/io/liverec/cli/Main.class"),
            List.of()),
        new Spec(
            "liverec-feature-server",
            "feature-store/target/jib-feature-server.tar",
            "io.liverec.featurestore.server.FeatureServer",
            List.of(),
            16566,
            Map.of("LIVEREC_FEAST_REPO", "/var/lib/liverec/feast"),
            List.of("/app/classes/io/liverec/featurestore/server/FeatureServer.class"),
            List.of(cpuNative)));
  }

  private static ImageTar image(String tarball) throws Exception {
    Path file = ROOT.resolve(tarball);
    assertThat(file)
        .as("%s was not built: run `scripts/image-base.sh` then `./mvnw -Pimages package`", file)
        .exists();
    ImageTar cached = CACHE.get(tarball);
    if (cached == null) {
      cached =
          ImageTar.read(
              file,
              p ->
                  p.equals("/etc/passwd")
                      || p.equals("/app/jib-classpath-file")
                      || p.endsWith("/jib-main-class-file"));
      CACHE.put(tarball, cached);
    }
    return cached;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("images")
  void isARunnableNonRootJavaImage(Spec spec) throws Exception {
    ImageTar img = image(spec.tarball());

    // integrity: what the config promises is what the layers hold
    assertThat(img.layerDigests).as("layer digests = rootfs.diff_ids").isEqualTo(img.diffIds);
    assertThat(img.manifest.path("RepoTags").get(0).asText())
        .isEqualTo(REGISTRY + spec.name() + ":" + VERSION);
    assertThat(img.config.path("architecture").asText()).isEqualTo("amd64");
    assertThat(img.config.path("os").asText()).isEqualTo("linux");

    runtimeIsComplete(img);

    // the entry point: java from the image's PATH, the class path file, the main class
    List<String> entrypoint = img.list("Entrypoint");
    assertThat(entrypoint.get(0)).isEqualTo("java");
    assertThat(entrypoint).contains("-cp", "@/app/jib-classpath-file");
    assertThat(entrypoint.get(entrypoint.size() - 1)).isEqualTo(spec.mainClass());
    assertThat(img.list("Cmd")).isEqualTo(spec.args());
    String classpath = img.text("/app/jib-classpath-file");
    assertThat(classpath).as("/app/jib-classpath-file").isNotBlank();
    List<String> missing = new ArrayList<>();
    for (String entry : classpath.trim().split(":")) {
      // Jib lists /app/resources and /app/classes even when a module has none; the jars must exist
      if (entry.endsWith(".jar") && img.resolve(entry) == null) {
        missing.add(entry);
      }
    }
    assertThat(missing).as("class-path entries missing from the image").isEmpty();
    for (String path : spec.mustContain()) {
      assertThat(alternatives(path).stream().anyMatch(p -> img.resolve(p) != null))
          .as(path)
          .isTrue();
    }
    for (String path : spec.mustNotContain()) {
      assertThat(img.resolve(path)).as(path + " must not be in " + spec.name()).isNull();
    }

    // ports and environment the manifests rely on
    JsonNode ports = img.containerConfig().path("ExposedPorts");
    if (spec.port() == null) {
      assertThat(ports.isMissingNode() || ports.isEmpty()).as("no exposed ports").isTrue();
    } else {
      assertThat(ports.has(spec.port() + "/tcp")).as("exposes " + spec.port()).isTrue();
    }
    assertThat(img.env()).containsAllEntriesOf(spec.env());
    assertThat(img.containerConfig().path("Labels").path("org.opencontainers.image.title").asText())
        .isEqualTo(spec.name());
  }

  /** The operator: Quarkus' fast-jar run with java -jar, without Jib's unused /app layers. */
  @Test
  void operatorImageRunsTheQuarkusFastJar() throws Exception {
    ImageTar img = image("operator/controller/target/jib-operator.tar");
    assertThat(img.layerDigests).isEqualTo(img.diffIds);
    assertThat(img.manifest.path("RepoTags").get(0).asText())
        .isEqualTo(REGISTRY + "liverec-operator:" + VERSION);
    runtimeIsComplete(img);
    List<String> entrypoint = img.list("Entrypoint");
    assertThat(entrypoint.get(0)).isEqualTo("java");
    assertThat(entrypoint.subList(entrypoint.size() - 2, entrypoint.size()))
        .containsExactly("-jar", "/deployments/quarkus-run.jar");
    assertThat(img.resolve("/deployments/quarkus-run.jar")).isNotNull();
    assertThat(img.resolve("/deployments/quarkus/quarkus-application.dat")).isNotNull();
    assertThat(img.files.keySet())
        .anyMatch(p -> p.startsWith("/deployments/lib/main/") && p.endsWith(".jar"))
        .noneMatch(p -> p.startsWith("/app/"));
    // ONNX Runtime is the operator's: publishing a ModelVersion into Triton's repository reads the
    // model's input/output signature with it (ModelRepositoryPublisher); TensorFlow is not
    assertThat(img.files.keySet())
        .as("the operator does not carry the training stack")
        .noneMatch(p -> p.contains("tensorflow"))
        .anyMatch(p -> p.startsWith("/deployments/lib/main/") && p.contains("onnxruntime"));
    assertThat(img.containerConfig().path("ExposedPorts").has("8080/tcp")).isTrue();
  }

  /**
   * The Spark job: LiveRec's jars at the paths the SparkApplication names, Spark's jars from Maven
   * Central in /opt/spark/jars, SparkSamplingMain as the entry point, Jib's /app layers dropped.
   */
  @Test
  void sparkImageHoldsWhatTheSparkApplicationNames() throws Exception {
    ImageTar img = image("pipelines/target/jib-spark.tar");
    assertThat(img.layerDigests).isEqualTo(img.diffIds);
    runtimeIsComplete(img);
    List<String> entrypoint = img.list("Entrypoint");
    assertThat(entrypoint.get(0)).isEqualTo("java");
    assertThat(entrypoint).contains("-cp", "/opt/spark/jars/*:/opt/liverec/lib/*");
    assertThat(entrypoint).anyMatch(a -> a.startsWith("--add-opens=java.base/sun.nio.ch"));
    assertThat(entrypoint.get(entrypoint.size() - 1))
        .isEqualTo("io.liverec.pipelines.sampling.SparkSamplingMain");
    assertThat(img.resolve("/opt/spark/jars/spark-sql_2.13-4.2.0.jar")).isNotNull();
    assertThat(img.resolve("/opt/spark/jars/spark-core_2.13-4.2.0.jar")).isNotNull();
    assertThat(img.files.keySet()).noneMatch(p -> p.startsWith("/app/"));
    assertThat(img.files.keySet())
        .as("Spark jobs do not carry the trainer's native libraries")
        .noneMatch(p -> p.contains("tensorflow") || p.contains("onnxruntime"));

    JsonNode app =
        new ObjectMapper(new YAMLFactory())
            .readTree(ROOT.resolve("manifests/spark/sampling-sparkapplication.yaml").toFile());
    String image = app.path("spec").path("image").asText();
    String repoTag = img.manifest.path("RepoTags").get(0).asText();
    assertThat(image.substring(0, image.lastIndexOf(':')))
        .isEqualTo(repoTag.substring(0, repoTag.lastIndexOf(':')));
    List<String> local = new ArrayList<>();
    local.add(app.path("spec").path("mainApplicationFile").asText());
    app.path("spec").path("deps").path("jars").forEach(j -> local.add(j.asText()));
    for (String uri : local) {
      assertThat(uri).startsWith("local://");
      assertThat(img.resolve(uri.substring("local://".length()))).as(uri).isNotNull();
    }
  }

  /** The images are the ones manifests/ deploys (same repositories, same version). */
  @Test
  void manifestsDeployTheseImages() throws Exception {
    JsonNode kustomization =
        new ObjectMapper(new YAMLFactory())
            .readTree(ROOT.resolve("manifests/base/kustomization.yaml").toFile());
    List<String> deployed = new ArrayList<>();
    kustomization
        .path("images")
        .forEach(i -> deployed.add(i.path("newName").asText() + ":" + i.path("newTag").asText()));
    List<String> built = new ArrayList<>();
    for (String tar :
        List.of(
            "operator/controller/target/jib-operator.tar",
            "operator/cli/target/jib-trainer.tar",
            "operator/cli/target/jib-gateway.tar",
            "feature-store/target/jib-feature-server.tar")) {
      built.add(image(tar).manifest.path("RepoTags").get(0).asText());
    }
    assertThat(deployed).containsAll(built);
  }

  /**
   * The trainer image really starts: its layers unpacked into a directory and {@code liverec
   * --help} run there as user 10001 with the image's own Java and libraries (chroot in a private
   * mount namespace, with /proc mounted as a container runtime would). Needs root for chroot.
   */
  @Test
  void trainerImageStartsItsCommandLine() throws Exception {
    ImageTar img = image("operator/cli/target/jib-trainer.tar");
    Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name"))
            && Files.isExecutable(Path.of("/usr/bin/unshare"))
            && Files.isExecutable(Path.of("/usr/sbin/chroot")),
        "chroot needs root and unshare(1); the image's structure is still checked above");
    Path dir = Files.createTempDirectory(ROOT.resolve("images/target"), "rootfs");
    Path rootfs = dir.resolve("rootfs");
    Files.createDirectories(rootfs.resolve("proc"));
    try {
      run(dir, "tar", "-xf", img.file.toString(), "-C", dir.toString());
      for (JsonNode layer : img.manifest.path("Layers")) {
        run(dir, "tar", "-xf", dir.resolve(layer.asText()).toString(), "-C", rootfs.toString());
      }
      List<String> entry = new ArrayList<>(img.list("Entrypoint"));
      entry.add("--help");
      String command =
          "mount -t proc proc "
              + rootfs.resolve("proc")
              + " && PATH="
              + img.env().get("PATH")
              + " exec /usr/sbin/chroot --userspec=10001:10001 "
              + rootfs
              + " "
              + String.join(" ", entry);
      String out = run(dir, "unshare", "--mount", "--pid", "--fork", "sh", "-c", command);
      assertThat(out).contains("Usage: liverec").contains("train").contains("serve");
    } finally {
      run(ROOT, "rm", "-rf", dir.toString());
    }
  }

  /** {@code a{,b}c} stands for {@code ac} or {@code abc}; other paths for themselves. */
  private static List<String> alternatives(String path) {
    int open = path.indexOf('{');
    if (open < 0) {
      return List.of(path);
    }
    int close = path.indexOf('}', open);
    List<String> out = new ArrayList<>();
    for (String alt : path.substring(open + 1, close).split(",", -1)) {
      out.add(path.substring(0, open) + alt + path.substring(close + 1));
    }
    return out;
  }

  private static void runtimeIsComplete(ImageTar img) {
    // non-root, known user
    assertThat(img.containerConfig().path("User").asText()).isEqualTo("10001:10001");
    assertThat(img.text("/etc/passwd")).as("/etc/passwd").contains(":10001:10001:");
    // java on the PATH, executable, with the libraries it and the native jars link against
    String path = img.env().get("PATH");
    assertThat(path).isNotBlank();
    ImageTar.Entry java = null;
    for (String dir : path.split(":")) {
      ImageTar.Entry e = img.resolve(dir + "/java");
      if (e != null) {
        java = e;
        break;
      }
    }
    assertThat(java).as("java on the image's PATH " + path).isNotNull();
    assertThat(java.executable()).as(java.path() + " executable").isTrue();
    String home = img.env().get("JAVA_HOME");
    assertThat(img.resolve(home + "/lib/server/libjvm.so")).as("libjvm.so").isNotNull();
    assertThat(img.resolve(home + "/lib/security/cacerts")).as("CA certificates").isNotNull();
    assertThat(img.resolve("/lib64/ld-linux-x86-64.so.2")).as("the dynamic loader").isNotNull();
    for (String lib : List.of("libc.so.6", "libm.so.6", "libstdc++.so.6", "libgcc_s.so.1")) {
      assertThat(
              Stream.of("/lib/x86_64-linux-gnu/", "/usr/lib/x86_64-linux-gnu/")
                  .anyMatch(d -> img.resolve(d + lib) != null))
          .as(lib)
          .isTrue();
    }
    ImageTar.Entry tmp = img.resolve("/tmp");
    assertThat(tmp).as("/tmp").isNotNull();
    assertThat(tmp.mode() & 01777).as("/tmp is world-writable and sticky").isEqualTo(01777);
  }

  private static String run(Path dir, String... command) throws Exception {
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
    return out;
  }
}
