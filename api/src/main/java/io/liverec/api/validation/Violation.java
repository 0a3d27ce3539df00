package io.liverec.api.validation;

/**
 * One broken rule of a custom resource: the field path (Kubernetes style, e.g. {@code
 * spec.rollout.steps[1].weight}), a message and which check found it.
 */
public record Violation(String path, String message, Source source) {

  /** Which of the three checks reported the violation. */
  public enum Source {
    /** The generated CRD's OpenAPI schema (types, required fields, enums, ranges, patterns). */
    SCHEMA,
    /** A CEL rule ({@code x-kubernetes-validations}) of the generated CRD. */
    CEL,
    /** A Java rule of {@link SpecRules} (checks a schema cannot express). */
    JAVA
  }

  @Override
  public String toString() {
    return path + ": " + message;
  }
}
