package cs4j.cluster;

import java.util.Optional;

/**
 * Where one attempt of a Spark task runs.
 *
 * @param attempt 0 for the first attempt of the task, then 1, 2, ... for its retries and
 *     speculative copies
 * @param gpu the address of the GPU Spark assigned to this task ({@code spark.task.resource.gpu
 *     .amount}), as the discovery script named it (for {@code bin/cs4j-gpus}, the index that {@code
 *     nvidia-smi} and CUDA use); empty when the task has none
 */
public record TaskSlot(int attempt, Optional<String> gpu) {}
