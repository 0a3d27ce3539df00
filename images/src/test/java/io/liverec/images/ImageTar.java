package io.liverec.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * An image tarball in {@code docker save} format (what Jib's {@code buildTar} and
 * scripts/image-base.sh write), read without Docker: its manifest, config and the merged file
 * system of its layers (paths, modes, owners, link targets, and the content of files asked for).
 */
final class ImageTar {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One path of the merged file system. */
  record Entry(String path, char type, int mode, int uid, long size, String link) {
    boolean executable() {
      return (mode & 0111) != 0;
    }
  }

  final Path file;
  final JsonNode manifest;
  final JsonNode config;
  final Map<String, Entry> files = new LinkedHashMap<>();
  final Map<String, byte[]> contents = new HashMap<>();
  final List<String> layerDigests = new ArrayList<>();
  final List<String> diffIds = new ArrayList<>();

  private ImageTar(Path file, JsonNode manifest, JsonNode config) {
    this.file = file;
    this.manifest = manifest;
    this.config = config;
  }

  /**
   * Reads the tarball; {@code keep} selects the files whose content is kept (small ones: class-path
   * files, passwd). Each layer's uncompressed digest is computed and compared by the caller with
   * the config's {@code rootfs.diff_ids}.
   */
  static ImageTar read(Path file, Predicate<String> keep) throws IOException {
    Map<String, byte[]> small = new HashMap<>();
    forEachEntry(
        Files.newInputStream(file),
        (h, in) -> {
          if (h.size < (1 << 20)) {
            small.put(normalize(h.name), in.readAllBytes());
          }
        });
    byte[] m = small.get("/manifest.json");
    if (m == null) {
      throw new IOException(file + " has no manifest.json: not a docker-save image tarball");
    }
    JsonNode manifest = JSON.readTree(m).get(0);
    JsonNode config = JSON.readTree(small.get(normalize(manifest.path("Config").asText())));
    ImageTar image = new ImageTar(file, manifest, config);
    config.path("rootfs").path("diff_ids").forEach(d -> image.diffIds.add(d.asText()));
    List<String> order = new ArrayList<>();
    manifest.path("Layers").forEach(l -> order.add(normalize(l.asText())));
    Map<String, Map<String, Entry>> layerFiles = new HashMap<>();
    Map<String, String> digests = new HashMap<>();
    Map<String, byte[]> kept = new HashMap<>();
    forEachEntry(
        Files.newInputStream(file),
        (h, body) -> {
          String name = normalize(h.name);
          if (!order.contains(name)) {
            return;
          }
          BufferedInputStream raw = new BufferedInputStream(body, 1 << 16);
          raw.mark(2);
          int b0 = raw.read();
          int b1 = raw.read();
          raw.reset();
          InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
          MessageDigest sha = sha256();
          // every byte of the layer through the digest: the entry bodies nobody reads are
          // skipped, and DigestInputStream's skip() would pass them by undigested
          DigestingInput digest = new DigestingInput(in, sha);
          Map<String, Entry> entries = new LinkedHashMap<>();
          readEntries(
              new BufferedInputStream(digest, 1 << 16),
              (e, content) -> {
                String path = normalize(e.name);
                entries.put(path, new Entry(path, e.type, e.mode, e.uid, e.size, e.link));
                if (e.type == '0' && keep.test(path)) {
                  kept.put(path, content.readAllBytes());
                }
              });
          digest.transferTo(java.io.OutputStream.nullOutputStream());
          layerFiles.put(name, entries);
          digests.put(name, "sha256:" + HexFormat.of().formatHex(sha.digest()));
        });
    for (String layer : order) {
      Map<String, Entry> entries = layerFiles.get(layer);
      if (entries == null) {
        throw new IOException(file + ": layer " + layer + " missing");
      }
      image.files.putAll(entries);
      image.layerDigests.add(digests.get(layer));
    }
    image.contents.putAll(kept);
    return image;
  }

  JsonNode containerConfig() {
    return config.path("config");
  }

