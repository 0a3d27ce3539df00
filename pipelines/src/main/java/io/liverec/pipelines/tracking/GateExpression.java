package io.liverec.pipelines.tracking;

import io.liverec.api.errors.LiverecException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A gate on a metric written as {@code name>=value} (also {@code >}, {@code <=}, {@code <}), as CI
 * scripts pass it to {@code liverec promote --require}.
 */
public record GateExpression(String metric, String operator, double threshold) {
  private static final Pattern FORM =
      Pattern.compile("\\s*([A-Za-z0-9_.\\-/]+)\\s*(>=|<=|>|<)\\s*([-+0-9.eE]+)\\s*");

  public static GateExpression parse(String text) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      throw LiverecException.badInput(
          "gate '" + text + "' is not of the form metric>=value (operators: >= > <= <)");
    }
    try {
      return new GateExpression(m.group(1), m.group(2), Double.parseDouble(m.group(3)));
    } catch (NumberFormatException e) {
      throw LiverecException.badInput("gate '" + text + "': '" + m.group(3) + "' is not a number");
    }
  }

  public boolean test(double value) {
    return switch (operator) {
      case ">=" -> value >= threshold;
      case ">" -> value > threshold;
      case "<=" -> value <= threshold;
      case "<" -> value < threshold;
      default -> throw new IllegalStateException(operator);
    };
  }

  @Override
  public String toString() {
    return metric + operator + String.format(Locale.ROOT, "%s", threshold);
  }
}
