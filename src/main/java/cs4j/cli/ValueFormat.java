package cs4j.cli;

import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How a hyperparameter value is written in run labels ({@code sweep}, {@code demo}, {@code
 * report}), so that one value reads the same everywhere.
 *
 * <p>A number is written as the shortest decimal that reads back to the same double: plainly when
 * 1e-4 ≤ |x| < 1e7 or x = 0 ({@code -0.0005}, {@code 85}, never {@code -5.0E-4} or {@code 85.0}),
 * otherwise as mantissa and exponent ({@code 1e-8}, {@code 2.5e-9}). A float goes through its own
 * shortest decimal (0.1f is {@code 0.1}). A list is its elements joined by commas, as the command
 * line takes them; a SHA-256 (64 hex digits, such as a ticket's masks file) is cut to its first 12
 * digits, as run directory names are.
 */
final class ValueFormat {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final int SHA_DIGITS = 12;

  private ValueFormat() {}

  static String format(Object value) {
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (!Double.isFinite(d)) {
        return Double.toString(d);
      }
      return format(
          new BigDecimal(value instanceof Float f ? Float.toString(f) : Double.toString(d)));
    }
    if (value instanceof BigDecimal b) {
      return format(b);
    }
    if (value instanceof List<?> list) {
      return list.stream().map(ValueFormat::format).collect(Collectors.joining(","));
    }
    if (value instanceof String s && SHA256.matcher(s).matches()) {
      return s.substring(0, SHA_DIGITS);
    }
    return String.valueOf(value);
  }

  private static String format(BigDecimal b) {
    BigDecimal s = b.stripTrailingZeros();
    if (s.signum() == 0) {
      return "0";
    }
    BigDecimal abs = s.abs();
    if (abs.compareTo(new BigDecimal("1e-4")) >= 0 && abs.compareTo(new BigDecimal("1e7")) < 0) {
      return s.toPlainString();
    }
    int exponent = s.precision() - s.scale() - 1;
    return s.movePointLeft(exponent).toPlainString() + "e" + exponent;
  }
}
