package cs4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Labels that tell runs apart, the same in {@code sweep}, {@code demo} and {@code report}: the
 * method's name, then {@code name=value} for each hyperparameter in which the run differs from the
 * others ({@code cs s0=-0.002 epochs=6}), values written by {@link ValueFormat}.
 *
 * <p>A run's method hyperparameters are compared with the runs of the same method only (another
 * method has other ones); its training hyperparameters and masked layers with all runs, so that
 * runs on different budgets, models or datasets say so. The method's hyperparameters come first,
 * each group in {@code hparams.json}'s (sorted) order. A training name that the method uses too
 * (the learning-rate decay {@code gamma} beside L0's {@code gamma}) is qualified by its group:
 * {@code training.gamma}. Runs whose hyperparameters are all the same (the same configuration in
 * two directories given to {@code report}) get their directory appended.
 */
final class RunLabels {
  /**
   * One run.
   *
   * @param identity what {@code hparams.json} holds, parsed: {@code {"method": NAME, "hparams":
   *     {"method": {...}, "training": {...}, "layers": ...}}}
   * @param dir its run directory
   */
  record Run(Map<String, Object> identity, Path dir) {
    String method() {
      return String.valueOf(identity.get("method"));
    }
  }

  private static final String METHOD_GROUP = "method";

  /** A hyperparameter: its group ({@code method}, {@code training}; "" for a top-level value). */
  private record Setting(String group, String name) {}

  private RunLabels() {}

  /** The label of each of {@code runs}, in order. */
  static List<String> of(List<Run> runs) {
    List<Map<Setting, Object>> settings = runs.stream().map(r -> settings(r.identity())).toList();
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      Run run = runs.get(i);
      Map<Setting, Object> own = settings.get(i);
      StringBuilder b = new StringBuilder(run.method());
      for (Map.Entry<Setting, Object> e : own.entrySet()) {
        Setting s = e.getKey();
        boolean differs = false;
        for (int j = 0; j < runs.size() && !differs; j++) {
          boolean compared =
              !s.group().equals(METHOD_GROUP) || runs.get(j).method().equals(run.method());
          differs =
              compared
                  && (!settings.get(j).containsKey(s)
                      || !Objects.equals(settings.get(j).get(s), e.getValue()));
        }
        if (differs) {
          b.append(' ')
              .append(displayName(s, own))
              .append('=')
              .append(ValueFormat.format(e.getValue()));
        }
      }
      labels.add(b.toString());
    }
    return withDirectoriesWhereEqual(labels, runs);
  }

  /** The run's hyperparameters, the method's first, then the other groups in file order. */
  private static Map<Setting, Object> settings(Map<String, Object> identity) {
    Map<Setting, Object> out = new LinkedHashMap<>();
    if (!(identity.get("hparams") instanceof Map<?, ?> groups)) {
      return out;
    }
    List<Object> order = new ArrayList<>();
    order.add(METHOD_GROUP);
    groups.keySet().stream().filter(k -> !k.equals(METHOD_GROUP)).forEach(order::add);
    for (Object group : order) {
      Object value = groups.get(group);
      if (value instanceof Map<?, ?> members) {
        members.forEach((k, v) -> out.put(new Setting(group.toString(), k.toString()), v));
      } else if (groups.containsKey(group)) {
        out.put(new Setting("", group.toString()), value);
      }
    }
    return out;
  }

  private static String displayName(Setting s, Map<Setting, Object> own) {
    long sameName = own.keySet().stream().filter(o -> o.name().equals(s.name())).count();
    boolean qualify = sameName > 1 && !s.group().isEmpty() && !s.group().equals(METHOD_GROUP);
    return qualify ? s.group() + "." + s.name() : s.name();
  }

  private static List<String> withDirectoriesWhereEqual(List<String> labels, List<Run> runs) {
    Map<String, Integer> counts = new HashMap<>();
    labels.forEach(l -> counts.merge(l, 1, Integer::sum));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < labels.size(); i++) {
      String l = labels.get(i);
      out.add(counts.get(l) > 1 ? l + " (" + runs.get(i).dir() + ")" : l);
    }
    return out;
  }
}
