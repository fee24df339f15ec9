package cs4j.sparsity;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The method registry: a name → a method built from its hyperparameter record.
 *
 * <p>Names: {@code cs} (Continuous Sparsification ticket search), {@code cs-prune} (CS as a pruning
 * method), {@code imp} (iterative magnitude pruning with rewinding), {@code imp-continued} (without
 * rewinding), {@code magnitude} (one shot + fine-tune), {@code gmp} (gradual magnitude pruning),
 * {@code l0} (stochastic ℓ0, hard-concrete gates), {@code random} (random mask at a density) and
 * {@code dense} (no pruning, the reference accuracy).
 */
public final class Methods {
  private record Entry(Record defaults, Function<Record, PruningMethod> factory) {}

  private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

  static {
    put("cs", ContinuousSparsification.Config.defaults(), c -> new ContinuousSparsification(c));
    put("cs-prune", CsPruning.Config.defaults(), c -> new CsPruning(c));
    put("imp", Imp.Config.withRewinding(), c -> new Imp("imp", c));
    put("imp-continued", Imp.Config.continued(), c -> new Imp("imp-continued", c));
    put("magnitude", MagnitudePruning.Config.defaults(), c -> new MagnitudePruning(c));
    put("gmp", Gmp.Config.defaults(), c -> new Gmp(c));
    put("l0", L0.Config.defaults(), c -> new L0(c));
    put("random", RandomPruning.Config.defaults(), c -> new RandomPruning(c));
    put("dense", Dense.Config.defaults(), c -> new Dense(c));
  }

  private static <R extends Record> void put(
      String name, R defaults, Function<R, PruningMethod> factory) {
    @SuppressWarnings("unchecked")
    Function<Record, PruningMethod> f = r -> factory.apply((R) r);
    REGISTRY.put(name, new Entry(defaults, f));
  }

  private Methods() {}

  /** The registered names, in a stable order. */
  public static Set<String> names() {
    return REGISTRY.keySet();
  }

  /** The default hyperparameters of method {@code name}. */
  public static Record defaults(String name) {
    return entry(name).defaults();
  }

  /** Method {@code name} with its defaults. */
  public static PruningMethod create(String name) {
    return create(name, Map.of());
  }

  /**
   * Method {@code name} with defaults overridden by {@code overrides} (component name → text, e.g.
   * {@code "s0" → "-0.1"}). Unknown names, unknown keys and impossible values are refused with a
   * message that lists what is allowed.
   */
  public static PruningMethod create(String name, Map<String, String> overrides) {
    Entry e = entry(name);
    return e.factory().apply(Hyperparameters.override(e.defaults(), overrides));
  }

  /** Method {@code name} with a typed config (its class must be the method's config record). */
  public static PruningMethod create(String name, Record config) {
    Entry e = entry(name);
    if (config.getClass() != e.defaults().getClass()) {
      throw new IllegalArgumentException(
          "method '"
              + name
              + "' takes a "
              + e.defaults().getClass().getSimpleName()
              + ", got a "
              + config.getClass().getSimpleName());
    }
    return e.factory().apply(config);
  }

  private static Entry entry(String name) {
    Entry e = REGISTRY.get(name);
    if (e == null) {
      throw new IllegalArgumentException(
          "unknown method '" + name + "'; known methods: " + String.join(", ", names()));
    }
    return e;
  }
}
