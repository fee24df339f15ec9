package cs4j.cli;

import cs4j.sparsity.Hyperparameters;
import cs4j.sparsity.Methods;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * One flag per hyperparameter of a pruning method, made from the components of its config record
 * ({@link Methods#defaults}): component {@code betaFinal} becomes {@code --beta-final}. The flags
 * therefore follow the methods as they change, and every field can be overridden. The text of a
 * flag is parsed, and checked, by the method's record ({@link Hyperparameters#override}). A name
 * already taken by a command flag gets the method's prefix ({@code --random-seed}).
 */
final class MethodFlags {
  private final Map<String, String> componentByFlag = new LinkedHashMap<>();
  private final Map<String, List<String>> methodsByFlag = new LinkedHashMap<>();

  /** Adds to {@code spec} a flag for each hyperparameter of each of {@code methods}. */
  static MethodFlags install(CommandSpec spec, List<String> methods, boolean lists) {
    MethodFlags flags = new MethodFlags();
    Map<String, Class<?>> types = new LinkedHashMap<>();
    Map<String, List<String>> defaults = new LinkedHashMap<>();
    for (String method : methods) {
      Record config = Methods.defaults(method);
      Map<String, Object> values = Hyperparameters.toMap(config);
      for (RecordComponent c : config.getClass().getRecordComponents()) {
        String flag = "--" + kebab(c.getName());
        if (spec.findOption(flag) != null) {
          flag = "--" + method + "-" + kebab(c.getName()); // e.g. l0's gamma vs the LR's --gamma
        }
        flags.componentByFlag.put(flag, c.getName());
        flags.methodsByFlag.computeIfAbsent(flag, f -> new ArrayList<>()).add(method);
        types.put(flag, c.getType());
        String byModel = ModelDefaults.modelDefaultsOf(method, c.getName());
        defaults
            .computeIfAbsent(flag, f -> new ArrayList<>())
            .add(
                method
                    + " "
                    + shown(c, values.get(c.getName()))
                    + (byModel.isEmpty() ? "" : " (" + byModel + ")"));
      }
    }
    for (Map.Entry<String, String> e : flags.componentByFlag.entrySet()) {
      String flag = e.getKey();
      spec.addOption(
          OptionSpec.builder(flag)
              .type(String.class)
              .paramLabel(lists ? "V[,V...]" : label(types.get(flag)))
              .description(
                  e.getValue()
                      + " (default: "
                      + String.join(", ", defaults.get(flag))
                      + ")"
                      + (lists ? "; a comma-separated list sweeps it" : ""))
              .build());
    }
    return flags;
  }

  /**
   * The given flags of {@code method} as component name → text; a given flag that belongs to
   * another method is refused.
   */
  Map<String, String> given(ParseResult parsed, String method) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : componentByFlag.entrySet()) {
      String flag = e.getKey();
      if (!parsed.hasMatchedOption(flag)) {
        continue;
      }
      if (!methodsByFlag.get(flag).contains(method)) {
        throw new BadInputException(
            flag
                + " is not a hyperparameter of method '"
                + method
                + "' (it belongs to "
                + String.join(", ", methodsByFlag.get(flag))
                + ")");
      }
      out.put(e.getValue(), parsed.matchedOptionValue(flag, ""));
    }
    return out;
  }

  static String kebab(String camel) {
    StringBuilder b = new StringBuilder();
    for (char ch : camel.toCharArray()) {
      if (Character.isUpperCase(ch)) {
        b.append('-').append(Character.toLowerCase(ch));
      } else {
        b.append(ch);
      }
    }
    return b.toString();
  }

  private static String label(Class<?> type) {
    if (type.isEnum()) {
      List<String> names = new ArrayList<>();
      for (Object k : type.getEnumConstants()) {
        names.add(((Enum<?>) k).name().toLowerCase(Locale.ROOT).replace('_', '-'));
      }
      return String.join("|", names);
    }
    return type == boolean.class ? "true|false" : type.getSimpleName().toUpperCase(Locale.ROOT);
  }

  private static String shown(RecordComponent c, Object value) {
    return value instanceof String str && c.getType().isEnum()
        ? str.toLowerCase(Locale.ROOT).replace('_', '-')
        : ValueFormat.format(value);
  }
}
