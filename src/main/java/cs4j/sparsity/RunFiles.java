package cs4j.sparsity;

import cs4j.io.AtomicFile;
import cs4j.io.Json;
import cs4j.io.Safetensors;
import cs4j.io.SafetensorsFile;
import cs4j.nn.Module;
import cs4j.optim.Sgd;
import cs4j.tensor.Tensor;
import cs4j.train.Checkpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of a method's run directory (layout in {@link ExperimentContext}). Every write goes
 * through {@link AtomicFile}, so an interrupted run leaves each file whole or absent; a round is
 * finished exactly when its {@code result.json} exists.
 */
final class RunFiles {
  static final String RESULT = "result.json";
  static final String MASKS = "masks.safetensors";
  static final String STATE = "state.safetensors";
  static final String REWIND = "rewind.safetensors";
  static final String SNAPSHOT_FORMAT = "cs4j-snapshot/1";

  private RunFiles() {}

  /** The finished round's result, or null when {@code roundDir} holds no result yet. */
  static RoundResult finished(Path roundDir) throws IOException {
    Path f = roundDir.resolve(RESULT);
    if (!Files.exists(f)) {
      return null;
    }
    String text = Files.readString(f, StandardCharsets.UTF_8);
    try {
      if (!(Json.parse(text) instanceof Map<?, ?> m)) {
        throw new IOException(f + ": not a round result (expected a JSON object)");
      }
      return RoundResult.fromMap(m);
    } catch (RuntimeException e) { // malformed JSON, a missing or mistyped field
      throw new IOException(f + ": not a round result: " + e.getMessage(), e);
    }
  }

  /** Writes the round's masks (if any), then its result: the round counts as finished. */
  static void finish(Path roundDir, RoundResult result, Masks masks) throws IOException {
    Files.createDirectories(roundDir);
    if (masks != null) {
      masks.save(roundDir.resolve(MASKS));
    }
    AtomicFile.writeString(roundDir.resolve(RESULT), Json.write(result.toMap()) + "\n");
  }

  /** Model and optimiser state (momentum included) at the end of a phase. */
  static void saveState(Path file, Module net, List<Sgd> optimizers) throws IOException {
    Checkpoint.save(file, net, optimizers, new Checkpoint.Position(0, 0), Map.of());
  }

  static void loadState(Path file, Module net, List<Sgd> optimizers) throws IOException {
    Checkpoint.load(file, net, optimizers);
  }

  /** The whole state dict (weights, BN statistics, any attached state): a rewind point. */
  static void saveSnapshot(Path file, Module net) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Checkpoint.writeTensors(file, net.stateDict(), Map.of("format", SNAPSHOT_FORMAT));
  }

  /**
   * Loads every tensor {@code net} has from a snapshot, bit for bit. Entries the snapshot has and
   * the network lacks (mask logits of a search network, when rewinding a fresh one) are ignored.
   */
  static void restoreSnapshot(Path file, Module net) throws IOException {
    if (!Files.exists(file)) {
      throw new IOException(file + ": the rewind snapshot is missing");
    }
    SafetensorsFile snap = Safetensors.read(file);
    if (!SNAPSHOT_FORMAT.equals(snap.metadata().get("format"))) {
      throw new IOException(
          file + ": not a cs4j snapshot (format " + snap.metadata().get("format") + ")");
    }
    Map<String, Tensor> state = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : net.stateDict().entrySet()) {
      String name = e.getKey();
      if (!snap.contains(name)) {
        throw new IOException(
            file + ": snapshot is for another network: it has no tensor '" + name + "'");
      }
      if (!snap.shape(name).equals(e.getValue().shape())) {
        throw new IOException(
            file
                + ": snapshot is for another network: tensor '"
                + name
                + "' has shape "
                + snap.shape(name)
                + ", the network's has "
                + e.getValue().shape());
      }
      state.put(name, snap.tensor(name));
    }
    net.loadStateDict(state);
  }
}
