package cs4j.cli;

import cs4j.sparsity.RoundResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tables and plots of finished runs. Rounds of runs with the same method, model and dataset form
 * one curve (so the runs of a sweep draw one accuracy–sparsity curve); CS search rounds (the hard
 * mask on the search weights, before retraining) are listed in the table but not plotted, since the
 * ticket is what a search produces.
 */
final class Report {
  static final String SEARCH_STAGE = "search";

  private Report() {}

  /** Prints the table of every finished round of {@code runs}. */
  static void table(List<FinishedRun> runs, PrintWriter out) {
    List<ResultTable.Row> rows = new ArrayList<>();
    for (FinishedRun run : runs) {
      rows.addAll(ResultTable.rows(runLabel(run, runs), run.rounds()));
    }
    ResultTable.print(rows, out);
  }

  /** The curves of {@code runs} (see the class comment). */
  static List<AccuracyChart.Curve> curves(List<FinishedRun> runs) {
    Map<String, List<double[]>> byLabel = new LinkedHashMap<>();
    for (FinishedRun run : runs) {
      List<double[]> pts = byLabel.computeIfAbsent(curveLabel(run, runs), k -> new ArrayList<>());
      for (RoundResult r : run.rounds()) {
        if (!r.stage().equals(SEARCH_STAGE)) {
          pts.add(new double[] {100 * r.fractionRemaining(), 100 * r.testAccuracy()});
        }
      }
    }
    List<AccuracyChart.Curve> curves = new ArrayList<>();
    byLabel.forEach(
        (label, pts) -> {
          pts.sort(Comparator.comparingDouble(p -> p[0]));
          curves.add(new AccuracyChart.Curve(label, pts));
        });
    return curves;
  }

  /** Table to {@code out}, chart to {@code png} (and {@code svg} unless null). */
  static void write(List<FinishedRun> runs, String title, Path png, Path svg, PrintWriter out)
      throws IOException {
    table(runs, out);
    AccuracyChart.write(AccuracyChart.draw(title, curves(runs)), png, svg);
    out.println();
    out.println("plot: " + png + (svg == null ? "" : " and " + svg));
  }

  /** The method, plus model and dataset when the runs differ in them. */
  private static String curveLabel(FinishedRun run, List<FinishedRun> all) {
    StringBuilder b = new StringBuilder(run.method());
    for (String key : List.of("model", "dataset")) {
      String v = trainingValue(run, key);
      if (all.stream().anyMatch(o -> !v.equals(trainingValue(o, key)))) {
        b.append(' ').append(v);
      }
    }
    return b.toString();
  }

  /** The curve label plus the method hyperparameters in which the run differs from the others. */
  private static String runLabel(FinishedRun run, List<FinishedRun> all) {
    StringBuilder b = new StringBuilder(curveLabel(run, all));
    Map<String, Object> own = methodHparams(run);
    for (Map.Entry<String, Object> e : own.entrySet()) {
      boolean differs =
          all.stream()
              .filter(o -> o.method().equals(run.method()))
              .anyMatch(
                  o ->
                      !String.valueOf(methodHparams(o).get(e.getKey()))
                          .equals(String.valueOf(e.getValue())));
      if (differs) {
        b.append(' ').append(e.getKey()).append('=').append(e.getValue());
      }
    }
    return b.toString();
  }

  private static String trainingValue(FinishedRun run, String key) {
    Object training = section(run, "training").get(key);
    return String.valueOf(training);
  }

  private static Map<String, Object> methodHparams(FinishedRun run) {
    return section(run, "method");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> section(FinishedRun run, String name) {
    Object hp = run.hparams().get("hparams");
    if (hp instanceof Map<?, ?> m && m.get(name) instanceof Map<?, ?> s) {
      return (Map<String, Object>) s;
    }
    return Map.of();
  }
}
