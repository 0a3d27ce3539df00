package io.liverec.featurestore.client;

import dev.feast.FeastClient;
import dev.feast.Row;
import feast.proto.serving.ServingAPIProto.FieldStatus;
import feast.proto.types.ValueProto.Value;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.liverec.api.errors.LiverecException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@link OnlineFeatures} through the Feast Java SDK ({@code dev.feast.FeastClient}) against a
 * ServingService server ({@link io.liverec.featurestore.server.FeatureServer}). The SDK keeps one
 * event time per row (the server's per-value timestamps are not passed on), so every feature of a
 * row carries the row's time.
 */
public final class FeastClientOnlineFeatures implements OnlineFeatures {
  private final FeastClient client;
  private final String endpoint;

  public FeastClientOnlineFeatures(String host, int port) {
    this.client = FeastClient.create(host, port);
    this.endpoint = host + ":" + port;
  }

  /**
   * As above, with a deadline on every call: the SDK sets none, so its channel gets an interceptor
   * that adds one; a call past it fails as {@code unreachable} (DEADLINE_EXCEEDED).
   */
  public FeastClientOnlineFeatures(String host, int port, Duration deadline) {
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress(host, port)
            .usePlaintext()
            .intercept(withDeadline(deadline))
            .build();
    this.client = new DeadlineClient(channel);
    this.endpoint = host + ":" + port;
  }

  private static ClientInterceptor withDeadline(Duration deadline) {
    long nanos = deadline.toNanos();
    return new ClientInterceptor() {
      @Override
      public <Q, A> ClientCall<Q, A> interceptCall(
          MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
        return next.newCall(method, options.withDeadlineAfter(nanos, TimeUnit.NANOSECONDS));
      }
    };
  }

  /** The SDK's client over a channel of ours (its constructor for that is protected). */
  private static final class DeadlineClient extends FeastClient {
    DeadlineClient(ManagedChannel channel) {
      super(channel, Optional.empty());
    }
  }

  @Override
  public List<Map<String, Feature>> get(
      List<String> features, List<Map<String, Object>> entityRows) {
    List<Row> rows = new ArrayList<>(entityRows.size());
    for (Map<String, Object> e : entityRows) {
      Row r = Row.create();
      e.forEach(r::set);
      rows.add(r);
    }
    List<Row> answer;
    try {
      answer = client.getOnlineFeatures(features, rows);
    } catch (StatusRuntimeException e) {
      throw switch (e.getStatus().getCode()) {
        case INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION, UNIMPLEMENTED ->
            LiverecException.badInput(
                "feature server " + endpoint + ": " + e.getStatus().getDescription());
        default ->
            LiverecException.unreachable("feature server " + endpoint + ": " + e.getStatus(), e);
      };
    }
    List<Map<String, Feature>> out = new ArrayList<>(answer.size());
    for (Row r : answer) {
      Instant t =
          r.getEntityTimestamp() == null
              ? Instant.EPOCH
              : Instant.ofEpochSecond(
                  r.getEntityTimestamp().getSeconds(), r.getEntityTimestamp().getNanos());
      Map<String, Feature> m = new LinkedHashMap<>();
      for (String f : features) {
        FieldStatus s = r.getStatus(f);
        m.put(f, new Feature(javaValue(r.getFields().get(f)), status(s), t));
      }
      out.add(m);
    }
    return out;
  }

  static Status status(FieldStatus s) {
    if (s == null) {
      return Status.NOT_FOUND;
    }
    return switch (s) {
      case PRESENT -> Status.PRESENT;
      case NULL_VALUE -> Status.NULL_VALUE;
      case NOT_FOUND -> Status.NOT_FOUND;
      case OUTSIDE_MAX_AGE -> Status.OUTSIDE_MAX_AGE;
      default -> Status.INVALID;
    };
  }

  /** A Feast value as a plain Java value (null when empty). */
  public static Object javaValue(Value v) {
    if (v == null) {
      return null;
    }
    return switch (v.getValCase()) {
      case INT32_VAL -> v.getInt32Val();
      case INT64_VAL -> v.getInt64Val();
      case FLOAT_VAL -> v.getFloatVal();
      case DOUBLE_VAL -> v.getDoubleVal();
      case STRING_VAL -> v.getStringVal();
      case BOOL_VAL -> v.getBoolVal();
      case BYTES_VAL -> v.getBytesVal().toByteArray();
      case UNIX_TIMESTAMP_VAL -> v.getUnixTimestampVal();
      case INT64_LIST_VAL -> List.copyOf(v.getInt64ListVal().getValList());
      case INT32_LIST_VAL -> List.copyOf(v.getInt32ListVal().getValList());
      case FLOAT_LIST_VAL -> List.copyOf(v.getFloatListVal().getValList());
      case DOUBLE_LIST_VAL -> List.copyOf(v.getDoubleListVal().getValList());
      case STRING_LIST_VAL -> List.copyOf(v.getStringListVal().getValList());
      case BOOL_LIST_VAL -> List.copyOf(v.getBoolListVal().getValList());
      default -> null;
    };
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (Exception e) {
      // closing a channel: nothing to recover
    }
  }
}
