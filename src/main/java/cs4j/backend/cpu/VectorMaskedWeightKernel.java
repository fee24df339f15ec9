package cs4j.backend.cpu;

import static cs4j.backend.cpu.FastSigmoid.EXPONENT_BIAS;
import static cs4j.backend.cpu.FastSigmoid.LN2_HI;
import static cs4j.backend.cpu.FastSigmoid.LN2_LO;
import static cs4j.backend.cpu.FastSigmoid.LOG2E;
import static cs4j.backend.cpu.FastSigmoid.P0;
import static cs4j.backend.cpu.FastSigmoid.P1;
import static cs4j.backend.cpu.FastSigmoid.P2;
import static cs4j.backend.cpu.FastSigmoid.P3;
import static cs4j.backend.cpu.FastSigmoid.P4;
import static cs4j.backend.cpu.FastSigmoid.P5;
import static cs4j.backend.cpu.FastSigmoid.ROUNDER;
import static cs4j.backend.cpu.FastSigmoid.SATURATION;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fused masked-weight kernels on {@link FloatVector}s of the preferred width: {@link
 * FastSigmoid}'s arithmetic lane-wise, operation for operation, so every element is bit-identical
 * to {@link ScalarMaskedWeightKernel}; the tail shorter than a vector runs through that class.
 *
 * <p>Why the Vector API: C2 in JDK 17 does not auto-vectorize the float↔int bit moves that build
 * 2^k, nor loop bodies this large, and a scalar exp costs more than the memory traffic.
 *
 * <p>NOTE: this class links against the incubator module jdk.incubator.vector; {@link
 * CpuMaskedWeight} loads it reflectively and only when the JVM was started with {@code
 * --add-modules jdk.incubator.vector}, so the library runs without the module.
 */
final class VectorMaskedWeightKernel implements MaskedWeightKernel {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  /**
   * The penalty is summed per lane in float over this many elements, then the lanes are added to a
   * double in lane order: each float partial sums at most BLOCK / lanes terms.
   */
  private static final int BLOCK = 512;

  private final ScalarMaskedWeightKernel tail = new ScalarMaskedWeightKernel();

  /** Refuses machines without at least 4 float lanes (SSE2, NEON and wider have them). */
  VectorMaskedWeightKernel() {
    if (SPECIES.length() < 4) {
      throw new UnsupportedOperationException(
          "VectorMaskedWeightKernel: preferred float vector has " + SPECIES.length() + " lanes");
    }
  }

  // NOTE: σ is computed inline in both loops below, on purpose. Vector values that cross a call
  // stay in registers only while C2 inlines the callee; once a helper (sigmoid, expNeg) had been
  // compiled on its own into a large method, C2 stopped inlining it ("already compiled into a big
  // method") and boxed every vector: after a few seconds the kernel ran 40–80× slower. The lines
  // marked "FastSigmoid" are FastSigmoid.expNeg and FastSigmoid.sigmoid, lane-wise.

  @Override
  public double forward(float[] w, float[] s, float beta, float c, float[] wEff, int lo, int hi) {
    int lanes = SPECIES.length();
    int end = lo + SPECIES.loopBound(hi - lo);
    float[] partial = new float[lanes];
    double total = 0;
    int i = lo;
    while (i < end) {
      int blockEnd = Math.min(end, i + BLOCK);
      FloatVector acc = FloatVector.zero(SPECIES);
      for (; i < blockEnd; i += lanes) {
        FloatVector x = FloatVector.fromArray(SPECIES, s, i).mul(beta);
        // FastSigmoid: e = exp(−x) (saturated lanes: u = 0, then e = 0 above), σ = 1/(1 + e).
        VectorMask<Float> above = x.compare(VectorOperators.GT, SATURATION);
        VectorMask<Float> below = x.compare(VectorOperators.LT, -SATURATION);
        FloatVector u = x.neg().blend(0f, above.or(below));
        FloatVector y = u.mul(LOG2E).add(ROUNDER);
        FloatVector k = y.sub(ROUNDER);
        FloatVector r = u.sub(k.mul(LN2_HI)).sub(k.mul(LN2_LO));
        FloatVector p = r.mul(P5).add(P4);
        p = p.mul(r).add(P3);
        p = p.mul(r).add(P2);
        p = p.mul(r).add(P1);
        p = p.mul(r).add(P0);
        p = p.mul(r.mul(r)).add(r).add(1f);
        FloatVector twoToK =
            y.reinterpretAsInts()
                .add(EXPONENT_BIAS)
                .lanewise(VectorOperators.LSHL, 23)
                .reinterpretAsFloats();
        FloatVector e = p.mul(twoToK).blend(0f, above);
        FloatVector sig = FloatVector.broadcast(SPECIES, 1f).div(e.add(1f)).blend(0f, below);
        FloatVector m = sig.mul(c);
        FloatVector.fromArray(SPECIES, w, i).mul(m).intoArray(wEff, i);
        acc = acc.add(m);
      }
      acc.intoArray(partial, 0);
      for (float q : partial) {
        total += q;
      }
    }
    return total + tail.forward(w, s, beta, c, wEff, end, hi);
  }

  @Override
  public void backward(
      float[] w,
      float[] s,
      float[] g,
      float lambdaP,
      float beta,
      float c,
      float[] dW,
      float[] dS,
      int lo,
      int hi) {
    float cb = c * beta;
    int end = lo + SPECIES.loopBound(hi - lo);
    for (int i = lo; i < end; i += SPECIES.length()) {
      FloatVector x = FloatVector.fromArray(SPECIES, s, i).mul(beta);
      // FastSigmoid: e = exp(−x) (saturated lanes: u = 0, then e = 0 above), σ = 1/(1 + e).
      VectorMask<Float> above = x.compare(VectorOperators.GT, SATURATION);
      VectorMask<Float> below = x.compare(VectorOperators.LT, -SATURATION);
      FloatVector u = x.neg().blend(0f, above.or(below));
      FloatVector y = u.mul(LOG2E).add(ROUNDER);
      FloatVector k = y.sub(ROUNDER);
      FloatVector r = u.sub(k.mul(LN2_HI)).sub(k.mul(LN2_LO));
      FloatVector p = r.mul(P5).add(P4);
      p = p.mul(r).add(P3);
      p = p.mul(r).add(P2);
      p = p.mul(r).add(P1);
      p = p.mul(r).add(P0);
      p = p.mul(r.mul(r)).add(r).add(1f);
      FloatVector twoToK =
          y.reinterpretAsInts()
              .add(EXPONENT_BIAS)
              .lanewise(VectorOperators.LSHL, 23)
              .reinterpretAsFloats();
      FloatVector e = p.mul(twoToK).blend(0f, above);
      FloatVector sig = FloatVector.broadcast(SPECIES, 1f).div(e.add(1f)).blend(0f, below);
      FloatVector slope = e.mul(sig).mul(sig);
      FloatVector gv = FloatVector.fromArray(SPECIES, g, i);
      FloatVector wv = FloatVector.fromArray(SPECIES, w, i);
      gv.mul(sig.mul(c)).intoArray(dW, i);
      gv.mul(wv).add(lambdaP).mul(slope.mul(cb)).intoArray(dS, i);
    }
    tail.backward(w, s, g, lambdaP, beta, c, dW, dS, end, hi);
  }

  @Override
  public String name() {
    return "vector(" + SPECIES.vectorBitSize() + "-bit)";
  }
}
