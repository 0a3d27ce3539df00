package io.liverec.featurestore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * A registry kept as one JSON file per view under a directory ({@code <namespace>__<name>.json}),
 * written atomically, so it survives restarts of the CLI or the operator.
 */
public final class LocalFileFeatureRegistry extends InMemoryFeatureRegistry {
  private final Path dir;

  public LocalFileFeatureRegistry(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
          restore(JSON.readValue(f.toFile(), Entry.class));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the feature registry in " + dir, e);
    }
  }

  public Path directory() {
    return dir;
  }

  @Override
  protected void saved(Entry e) {
    Path target = file(e.namespace(), e.name());
    try {
      Path tmp = Files.createTempFile(dir, ".entry", ".tmp");
      JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), e);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write " + target, ex);
    }
  }

  @Override
  protected void removed(String namespace, String name) {
    try {
      Files.deleteIfExists(file(namespace, name));
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  private Path file(String namespace, String name) {
    return dir.resolve((namespace == null ? "_" : namespace) + "__" + name + ".json");
  }
}
