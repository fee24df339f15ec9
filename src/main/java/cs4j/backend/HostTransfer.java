package cs4j.backend;

import cs4j.tensor.Device;
import cs4j.tensor.Tensor;
import java.util.List;

/**
 * Downloads several tensors of one device with a single host sync: on a device other than the CPU
 * they are packed into one buffer with {@link Backend#copySlice} (no sync) and that buffer is read
 * once. A training step reads its loss, its cross-entropy and its hit count this way; a pruning
 * step all the magnitudes it ranks.
 */
public final class HostTransfer {
  private HostTransfer() {}

  /** The values of each tensor, in order; all tensors must live on one device. */
  public static float[][] download(List<Tensor> tensors) {
    float[][] out = new float[tensors.size()][];
    if (tensors.isEmpty()) {
      return out;
    }
    Device device = tensors.get(0).device();
    long total = 0;
    for (Tensor t : tensors) {
      if (t.device() != device) {
        throw new IllegalArgumentException(
            "HostTransfer.download: tensors on " + device + " and " + t.device());
      }
      total += t.numel();
    }
    if (device == Device.CPU || tensors.size() == 1) {
      for (int i = 0; i < out.length; i++) {
        out[i] = tensors.get(i).toArray();
      }
      return out;
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "HostTransfer.download: " + total + " values are more than one array holds");
    }
    Backend backend = Backend.of(device);
    Tensor packed = Tensor.zeros(device, (int) total);
    int offset = 0;
    for (Tensor t : tensors) {
      backend.copySlice(t, 0, packed, offset, t.numel());
      offset += t.numel();
    }
    float[] all = packed.toArray();
    packed.release();
    offset = 0;
    for (int i = 0; i < out.length; i++) {
      int n = tensors.get(i).numel();
      out[i] = java.util.Arrays.copyOfRange(all, offset, offset + n);
      offset += n;
    }
    return out;
  }

  /** The values of one-element tensors, read together. */
  public static float[] scalars(List<Tensor> scalars) {
    float[][] v = download(scalars);
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      if (v[i].length != 1) {
        throw new IllegalArgumentException(
            "HostTransfer.scalars: tensor " + i + " has " + v[i].length + " values, not 1");
      }
      out[i] = v[i][0];
    }
    return out;
  }
}
