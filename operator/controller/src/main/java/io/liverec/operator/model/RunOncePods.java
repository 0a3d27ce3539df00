package io.liverec.operator.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.List;
import java.util.Map;

/**
 * The pod template of every run-to-completion pod the operator creates (trainer Jobs,
 * materialization CronJobs): never restarted in place (the Job's backoff retries), the operator's
 * service account, and the Kubernetes "restricted" pod security standard — non-root, the runtime's
 * default seccomp profile, no privilege escalation, all capabilities dropped.
 */
public final class RunOncePods {
  private RunOncePods() {}

  /**
   * A pod template with one container (its security context is set here).
   *
   * @param labels labels of the pods (also what the operator finds them by)
   */
  public static PodTemplateSpec template(
      Map<String, String> labels,
      String serviceAccount,
      Container container,
      List<Toleration> tolerations,
      List<Volume> volumes) {
    Container restricted =
        new io.fabric8.kubernetes.api.model.ContainerBuilder(container)
            .withSecurityContext(container())
            .build();
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withServiceAccountName(serviceAccount)
        .withTolerations(tolerations)
        .withSecurityContext(pod())
        .withContainers(restricted)
        .withVolumes(volumes)
        .endSpec()
        .build();
  }

  /** Pod level: non-root, seccomp RuntimeDefault. */
  static PodSecurityContext pod() {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  /** Container level: no privilege escalation, no capabilities. */
  static SecurityContext container() {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .build();
  }
}
