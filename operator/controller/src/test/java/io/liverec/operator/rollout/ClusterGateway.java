package io.liverec.operator.rollout;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.liverec.gateway.GatewayConfig;
import io.liverec.gateway.GatewayMetrics;
import io.liverec.gateway.GatewayServer;
import io.liverec.gateway.InProcessOnlineFeatures;
import io.liverec.gateway.LiveRoomIndex;
import io.liverec.gateway.ModelRef;
import io.liverec.gateway.Recommender;
import io.liverec.gateway.SplitRouter;
import io.liverec.gateway.canary.ModelVersionWatch;
import io.liverec.pipelines.recall.index.IndexParams;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real gateway for the operator's rollout tests, in-process on a loopback port: its split is a
 * {@link SplitRouter} driven by the {@link ModelVersionWatch} on the test's API server (so it
 * follows the weight the operator writes to status), it counts the canary's arms in its {@code
 * ArmOutcomes} and serves them at {@code GET /v1/canary/outcomes}. Simulated users are the traffic:
 * each asks which ranker serves it (the gateway's split), sees an impression and clicks with the
 * probability planted for that ranker version, and its latency is recorded in the gateway's meters
 * as a served call would be. Only the users are simulated; routing, counting, the endpoint and
 * everything the operator does with it are the production code.
 */
final class ClusterGateway implements AutoCloseable {
  private final Recommender recommender;
  private final GatewayServer server;
  private final ModelVersionWatch watch;
  private final Thread traffic;
  private final AtomicBoolean running = new AtomicBoolean(true);
  final AtomicLong impressions = new AtomicLong();

  /**
   * @param ctr click probability per ranker version
   * @param latencyMs inference latency recorded per ranker version
   */
  ClusterGateway(
      KubernetesClient client,
      String namespace,
      int port,
      String model,
      int stableVersion,
      Map<Integer, Double> ctr,
      Map<Integer, Double> latencyMs) {
    SplitRouter router = new SplitRouter(model, stableVersion);
    this.watch = ModelVersionWatch.start(client, namespace, router, stableVersion);
    this.recommender =
        new Recommender(
            GatewayConfig.defaults(new ModelRef("user_tower", 1)),
            new InProcessOnlineFeatures(),
            new LiveRoomIndex(8, IndexParams.DEFAULT, 1000),
            (m, v, in, out) -> {
              throw new UnsupportedOperationException("the simulated users call no model");
            },
            router,
            new GatewayMetrics());
    this.server = new GatewayServer(recommender, "127.0.0.1", port, 2);
    this.traffic =
        new Thread(
            () -> {
              SplittableRandom rng = new SplittableRandom(17);
              while (running.get()) {
                for (int i = 0; i < 20; i++) {
                  String user = "user-" + rng.nextInt(5000);
                  ModelRef arm = recommender.rankerFor(user);
                  recommender
                      .metrics()
                      .inference(
                          arm,
                          Duration.ofNanos(
                              (long) (1e6 * latencyMs.getOrDefault(arm.version(), 2.0))),
                          true);
                  recommender.countOutcome(user, "impression");
                  impressions.incrementAndGet();
                  if (rng.nextDouble() < ctr.getOrDefault(arm.version(), 0.1)) {
                    recommender.countOutcome(user, "click");
                  }
                }
                try {
                  Thread.sleep(4);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "simulated-users");
    traffic.setDaemon(true);
    traffic.start();
  }

  /** A loopback port free right now (the profile fixes the gateway URL before the test runs). */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    running.set(false);
    traffic.interrupt();
    try {
      traffic.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.close();
    watch.close();
    recommender.close();
  }
}
