package io.liverec.featurestore.feast;

import io.liverec.api.errors.LiverecException;
import java.nio.file.Path;

/** Where a Feast repository's online store lives: Feast's SQLite file or a Redis server. */
public sealed interface OnlineStoreConfig {

  /** Feast's {@code sqlite} online store: one file, a table per feature view. */
  record Sqlite(Path path) implements OnlineStoreConfig {}

  /** Feast's {@code redis} online store: a hash per entity key. */
  record Redis(String host, int port) implements OnlineStoreConfig {
    public String connectionString() {
      return host + ":" + port;
    }
  }

  /**
   * Parses {@code sqlite}, {@code sqlite:<path>}, {@code redis://host:port} or {@code
   * redis:host:port}; a bare {@code sqlite} puts the file at {@code <repo>/online_store.db}.
   */
  static OnlineStoreConfig parse(String text, Path repoDir) {
    String t = text == null || text.isBlank() ? "sqlite" : text.trim();
    if (t.equals("sqlite")) {
      return new Sqlite(repoDir.resolve("online_store.db").toAbsolutePath());
    }
    if (t.startsWith("sqlite:")) {
      return new Sqlite(Path.of(t.substring("sqlite:".length())).toAbsolutePath());
    }
    String hostPort =
        t.startsWith("redis://")
            ? t.substring("redis://".length())
            : t.startsWith("redis:") ? t.substring("redis:".length()) : null;
    if (hostPort != null) {
      int colon = hostPort.lastIndexOf(':');
      try {
        if (colon > 0) {
          return new Redis(
              hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw LiverecException.badInput(
        "online store '"
            + text
            + "': expected sqlite, sqlite:<path>, or redis://<host>:<port>"
            + " (LIVEREC_FEAST_ONLINE_STORE)");
  }
}