  List<String> list(String field) {
    List<String> out = new ArrayList<>();
    containerConfig().path(field).forEach(n -> out.add(n.asText()));
    return out;
  }

  Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    for (String e : list("Env")) {
      int eq = e.indexOf('=');
      env.put(e.substring(0, eq), e.substring(eq + 1));
    }
    return env;
  }

  String text(String path) {
    byte[] b = contents.get(path);
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  /** Follows symbolic links (absolute or relative) to the entry they name, or null. */
  Entry resolve(String path) {
    String p = normalize(path);
    for (int hops = 0; hops < 20; hops++) {
      Entry e = files.get(p);
      if (e == null) {
        // a parent directory may be a link (/lib -> usr/lib)
        int slash = p.lastIndexOf('/');
        if (slash <= 0) {
          return null;
        }
        Entry parent = resolve(p.substring(0, slash));
        if (parent == null || parent.path().equals(p.substring(0, slash))) {
          return null;
        }
        p = parent.path() + p.substring(slash);
        continue;
      }
      if (e.type() != '2') {
        return e;
      }
      String target = e.link();
      p =
          target.startsWith("/")
              ? normalize(target)
              : normalize(p.substring(0, p.lastIndexOf('/') + 1) + target);
    }
    return null;
  }

  private static String normalize(String name) {
    List<String> parts = new ArrayList<>();
    for (String s : name.split("/")) {
      if (s.isEmpty() || s.equals(".")) {
        continue;
      }
      if (s.equals("..")) {
        if (!parts.isEmpty()) {
          parts.remove(parts.size() - 1);
        }
      } else {
        parts.add(s);
      }
    }
    return "/" + String.join("/", parts);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private record Header(String name, char type, int mode, int uid, long size, String link) {}

  private interface EntryConsumer {
    void accept(Header header, InputStream body) throws IOException;
  }

  /** A small ustar/GNU/PAX reader: enough for what Jib, GNU tar and Python write. */
  private static void forEachEntry(InputStream source, EntryConsumer consumer) throws IOException {
    try (InputStream in = new BufferedInputStream(source, 1 << 16)) {
      readEntries(in, consumer);
    }
  }

  private static void readEntries(InputStream in, EntryConsumer consumer) throws IOException {
    {
      String longName = null;
      String longLink = null;
      Map<String, String> pax = Map.of();
      byte[] block = new byte[512];
      while (true) {
        if (in.readNBytes(block, 0, 512) < 512 || isZero(block)) {
          return;
        }
        String name = string(block, 0, 100);
        String prefix = string(block, 345, 155);
        if (!prefix.isEmpty() && "ustar".equals(string(block, 257, 5))) {
          name = prefix + "/" + name;
        }
        int mode = (int) octal(block, 100, 8);
        int uid = (int) octal(block, 108, 8);
        long size = octal(block, 124, 12);
        char type = block[156] == 0 ? '0' : (char) block[156];
        String link = string(block, 157, 100);
        byte[] data = null;
        if (type == 'L' || type == 'K' || type == 'x' || type == 'g') {
          data = in.readNBytes((int) size);
          skipPadding(in, size);
          if (type == 'L') {
            longName = trimNul(new String(data, StandardCharsets.UTF_8));
          } else if (type == 'K') {
            longLink = trimNul(new String(data, StandardCharsets.UTF_8));
          } else if (type == 'x') {
            pax = parsePax(data);
          }
          continue;
        }
        if (longName != null) {
          name = longName;
        }
        if (longLink != null) {
          link = longLink;
        }
        if (pax.containsKey("path")) {
          name = pax.get("path");
        }
        if (pax.containsKey("linkpath")) {
          link = pax.get("linkpath");
        }
        if (pax.containsKey("size")) {
          size = Long.parseLong(pax.get("size"));
        }
        longName = null;
        longLink = null;
        pax = Map.of();
        BoundedInput body = new BoundedInput(in, type == '0' || type == '7' ? size : 0);
        consumer.accept(new Header(name, type == '7' ? '0' : type, mode, uid, size, link), body);
        body.skipRest();
        if (type == '0' || type == '7') {
          skipPadding(in, size);
        }
      }
    }
  }

  private static Map<String, String> parsePax(byte[] data) {
    Map<String, String> out = new HashMap<>();
    int i = 0;
    while (i < data.length) {
      int space = i;
      while (space < data.length && data[space] != ' ') {
        space++;
      }
      if (space >= data.length) {
        break;
      }
      int len = Integer.parseInt(new String(data, i, space - i, StandardCharsets.US_ASCII));
      String kv = new String(data, space + 1, i + len - space - 2, StandardCharsets.UTF_8);
      int eq = kv.indexOf('=');
      out.put(kv.substring(0, eq), kv.substring(eq + 1));
      i += len;
    }
    return out;
  }

  private static void skipPadding(InputStream in, long size) throws IOException {
    long pad = (512 - size % 512) % 512;
    in.skipNBytes(pad);
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static String string(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  private static String trimNul(String s) {
    int nul = s.indexOf('\0');
    return nul < 0 ? s : s.substring(0, nul);
  }

  private static long octal(byte[] b, int off, int len) {
    if ((b[off] & 0x80) != 0) { // GNU base-256
      long v = b[off] & 0x7f;
      for (int i = 1; i < len; i++) {
        v = (v << 8) | (b[off + i] & 0xff);
      }
      return v;
    }
    String s = string(b, off, len).trim();
    return s.isEmpty() ? 0 : Long.parseLong(s, 8);
  }

  /**
   * Digests every byte that passes, skipped ones included: {@link java.security.DigestInputStream}
   * inherits {@code skip} from FilterInputStream, which skips the underlying stream without
   * digesting, so a layer whose large files are skipped got the digest of a fraction of its bytes.
   */
  private static final class DigestingInput extends FilterInputStream {
    private final MessageDigest digest;
    private final byte[] scratch = new byte[1 << 16];

    DigestingInput(InputStream in, MessageDigest digest) {
      super(in);
      this.digest = digest;
    }

    @Override
    public int read() throws IOException {
      int c = in.read();
      if (c >= 0) {
        digest.update((byte) c);
      }
      return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        digest.update(b, off, n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long done = 0;
      while (done < n) {
        int r = read(scratch, 0, (int) Math.min(scratch.length, n - done));
        if (r < 0) {
          break;
        }
        done += r;
      }
      return done;
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }

  /** The body of one entry; what the consumer does not read is skipped. */
  private static final class BoundedInput extends InputStream {
    private final InputStream in;
    private long left;

    BoundedInput(InputStream in, long size) {
      this.in = in;
      this.left = size;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int c = in.read();
      if (c >= 0) {
        left--;
      }
      return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }

    void skipRest() throws IOException {
      in.skipNBytes(left);
      left = 0;
    }
  }
}
