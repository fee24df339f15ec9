package cs4j.ops;

import cs4j.tensor.Tensor;

/**
 * The two outputs of {@link Ops#maskedWeight}: the effective weight {@code w ⊙ c·σ(β·s)} (shape of
 * w) and the scalar penalty {@code λ·Σ c·σ(β·s)}.
 */
public record MaskedWeight(Tensor weight, Tensor penalty) {}
