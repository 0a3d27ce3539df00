package io.liverec.api.v1alpha1;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations of the custom resources: {@code 90s}, {@code 10m}, {@code 1h30m}, {@code 7d}. */
public final class Durations {
  private static final Pattern WHOLE = Pattern.compile(Patterns.DURATION);
  private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h|d)");

  private Durations() {}

  public static boolean isValid(String text) {
    return text != null && WHOLE.matcher(text).matches();
  }

  /** Parses a duration; throws {@link IllegalArgumentException} naming the text when invalid. */
  public static Duration parse(String text) {
    if (!isValid(text)) {
      throw new IllegalArgumentException("'" + text + "' is not a duration such as 90s or 1h30m");
    }
    Duration d = Duration.ZERO;
    Matcher m = PART.matcher(text);
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      d =
          switch (m.group(2)) {
            case "ms" -> d.plusMillis(n);
            case "s" -> d.plusSeconds(n);
            case "m" -> d.plusMinutes(n);
            case "h" -> d.plusHours(n);
            default -> d.plusDays(n);
          };
    }
    return d;
  }
}
