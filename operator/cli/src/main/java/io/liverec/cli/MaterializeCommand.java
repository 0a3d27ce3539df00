package io.liverec.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.liverec.api.errors.ExitCode;
import io.liverec.api.errors.LiverecException;
import io.liverec.api.v1alpha1.FeatureViewSpec;
import io.liverec.featurestore.FeatureRegistry;
import io.liverec.featurestore.config.FeatureStores;
import io.liverec.featurestore.feast.FeastFeatureRegistry;
import io.liverec.featurestore.feast.FeastRepo;
import io.liverec.featurestore.feast.Materializer;
import io.liverec.featurestore.feast.OnlineStores;
import io.liverec.featurestore.online.OnlineStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code liverec materialize} and {@code liverec materialize-incremental}: a feature view's latest
 * rows in a window → the Feast repository's online store (SQLite or Redis, in Feast's format), the
 * interval recorded in its registry. The operator's FeatureView CronJob runs {@code liverec
 * materialize --feature-view <name>} with the view's spec as JSON in {@code LIVEREC_FEATUREVIEW};
 * without {@code --start} a run continues from the last recorded interval, as {@code
 * materialize-incremental} does.
 */
@Command(
    name = "materialize",
    mixinStandardHelpOptions = true,
    description = {
      "Write a feature view's latest row per entity in [start, end] into the Feast online store",
      "(Feast's SQLite or Redis format) and record the interval in the Feast registry."
    })
public class MaterializeCommand implements Callable<Integer> {
  static final String ENV_SPEC = "LIVEREC_FEATUREVIEW";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Adds both commands to the command line. */
  static void register(CommandLine cli) {
    cli.addSubcommand(new CommandLine(new MaterializeCommand()));
    cli.addSubcommand(new CommandLine(new Incremental()));
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--feature-view", required = true, description = "Feature view name.")
  String view;

  @Option(
      names = "--start",
      description =
          "Window start (ISO instant, UTC); default: the end of the last recorded interval.")
  Instant start;

  @Option(names = "--end", description = "Window end (ISO instant, UTC); default: now.")
  Instant end;

  @Option(
      names = "--repo",
      description =
          "Feast repository (registry.db, feature_store.yaml); default $LIVEREC_FEAST_REPO or ${DEFAULT-VALUE}.",
      // the embedded runs' one registry, shared with simulate, run -f and training
      defaultValue = FeatureStores.EMBEDDED_REPO)
  Path repo;

  @Option(
      names = "--online-store",
      description =
          "sqlite, sqlite:<path> or redis://host:port; default $LIVEREC_FEAST_ONLINE_STORE or sqlite.")
  String onlineStore;

  @Option(
      names = "--project",
      description = "Feast project; default $LIVEREC_FEAST_PROJECT or liverec.")
  String project;

  @Option(
      names = "--namespace",
      description = "Namespace a view given in $LIVEREC_FEATUREVIEW is registered under when new.",
      defaultValue = "default")
  String namespace;

  @Override
  public Integer call() {
    return run(spec.commandLine().getOut(), start, end == null ? Instant.now() : end);
  }

  int run(PrintWriter out, Instant from, Instant to) {
    Map<String, String> env = new HashMap<>(System.getenv());
    if (onlineStore != null) {
      env.put(FeastRepo.ENV_ONLINE, onlineStore);
    }
    if (project != null) {
      env.put(FeastRepo.ENV_PROJECT, project);
    }
    Path dir = Path.of(env.getOrDefault(FeastRepo.ENV_DIR, repo.toString()));
    env.remove(FeastRepo.ENV_DIR);
    FeastFeatureRegistry registry =
        new FeastFeatureRegistry(FeatureStores.feastRepo(env, Optional.of(dir)));
    registerFromEnvironment(registry, env.get(ENV_SPEC));
    try (OnlineStore store = OnlineStores.open(registry.repo().online())) {
      Materializer m = new Materializer(registry, store);
      Instant s = from == null ? m.incrementalStart(view, to) : from;
      Materializer.Result r = m.materialize(view, s, to);
      out.println(
          "materialized "
              + r.view()
              + ": "
              + r.rows()
              + " entities from ["
              + r.start()
              + ", "
              + r.end()
              + "] into "
              + registry.repo().online()
              + " (registry "
              + registry.repo().registryPath()
              + ")");
    }
    return ExitCode.OK;
  }

  /** The CronJob's spec: registered (or updated) first, under the namespace that owns the name. */
  private void registerFromEnvironment(FeastFeatureRegistry registry, String json) {
    if (json == null || json.isBlank()) {
      return;
    }
    FeatureViewSpec s;
    try {
      s = JSON.readValue(json, FeatureViewSpec.class);
    } catch (Exception e) {
      throw LiverecException.badInput(ENV_SPEC + ": not a FeatureView spec: " + e.getMessage());
    }
    String ns =
        registry.list().stream()
            .filter(e -> e.name().equals(view))
            .map(FeatureRegistry.Entry::namespace)
            .findFirst()
            .orElse(namespace);
    registry.register(ns, view, s);
  }

  /** {@code liverec materialize-incremental}: from the last recorded interval to --end. */
  @Command(
      name = "materialize-incremental",
      mixinStandardHelpOptions = true,
      description = {
        "Materialize from the end of the last recorded interval (else now − ttl) to --end."
      })
  static final class Incremental extends MaterializeCommand {
    @Override
    public Integer call() {
      if (start != null) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "materialize-incremental takes no --start");
      }
      return super.call();
    }
  }
}
