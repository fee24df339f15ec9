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
   * Layers with at least this many channel vectors ({@link GemmKernel#nr()}) of output channels
   * take {@link ChannelVectorGradient} at any map size. Measured on 2026-11-28 (Zen 4, AVX-512,
   * batch 128, ms per call, pixel rows → channel vectors): 128-128-16 90 → 82, 64-128-32 stride 2
   * 57 → 51, 64-64-32 80 → 81, 32-32-16 5.9 → 5.5, and 16-16-32 5.4 → 12.5 (half of each channel
   * vector is padding there).
   */
  int WIDE_CHANNEL_VECTORS = 4;

  /**
   * Maps of at most this many output pixels take {@link ChannelVectorGradient} once the output
   * channels fill a vector. Measured on 2026-11-28 (Zen 4, AVX-512, batch 128, fastest of three
   * alternating runs, pixel rows → channel vectors): 16-32-32 stride 2 4.0–4.4 → 2.9–3.1 ms,
   * 32-32-16 4.6–4.8 → 4.5–4.6 ms.
   */
  int MID_MAP_PIXELS = 256;

  /**
   * The plan for a layer: vectors along output channels ({@link ChannelVectorGradient}) for small
   * maps ({@link CpuConv#SMALL_MAP_PIXELS}), where a dot product over one image's pixels is too
   * short to pay for {@link PixelRowGradient}'s lane reductions, for mid-sized maps ({@link
   * #MID_MAP_PIXELS}) whose output channels fill a vector, or for many output channels; along
   * pixels otherwise.
   */
  static WeightGradient plan(ConvGeometry g, int k, GemmKernel kernel) {
    boolean channels =
        g.p() * g.q() <= CpuConv.SMALL_MAP_PIXELS
            || (g.p() * g.q() <= MID_MAP_PIXELS && k >= kernel.nr())
            || k >= WIDE_CHANNEL_VECTORS * kernel.nr();
    return channels ? new ChannelVectorGradient(g, k, kernel) : new PixelRowGradient(g, k, kernel);
  }

  /** Images per group, from the layer alone (a cost model, not the thread count). */
  int groupSize();

  /** Floats of one group's partial, in the plan's own layout. */
  int partialSize();

  /**
   * out[outOff, outOff + partialSize()) = the weight gradient summed over images [lo, hi), in the
   * plan's layout (overwrites it).
   */
  void accumulate(float[] x, float[] dY, int lo, int hi, float[] out, int outOff);

  /**
   * dW [K, C·R·S] from a sum of partials in the plan's layout: once per layer, not per group, since
   * the layouts are transposes or tilings of dW whose copies cost as much as a group's flops.
   */
  void finish(float[] sum, float[] dW);
}
