package io.liverec.featurestore.online;

import com.google.common.hash.Hashing;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import io.liverec.api.errors.LiverecException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Feast's {@code redis} online store: one hash per entity, keyed by the serialized entity key
 * followed by the project name; a field per feature named by the 4 little-endian bytes of
 * murmur3-32 of {@code "<view>:<feature>"} holding the serialized Value, and {@code _ts:<view>}
 * holding the event time as a serialized {@code google.protobuf.Timestamp}. As in Feast, a row is
 * written only when it is newer than what is stored. Writes go through Jedis; reads through {@link
 * RedisHashReads} (one RESP write of all the HMGETs, replies parsed into arrays).
 */
public final class RedisOnlineStore implements OnlineStore {
  private final String endpoint;
  private final RedisClient client;
  private final RedisHashReads reads;

  private final java.util.concurrent.ConcurrentHashMap<String, byte[]> fields =
      new java.util.concurrent.ConcurrentHashMap<>();

  public RedisOnlineStore(String host, int port) {
    this.endpoint = host + ":" + port;
    this.client = RedisClient.create(host, port);
    this.reads = new RedisHashReads(host, port);
  }

  public static byte[] redisKey(byte[] entityKey, String project) {
    byte[] p = project.getBytes(StandardCharsets.UTF_8);
    byte[] k = new byte[entityKey.length + p.length];
    System.arraycopy(entityKey, 0, k, 0, entityKey.length);
    System.arraycopy(p, 0, k, entityKey.length, p.length);
    return k;
  }

  /** The hash field of a feature: murmur3-32 (seed 0) of {@code view:feature}, little-endian. */
  public static byte[] field(String view, String feature) {
    int h =
        Hashing.murmur3_32_fixed().hashString(view + ":" + feature, StandardCharsets.UTF_8).asInt();
    return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(h).array();
  }

  static byte[] tsField(String view) {
    return ("_ts:" + view).getBytes(StandardCharsets.UTF_8);
  }

  private static long nanos(Timestamp t) {
    return t.getSeconds() * 1_000_000_000L + t.getNanos();
  }

  @Override
  public int write(String project, String view, List<Row> rows) {
    byte[] ts = tsField(view);
    try (Pipeline p = client.pipelined()) {
      List<Response<List<byte[]>>> prev = new ArrayList<>(rows.size());
      for (Row r : rows) {
        prev.add(p.hmget(redisKey(r.entityKey(), project), ts));
      }
      p.sync();
      int written = 0;
      for (int i = 0; i < rows.size(); i++) {
        Row r = rows.get(i);
        Timestamp t =
            Timestamp.newBuilder()
                .setSeconds(r.eventTs().getEpochSecond())
                .setNanos(r.eventTs().getNano())
                .build();
        byte[] old = prev.get(i).get().get(0);
        if (old != null && nanos(parseTimestamp(old)) >= nanos(t)) {
          continue;
        }
        Map<byte[], byte[]> hash = new HashMap<>();
        hash.put(ts, t.toByteArray());
        for (var e : r.values().entrySet()) {
          hash.put(field(view, e.getKey()), e.getValue().toByteArray());
        }
        p.hset(redisKey(r.entityKey(), project), hash);
        written++;
      }
      p.sync();
      return written;
    } catch (JedisException e) {
      throw LiverecException.unreachable("Redis at " + endpoint + ": " + e.getMessage(), e);
    }
  }

  private static Timestamp parseTimestamp(byte[] b) {
    try {
      return Timestamp.parseFrom(b);
    } catch (InvalidProtocolBufferException e) {
      return Timestamp.getDefaultInstance();
    }
  }

  @Override
  public List<Stored> read(String project, String view, List<byte[]> keys, List<String> features) {
    byte[][] fields = new byte[features.size() + 1][];
    for (int i = 0; i < features.size(); i++) {
      String f = features.get(i);
      fields[i] = this.fields.computeIfAbsent(view + ":" + f, k -> field(view, f));
    }
    fields[features.size()] = tsField(view);
    byte[][] redisKeys = new byte[keys.size()][];
    for (int i = 0; i < redisKeys.length; i++) {
      redisKeys[i] = redisKey(keys.get(i), project);
    }
    byte[][][] rs;
    try {
      rs = reads.hmget(redisKeys, fields);
    } catch (java.io.IOException e) {
      throw LiverecException.unreachable("Redis at " + endpoint + ": " + e.getMessage(), e);
    }
    // one feature -> position index for all entities of the read
    Map<String, Integer> index = new HashMap<>(features.size() * 2);
    for (int i = 0; i < features.size(); i++) {
      index.putIfAbsent(features.get(i), i);
    }
    List<Stored> out = new ArrayList<>(keys.size());
    for (byte[][] vals : rs) {
      byte[] tsBytes = vals[features.size()];
      byte[][] row = Arrays.copyOf(vals, features.size());
      boolean any = false;
      for (byte[] v : row) {
        any |= v != null;
      }
      if (tsBytes == null && !any) {
        out.add(null);
        continue;
      }
      Timestamp t = tsBytes == null ? Timestamp.getDefaultInstance() : parseTimestamp(tsBytes);
      out.add(
          new Stored(
              Instant.ofEpochSecond(t.getSeconds(), t.getNanos()), new IndexedValues(index, row)));
    }
    return out;
  }

  @Override
  public void close() {
    reads.close();
    client.close();
  }
}
