package cs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import cs4j.tensor.Rng;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValueFormatTest {
  @Test
  void typicalNumbersArePlainDecimalsWithoutExponentOrTrailingZero() {
    assertEquals("-0.0005", ValueFormat.format(-5.0e-4));
    assertEquals("0.0001", ValueFormat.format(1e-4));
    assertEquals("-0.002", ValueFormat.format(-0.002));
    assertEquals("0.2", ValueFormat.format(0.2));
    assertEquals("85", ValueFormat.format(85.0));
    assertEquals("85", ValueFormat.format(85L));
    assertEquals("200", ValueFormat.format(200));
    assertEquals("9999999", ValueFormat.format(9_999_999.0));
    assertEquals("0", ValueFormat.format(0.0));
    assertEquals("0", ValueFormat.format(-0.0));
    assertEquals("0.1", ValueFormat.format(0.1f), "a float is its own shortest decimal");
    assertEquals("0.5", ValueFormat.format(new BigDecimal("0.500")));
  }

  @Test
  void tinyAndHugeNumbersKeepAShortExponent() {
    assertEquals("1e-8", ValueFormat.format(1e-8));
    assertEquals("-2.5e-9", ValueFormat.format(-2.5e-9));
    assertEquals("9e-5", ValueFormat.format(9e-5));
    assertEquals("1e7", ValueFormat.format(1e7));
    assertEquals("1.2345678e7", ValueFormat.format(12_345_678.0));
    assertEquals("NaN", ValueFormat.format(Double.NaN));
  }

  @Test
  void everyFormattedDoubleReadsBackToTheSameDouble() {
    Rng rng = new Rng(11);
    for (int i = 0; i < 10_000; i++) {
      double d = (rng.nextDouble() - 0.5) * Math.pow(10, rng.nextInt(24) - 12);
      String text = ValueFormat.format(d);
      assertEquals(d == 0 ? 0.0 : d, Double.parseDouble(text), "'" + text + "' for " + d);
    }
  }

  @Test
  void listsAreCommaSeparatedAndShaDigestsCutToTwelveDigits() {
    assertEquals("56,71", ValueFormat.format(List.of(56L, 71L)));
    assertEquals("0.0005,1e-8", ValueFormat.format(List.of(5e-4, 1e-8)));
    String sha = "0123456789abcdef".repeat(4);
    assertEquals("0123456789ab", ValueFormat.format(sha));
    assertEquals("fashion-mnist-subset", ValueFormat.format("fashion-mnist-subset"));
    assertEquals("true", ValueFormat.format(true));
    assertEquals("null", ValueFormat.format(null));
  }
}
