package io.liverec.operator.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.liverec.api.validation.CrdSchemas;
import io.liverec.testenv.TestEnv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Renders manifests/ with the real kustomize (installed by {@code scripts/test-env.sh up}) and
 * checks every document: kinds present, references resolve (service accounts, role bindings),
 * images, security context, and RBAC that is least-privilege yet covers what the operator does.
 */
class ManifestsRenderTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path ROOT = TestEnv.repoRoot();

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "base, ghcr.io/liverec/liverec-operator:0.1.0-SNAPSHOT, ghcr.io/liverec/liverec-trainer:0.1.0-SNAPSHOT",
    "overlays/dev, ghcr.io/liverec/liverec-operator:dev, ghcr.io/liverec/liverec-trainer:dev",
    "overlays/prod, ghcr.io/liverec/liverec-operator:0.1.0, ghcr.io/liverec/liverec-trainer:0.1.0"
  })
  void rendersConsistentLeastPrivilegeManifests(
      String dir, String operatorImage, String trainerImage) throws Exception {
    List<JsonNode> docs = render(dir);
    Map<String, List<JsonNode>> byKind =
        docs.stream().collect(Collectors.groupingBy(d -> d.path("kind").asText()));
    assertThat(byKind)
        .containsKeys(
            "CustomResourceDefinition",
            "Namespace",
            "ServiceAccount",
            "ClusterRole",
            "ClusterRoleBinding",
            "Deployment",
            "Service");

    // the CRDs are exactly the generated ones
    assertThat(byKind.get("CustomResourceDefinition"))
        .extracting(d -> d.path("metadata").path("name").asText())
        .containsExactlyInAnyOrderElementsOf(
            CrdSchemas.KINDS.stream().map(HasMetadata::getFullResourceName).toList());

    // every namespaced object lives in a namespace the render creates
    List<String> namespaces = names(byKind.get("Namespace"));
    for (JsonNode d : docs) {
      String ns = d.path("metadata").path("namespace").asText("");
      if (!ns.isEmpty()) {
        assertThat(namespaces)
            .as(d.path("kind") + " " + d.path("metadata").path("name"))
            .contains(ns);
      }
    }

    List<ServiceAccount> accounts = as(byKind.get("ServiceAccount"), ServiceAccount.class);
    List<Deployment> deployments = as(byKind.get("Deployment"), Deployment.class);
    Deployment deployment = named(deployments, "liverec-operator");
    var pod = deployment.getSpec().getTemplate().getSpec();
    String sa = pod.getServiceAccountName();
    assertThat(accounts)
        .as("the Deployment's ServiceAccount exists in its namespace")
        .anySatisfy(
            a -> {
              assertThat(a.getMetadata().getName()).isEqualTo(sa);
              assertThat(a.getMetadata().getNamespace())
                  .isEqualTo(deployment.getMetadata().getNamespace());
            });
    assertThat(accounts).extracting(a -> a.getMetadata().getName()).contains("liverec-trainer");

    // images and non-root security context
    var container = pod.getContainers().get(0);
    assertThat(container.getImage()).isEqualTo(operatorImage);
    assertThat(container.getEnv())
        .filteredOn(e -> e.getName().equals("LIVEREC_OPERATOR_TRAINER_IMAGE"))
        .singleElement()
        .satisfies(e -> assertThat(e.getValue()).isEqualTo(trainerImage));
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");

    // the GPU trainer image is the same repository path and tag with -gpu
    assertThat(container.getEnv())
        .filteredOn(e -> e.getName().equals("LIVEREC_OPERATOR_TRAINER_GPU_IMAGE"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getValue())
                    .isEqualTo(trainerImage.replace("liverec-trainer:", "liverec-trainer-gpu:")));

    // the feature server: its own image (main class FeatureServer), gRPC port behind a Service
    Deployment features = named(deployments, "liverec-feature-server");
    var fpod = features.getSpec().getTemplate().getSpec();
    var fc = fpod.getContainers().get(0);
    assertThat(fc.getImage())
        .isEqualTo(trainerImage.replace("liverec-trainer:", "liverec-feature-server:"));
    assertThat(fc.getCommand()).as("the image's entry point runs the server").isEmpty();
    assertThat(fc.getPorts().get(0).getContainerPort()).isEqualTo(16566);
    assertThat(fpod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(fc.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(accounts)
        .anySatisfy(
            a -> assertThat(a.getMetadata().getName()).isEqualTo(fpod.getServiceAccountName()));
    assertThat(names(byKind.get("Service"))).contains("liverec-feature-server");

    // the gateway reads its online features from that Service's gRPC port, in its namespace
    Deployment gateway = named(deployments, "liverec-gateway");
    JsonNode featureService = service(byKind.get("Service"), "liverec-feature-server");
    assertThat(featureService.path("metadata").path("namespace").asText())
        .isEqualTo(gateway.getMetadata().getNamespace());
    int grpc = -1;
    for (JsonNode p : featureService.path("spec").path("ports")) {
      if (p.path("targetPort").asText().equals(fc.getPorts().get(0).getName())) {
        grpc = p.path("port").asInt();
      }
    }
    String endpoint = "liverec-feature-server:" + grpc;
    var gc = gateway.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(gc.getImage())
        .isEqualTo(trainerImage.replace("liverec-trainer:", "liverec-gateway:"));
    assertThat(gc.getCommand()).as("the image's entry point is `liverec serve`").isEmpty();
    assertThat(gc.getEnv())
        .filteredOn(e -> e.getName().equals("LIVEREC_FEATURES_ENDPOINT"))
        .singleElement()
        .satisfies(e -> assertThat(e.getValue()).isEqualTo(endpoint));

    // one feature registry: the operator writes FeatureViews into the Feast repository it names,
    // on the claim it also gives trainer pods and CronJobs (feature-registry-claim) at that path;
    // the feature server reads the same repository from a claim of that name
    Map<String, String> operatorEnv = envOf(container);
    assertThat(operatorEnv).containsEntry("LIVEREC_FEATURE_REGISTRY", "feast");
    String repo = operatorEnv.get("LIVEREC_FEAST_REPO");
    String claim = operatorEnv.get("LIVEREC_OPERATOR_FEATURE_REGISTRY_CLAIM");
    assertThat(repo).startsWith("/");
    assertThat(claimMountedAt(deployment, repo)).isEqualTo(claim);
    assertThat(
            io.liverec.operator.model.TrainerFeatureRegistry.of(operatorEnv, claim)
                .env()
                .get("LIVEREC_FEAST_REPO"))
        .as("trainer pods get the repository the operator writes")
        .isEqualTo(repo);
    Map<String, String> serverEnv = envOf(fc);
    assertThat(serverEnv).containsEntry("LIVEREC_FEAST_REPO", repo);
    assertThat(serverEnv.get("LIVEREC_FEAST_PROJECT"))
        .isEqualTo(operatorEnv.get("LIVEREC_FEAST_PROJECT"));
    assertThat(claimMountedAt(features, repo)).isEqualTo(claim);
    assertThat(byKind.get("PersistentVolumeClaim"))
        .filteredOn(d -> d.path("metadata").path("name").asText().equals(claim))
        .allSatisfy(
            d ->
                assertThat(d.path("spec").path("accessModes").toString()).contains("ReadWriteMany"))
        .extracting(d -> d.path("metadata").path("namespace").asText())
        .as("the claim exists where the operator and where its workloads run")
        .contains(deployment.getMetadata().getNamespace(), features.getMetadata().getNamespace());
    assertThat(operatorEnv)
        .as("no second (file) registry beside the Feast one")
        .doesNotContainKey("LIVEREC_OPERATOR_REGISTRY_DIR");

    // the gateway watches the ModelVersions of its namespace with its own read-only account
    var gpod = gateway.getSpec().getTemplate().getSpec();
    assertThat(gpod.getServiceAccountName()).isEqualTo("liverec-gateway");
    assertThat(gc.getEnv())
        .filteredOn(e -> e.getName().equals("LIVEREC_GATEWAY_WATCH_NAMESPACE"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getValueFrom().getFieldRef().getFieldPath())
                    .isEqualTo("metadata.namespace"));
    List<io.fabric8.kubernetes.api.model.rbac.Role> gatewayRoles =
        as(byKind.get("Role"), io.fabric8.kubernetes.api.model.rbac.Role.class);
    var gatewayRole =
        gatewayRoles.stream()
            .filter(r -> r.getMetadata().getName().equals("liverec-gateway"))
            .findFirst()
            .orElseThrow();
    assertThat(gatewayRole.getMetadata().getNamespace())
        .isEqualTo(gateway.getMetadata().getNamespace());
    assertThat(gatewayRole.getRules())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getApiGroups()).containsExactly("liverec.io");
              assertThat(r.getResources()).containsExactly("modelversions");
              assertThat(r.getVerbs()).containsExactlyInAnyOrder("get", "list", "watch");
            });
    assertThat(
            as(byKind.get("RoleBinding"), io.fabric8.kubernetes.api.model.rbac.RoleBinding.class))
        .anySatisfy(
            b -> {
              assertThat(b.getRoleRef().getName()).isEqualTo("liverec-gateway");
              assertThat(b.getSubjects())
                  .singleElement()
                  .satisfies(
                      x -> {
                        assertThat(x.getName()).isEqualTo(gpod.getServiceAccountName());
                        assertThat(x.getNamespace())
                            .isEqualTo(gateway.getMetadata().getNamespace());
                      });
            });
    // ... and the operator reads every gateway replica through the headless Service
    JsonNode pods = service(byKind.get("Service"), "liverec-gateway-pods");
    assertThat(pods.path("spec").path("clusterIP").asText()).isEqualTo("None");
    String gatewayUrl =
        "http://liverec-gateway-pods."
            + gateway.getMetadata().getNamespace()
            + ".svc.cluster.local:"
            + pods.path("spec").path("ports").get(0).path("port").asInt();
    assertThat(container.getEnv())
        .filteredOn(e -> e.getName().equals("LIVEREC_OPERATOR_GATEWAY_URL"))
        .singleElement()
        .satisfies(e -> assertThat(e.getValue()).isEqualTo(gatewayUrl));

    // bindings point at roles and service accounts that exist
    List<ClusterRole> roles = as(byKind.get("ClusterRole"), ClusterRole.class);
    for (ClusterRoleBinding b : as(byKind.get("ClusterRoleBinding"), ClusterRoleBinding.class)) {
      assertThat(names(byKind.get("ClusterRole"))).contains(b.getRoleRef().getName());
      for (var s : b.getSubjects()) {
        assertThat(s.getKind()).isEqualTo("ServiceAccount");
        assertThat(accounts)
            .anySatisfy(
                a -> {
                  assertThat(a.getMetadata().getName()).isEqualTo(s.getName());
                  assertThat(a.getMetadata().getNamespace()).isEqualTo(s.getNamespace());
                });
      }
      assertThat(b.getSubjects()).anySatisfy(s -> assertThat(s.getName()).isEqualTo(sa));
    }

    // least privilege: no wildcards anywhere
    List<PolicyRule> rules = new ArrayList<>();
    roles.forEach(r -> rules.addAll(r.getRules()));
    for (PolicyRule r : rules) {
      assertThat(r.getVerbs()).doesNotContain("*");
      assertThat(r.getResources()).doesNotContain("*");
      assertThat(r.getApiGroups()).doesNotContain("*");
      assertThat(r.getNonResourceURLs()).isNullOrEmpty();
    }
    // ... yet everything the reconcilers do is allowed
    String[][] needed = {
      {"liverec.io", "trainingruns", "watch"},
      {"liverec.io", "trainingruns", "create"}, // children of scheduled runs
      {"liverec.io", "trainingruns", "delete"},
      {"liverec.io", "modelversions", "create"}, // the next version of a run that passed
      {"liverec.io", "modelversions", "list"}, // who is stable, at what weight (status routing)
      {"liverec.io", "featureviews", "patch"},
      {"liverec.io", "modelversions/status", "patch"},
      {"liverec.io", "trainingruns/status", "patch"},
      {"batch", "jobs", "create"},
      {"batch", "jobs", "watch"},
      {"batch", "jobs", "delete"},
      {"batch", "cronjobs", "patch"},
      {"", "configmaps", "create"},
      {"", "configmaps", "watch"},
      {"", "pods", "list"},
      {"", "events", "create"},
      {"sparkoperator.k8s.io", "sparkapplications", "create"}, // engine spark: sampling first
      {"sparkoperator.k8s.io", "sparkapplications", "get"},
      {"sparkoperator.k8s.io", "sparkapplications", "deletecollection"}
    };
    for (String[] n : needed) {
      assertThat(rules)
          .as("RBAC allows %s %s/%s", n[2], n[0], n[1])
          .anySatisfy(
              r -> {
                assertThat(r.getApiGroups()).contains(n[0]);
                assertThat(r.getResources()).contains(n[1]);
                assertThat(r.getVerbs()).contains(n[2]);
              });
    }
  }

  /**
   * Triton (manifests/triton): explicit model control, non-strict readiness (readiness is judged
   * per model version), health probes, the repository from a claim the render creates, a Service
   * for HTTP, gRPC and metrics; the gpu overlay adds one {@code nvidia.com/gpu}.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"triton/base, 0", "triton/gpu, 1"})
  void rendersTritonWithExplicitModelControlAndPerVersionReadiness(String dir, int gpus)
      throws Exception {
    List<JsonNode> docs = render(dir);
    Deployment d =
        as(
                docs.stream().filter(n -> n.path("kind").asText().equals("Deployment")).toList(),
                Deployment.class)
            .get(0);
    var pod = d.getSpec().getTemplate().getSpec();
    var c = pod.getContainers().get(0);
    assertThat(c.getImage()).matches("nvcr\\.io/nvidia/tritonserver:\\d{2}\\.\\d{2}-py3");
    assertThat(c.getArgs())
        .contains(
            "--model-control-mode=explicit",
            "--strict-readiness=false",
            "--model-repository=/models");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/v2/health/ready");
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/v2/health/live");
    assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(c.getResources().getLimits()).containsKey("memory");
    if (gpus > 0) {
      assertThat(c.getResources().getLimits().get("nvidia.com/gpu").getAmount())
          .isEqualTo(String.valueOf(gpus));
      assertThat(pod.getTolerations())
          .anySatisfy(t -> assertThat(t.getKey()).isEqualTo("nvidia.com/gpu"));
    } else {
      assertThat(c.getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
    }
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    String claim =
        pod.getVolumes().stream()
            .filter(v -> v.getPersistentVolumeClaim() != null)
            .findFirst()
            .orElseThrow()
            .getPersistentVolumeClaim()
            .getClaimName();
    assertThat(docs)
        .anySatisfy(
            n -> {
              assertThat(n.path("kind").asText()).isEqualTo("PersistentVolumeClaim");
              assertThat(n.path("metadata").path("name").asText()).isEqualTo(claim);
              assertThat(n.path("metadata").path("namespace").asText())
                  .isEqualTo(d.getMetadata().getNamespace());
            });
    JsonNode service =
        docs.stream()
            .filter(n -> n.path("kind").asText().equals("Service"))
            .findFirst()
            .orElseThrow();
    assertThat(service.path("metadata").path("namespace").asText())
        .isEqualTo(d.getMetadata().getNamespace());
    service
        .path("spec")
        .path("selector")
        .fields()
        .forEachRemaining(
            e ->
                assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                    .containsEntry(e.getKey(), e.getValue().asText()));
    List<String> containerPorts = c.getPorts().stream().map(p -> p.getName()).toList();
    List<Integer> ports = new ArrayList<>();
    for (JsonNode p : service.path("spec").path("ports")) {
      assertThat(containerPorts).contains(p.path("targetPort").asText());
      ports.add(p.path("port").asInt());
    }
    assertThat(ports).containsExactlyInAnyOrder(8000, 8001, 8002);
  }

  /**
   * overlays/triton*: the operator and Triton in one namespace, the operator's gRPC target is the
   * Triton Service's grpc port, and both mount the same repository claim (the operator at the path
   * it publishes to); the GPU overlay also publishes GPU instances.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"overlays/triton, false", "overlays/triton-gpu, true"})
  void wiresTheOperatorToTriton(String dir, boolean gpu) throws Exception {
    List<JsonNode> docs = render(dir);
    List<Deployment> deployments =
        as(
            docs.stream().filter(n -> n.path("kind").asText().equals("Deployment")).toList(),
            Deployment.class);
    Deployment operator = named(deployments, "liverec-operator");
    Deployment triton = named(deployments, "triton");
    assertThat(triton.getMetadata().getNamespace())
        .isEqualTo(operator.getMetadata().getNamespace());
    var container = operator.getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, String> env =
        container.getEnv().stream()
            .collect(Collectors.toMap(e -> e.getName(), e -> String.valueOf(e.getValue())));
    JsonNode service =
        docs.stream()
            .filter(
                n ->
                    n.path("kind").asText().equals("Service")
                        && n.path("metadata").path("name").asText().equals("triton"))
            .findFirst()
            .orElseThrow();
    int grpcPort = -1;
    for (JsonNode port : service.path("spec").path("ports")) {
      if (port.path("name").asText().equals("grpc")) {
        grpcPort = port.path("port").asInt();
      }
    }
    assertThat(env).containsEntry("LIVEREC_OPERATOR_TRITON_GRPC", "triton:" + grpcPort);
    assertThat(env.getOrDefault("LIVEREC_OPERATOR_TRITON_GPU", "false"))
        .isEqualTo(String.valueOf(gpu));
    String repository = env.get("LIVEREC_OPERATOR_TRITON_REPOSITORY");
    String operatorClaim = claimMountedAt(operator, repository);
    String tritonClaim = claimMountedAt(triton, "/models");
    assertThat(operatorClaim).isEqualTo(tritonClaim);
    assertThat(operator.getSpec().getTemplate().getSpec().getSecurityContext().getFsGroup())
        .isEqualTo(operator.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser());
  }

  private static Map<String, String> envOf(io.fabric8.kubernetes.api.model.Container c) {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    c.getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
    return env;
  }

  private static String claimMountedAt(Deployment d, String path) {
    var pod = d.getSpec().getTemplate().getSpec();
    String volume =
        pod.getContainers().get(0).getVolumeMounts().stream()
            .filter(m -> m.getMountPath().equals(path))
            .findFirst()
            .orElseThrow(() -> new AssertionError(d.getMetadata().getName() + " mounts no " + path))
            .getName();
    return pod.getVolumes().stream()
        .filter(v -> v.getName().equals(volume) && v.getPersistentVolumeClaim() != null)
        .findFirst()
        .orElseThrow(() -> new AssertionError(volume + " is not a claim"))
        .getPersistentVolumeClaim()
        .getClaimName();
  }

  private static List<JsonNode> render(String dir) throws IOException, InterruptedException {
    String kustomize = kustomize();
    Process p =
        new ProcessBuilder(kustomize, "build", ROOT.resolve("manifests").resolve(dir).toString())
            .redirectErrorStream(false)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      fail("`kustomize build manifests/" + dir + "` failed:\n" + err);
    }
    List<JsonNode> docs = YAML.readValues(YAML.createParser(out), JsonNode.class).readAll();
    assertThat(docs).isNotEmpty();
    return docs;
  }

  /** The kustomize binary that scripts/test-env.sh installed. */
  static String kustomize() throws IOException {
    String path = System.getenv("LIVEREC_KUSTOMIZE");
    Path env = ROOT.resolve(".cache/test-env/endpoints.env");
    if ((path == null || path.isBlank()) && Files.exists(env)) {
      for (String line : Files.readAllLines(env)) {
        if (line.startsWith("LIVEREC_KUSTOMIZE=")) {
          path = line.substring("LIVEREC_KUSTOMIZE=".length()).trim();
        }
      }
    }
    if (path == null || path.isBlank() || !Files.isExecutable(Path.of(path))) {
      fail(
          "kustomize is not installed for the tests (LIVEREC_KUSTOMIZE unset or not executable)."
              + " Install it with `scripts/test-env.sh up`, or run the whole suite with `scripts/test.sh`.");
    }
    return path;
  }

  private static Deployment named(List<Deployment> deployments, String name) {
    return deployments.stream()
        .filter(d -> d.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no Deployment " + name));
  }

  private static JsonNode service(List<JsonNode> services, String name) {
    return services.stream()
        .filter(d -> d.path("metadata").path("name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no Service " + name));
  }

  private static List<String> names(List<JsonNode> docs) {
    return docs.stream().map(d -> d.path("metadata").path("name").asText()).toList();
  }

  private static <T> List<T> as(List<JsonNode> docs, Class<T> type) {
    return docs.stream().map(d -> YAML.convertValue(d, type)).toList();
  }
}
