package cs4j.sparsity;

/** Where magnitude pruning ranks weights: across all masked layers, or within each layer. */
public enum PruneScope {
  /** One threshold over every masked layer (IMP's default, Frankle et al.). */
  GLOBAL,
  /** Each layer loses the same fraction of its own remaining weights. */
  LAYERWISE
}
