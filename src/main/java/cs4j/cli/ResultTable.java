package cs4j.cli;

import cs4j.sparsity.RoundResult;
import java.io.PrintWriter;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The results of finished rounds as a plain-text table: one row per round, the warning of every
 * round that failed (its training diverged, or it tests near chance: {@link RoundResult#warning})
 * under the table, then a line per run that failed. Rows and failures are {@link Serializable}: a
 * Spark task sends them to the driver.
 */
final class ResultTable {
  private ResultTable() {}

  /**
   * One round of one run.
   *
   * @param percentRemaining weights remaining in the masked layers, in percent
   * @param testAccuracy top-1 test accuracy, in percent
   * @param epochsSoFar training epochs the run had spent when this round ended (its cost)
   * @param warning why the round failed, or null
   */
  record Row(
      String run,
      int round,
      String stage,
      double percentRemaining,
      double testAccuracy,
      int epochsSoFar,
      String warning)
      implements Serializable {
    /** This row with {@code warning} (null: none) in place of its own. */
    Row withWarning(String warning) {
      return new Row(run, round, stage, percentRemaining, testAccuracy, epochsSoFar, warning);
    }
  }

  /** A run that ended with {@code error} instead of results. */
  record Failure(String run, String error) implements Serializable {}

  /** The rows of one run's rounds, in order, labelled {@code run}. */
  static List<Row> rows(String run, List<RoundResult> rounds) {
    List<Row> rows = new ArrayList<>();
    int epochs = 0;
    for (RoundResult r : rounds) {
      epochs += r.epochs();
      rows.add(
          new Row(
              run,
              r.round(),
              r.stage(),
              100 * r.fractionRemaining(),
              100 * r.testAccuracy(),
              epochs,
              r.warning()));
    }
    return rows;
  }

  /** The table of {@code rows}, then a line for each of {@code failures}. */
  static void print(List<Row> rows, List<Failure> failures, PrintWriter out) {
    print(rows, out);
    for (Failure f : failures) {
      out.println(f.run() + " | failed: " + f.error());
    }
  }

  static void print(List<Row> rows, PrintWriter out) {
    int width = "method".length();
    for (Row r : rows) {
      width = Math.max(width, r.run().length());
    }
    String header =
        String.format(
            "%-" + width + "s | %5s | %-7s | %19s | %13s | %6s",
            "method",
            "round",
            "stage",
            "% weights remaining",
            "test accuracy",
            "epochs");
    out.println(header);
    out.println("-".repeat(header.length()));
    List<String> warnings = new ArrayList<>();
    for (Row r : rows) {
      out.println(
          String.format(
              "%-" + width + "s | %5d | %-7s | %18.2f%% | %12.2f%% | %6d%s",
              r.run(),
              r.round(),
              r.stage(),
              r.percentRemaining(),
              r.testAccuracy(),
              r.epochsSoFar(),
              r.warning() == null ? "" : "  FAILED, see below"));
      if (r.warning() != null) {
        warnings.add(r.run() + ": round " + r.round() + " (" + r.stage() + "): " + r.warning());
      }
    }
    if (!warnings.isEmpty()) {
      out.println();
      out.println("failed rounds:");
      warnings.forEach(w -> out.println("  " + w));
    }
  }
}
