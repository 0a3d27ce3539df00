package io.liverec.serving.triton;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.liverec.serving.inference.BackendUnavailableException;
import io.liverec.serving.inference.DeadlineExceededException;
import io.liverec.serving.inference.InferenceException;
import io.liverec.serving.inference.InferenceFailedException;
import io.liverec.serving.inference.InvalidInputException;
import io.liverec.serving.inference.ModelNotFoundException;

/** Maps Triton's gRPC statuses and HTTP answers to the typed {@link InferenceException}s. */
final class TritonErrors {
  private TritonErrors() {}

  /** The kinds of failure, before the exception type is chosen. */
  enum Kind {
    UNAVAILABLE,
    DEADLINE,
    NOT_FOUND,
    INVALID,
    INTERNAL
  }

  static InferenceException fromGrpc(String call, StatusRuntimeException e, boolean load) {
    Status s = e.getStatus();
    String message = s.getDescription() != null ? s.getDescription() : s.getCode().toString();
    Kind kind =
        switch (s.getCode()) {
          case UNAVAILABLE -> Kind.UNAVAILABLE;
          case DEADLINE_EXCEEDED -> Kind.DEADLINE;
          case NOT_FOUND -> Kind.NOT_FOUND;
          case INVALID_ARGUMENT, OUT_OF_RANGE, FAILED_PRECONDITION -> Kind.INVALID;
          default -> Kind.INTERNAL;
        };
    return of(call, kind, message, e, load);
  }

  static InferenceException fromHttp(String call, int status, String message, boolean load) {
    Kind kind =
        switch (status) {
          case 503 -> Kind.UNAVAILABLE;
          case 404 -> Kind.NOT_FOUND;
          case 400 -> Kind.INVALID;
          default -> Kind.INTERNAL;
        };
    return of(call, kind, message, null, load);
  }

  static InferenceException of(
      String call, Kind kind, String message, Throwable cause, boolean load) {
    // Triton answers a request for a model or version that is not loaded with UNAVAILABLE over
    // gRPC and 400 over HTTP ("Request for unknown model: 'm' version 2 is not at ready state"):
    // not found, and not worth a retry.
    boolean unknownModel =
        message.contains("unknown model") || message.contains("not at ready state");
    if (kind == Kind.DEADLINE) {
      return new DeadlineExceededException(call, message, cause);
    }
    if (load && kind != Kind.UNAVAILABLE) {
      return new ModelLoadException(call, message, cause);
    }
    if (kind == Kind.NOT_FOUND || (!load && unknownModel)) {
      return new ModelNotFoundException(call, message, cause);
    }
    if (kind == Kind.UNAVAILABLE) {
      return new BackendUnavailableException(call, message, cause);
    }
    if (kind == Kind.INVALID) {
      return new InvalidInputException(call, message, cause);
    }
    return new InferenceFailedException(call, message, cause);
  }
}
