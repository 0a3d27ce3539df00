package io.liverec.operator.rollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.liverec.serving.rollout.ArmOutcomes.Arm;
import io.liverec.serving.rollout.ArmOutcomes.Counts;
import io.liverec.serving.rollout.CanaryReport;
import io.liverec.serving.rollout.OutcomeCounts;
import io.liverec.serving.rollout.OutcomeSnapshot;
import io.liverec.serving.rollout.stats.UserMoments;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a canary's outcomes from the gateways: {@code GET /v1/canary/outcomes} on every replica
 * (each configured host resolved to all its addresses: a headless Service gives one per ready pod),
 * parsed into {@link CanaryReport}s and added up, since each replica counts only the feedback it
 * received. The per-user sums of the sequential test are merged by user (each replica sends its
 * users' own counts), since one user's requests may reach several replicas. All or nothing: one
 * replica that does not answer, answers an error or answers something unreadable makes the whole
 * read fail ({@link Unavailable}); a partial sum would look like less traffic and bias nothing in a
 * visible way, so it is never used.
 *
 * <p>Why a pull of JSON rather than Prometheus: the sequential test needs per-user sums per weight
 * epoch (many numbers per arm, keyed by the weight they were served at) read at one instant; as
 * Prometheus series they would be many labelled gauges scraped at different moments, and a missing
 * series reads as "no data" only if every query is checked for it. One snapshot per replica per
 * interval is one consistent read whose failure is explicit.
 */
public final class GatewayOutcomes {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The gateways could not be read; the analysis treats it as no measurement. */
  public static final class Unavailable extends Exception {
    Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final List<URI> bases;
  private final Duration timeout;
  private final HttpClient http;

  /**
   * @param urls comma-separated base URLs ({@code http://host:port}); bad ones are rejected here,
   *     naming the setting
   */
  public GatewayOutcomes(String urls, Duration timeout) {
    List<URI> parsed = new ArrayList<>();
    for (String u : urls.split(",")) {
      if (u.isBlank()) {
        continue;
      }
      URI uri;
      try {
        uri = URI.create(u.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "liverec.operator.gateway-url: not a URL: '" + u.trim() + "'", e);
      }
      if (uri.getHost() == null || !"http".equals(uri.getScheme())) {
        throw new IllegalArgumentException(
            "liverec.operator.gateway-url: expected http://host:port, got '" + u.trim() + "'");
      }
      parsed.add(uri);
    }
    if (parsed.isEmpty()) {
      throw new IllegalArgumentException("liverec.operator.gateway-url: no URL given");
    }
    this.bases = List.copyOf(parsed);
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** The summed reports of every replica, and how many replicas answered. */
  public Observation read(String model, int version) throws Unavailable {
    List<CanaryReport> reports = new ArrayList<>();
    List<String> replicas = new ArrayList<>();
    for (URI base : bases) {
      for (URI replica : replicas(base)) {
        reports.add(fetch(replica, model, version));
        replicas.add(replica.getAuthority());
      }
    }
    if (reports.size() > 1) {
      for (int i = 0; i < reports.size(); i++) {
        for (OutcomeSnapshot.EpochArm e : reports.get(i).outcomes().epochs()) {
          if (e.perUser().size() != e.users()) {
            throw new Unavailable(
                "gateway "
                    + replicas.get(i)
                    + " sent "
                    + e.perUser().size()
                    + " per-user counts for the "
                    + e.users()
                    + " users of "
                    + e.arm()
                    + " at "
                    + e.canaryBasisPoints()
                    + " bp: replicas can only be merged by user",
                null);
          }
        }
      }
    }
    return new Observation(model, version, reports, replicas);
  }

  private static List<URI> replicas(URI base) throws Unavailable {
    InetAddress[] all;
    try {
      all = InetAddress.getAllByName(base.getHost());
    } catch (UnknownHostException e) {
      throw new Unavailable(
          "gateway " + base.getHost() + " does not resolve (no replica ready?)", e);
    }
    return Arrays.stream(all)
        .map(a -> a.getHostAddress())
        .distinct()
        .map(
            ip ->
                URI.create(
                    base.getScheme()
                        + "://"
                        + (ip.contains(":") ? "[" + ip + "]" : ip)
                        + (base.getPort() < 0 ? "" : ":" + base.getPort())))
        .toList();
  }

  private CanaryReport fetch(URI replica, String model, int version) throws Unavailable {
    URI uri =
        replica.resolve(
            "/v1/canary/outcomes?model="
                + URLEncoder.encode(model, StandardCharsets.UTF_8)
                + "&version="
                + version);
    try {
      HttpResponse<byte[]> r =
          http.send(
              HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) {
        throw new Unavailable(
            "gateway "
                + replica.getAuthority()
                + " answered "
                + r.statusCode()
                + ": "
                + new String(r.body(), StandardCharsets.UTF_8),
            null);
      }
      return JSON.readValue(r.body(), CanaryReport.class);
    } catch (IOException e) {
      throw new Unavailable("gateway " + replica.getAuthority() + " unreachable: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted reading gateway " + replica.getAuthority(), e);
    } catch (RuntimeException e) {
      throw new Unavailable("gateway " + replica.getAuthority() + " answered garbage: " + e, e);
    }
  }

  /**
   * One read of every replica: the sums the analysis reads ({@link OutcomeCounts}), the technical
   * SLO inputs combined (latency percentiles: the worst replica; error rate: weighted by requests;
   * requests: summed) and the shares the replicas serve the canary at.
   */
  public static final class Observation implements OutcomeCounts {
    private final String model;
    private final int version;
    private final List<CanaryReport> reports;
    private final List<String> replicas;

    Observation(String model, int version, List<CanaryReport> reports, List<String> replicas) {
      this.model = model;
      this.version = version;
      this.reports = List.copyOf(reports);
      this.replicas = List.copyOf(replicas);
    }

    /** The replicas read, as {@code address:port}. */
    public List<String> replicas() {
      return replicas;
    }

    /** Per replica, the basis points it routes to the canary now. */
    public List<Integer> servingBasisPoints() {
      return reports.stream().map(CanaryReport::servingBasisPoints).toList();
    }

    /** The technical SLO inputs over all replicas (empty = none has data). */
    public Map<String, Double> technical() {
      Map<String, Double> out = new LinkedHashMap<>();
      double requests = 0;
      double errors = 0;
      boolean anyErrorRate = false;
      for (CanaryReport r : reports) {
        Map<String, Double> t = r.technical();
        double n = t.getOrDefault("requests", 0.0);
        requests += n;
        if (t.containsKey("errorRate")) {
          anyErrorRate = true;
          errors += t.get("errorRate") * n;
        }
        t.forEach(
            (k, v) -> {
              if (k.endsWith("LatencyMs")) {
                out.merge(k, v, Math::max);
              }
            });
      }
      if (anyErrorRate && requests > 0) {
        out.put("errorRate", errors / requests);
      }
      if (requests > 0) {
        out.put("requests", requests);
      }
      return out;
    }

    @Override
    public Counts counts(String m, int v, Arm arm, String kind) {
      long impressions = 0;
      long events = 0;
      for (CanaryReport r : reports) {
        Counts c = r.outcomes().counts(m, v, arm, kind);
        impressions += c.impressions();
        events += c.events();
      }
      return new Counts(impressions, events);
    }

    @Override
    public long users(String m, int v, Arm arm, int canaryBasisPoints) {
      if (reports.size() == 1) {
        return reports.get(0).outcomes().users(m, v, arm, canaryBasisPoints);
      }
      return byUser(m, v, arm, canaryBasisPoints).size();
    }

    /**
     * One replica's per-user sums as they are; several replicas' merged by user first: a user whose
     * requests reached two replicas has n = a + b impressions, and (a+b)² is not a²+b², so adding
     * the replicas' Σn², Σe² and Σn·e would understate the per-user variance and count the user
     * twice.
     */
    @Override
    public UserMoments moments(String m, int v, Arm arm, String kind, int canaryBasisPoints) {
      if (reports.size() == 1) {
        return reports.get(0).outcomes().moments(m, v, arm, kind, canaryBasisPoints);
      }
      long impressions = 0;
      long events = 0;
      long impressionsSquared = 0;
      long eventsSquared = 0;
      long crossProducts = 0;
      Map<String, Merged> users = byUser(m, v, arm, canaryBasisPoints);
      for (Merged u : users.values()) {
        long n = u.impressions;
        long e = u.events.getOrDefault(kind, 0L);
        impressions += n;
        events += e;
        impressionsSquared += n * n;
        eventsSquared += e * e;
        crossProducts += n * e;
      }
      return new UserMoments(
          users.size(), impressions, events, impressionsSquared, eventsSquared, crossProducts);
    }

    /** One user's counts over every replica. */
    private static final class Merged {
      long impressions;
      final Map<String, Long> events = new HashMap<>(2);
    }

    private record EpochKey(Arm arm, int basisPoints) {}

    private final Map<EpochKey, Map<String, Merged>> merged = new HashMap<>();

    /** The replicas' per-user counts of one epoch and arm, added up per user. */
    private synchronized Map<String, Merged> byUser(String m, int v, Arm arm, int bp) {
      if (!model.equals(m) || version != v) {
        return Map.of();
      }
      return merged.computeIfAbsent(
          new EpochKey(arm, bp),
          k -> {
            Map<String, Merged> out = new HashMap<>();
            for (CanaryReport r : reports) {
              OutcomeSnapshot s = r.outcomes();
              if (!s.model().equals(m) || s.canaryVersion() != v) {
                continue;
              }
              for (OutcomeSnapshot.EpochArm e : s.epochs()) {
                if (e.arm() != arm || e.canaryBasisPoints() != bp) {
                  continue;
                }
                for (OutcomeSnapshot.UserCounts u : e.perUser()) {
                  Merged into = out.computeIfAbsent(u.user(), id -> new Merged());
                  into.impressions += u.impressions();
                  u.events().forEach((kind, c) -> into.events.merge(kind, c, Long::sum));
                }
              }
            }
            return out;
          });
    }

    @Override
    public String toString() {
      return model + "/" + version + " from " + replicas;
    }
  }
}
