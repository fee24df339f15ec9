package cs4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Reads finished runs and prints their table and draws accuracy against remaining weights. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Table and plot (PNG, SVG) of finished runs: test accuracy vs weights remaining.",
      "One series per run, labelled by the hyperparameters in which it differs from the others;"
          + " a dense run is a dashed reference line; rounds at chance or not a number are"
          + " listed and drawn as crosses on the bottom edge."
    })
final class ReportCommand implements Callable<Integer> {
  @Parameters(
      paramLabel = "DIR",
      arity = "0..*",
      description = "run directories, or directories of runs (default: runs)")
  List<Path> dirs;

  @Option(
      names = "--out",
      paramLabel = "FILE.png",
      description = "where the plot goes (default: report.png in the first DIR)")
  Path out;

  @Option(
      names = "--svg",
      negatable = true,
      defaultValue = "true",
      // without it picocli inverts a true default: --svg would mean false and --no-svg true
      fallbackValue = "true",
      description = "also write an SVG next to the PNG (default: on)")
  boolean svg;

  @Option(names = "--title", defaultValue = "Test accuracy vs weights remaining")
  String title;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    List<Path> roots = dirs == null || dirs.isEmpty() ? List.of(Path.of("runs")) : dirs;
    List<FinishedRun> runs = FinishedRun.find(roots);
    if (runs.stream().allMatch(r -> r.rounds().isEmpty())) {
      throw new BadInputException("no finished rounds in " + roots);
    }
    Path png = out != null ? out : roots.get(0).resolve("report.png");
    PathChecks.requireWritableFile(png, "--out");
    String name = png.getFileName().toString();
    Path svgFile =
        svg
            ? png.resolveSibling(
                (name.endsWith(".png") ? name.substring(0, name.length() - 4) : name) + ".svg")
            : null;
    PrintWriter w = spec.commandLine().getOut();
    Report.write(runs, title, png, svgFile, w);
    w.flush();
    return 0;
  }
}
