package cs4j.cli;

import cs4j.sparsity.RoundResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.knowm.xchart.XYChart;

/**
 * Tables and plots of finished runs, each run labelled by {@link RunLabels}, in order of method,
 * then label.
 *
 * <ul>
 *   <li>Every run (run directory) is its own series: runs of one method with other settings (s0, λ,
 *       rounds, epochs, …) are other configurations, not points of one curve.
 *   <li>A {@code dense} run is drawn as a horizontal reference line at its accuracy.
 *   <li>CS search rounds (the hard mask on the search weights, before retraining) are listed in the
 *       table but not plotted, since the ticket is what a search produces.
 *   <li>Rounds that failed ({@link FailedRound}) are flagged in the table and listed under it once,
 *       with their directories, and marked on the plot, not joined to the run's other points.
 * </ul>
 */
final class Report {
  static final String SEARCH_STAGE = "search";
  static final String DENSE_METHOD = "dense";

  /**
   * What the plot shows, and the runs it cannot show.
   *
   * @param unplotted one line per run that has no round to plot yet
   */
  record Plot(
      List<AccuracyChart.Series> series,
      List<AccuracyChart.Reference> references,
      List<String> unplotted) {
    /** Whether some series has failed rounds, drawn as crosses. */
    boolean hasFailures() {
      return series.stream().anyMatch(s -> !s.failed().isEmpty());
    }
  }

  private Report() {}

  /**
   * Prints the table of every finished round of {@code runs}; a failed round ({@link FailedRound},
   * which also recognises results written before warnings were recorded) is flagged, and listed
   * under the table with its directory.
   */
  static void table(List<FinishedRun> runs, PrintWriter out) {
    List<ResultTable.Row> rows = new ArrayList<>();
    for (Labelled l : labelled(runs)) {
      FinishedRun run = l.run();
      List<ResultTable.Row> runRows = ResultTable.rows(l.label(), run.rounds());
      for (int i = 0; i < runRows.size(); i++) {
        RoundResult r = run.rounds().get(i);
        String why =
            FailedRound.why(r, run.classes())
                .map(w -> w + " (" + run.dir().resolve("round" + r.round()) + ")")
                .orElse(null);
        rows.add(runRows.get(i).withWarning(why));
      }
    }
    ResultTable.print(rows, out);
  }

  /** The series, references and notes of {@code runs} (see the class comment). */
  static Plot plot(List<FinishedRun> runs) {
    List<AccuracyChart.Series> series = new ArrayList<>();
    List<AccuracyChart.Reference> references = new ArrayList<>();
    List<String> unplotted = new ArrayList<>();
    for (Labelled l : labelled(runs)) {
      FinishedRun run = l.run();
      String label = l.label();
      List<double[]> points = new ArrayList<>();
      List<Double> failed = new ArrayList<>();
      for (RoundResult r : run.rounds()) {
        if (r.stage().equals(SEARCH_STAGE)) {
          continue;
        }
        if (FailedRound.why(r, run.classes()).isPresent()) {
          failed.add(100 * r.fractionRemaining());
        } else {
          points.add(new double[] {100 * r.fractionRemaining(), 100 * r.testAccuracy()});
        }
      }
      if (points.isEmpty() && failed.isEmpty()) {
        unplotted.add(label + " (" + run.dir() + ")");
      } else if (run.method().equals(DENSE_METHOD) && failed.isEmpty()) {
        double accuracy = points.get(points.size() - 1)[1];
        references.add(new AccuracyChart.Reference(label, run.method(), accuracy));
      } else {
        points.sort(Comparator.comparingDouble(p -> p[0]));
        series.add(new AccuracyChart.Series(label, run.method(), points, failed));
      }
    }
    return new Plot(series, references, unplotted);
  }

  /** The chart of {@code plot}, titled {@code title}. */
  static XYChart chart(String title, Plot plot) {
    return AccuracyChart.draw(title, plot.series(), plot.references());
  }

  /** Table and notes to {@code out}, chart to {@code png} (and {@code svg} unless null). */
  static void write(List<FinishedRun> runs, String title, Path png, Path svg, PrintWriter out)
      throws IOException {
    table(runs, out);
    Plot plot = plot(runs);
    if (plot.hasFailures()) {
      out.println("(on the plot: crosses on the bottom edge, not joined to their run)");
    }
    if (!plot.unplotted().isEmpty()) {
      out.println();
      out.println("not plotted (no finished dense, ticket or pruned round yet):");
      plot.unplotted().forEach(l -> out.println("  " + l));
    }
    AccuracyChart.write(chart(title, plot), png, svg);
    out.println();
    out.println("plot: " + png + (svg == null ? "" : " and " + svg));
  }

  private record Labelled(FinishedRun run, String label) {}

  /** {@code runs} with their labels, ordered by method, then label. */
  private static List<Labelled> labelled(List<FinishedRun> runs) {
    List<String> labels =
        RunLabels.of(runs.stream().map(r -> new RunLabels.Run(r.hparams(), r.dir())).toList());
    List<Labelled> out = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      out.add(new Labelled(runs.get(i), labels.get(i)));
    }
    out.sort(Comparator.comparing((Labelled l) -> l.run().method()).thenComparing(Labelled::label));
    return out;
  }
}
