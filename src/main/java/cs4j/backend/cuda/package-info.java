/**
 * The CUDA backend: cs4j's own kernels (kernels/*.cu, shipped as PTX in the jar) launched through
 * the JCuda driver API, with cuBLAS for GEMM where a CUDA 12 cuBLAS can be loaded.
 *
 * <p>Entry point: {@link cs4j.backend.cuda.Cuda#device()} (or {@link
 * cs4j.backend.cuda.Cuda#probe()} to ask first). All work goes to one stream in issue order; the
 * host waits only when it reads data back ({@link cs4j.tensor.Tensor#toArray()}, {@code item()}),
 * so a training step syncs once, when its loss is read.
 *
 * <p>Device memory is owned, not collected. Tensors allocated while a {@link
 * cs4j.backend.cuda.CudaScope} is open belong to it and return to the caching allocator when it
 * closes; tensors allocated outside any scope (parameters, buffers, momentum) live until released
 * explicitly. Nothing outside this package imports JCuda.
 */
package cs4j.backend.cuda;
