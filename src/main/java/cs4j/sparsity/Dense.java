package cs4j.sparsity;

import java.io.IOException;
import java.util.List;

/** No pruning: one dense training run, the accuracy every method is compared with. */
public final class Dense implements PruningMethod {
  /** No hyperparameters. */
  public record Config() {
    public static Config defaults() {
      return new Config();
    }
  }

  private final Config config;

  public Dense(Config config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "dense";
  }

  @Override
  public Config config() {
    return config;
  }

  @Override
  public List<RoundResult> run(ExperimentContext ctx, RoundListener listener) throws IOException {
    throw new UnsupportedOperationException("dense: not implemented yet");
  }
}
