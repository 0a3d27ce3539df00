package io.liverec.pipelines.tracking.cli;

import io.liverec.api.errors.LiverecException;
import io.liverec.registry.MlflowGateway;
import io.liverec.registry.Retry;
import picocli.CommandLine.Option;

/** The {@code --tracking-uri} option shared by commands that talk to MLflow. */
public final class TrackingOptions {
  @Option(
      names = "--tracking-uri",
      description = "MLflow tracking server (default: $MLFLOW_TRACKING_URI).")
  String trackingUri;

  /** Opens a gateway, or fails with exit code 2 when no server is configured or reachable. */
  public MlflowGateway open() {
    String uri = trackingUri != null ? trackingUri : System.getenv("MLFLOW_TRACKING_URI");
    if (uri == null || uri.isBlank()) {
      throw LiverecException.badInput(
          "no MLflow server: pass --tracking-uri http://host:port or set MLFLOW_TRACKING_URI");
    }
    MlflowGateway gateway = new MlflowGateway(uri, Retry.DEFAULT);
    if (!gateway.reachable()) {
      gateway.close();
      throw LiverecException.unreachable(
          "MLflow at " + uri + " is not reachable (GET /health failed); is the server running?",
          null);
    }
    return gateway;
  }
}
