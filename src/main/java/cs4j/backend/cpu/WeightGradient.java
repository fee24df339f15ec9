package cs4j.backend.cpu;

import cs4j.backend.ConvGeometry;

/**
 * How one convolution layer computes its weight gradient dW [K, C·R·S] = Σ_n dY_n [K, P·Q] · col_nᵀ
 * [P·Q, C·R·S] over a group of images. {@link CpuConv#backwardWeight} cuts the batch into groups of
 * {@link #groupSize()} images and adds the groups' partials in order, so the result depends on the
 * layer and the plan chosen for it, never on the thread count.
 */
interface WeightGradient {
  /**
   * Output maps of at most this many pixels take {@link ChannelVectorGradient}: there a dot product
   * over one image's pixels is too short to pay for {@link PixelRowGradient}'s lane reductions.
   */
  int SMALL_MAP_PIXELS = 64;

  /** The plan for a layer: vectors along output channels for small maps, along pixels otherwise. */
  static WeightGradient plan(ConvGeometry g, int k, GemmKernel kernel) {
    return g.p() * g.q() <= SMALL_MAP_PIXELS
        ? new ChannelVectorGradient(g, k, kernel)
        : new PixelRowGradient(g, k, kernel);
  }

  /** Images per group, from the layer alone (a cost model, not the thread count). */
  int groupSize();

  /**
   * out[outOff ..] [K, C·R·S] = the weight gradient summed over images [lo, hi) (overwrites it).
   */
  void accumulate(float[] x, float[] dY, int lo, int hi, float[] out, int outOff);
}
