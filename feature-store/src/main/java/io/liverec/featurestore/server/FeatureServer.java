package io.liverec.featurestore.server;

import feast.proto.serving.ServingAPIProto.GetFeastServingInfoRequest;
import feast.proto.serving.ServingAPIProto.GetFeastServingInfoResponse;
import feast.proto.serving.ServingAPIProto.GetOnlineFeaturesRequest;
import feast.proto.serving.ServingServiceGrpc;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.liverec.featurestore.feast.FeastRepo;
import io.liverec.featurestore.feast.OnlineStores;
import io.liverec.featurestore.feast.RegistryFile;
import io.liverec.featurestore.online.OnlineStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Feast's {@code feast.serving.ServingService} over gRPC — what {@code dev.feast.FeastClient} calls
 * — reading a Feast repository's registry and online store (SQLite or Redis). Run it with {@code
 * java -cp … io.liverec.featurestore.server.FeatureServer}; configuration from the environment:
 * {@code LIVEREC_FEAST_REPO} (the repository directory with {@code feature_store.yaml}), {@code
 * LIVEREC_FEATURE_SERVER_HOST} (default 0.0.0.0), {@code LIVEREC_FEATURE_SERVER_PORT} (default
 * 16566).
 */
public final class FeatureServer implements AutoCloseable {
  public static final String ENV_HOST = "LIVEREC_FEATURE_SERVER_HOST";
  public static final String ENV_PORT = "LIVEREC_FEATURE_SERVER_PORT";
  public static final int DEFAULT_PORT = 16566;
  private static final Logger LOG = Logger.getLogger(FeatureServer.class.getName());

  private final Server server;
  private final OnlineStore store;
  private final OnlineServing serving;
  private final RegistryCache registry;

  private FeatureServer(
      Server server, OnlineStore store, OnlineServing serving, RegistryCache registry) {
    this.server = server;
    this.store = store;
    this.serving = serving;
    this.registry = registry;
  }

  /** Starts a server for the repository in {@code repoDir} on {@code host:port} (0 = any port). */
  public static FeatureServer start(Path repoDir, String host, int port) throws IOException {
    FeastRepo.Loaded repo = FeastRepo.load(repoDir);
    OnlineStore store = OnlineStores.open(repo.repo().online());
    RegistryCache registry =
        new RegistryCache(new RegistryFile(repo.registry()), repo.repo().project(), 1_000);
    OnlineServing serving =
        new OnlineServing(registry, store, repo.repo().project(), Clock.systemUTC());
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
            .addService(service(serving))
            // requests are short and never block on locks: run them on the transport threads
            .directExecutor()
            .build()
            .start();
    LOG.info("ServingService on " + host + ":" + server.getPort() + " for " + repoDir);
    return new FeatureServer(server, store, serving, registry);
  }

  public int port() {
    return server.getPort();
  }

  /** Stored values that did not parse, since start (each answered with status INVALID). */
  public long corruptValues() {
    return serving.corruptValues();
  }

  /** Registry rewrites that could not be read (the last good registry kept serving). */
  public long registryReloadFailures() {
    return registry.reloadFailures();
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      server.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.shutdownNow();
    store.close();
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> env = System.getenv();
    String repo = args.length > 0 ? args[0] : env.get(FeastRepo.ENV_DIR);
    if (repo == null) {
      System.err.println(
          "usage: FeatureServer <feast repo dir>   (or set " + FeastRepo.ENV_DIR + ")");
      System.exit(1);
    }
    String host = env.getOrDefault(ENV_HOST, "0.0.0.0");
    int port = Integer.parseInt(env.getOrDefault(ENV_PORT, Integer.toString(DEFAULT_PORT)));
    FeatureServer s = start(Path.of(repo), host, port);
    Runtime.getRuntime().addShutdownHook(new Thread(s::close));
    s.server.awaitTermination();
  }

  /**
   * The ServingService with GetOnlineFeatures answered as pre-serialized wire bytes: the same
   * method name and request type as Feast's generated service, a byte-array response marshaller
   * (see {@link ResponseWire}).
   */
  private static ServerServiceDefinition service(OnlineServing serving) {
    MethodDescriptor<GetOnlineFeaturesRequest, byte[]> online =
        ServingServiceGrpc.getGetOnlineFeaturesMethod().toBuilder(
                ProtoUtils.marshaller(GetOnlineFeaturesRequest.getDefaultInstance()),
                WireBytes.MARSHALLER)
            .build();
    return ServerServiceDefinition.builder(ServingServiceGrpc.SERVICE_NAME)
        .addMethod(
            ServingServiceGrpc.getGetFeastServingInfoMethod(),
            ServerCalls.asyncUnaryCall(FeatureServer::servingInfo))
        .addMethod(
            online,
            ServerCalls.asyncUnaryCall(
                (GetOnlineFeaturesRequest request, StreamObserver<byte[]> out) ->
                    onlineFeatures(serving, request, out)))
        .build();
  }

  private static void servingInfo(
      GetFeastServingInfoRequest request, StreamObserver<GetFeastServingInfoResponse> out) {
    String v = FeatureServer.class.getPackage().getImplementationVersion();
    out.onNext(
        GetFeastServingInfoResponse.newBuilder()
            .setVersion("liverec-feature-server " + (v == null ? "dev" : v))
            .build());
    out.onCompleted();
  }

  private static void onlineFeatures(
      OnlineServing serving, GetOnlineFeaturesRequest request, StreamObserver<byte[]> out) {
    byte[] answer;
    try {
      answer = serving.answer(request);
    } catch (StatusRuntimeException e) {
      out.onError(e);
      return;
    } catch (io.liverec.api.errors.LiverecException e) {
      out.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
      return;
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "GetOnlineFeatures failed", e);
      out.onError(Status.INTERNAL.withDescription(String.valueOf(e)).asRuntimeException());
      return;
    }
    out.onNext(answer);
    out.onCompleted();
  }
}
