package io.liverec.pipelines.events;

import io.liverec.api.errors.LiverecException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Finds the files of an event log on a local file system (layout in docs/DATA.md). */
public final class EventLog {
  private final Path root;

  private EventLog(Path root) {
    this.root = root;
  }

  /** Opens a log directory; fails with a bad-input error when it has no impressions table. */
  public static EventLog open(Path root) {
    Path imp = root.resolve(EventSchema.IMPRESSIONS.name());
    if (!Files.isDirectory(imp)) {
      throw LiverecException.badInput(
          "no event log at "
              + root
              + ": expected the directory "
              + imp
              + " (run `liverec simulate --out "
              + root
              + "` to make one)");
    }
    return new EventLog(root);
  }

  public Path root() {
    return root;
  }

  /** Days present in the impressions table, sorted, limited to [from, to] (nulls = open). */
  public List<String> days(String from, String to) {
    try (Stream<Path> s = Files.list(root.resolve(EventSchema.IMPRESSIONS.name()))) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(EventSchema.DAY + "="))
          .map(n -> n.substring(EventSchema.DAY.length() + 1))
          .filter(d -> from == null || d.compareTo(from) >= 0)
          .filter(d -> to == null || d.compareTo(to) <= 0)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Parquet files of a day-partitioned table for one day (empty if none), sorted. */
  public List<Path> files(EventSchema.Table table, String day) {
    Path dir = root.resolve(table.name()).resolve(EventSchema.DAY + "=" + day);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The file of a side table; fails with a bad-input error when missing. */
  public Path sideTable(EventSchema.Table table) {
    Path p = root.resolve(table.name() + ".parquet");
    if (!Files.isRegularFile(p)) {
      throw LiverecException.badInput("missing side table " + p);
    }
    return p;
  }
}
