package io.liverec.operator.events;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.liverec.api.v1alpha1.Reason;
import io.liverec.operator.model.Notice;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The one way the operator emits Kubernetes Events: typed reasons ({@link Reason}), Normal or
 * Warning, attached to the custom resource so that {@code kubectl describe} tells its story. A
 * failure to record is logged, never fails a reconcile.
 */
@ApplicationScoped
public class EventRecorder {
  private static final Logger LOG = Logger.getLogger(EventRecorder.class);
  private static final String COMPONENT = "liverec-operator";
  private final AtomicLong seq = new AtomicLong();
  private final KubernetesClient client;

  public EventRecorder(KubernetesClient client) {
    this.client = client;
  }

  public void normal(HasMetadata resource, Reason reason, String message) {
    record(resource, reason, message, "Normal");
  }

  public void warning(HasMetadata resource, Reason reason, String message) {
    record(resource, reason, message, "Warning");
  }

  /** Emits {@code notice} as a Normal or Warning event. */
  public void emit(HasMetadata resource, Notice notice) {
    record(resource, notice.reason(), notice.message(), notice.warning() ? "Warning" : "Normal");
  }

  private void record(HasMetadata resource, Reason reason, String message, String type) {
    String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now());
    String ns = resource.getMetadata().getNamespace();
    String name =
        resource.getMetadata().getName()
            + "."
            + Long.toHexString(System.currentTimeMillis())
            + Long.toHexString(seq.incrementAndGet());
    try {
      client
          .v1()
          .events()
          .inNamespace(ns)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace(ns)
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion(resource.getApiVersion())
                  .withKind(resource.getKind())
                  .withName(resource.getMetadata().getName())
                  .withNamespace(ns)
                  .withUid(resource.getMetadata().getUid())
                  .endInvolvedObject()
                  .withType(type)
                  .withReason(reason.name())
                  .withMessage(message)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource()
                  .withComponent(COMPONENT)
                  .endSource()
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      LOG.warnf(
          "cannot record event %s on %s/%s: %s",
          reason, ns, resource.getMetadata().getName(), e.getMessage());
    }
  }
}
