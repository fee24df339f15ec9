package cs4j.sparsity;

import java.io.IOException;
import java.util.List;

/**
 * Iterative magnitude pruning (Frankle et al.): round 0 trains the dense network; each later round
 * removes {@code pruneRate} of the remaining weights with the smallest |w| (globally or per layer)
 * from the previous round's trained weights, then trains again, either from the weights rewound to
 * the snapshot taken at {@code rewindEpoch} of round 0 ({@code imp}) or from the trained weights
 * ({@code imp-continued}). After n rounds the density is (1 − pruneRate)ⁿ, up to rounding.
 */
public final class Imp implements PruningMethod {
  /**
   * @param rounds training runs, the dense one included (>= 1)
   * @param pruneRate fraction of the remaining weights removed per round, in (0, 1)
   * @param scope global or per-layer ranking
   * @param rewind rewind survivors to the round-0 snapshot (true) or keep trained values
   * @param rewindEpoch epoch of round 0 whose starting weights are the rewind point
   */
  public record Config(
      int rounds, double pruneRate, PruneScope scope, boolean rewind, int rewindEpoch) {
    public Config {
      Require.atLeast("imp", "rounds", rounds, 1);
      Require.openUnit("imp", "pruneRate", pruneRate);
      Require.atLeast("imp", "rewindEpoch", rewindEpoch, 0);
      if (scope == null) {
        throw new IllegalArgumentException("imp: scope is required");
      }
    }

    /** 10 rounds of 20 % global pruning, rewinding to epoch 2. */
    public static Config withRewinding() {
      return new Config(10, 0.2, PruneScope.GLOBAL, true, 2);
    }

    /** As {@link #withRewinding()} but the survivors keep their trained values. */
    public static Config continued() {
      return new Config(10, 0.2, PruneScope.GLOBAL, false, 0);
    }
  }

  private final String name;
  private final Config config;

  public Imp(String name, Config config) {
    this.name = name;
    this.config = config;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Config config() {
    return config;
  }

  @Override
  public List<RoundResult> run(ExperimentContext ctx, RoundListener listener) throws IOException {
    throw new UnsupportedOperationException(name + ": not implemented yet");
  }
}
