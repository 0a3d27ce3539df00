package io.liverec.operator.model;

import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;

/**
 * The security settings every pod the operator creates runs with (trainer Jobs, materialization
 * CronJobs): the Kubernetes "restricted" pod security standard — non-root, the runtime's default
 * seccomp profile, no privilege escalation, all capabilities dropped.
 */
public final class PodSecurity {
  private PodSecurity() {}

  /** Pod level: non-root, seccomp RuntimeDefault. */
  public static PodSecurityContext pod() {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  /** Container level: no privilege escalation, no capabilities. */
  public static SecurityContext container() {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .build();
  }
}
