package io.liverec.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.liverec.api.v1alpha1.Condition;
import io.liverec.api.v1alpha1.Conditions;
import io.liverec.api.v1alpha1.Reason;
import io.liverec.api.validation.CustomResourceValidator;
import io.liverec.api.validation.Violation;
import io.liverec.operator.events.EventRecorder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The status side of every reconciler: copies and comparisons, so that a reconcile writes status
 * only when it changed ({@link #patchIfChanged}), and the {@code Valid} condition from the spec
 * validator ({@link #validate}).
 */
public final class Statuses {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Statuses() {}

  /** A deep copy of {@code status}, or a new instance when null. */
  public static <T> T copyOrNew(T status, Class<T> type) {
    try {
      return status == null
          ? type.getDeclaredConstructor().newInstance()
          : JSON.convertValue(status, type);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  public static boolean same(Object a, Object b) {
    return JSON.valueToTree(a).equals(JSON.valueToTree(b));
  }

  /** Patches {@code after} into the status when it differs from {@code before}. */
  public static <S, P extends CustomResource<?, S>> UpdateControl<P> patchIfChanged(
      P cr, S before, S after) {
    return patchIfChanged(cr, before, after, null);
  }

  /**
   * As {@link #patchIfChanged(CustomResource, Object, Object)}, coming back after {@code requeue}.
   */
  public static <S, P extends CustomResource<?, S>> UpdateControl<P> patchIfChanged(
      P cr, S before, S after, Duration requeue) {
    UpdateControl<P> control;
    if (same(before, after)) {
      control = UpdateControl.noUpdate();
    } else {
      cr.setStatus(after);
      control = UpdateControl.patchStatus(cr);
    }
    if (requeue != null) {
      control.rescheduleAfter(Math.max(1, requeue.toMillis()));
    }
    return control;
  }

  /**
   * Validates {@code cr}'s spec and records the outcome in its {@code Valid} condition; a newly
   * found problem is also a Warning event naming the fields. True when the spec is valid.
   */
  public static boolean validate(
      CustomResource<?, ?> cr,
      List<Condition> conditions,
      long generation,
      Instant now,
      EventRecorder events) {
    List<Violation> violations = CustomResourceValidator.validate(cr);
    if (violations.isEmpty()) {
      Conditions.set(
          conditions, Conditions.VALID, true, Reason.SpecValid, "spec is valid", generation, now);
      return true;
    }
    String msg = CustomResourceValidator.describe("spec", violations);
    if (Conditions.set(
        conditions, Conditions.VALID, false, Reason.InvalidSpec, msg, generation, now)) {
      events.warning(cr, Reason.InvalidSpec, msg);
    }
    return false;
  }
}
