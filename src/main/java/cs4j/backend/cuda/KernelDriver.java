package cs4j.backend.cuda;

import jcuda.Pointer;

/**
 * Where checked kernel launches go: {@link NativeKernels} on a GPU; a recorder in the tests that
 * run every primitive's launches against the PTX signatures on machines without one.
 */
interface KernelDriver {
  /** Launches {@code kernel} of {@code module} with 1-D blocks of {@code block} threads. */
  void launch(String module, String kernel, int gx, int gy, int gz, int block, Pointer[] params);
}
