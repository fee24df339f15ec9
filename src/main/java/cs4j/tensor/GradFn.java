package cs4j.tensor;

/**
 * The operation that produced a tensor, as recorded by autograd. Opaque here: the tensor package
 * only carries the link, so that it does not depend on {@code cs4j.autograd}.
 */
public interface GradFn {}
