package io.liverec.featurestore.server;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.liverec.featurestore.feast.RegistryFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The registry as the server sees it: re-read when the file's modification time or size changes
 * (checked at most every {@code checkMillis}). Before a first good read, a missing or corrupt file
 * is a FAILED_PRECONDITION for every request; afterwards a bad rewrite is logged and counted and
 * the last good registry keeps serving.
 */
final class RegistryCache {
  private static final Logger LOG = Logger.getLogger(RegistryCache.class.getName());

  private final RegistryFile file;
  private final String project;
  private final long checkMillis;
  private final AtomicLong reloadFailures = new AtomicLong();
  private volatile Catalog catalog;
  private volatile FileTime seenTime;
  private volatile long seenSize = -1;
  private volatile long checkedAt;

  RegistryCache(RegistryFile file, String project, long checkMillis) {
    this.file = file;
    this.project = project;
    this.checkMillis = checkMillis;
  }

  long reloadFailures() {
    return reloadFailures.get();
  }

  Catalog current() {
    long now = System.currentTimeMillis();
    if (catalog == null || now - checkedAt >= checkMillis) {
      refresh(now);
    }
    return catalog;
  }

  private synchronized void refresh(long now) {
    if (catalog != null && now - checkedAt < checkMillis) {
      return;
    }
    checkedAt = now;
    try {
      FileTime t;
      long size;
      try {
        t = Files.getLastModifiedTime(file.path());
        size = Files.size(file.path());
      } catch (IOException e) {
        throw Status.FAILED_PRECONDITION
            .withDescription("no Feast registry at " + file.path())
            .asRuntimeException();
      }
      if (catalog != null && t.equals(seenTime) && size == seenSize) {
        return;
      }
      try {
        catalog = Catalog.of(file.read(), project);
      } catch (RuntimeException e) {
        throw Status.FAILED_PRECONDITION.withDescription(e.getMessage()).asRuntimeException();
      }
      seenTime = t;
      seenSize = size;
    } catch (StatusRuntimeException e) {
      if (catalog == null) {
        throw e;
      }
      reloadFailures.incrementAndGet();
      LOG.warning("keeping the last good registry: " + e.getStatus().getDescription());
    }
  }
}
