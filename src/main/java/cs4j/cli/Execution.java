package cs4j.cli;

import cs4j.backend.Devices;
import cs4j.tensor.Device;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a run executes, as opposed to what it computes: none of this is part of its identity (the
 * hash of its directory), and its results do not depend on it. Recorded in {@code hparams.json}
 * under {@code runtime}.
 *
 * @param device where the tensors live
 * @param captureSteps replay training steps as device graphs ({@code --graphs})
 * @param checkpointEvery also checkpoint every this many steps inside an epoch (0: at epoch ends)
 */
public record Execution(Device device, boolean captureSteps, int checkpointEvery) {
  public Execution {
    TrainingHparams.require(
        checkpointEvery >= 0, "--checkpoint-every must be >= 0, got " + checkpointEvery);
    TrainingHparams.require(
        !captureSteps || device.capturesGraphs(),
        "--graphs needs a device that captures graphs (cuda), got " + device.name());
  }

  /** The CPU, eager, checkpoints at epoch ends. */
  public static Execution cpu() {
    return new Execution(Device.CPU, false, 0);
  }

  /** The {@code runtime} entry of {@code hparams.json}. */
  Map<String, Object> record() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("device", device.name());
    m.put("threads", Devices.cpuThreads());
    m.put("graphs", captureSteps);
    return m;
  }
}
