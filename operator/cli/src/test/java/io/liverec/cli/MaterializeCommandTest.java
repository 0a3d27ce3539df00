package io.liverec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import feast.proto.core.RegistryProto.Registry;
import feast.proto.types.ValueProto.Value;
import io.liverec.api.v1alpha1.FeatureViewSpec;
import io.liverec.api.v1alpha1.FeatureViewSpec.Field;
import io.liverec.api.v1alpha1.FeatureViewSpec.ValueType;
import io.liverec.featurestore.feast.FeastFeatureRegistry;
import io.liverec.featurestore.feast.FeastRepo;
import io.liverec.featurestore.feast.OnlineStoreConfig;
import io.liverec.featurestore.online.EntityKeys;
import io.liverec.featurestore.online.OnlineStore;
import io.liverec.featurestore.online.SqliteOnlineStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code liverec materialize} / {@code materialize-incremental} with the CronJob's arguments. */
class MaterializeCommandTest {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void materializesTheWindowAndContinuesIncrementally() throws Exception {
    Path source = dir.resolve("user.parquet");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute(
          "COPY (SELECT * FROM (VALUES"
              + " (1::BIGINT, 10, TIMESTAMP '2026-01-01 10:00:00'),"
              + " (1::BIGINT, 11, TIMESTAMP '2026-01-01 12:00:00'),"
              + " (2::BIGINT, 20, TIMESTAMP '2026-01-02 09:00:00'))"
              + " AS t(user_id, age, event_ts)) TO '"
              + source
              + "' (FORMAT parquet)");
    }
    Path repo = dir.resolve("feast");
    FeatureViewSpec spec = new FeatureViewSpec();
    spec.entities = new java.util.ArrayList<>(List.of(new Field("user_id", ValueType.INT64)));
    spec.features = new java.util.ArrayList<>(List.of(new Field("age", ValueType.INT32)));
    spec.source.uri = source.toString();
    spec.source.timestampField = "event_ts";
    spec.ttl = "0s";
    new FeastFeatureRegistry(
            new FeastRepo(repo, "liverec", OnlineStoreConfig.parse("sqlite", repo)))
        .register("liverec", "user-profile", spec);

    Run r =
        run(
            "materialize",
            "--feature-view",
            "user-profile",
            "--repo",
            repo.toString(),
            "--start",
            "2026-01-01T00:00:00Z",
            "--end",
            "2026-01-01T23:59:59Z");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("materialized user-profile: 1 entities");
    try (OnlineStore store = new SqliteOnlineStore(repo.resolve("online_store.db"))) {
      byte[] one =
          EntityKeys.serialize(
              List.of("user_id"), List.of(Value.newBuilder().setInt64Val(1).build()));
      var stored = store.read("liverec", "user-profile", List.of(one), List.of("age"));
      assertThat(Value.parseFrom(stored.get(0).values().get("age")).getInt32Val()).isEqualTo(11);
    }

    r =
        run(
            "materialize-incremental",
            "--feature-view",
            "user-profile",
            "--repo",
            repo.toString(),
            "--end",
            "2026-01-03T00:00:00Z");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("1 entities from [2026-01-01T23:59:59Z, 2026-01-03T00:00:00Z]");
    Registry reg = Registry.parseFrom(Files.readAllBytes(repo.resolve("registry.db")));
    assertThat(reg.getFeatureViews(0).getMeta().getMaterializationIntervalsCount()).isEqualTo(2);

    r = run("materialize", "--feature-view", "nope", "--repo", repo.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("no feature view 'nope'");
  }
}
