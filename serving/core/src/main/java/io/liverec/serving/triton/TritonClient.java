package io.liverec.serving.triton;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.liverec.serving.inference.DataType;
import io.liverec.serving.inference.InferenceFailedException;
import io.liverec.serving.inference.Tensor;
import io.liverec.serving.repository.TritonModelConfig;
import io.liverec.serving.triton.proto.GRPCInferenceServiceGrpc;
import io.liverec.serving.triton.proto.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import io.liverec.serving.triton.proto.ModelConfig;
import io.liverec.serving.triton.proto.ModelConfigRequest;
import io.liverec.serving.triton.proto.ModelInferRequest;
import io.liverec.serving.triton.proto.ModelInferResponse;
import io.liverec.serving.triton.proto.ModelMetadataRequest;
import io.liverec.serving.triton.proto.ModelMetadataResponse;
import io.liverec.serving.triton.proto.ModelReadyRequest;
import io.liverec.serving.triton.proto.ModelRepositoryParameter;
import io.liverec.serving.triton.proto.ModelStatistics;
import io.liverec.serving.triton.proto.ModelStatisticsRequest;
import io.liverec.serving.triton.proto.RepositoryIndexRequest;
import io.liverec.serving.triton.proto.RepositoryIndexResponse;
import io.liverec.serving.triton.proto.RepositoryModelLoadRequest;
import io.liverec.serving.triton.proto.RepositoryModelUnloadRequest;
import io.liverec.serving.triton.proto.ServerLiveRequest;
import io.liverec.serving.triton.proto.ServerMetadataRequest;
import io.liverec.serving.triton.proto.ServerMetadataResponse;
import io.liverec.serving.triton.proto.ServerReadyRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * LiveRec's Triton client over the KServe v2 {@code GRPCInferenceService}, stubs generated from
 * {@code src/main/protobuf}. One channel (one HTTP/2 connection, multiplexed) is shared by every
 * call and thread until {@link #close()}. Each call has a deadline ({@code callDeadline}; loads and
 * unloads {@code loadDeadline}, since Triton answers only once the model is loaded) and is retried
 * per {@link RetryPolicy} when the server is unavailable. Tensors travel as {@code
 * raw_input_contents} / {@code raw_output_contents}.
 */
public final class TritonClient implements TritonApi {
  private final String target;
  private final ManagedChannel channel;
  private final GRPCInferenceServiceBlockingStub stub;
  private final Duration callDeadline;
  private final Duration loadDeadline;
  private final RetryPolicy retry;

  /**
   * @param target {@code host:port} of Triton's gRPC endpoint
   */
  public TritonClient(
      String target, Duration callDeadline, Duration loadDeadline, RetryPolicy retry) {
    this.target = target;
    this.channel =
        ManagedChannelBuilder.forTarget(target)
            .usePlaintext()
            .maxInboundMessageSize(256 << 20)
            .build();
    // start connecting now: a new channel's first call otherwise pays name resolution and the
    // connection (~0.2 s measured on loopback) inside its own deadline
    channel.getState(true);
    this.stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
    this.callDeadline = callDeadline;
    this.loadDeadline = loadDeadline;
    this.retry = retry;
  }

  /** 10 s per call, 5 min per load, {@link RetryPolicy#defaults()}. */
  public static TritonClient connect(String target) {
    return new TritonClient(
        target, Duration.ofSeconds(10), Duration.ofMinutes(5), RetryPolicy.defaults());
  }

  @Override
  public boolean serverLive() {
    return call(
            "ServerLive",
            callDeadline,
            false,
            s -> s.serverLive(ServerLiveRequest.getDefaultInstance()))
        .getLive();
  }

  @Override
  public boolean serverReady() {
    return call(
            "ServerReady",
            callDeadline,
            false,
            s -> s.serverReady(ServerReadyRequest.getDefaultInstance()))
        .getReady();
  }

  @Override
  public boolean modelReady(String model, int version) {
    return call(
            "ModelReady " + model + "/" + version,
            callDeadline,
            false,
            s ->
                s.modelReady(
                    ModelReadyRequest.newBuilder()
                        .setName(model)
                        .setVersion(version(version))
                        .build()))
        .getReady();
  }

  @Override
  public ServerMetadataResponse serverMetadata() {
    return call(
        "ServerMetadata",
        callDeadline,
        false,
        s -> s.serverMetadata(ServerMetadataRequest.getDefaultInstance()));
  }

  @Override
  public ModelMetadataResponse modelMetadata(String model, int version) {
    return call(
        "ModelMetadata " + model + "/" + version,
        callDeadline,
        false,
        s ->
            s.modelMetadata(
                ModelMetadataRequest.newBuilder()
                    .setName(model)
                    .setVersion(version(version))
                    .build()));
  }

