package cs4j.sparsity;

import java.io.IOException;
import java.util.List;

/**
 * One-shot magnitude pruning: train dense (round 0), keep the largest-|w| fraction of the masked
 * weights, fine-tune (round 1).
 */
public final class MagnitudePruning implements PruningMethod {
  /**
   * @param fractionRemaining density kept after pruning, in (0, 1]
   * @param scope global or per-layer ranking
   * @param fineTuneEpochs epochs of fine-tuning after pruning (0: none)
   */
  public record Config(double fractionRemaining, PruneScope scope, int fineTuneEpochs) {
    public Config {
      Require.density("magnitude", "fractionRemaining", fractionRemaining);
      Require.atLeast("magnitude", "fineTuneEpochs", fineTuneEpochs, 0);
      if (scope == null) {
        throw new IllegalArgumentException("magnitude: scope is required");
      }
    }

    public static Config defaults() {
      return new Config(0.1, PruneScope.GLOBAL, 10);
    }
  }

  private final Config config;

  public MagnitudePruning(Config config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "magnitude";
  }

  @Override
  public Config config() {
    return config;
  }

  @Override
  public List<RoundResult> run(ExperimentContext ctx, RoundListener listener) throws IOException {
    throw new UnsupportedOperationException("magnitude: not implemented yet");
  }
}
