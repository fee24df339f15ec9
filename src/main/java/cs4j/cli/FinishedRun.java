package cs4j.cli;

import cs4j.io.Json;
import cs4j.sparsity.RoundResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A run directory as {@code report} reads it: the hyperparameters from {@code hparams.json} and the
 * results of the rounds finished so far ({@code round<k>/result.json}), in round order.
 *
 * @param hparams the parsed {@code hparams.json}: {@code method} and {@code hparams}
 */
record FinishedRun(Path dir, String method, Map<String, Object> hparams, List<RoundResult> rounds) {
  private static final Pattern ROUND = Pattern.compile("round(\\d+)");
  static final String RESULT = "result.json";

  /** Reads the run in {@code dir}, which holds a {@code hparams.json}. */
  static FinishedRun read(Path dir) {
    Path file = dir.resolve(RunDirectory.HPARAMS);
    try {
      Map<String, Object> hp = asMap(Json.parse(Files.readString(file)), file);
      List<Path> roundDirs = new ArrayList<>();
      try (Stream<Path> children = Files.list(dir)) {
        children
            .filter(p -> ROUND.matcher(p.getFileName().toString()).matches())
            .filter(p -> Files.isRegularFile(p.resolve(RESULT)))
            .forEach(roundDirs::add);
      }
      roundDirs.sort(Comparator.comparingInt(FinishedRun::roundNumber));
      List<RoundResult> rounds = new ArrayList<>();
      for (Path r : roundDirs) {
        Path result = r.resolve(RESULT);
        rounds.add(RoundResult.fromMap(asMap(Json.parse(Files.readString(result)), result)));
      }
      return new FinishedRun(dir, String.valueOf(hp.get("method")), hp, rounds);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read run " + dir, e);
    } catch (RuntimeException e) {
      throw new BadInputException("run " + dir + " is not readable: " + e.getMessage(), e);
    }
  }

  /**
   * The runs named by {@code paths}: each path is a run directory, or a directory whose
   * subdirectories are runs (such as {@code runs/}); sorted by path.
   */
  static List<FinishedRun> find(List<Path> paths) {
    List<FinishedRun> runs = new ArrayList<>();
    for (Path p : paths) {
      if (!Files.isDirectory(p)) {
        throw new BadInputException("no such directory: " + p);
      }
      if (Files.isRegularFile(p.resolve(RunDirectory.HPARAMS))) {
        runs.add(read(p));
        continue;
      }
      try (Stream<Path> children = Files.list(p)) {
        children
            .filter(c -> Files.isRegularFile(c.resolve(RunDirectory.HPARAMS)))
            .sorted()
            .forEach(c -> runs.add(read(c)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + p, e);
      }
    }
    return runs;
  }

  /** The training hyperparameters ({@code hparams.training}); empty when the file has none. */
  @SuppressWarnings("unchecked")
  Map<String, Object> training() {
    if (hparams.get("hparams") instanceof Map<?, ?> hp
        && hp.get("training") instanceof Map<?, ?> training) {
      return (Map<String, Object>) training;
    }
    return Map.of();
  }

  /**
   * The class count of the run's data: as recorded ({@code runtime.data.classes}), else as fixed by
   * its dataset's name; empty when neither tells.
   */
  OptionalInt classes() {
    if (hparams.get(RunDirectory.RUNTIME) instanceof Map<?, ?> runtime
        && runtime.get("data") instanceof Map<?, ?> data
        && data.get("classes") instanceof Number n) {
      return OptionalInt.of(n.intValue());
    }
    return FailedRound.classes(String.valueOf(training().get("dataset")));
  }

  private static int roundNumber(Path roundDir) {
    Matcher m = ROUND.matcher(roundDir.getFileName().toString());
    return m.matches() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object json, Path file) {
    if (!(json instanceof Map<?, ?>)) {
      throw new BadInputException(file + ": expected a JSON object");
    }
    return (Map<String, Object>) json;
  }
}