  @Override
  public ModelConfig modelConfig(String model, int version) {
    return call(
            "ModelConfig " + model,
            callDeadline,
            false,
            s ->
                s.modelConfig(
                    ModelConfigRequest.newBuilder()
                        .setName(model)
                        .setVersion(version(version))
                        .build()))
        .getConfig();
  }

  @Override
  public List<RepositoryIndexResponse.ModelIndex> repositoryIndex(boolean readyOnly) {
    return call(
            "RepositoryIndex",
            callDeadline,
            false,
            s -> s.repositoryIndex(RepositoryIndexRequest.newBuilder().setReady(readyOnly).build()))
        .getModelsList();
  }

  @Override
  public void load(String model, ModelConfig configOverride) {
    RepositoryModelLoadRequest.Builder r =
        RepositoryModelLoadRequest.newBuilder().setModelName(model);
    if (configOverride != null) {
      r.putParameters(
          "config",
          ModelRepositoryParameter.newBuilder()
              .setStringParam(TritonModelConfig.toJson(configOverride))
              .build());
    }
    call("load " + model, loadDeadline, true, s -> s.repositoryModelLoad(r.build()));
  }

  @Override
  public void unload(String model, boolean unloadDependents) {
    RepositoryModelUnloadRequest r =
        RepositoryModelUnloadRequest.newBuilder()
            .setModelName(model)
            .putParameters(
                "unload_dependents",
                ModelRepositoryParameter.newBuilder().setBoolParam(unloadDependents).build())
            .build();
    call("unload " + model, loadDeadline, false, s -> s.repositoryModelUnload(r));
  }

  @Override
  public List<ModelStatistics> statistics(String model, int version) {
    return call(
            "ModelStatistics " + model,
            callDeadline,
            false,
            s ->
                s.modelStatistics(
                    ModelStatisticsRequest.newBuilder()
                        .setName(model)
                        .setVersion(version(version))
                        .build()))
        .getModelStatsList();
  }

  @Override
  public Map<String, Tensor> infer(
      String model, int version, List<Tensor> inputs, List<String> outputs) {
    return infer(model, version, inputs, outputs, callDeadline);
  }

  /** {@link #infer(String, int, List, List)} with its own deadline. */
  public Map<String, Tensor> infer(
      String model, int version, List<Tensor> inputs, List<String> outputs, Duration deadline) {
    if (version <= 0) {
      throw new IllegalArgumentException("version: must be > 0 to infer, got " + version);
    }
    ModelInferRequest.Builder r =
        ModelInferRequest.newBuilder().setModelName(model).setModelVersion(version(version));
    for (Tensor t : inputs) {
      ModelInferRequest.InferInputTensor.Builder in =
          ModelInferRequest.InferInputTensor.newBuilder()
              .setName(t.name())
              .setDatatype(t.type().kserveName());
      for (long d : t.shape()) {
        in.addShape(d);
      }
      r.addInputs(in);
      r.addRawInputContents(ByteString.copyFrom(t.data()));
    }
    for (String o : outputs) {
      r.addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName(o));
    }
    String what = "ModelInfer " + model + "/" + version;
    ModelInferResponse resp = call(what, deadline, false, s -> s.modelInfer(r.build()));
    if (resp.getRawOutputContentsCount() != resp.getOutputsCount()) {
      throw new InferenceFailedException(
          what,
          "the answer has "
              + resp.getOutputsCount()
              + " outputs but "
              + resp.getRawOutputContentsCount()
              + " raw contents",
          null);
    }
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (int i = 0; i < resp.getOutputsCount(); i++) {
      ModelInferResponse.InferOutputTensor o = resp.getOutputs(i);
      long[] shape = o.getShapeList().stream().mapToLong(Long::longValue).toArray();
      out.put(
          o.getName(),
          Tensor.ofRaw(
              o.getName(),
              DataType.parse(o.getDatatype()),
              shape,
              resp.getRawOutputContents(i).toByteArray()));
    }
    return out;
  }

  private <T> T call(
      String what,
      Duration deadline,
      boolean load,
      Function<GRPCInferenceServiceBlockingStub, T> rpc) {
    String call = what + " (grpc " + target + ")";
    return retry.run(
        () -> {
          try {
            return rpc.apply(stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS));
          } catch (StatusRuntimeException e) {
            throw TritonErrors.fromGrpc(call, e, load);
          }
        });
  }

  private static String version(int version) {
    return version > 0 ? Integer.toString(version) : "";
  }

  @Override
  public void close() {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
