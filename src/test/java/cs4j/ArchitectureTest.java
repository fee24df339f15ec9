package cs4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The arrows of the house, read from the imports of every main source file: {@code cli → sparsity →
 * train → {optim, models} → nn → ops → autograd → backend → tensor}, with {@code data} and {@code
 * io} beside {@code backend}, used from above; {@code cli → cluster}, which depends on no other
 * package of ours. Also: only {@code backend.cuda} imports JCuda, only {@code cluster} imports
 * Spark (or Scala), and nothing outside {@code backend} names a concrete backend ({@code
 * backend.cpu}, {@code backend.cuda}): devices are picked by name through {@code backend.Devices}.
 */
class ArchitectureTest {
  private static final Path MAIN = Path.of("src/main/java/cs4j");
  private static final Pattern IMPORT =
      Pattern.compile(
          "^import (?:static )?(?:(cs4j\\.[a-z.]+?)\\.[A-Z]|(jcuda|org\\.apache\\.spark|scala)\\.)",
          Pattern.MULTILINE);

  /**
   * The arrows as DESIGN draws them: each package and the packages directly below it. A package may
   * import anything reachable along them.
   */
  private static final Map<String, Set<String>> ARROWS =
      Map.ofEntries(
          Map.entry("cli", Set.of("sparsity", "cluster")),
          Map.entry("cluster", Set.of()),
          Map.entry("sparsity", Set.of("train")),
          Map.entry("train", Set.of("optim", "models", "data", "io")),
          Map.entry("optim", Set.of("nn")),
          Map.entry("models", Set.of("nn")),
          Map.entry("nn", Set.of("ops")),
          Map.entry("ops", Set.of("autograd")),
          Map.entry("autograd", Set.of("backend")),
          Map.entry("backend", Set.of("tensor")),
          Map.entry("data", Set.of("tensor")),
          Map.entry("io", Set.of("tensor")),
          Map.entry("tensor", Set.of()));

  /** The packages reachable from {@code pkg} along the arrows. */
  private static Set<String> below(String pkg) {
    Set<String> out = new java.util.TreeSet<>();
    java.util.Deque<String> todo = new java.util.ArrayDeque<>(ARROWS.get(pkg));
    while (!todo.isEmpty()) {
      String next = todo.pop();
      if (out.add(next)) {
        todo.addAll(ARROWS.get(next));
      }
    }
    return out;
  }

  @Test
  void importsFollowTheArrows() throws IOException {
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        String pkg = MAIN.relativize(f).getName(0).toString();
        String sub = MAIN.relativize(f.getParent()).toString().replace('/', '.');
        Matcher m = IMPORT.matcher(Files.readString(f));
        while (m.find()) {
          String target = m.group(1) != null ? m.group(1) : m.group(2);
          String why = violation(pkg, sub, target);
          if (why != null) {
            violations.add(MAIN.relativize(f) + " imports " + target + ": " + why);
          }
        }
      }
    }
    assertEquals(List.of(), violations);
  }

  /** Why {@code target} may not be imported from package {@code pkg} (subpackage sub), or null. */
  private static String violation(String pkg, String sub, String target) {
    if (target.equals("jcuda")) {
      return sub.equals("backend.cuda") ? null : "only backend.cuda uses JCuda";
    }
    if (target.equals("org.apache.spark") || target.equals("scala")) {
      return pkg.equals("cluster") ? null : "only cluster uses Spark";
    }
    String[] parts = target.split("\\.");
    String top = parts[1];
    if (top.equals(pkg)) {
      return null;
    }
    if (!below(pkg).contains(top)) {
      return pkg + " may not depend on " + top;
    }
    if (top.equals("backend") && parts.length > 2) {
      return "a concrete backend outside backend/ (pick devices through backend.Devices)";
    }
    return null;
  }
}
