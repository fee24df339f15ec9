package cs4j.cli;

import cs4j.sparsity.RoundResult;
import java.io.PrintWriter;
import java.util.List;

/** The results of finished rounds as a plain-text table: one row per round. */
final class ResultTable {
  private ResultTable() {}

  /**
   * One round of one run.
   *
   * @param percentRemaining weights remaining in the masked layers, in percent
   * @param testAccuracy top-1 test accuracy, in percent
   */
  record Row(String run, int round, String stage, double percentRemaining, double testAccuracy) {
    static Row of(String run, RoundResult r) {
      return new Row(
          run, r.round(), r.stage(), 100 * r.fractionRemaining(), 100 * r.testAccuracy());
    }
  }

  static void print(List<Row> rows, PrintWriter out) {
    int width = "method".length();
    for (Row r : rows) {
      width = Math.max(width, r.run().length());
    }
    String header =
        String.format(
            "%-" + width + "s | %5s | %-7s | %19s | %13s",
            "method",
            "round",
            "stage",
            "% weights remaining",
            "test accuracy");
    out.println(header);
    out.println("-".repeat(header.length()));
    for (Row r : rows) {
      out.println(
          String.format(
              "%-" + width + "s | %5d | %-7s | %18.2f%% | %12.2f%%",
              r.run(),
              r.round(),
              r.stage(),
              r.percentRemaining(),
              r.testAccuracy()));
    }
  }
}
