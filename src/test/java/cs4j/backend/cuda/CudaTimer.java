package cs4j.backend.cuda;

import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventElapsedTime;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;

import java.util.Arrays;
import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;

/**
 * Times work on the backend's stream with CUDA events: warm-up, then several trials of a batch of
 * repetitions, and the median trial's time per repetition.
 */
final class CudaTimer implements AutoCloseable {
  private final CudaContext ctx;
  private final CUevent start = new CUevent();
  private final CUevent stop = new CUevent();

  CudaTimer(CudaContext ctx) {
    this.ctx = ctx;
    ctx.makeCurrent();
    cuEventCreate(start, CUevent_flags.CU_EVENT_DEFAULT);
    cuEventCreate(stop, CUevent_flags.CU_EVENT_DEFAULT);
  }

  /** Median over {@code trials} of the mean time of {@code reps} runs, in milliseconds. */
  double medianMillis(Runnable work, int reps, int trials) {
    for (int i = 0; i < Math.max(2, reps / 4); i++) {
      work.run();
    }
    double[] t = new double[trials];
    for (int trial = 0; trial < trials; trial++) {
      ctx.makeCurrent();
      cuEventRecord(start, ctx.stream());
      for (int i = 0; i < reps; i++) {
        work.run();
      }
      cuEventRecord(stop, ctx.stream());
      cuEventSynchronize(stop);
      float[] ms = new float[1];
      cuEventElapsedTime(ms, start, stop);
      t[trial] = ms[0] / reps;
    }
    Arrays.sort(t);
    return t[trials / 2];
  }

  @Override
  public void close() {
    cuEventDestroy(start);
    cuEventDestroy(stop);
  }
}
