package io.liverec.featurestore.feast;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import feast.proto.core.RegistryProto.Registry;
import io.liverec.api.errors.LiverecException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Feast's file registry: {@code registry.db} holds the bytes of one {@code feast.core.Registry}
 * proto, no header. Updates are read-modify-write under an exclusive lock on {@code
 * registry.db.lock} (the operator and a materialization Job may write at the same time) and replace
 * the file atomically, with a fresh {@code version_id}, so a reader never sees half a registry.
 * Fields LiveRec's trimmed proto does not declare (feature services, on-demand views, … written by
 * Feast itself) are carried over as unknown fields.
 */
public final class RegistryFile {
  /** What Feast writes into {@code registry_schema_version}. */
  static final String SCHEMA_VERSION = "1";

  private final Path path;

  public RegistryFile(Path path) {
    this.path = path.toAbsolutePath();
  }

  public Path path() {
    return path;
  }

  /** The registry; throws a bad-input error naming the file when it is missing or corrupt. */
  public Registry read() {
    try {
      return parse(Files.readAllBytes(path));
    } catch (NoSuchFileException e) {
      throw LiverecException.badInput("no Feast registry at " + path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Feast registry " + path, e);
    }
  }

  /** The registry, or an empty one when the file does not exist yet. */
  public Registry readOrEmpty() {
    return Files.exists(path) ? read() : Registry.getDefaultInstance();
  }

  private Registry parse(byte[] bytes) {
    try {
      return Registry.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw LiverecException.badInput(
          "the Feast registry " + path + " is corrupt (not a feast.core.Registry proto): " + e);
    }
  }

  /** Applies {@code change} to the current registry and writes the result; returns it. */
  public Registry update(UnaryOperator<Registry.Builder> change) {
    try {
      Files.createDirectories(path.getParent());
      Path lockFile = path.resolveSibling(path.getFileName() + ".lock");
      try (FileChannel ch =
              FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = ch.lock()) {
        Registry current = readOrEmpty();
        Registry.Builder b = change.apply(current.toBuilder());
        Instant now = Instant.now();
        Registry next =
            b.setRegistrySchemaVersion(SCHEMA_VERSION)
                .setVersionId(UUID.randomUUID().toString())
                .setLastUpdated(
                    Timestamp.newBuilder()
                        .setSeconds(now.getEpochSecond())
                        .setNanos(now.getNano())
                        .build())
                .build();
        AtomicFiles.write(path, next.toByteArray());
        return next;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the Feast registry " + path, e);
    }
  }
}
