package io.liverec.featurestore.online;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The online read path's Redis client: many {@code HMGET key f1 … fn} with the same fields sent as
 * one write of RESP (the fields encoded once for all keys) and the replies parsed straight into a
 * {@code byte[key][field]} table, on pooled plain sockets. It replaces Jedis's pipeline on the read
 * path only (writes keep Jedis), where the benchmark's profile showed Jedis's per-command argument
 * and reply objects as a large share of a 200-entity read. A connection that fails is closed, never
 * returned to the pool.
 */
final class RedisHashReads implements AutoCloseable {
  private static final byte[] CRLF = {'\r', '\n'};
  private final String host;
  private final int port;
  private final ConcurrentLinkedQueue<Conn> idle = new ConcurrentLinkedQueue<>();
  private volatile boolean closed;

  RedisHashReads(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /**
   * For each key the values of {@code fields} (null where absent), in order.
   *
   * @throws IOException when Redis cannot be reached or answers with an error
   */
  byte[][][] hmget(byte[][] keys, byte[][] fields) throws IOException {
    Conn c = idle.poll();
    if (c == null) {
      c = new Conn(host, port);
    }
    try {
      byte[][][] out = c.hmget(keys, fields);
      if (closed) {
        c.close();
      } else {
        idle.offer(c);
      }
      return out;
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  @Override
  public void close() {
    closed = true;
    Conn c;
    while ((c = idle.poll()) != null) {
      c.close();
    }
  }

  /** One connection: a socket, its output and a buffered RESP reader. */
  private static final class Conn {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int limit;
    private byte[] request = new byte[16 * 1024];

    Conn(String host, int port) throws IOException {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), 5_000);
      socket.setSoTimeout(10_000);
      out = socket.getOutputStream();
      in = socket.getInputStream();
    }

    byte[][][] hmget(byte[][] keys, byte[][] fields) throws IOException {
      // "$len\r\nfield\r\n" for every field, encoded once
      int fieldsLen = 0;
      byte[][] fieldHeads = new byte[fields.length][];
      for (int i = 0; i < fields.length; i++) {
        fieldHeads[i] = ascii("$" + fields[i].length + "\r\n");
        fieldsLen += fieldHeads[i].length + fields[i].length + 2;
      }
      byte[] encodedFields = new byte[fieldsLen];
      int p = 0;
      for (int i = 0; i < fields.length; i++) {
        p = put(encodedFields, p, fieldHeads[i]);
        p = put(encodedFields, p, fields[i]);
        p = put(encodedFields, p, CRLF);
      }
      byte[] head = ascii("*" + (fields.length + 2) + "\r\n$5\r\nHMGET\r\n");
      int n = 0;
      for (byte[] k : keys) {
        byte[] keyHead = ascii("$" + k.length + "\r\n");
        int need = head.length + keyHead.length + k.length + 2 + encodedFields.length;
        if (n + need > request.length) {
          request = Arrays.copyOf(request, Math.max(request.length * 2, n + need));
        }
        n = put(request, n, head);
        n = put(request, n, keyHead);
        n = put(request, n, k);
        n = put(request, n, CRLF);
        n = put(request, n, encodedFields);
      }
      out.write(request, 0, n);
      out.flush();
      byte[][][] values = new byte[keys.length][][];
      for (int r = 0; r < keys.length; r++) {
        int type = read();
        if (type != '*') {
          throw unexpected(type);
        }
        int count = (int) readLong();
        if (count != fields.length) {
          throw new IOException("HMGET answered " + count + " values for " + fields.length);
        }
        byte[][] row = new byte[count][];
        for (int i = 0; i < count; i++) {
          int t = read();
          if (t != '$') {
            throw unexpected(t);
          }
          int len = (int) readLong();
          if (len >= 0) {
            row[i] = readBytes(len);
            skipCrlf();
          }
        }
        values[r] = row;
      }
      return values;
    }

    private IOException unexpected(int type) throws IOException {
      if (type == '-') {
        return new IOException("Redis error: " + readLine());
      }
      return new IOException("unexpected Redis reply type '" + (char) type + "'");
    }

    private void fill() throws IOException {
      limit = in.read(buf, 0, buf.length);
      pos = 0;
      if (limit <= 0) {
        limit = 0;
        throw new EOFException("Redis closed the connection");
      }
    }

    private int read() throws IOException {
      if (pos == limit) {
        fill();
      }
      return buf[pos++];
    }

    /** A decimal integer ended by CRLF. */
    private long readLong() throws IOException {
      boolean negative = false;
      long v = 0;
      int b = read();
      if (b == '-') {
        negative = true;
        b = read();
      }
      while (b != '\r') {
        if (b < '0' || b > '9') {
          throw new IOException("bad RESP length byte " + b);
        }
        v = v * 10 + (b - '0');
        b = read();
      }
      read(); // '\n'
      return negative ? -v : v;
    }

    private String readLine() throws IOException {
      StringBuilder s = new StringBuilder();
      for (int b = read(); b != '\r'; b = read()) {
        s.append((char) b);
      }
      read();
      return s.toString();
    }

    private byte[] readBytes(int len) throws IOException {
      byte[] v = new byte[len];
      int done = 0;
      while (done < len) {
        if (pos == limit) {
          fill();
        }
        int k = Math.min(len - done, limit - pos);
        System.arraycopy(buf, pos, v, done, k);
        pos += k;
        done += k;
      }
      return v;
    }

    private void skipCrlf() throws IOException {
      read();
      read();
    }

    void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing
      }
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static int put(byte[] dst, int at, byte[] src) {
    System.arraycopy(src, 0, dst, at, src.length);
    return at + src.length;
  }
}
