package cs4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.models.InitScheme;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
  private static Map<String, Object> sample(boolean reversed) {
    Map<String, Object> inner = new LinkedHashMap<>();
    List<String> innerKeys = new ArrayList<>(List.of("d", "e", "f"));
    List<String> outerKeys = new ArrayList<>(List.of("a", "b", "c"));
    if (reversed) {
      java.util.Collections.reverse(innerKeys);
      java.util.Collections.reverse(outerKeys);
    }
    Map<String, Object> values = new HashMap<>();
    values.put("d", 1e-8);
    values.put("e", null);
    values.put("f", true);
    for (String k : innerKeys) {
      inner.put(k, values.get(k));
    }
    Map<String, Object> outer = new LinkedHashMap<>();
    for (String k : outerKeys) {
      outer.put(
          k,
          switch (k) {
            case "a" -> List.of(0.5, "x");
            case "b" -> 1;
            default -> inner;
          });
    }
    return outer;
  }

  @Test
  void keysAreSortedAtEveryLevelWhateverTheInsertionOrder() {
    String expected = "{\"a\":[0.5,\"x\"],\"b\":1,\"c\":{\"d\":0.00000001,\"e\":null,\"f\":true}}";
    assertEquals(expected, CanonicalJson.write(sample(false)));
    assertEquals(expected, CanonicalJson.write(sample(true)));
  }

  @Test
  void hashIsStableAcrossVersions() {
    // sha256 of the canonical text above, first 12 hex digits (computed with Python's hashlib).
    assertEquals("31e505db195c", CanonicalJson.hash(sample(false)));
    assertEquals(CanonicalJson.hash(sample(false)), CanonicalJson.hash(sample(true)));
  }

  @Test
  void numbersHaveOneSpellingWhateverTheirJavaType() {
    assertEquals("[85,85,85,85]", CanonicalJson.write(List.of(85, 85L, 85.0, 85.0f)));
    assertEquals("[0.1,0.1]", CanonicalJson.write(List.of(0.1, 0.1f)));
    assertEquals(
        "[0,0.0001,-2.5,100000000000000000000]",
        CanonicalJson.write(List.of(-0.0, 1e-4, -2.5, 1e20)));
  }

  @Test
  void recordsAndEnumsBecomeObjectsAndNames() {
    record Inner(InitScheme init, List<Integer> sizes) {}
    record Outer(String name, Inner inner) {}
    assertEquals(
        "{\"inner\":{\"init\":\"xavier_normal\",\"sizes\":[3,2]},\"name\":\"n\"}",
        CanonicalJson.write(new Outer("n", new Inner(InitScheme.XAVIER_NORMAL, List.of(3, 2)))));
  }

  @Test
  void nonFiniteNumbersAreRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> CanonicalJson.write(Map.of("s0", Double.NaN)));
    assertTrue(e.getMessage().contains("NaN"), e.getMessage());
  }

  @Test
  void runDirectoryNameIsMethodAndHashOfHyperparameters() {
    Path runs = Path.of("runs");
    RunDirectory a = RunDirectory.locate(runs, "cs", sample(false));
    RunDirectory b = RunDirectory.locate(runs, "cs", sample(true));
    assertEquals(a.path(), b.path());
    assertTrue(a.path().getFileName().toString().matches("cs_[0-9a-f]{12}"), a.path().toString());
    Map<String, Object> other = sample(false);
    other.put("b", 2);
    assertNotEquals(a.path(), RunDirectory.locate(runs, "cs", other).path());
    assertNotEquals(a.path(), RunDirectory.locate(runs, "imp", sample(false)).path());
    assertTrue(a.canonicalHparams().startsWith("{\"hparams\":{"), a.canonicalHparams());
    assertTrue(a.canonicalHparams().endsWith(",\"method\":\"cs\"}"), a.canonicalHparams());
  }
}
