package cs4j.cli;

import java.awt.Color;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The colour of each method in every plot, fixed by its name so that CS is the same blue in every
 * chart, and the markers that tell one method's runs apart. Colours are the Okabe–Ito palette,
 * which stays distinguishable under the common colour-vision deficiencies; a method without its own
 * colour gets one of the spare colours, chosen by a hash of its name (so it, too, is stable).
 */
final class MethodStyle {
  private static final Map<String, Color> COLOURS =
      Map.of(
          "dense",
          Color.BLACK,
          "cs",
          new Color(0x0072B2),
          "cs-prune",
          new Color(0x56B4E9),
          "imp",
          new Color(0xE69F00),
          "imp-continued",
          new Color(0xD55E00),
          "magnitude",
          new Color(0x009E73),
          "gmp",
          new Color(0xCC79A7),
          "l0",
          new Color(0x8C6D00),
          "random",
          new Color(0x999999),
          TicketRetraining.NAME,
          new Color(0x5D3A9B));

  private static final List<Color> SPARE =
      List.of(
          new Color(0x1B9E77),
          new Color(0x7570B3),
          new Color(0xE7298A),
          new Color(0x66A61E),
          new Color(0xA6761D));

  /** The markers of a method's 1st, 2nd, ... run. */
  private static final List<Marker> MARKERS =
      List.of(
          SeriesMarkers.CIRCLE,
          SeriesMarkers.SQUARE,
          SeriesMarkers.DIAMOND,
          SeriesMarkers.TRIANGLE_UP,
          SeriesMarkers.TRIANGLE_DOWN,
          SeriesMarkers.OVAL,
          SeriesMarkers.TRAPEZOID,
          SeriesMarkers.RECTANGLE);

  private MethodStyle() {}

  static Color colour(String method) {
    Color c = COLOURS.get(method);
    return c != null ? c : SPARE.get(Math.floorMod(method.hashCode(), SPARE.size()));
  }

  /** The marker of the {@code index}-th (0-based) run of one method in a plot. */
  static Marker marker(int index) {
    return MARKERS.get(index % MARKERS.size());
  }
}
