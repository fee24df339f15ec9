package cs4j.sparsity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Remaining (unpruned) weights per masked layer and overall. Sparsity is counted over the masked
 * layers only (as the CS paper counts it: the fraction of masked-layer entries that are kept);
 * unmasked layers (BN, 1×1 shortcuts, the classifier by default) are not in the denominator.
 */
public record SparsityReport(List<Layer> layers) {
  /** One masked layer: its dotted module name, entry count and kept entries. */
  public record Layer(String name, long total, long remaining) {
    public double fractionRemaining() {
      return total == 0 ? 1.0 : (double) remaining / total;
    }
  }

  public SparsityReport {
    layers = List.copyOf(layers);
  }

  public long total() {
    return layers.stream().mapToLong(Layer::total).sum();
  }

  public long remaining() {
    return layers.stream().mapToLong(Layer::remaining).sum();
  }

  /** Kept entries over all masked entries, in [0, 1]. */
  public double fractionRemaining() {
    long t = total();
    return t == 0 ? 1.0 : (double) remaining() / t;
  }

  /** {"total", "remaining", "fraction_remaining", "layers": [{name, total, remaining}, ...]}. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("total", total());
    m.put("remaining", remaining());
    m.put("fraction_remaining", fractionRemaining());
    List<Object> ls = new ArrayList<>();
    for (Layer l : layers) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("name", l.name());
      e.put("total", l.total());
      e.put("remaining", l.remaining());
      ls.add(e);
    }
    m.put("layers", ls);
    return m;
  }

  /** Reads what {@link #toMap()} wrote (after a JSON round trip). */
  public static SparsityReport fromMap(Map<?, ?> m) {
    List<Layer> ls = new ArrayList<>();
    for (Object o : (List<?>) m.get("layers")) {
      Map<?, ?> e = (Map<?, ?>) o;
      ls.add(
          new Layer(
              (String) e.get("name"),
              ((Number) e.get("total")).longValue(),
              ((Number) e.get("remaining")).longValue()));
    }
    return new SparsityReport(ls);
  }

  /** A fixed-width table, one row per layer and a total row. */
  @Override
  public String toString() {
    int w = "layer".length();
    for (Layer l : layers) {
      w = Math.max(w, l.name().length());
    }
    StringBuilder sb = new StringBuilder();
    String fmt = "%-" + w + "s | %12s | %12s | %9s%n";
    sb.append(String.format(fmt, "layer", "weights", "remaining", "remaining"));
    for (Layer l : layers) {
      sb.append(
          String.format(
              fmt,
              l.name(),
              l.total(),
              l.remaining(),
              String.format("%.2f%%", 100 * l.fractionRemaining())));
    }
    sb.append(
        String.format(
            fmt,
            "total",
            total(),
            remaining(),
            String.format("%.2f%%", 100 * fractionRemaining())));
    return sb.toString();
  }
}
