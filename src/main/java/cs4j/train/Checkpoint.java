package cs4j.train;

import cs4j.io.Safetensors;
import cs4j.io.SafetensorsDtype;
import cs4j.io.SafetensorsFile;
import cs4j.nn.Module;
import cs4j.nn.Parameter;
import cs4j.optim.ParamGroup;
import cs4j.optim.Sgd;
import cs4j.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A training checkpoint in the safetensors format. The model's state is stored under its own {@code
 * state_dict} names, so {@code model.load_state_dict(safetensors.torch.load_file(path))} works in
 * PyTorch after dropping the optimiser entries ({@code optim<i>.momentum.<param name>}). Metadata
 * holds the format version, the epoch and step to resume at, and free-form entries (for example the
 * hyperparameter hash). Writing is atomic (see {@link Safetensors#write}).
 */
public final class Checkpoint {
  public static final String FORMAT = "cs4j-checkpoint/1";
  private static final String OPTIM_PREFIX = "optim";
  private static final String BATCHES_TRACKED = "num_batches_tracked";

  private Checkpoint() {}

  /** Where to resume: the next epoch and the batch within it. */
  public record Position(int epoch, int step) {}

  /** What {@link #load} restored besides the tensors: the position and all metadata. */
  public record Restored(Position position, Map<String, String> metadata) {}

  public static void save(
      Path path,
      Module model,
      List<Sgd> optimizers,
      Position next,
      Map<String, String> extraMetadata)
      throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>(model.stateDict());
    Map<Parameter, String> names = parameterNames(model);
    for (int i = 0; i < optimizers.size(); i++) {
      List<Parameter> params = params(optimizers.get(i));
      List<Tensor> buffers = optimizers.get(i).momentumBuffers();
      for (int j = 0; j < params.size(); j++) {
        if (buffers.get(j) != null) {
          tensors.put(momentumName(i, names, params.get(j)), buffers.get(j));
        }
      }
    }
    Map<String, String> meta = new LinkedHashMap<>(extraMetadata);
    meta.put("format", FORMAT);
    meta.put("epoch", Integer.toString(next.epoch()));
    meta.put("step", Integer.toString(next.step()));
    if (path.toAbsolutePath().getParent() != null) {
      java.nio.file.Files.createDirectories(path.toAbsolutePath().getParent());
    }
    writeTensors(path, tensors, meta);
  }

  /**
   * Writes state-dict tensors as PyTorch stores them: float32, except the integer counters ({@code
   * num_batches_tracked}), which are int64. In memory they are all float32 tensors.
   */
  public static void writeTensors(
      Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
    Map<String, SafetensorsDtype> dtypes = new HashMap<>();
    for (String name : tensors.keySet()) {
      if (name.equals(BATCHES_TRACKED) || name.endsWith("." + BATCHES_TRACKED)) {
        dtypes.put(name, SafetensorsDtype.I64);
      }
    }
    Safetensors.write(path, tensors, metadata, dtypes);
  }

  /**
   * Loads a checkpoint into {@code model} and {@code optimizers}; returns where to resume. The
   * whole file is checked first (see {@link #check}): a checkpoint that does not fit is refused
   * before anything is written, naming the first tensor or entry that does not match.
   */
  public static Restored load(Path path, Module model, List<Sgd> optimizers) throws IOException {
    return check(path, model, optimizers).load();
  }

  /**
   * Reads the checkpoint at {@code path} and checks all of it against {@code model} and {@code
   * optimizers}: the format, the position, every tensor of the model (present, same shape), every
   * momentum entry (for a parameter of that optimiser that has momentum, same shape) and no entry
   * left over. Nothing is loaded yet: a caller with metadata of its own checks that too, then calls
   * {@link Checked#load}.
   */
  public static Checked check(Path path, Module model, List<Sgd> optimizers) throws IOException {
    SafetensorsFile file = Safetensors.read(path);
    Map<String, String> meta = file.metadata();
    if (!FORMAT.equals(meta.get("format"))) {
      throw new IOException(
          path
              + ": not a cs4j checkpoint (metadata format is "
              + meta.get("format")
              + ", expected "
              + FORMAT
              + ")");
    }
    Position next =
        new Position(
            metadata(path, meta, "epoch", Integer::valueOf, n -> n >= 0, "an integer >= 0"),
            metadata(path, meta, "step", Integer::valueOf, n -> n >= 0, "an integer >= 0"));
    Map<String, Tensor> own = model.stateDict();
    Map<String, Tensor> state = new LinkedHashMap<>();
    for (String name : own.keySet()) {
      if (!file.contains(name)) {
        throw new IOException(
            path
                + ": checkpoint is for another architecture: it has no tensor '"
                + name
                + "' "
                + own.get(name).shape());
      }
      if (!file.shape(name).equals(own.get(name).shape())) {
        throw new IOException(
            path
                + ": checkpoint is for another architecture: tensor '"
                + name
                + "' has shape "
                + file.shape(name)
                + ", this model expects "
                + own.get(name).shape());
      }
      state.put(name, file.tensor(name));
    }
    Map<Parameter, String> names = parameterNames(model);
    Set<String> momentumNames = new HashSet<>();
    List<List<Tensor>> momenta = new ArrayList<>();
    for (int i = 0; i < optimizers.size(); i++) {
      List<Tensor> buffers = new ArrayList<>();
      for (ParamGroup g : optimizers.get(i).groups()) {
        for (Parameter p : g.params()) {
          String name = momentumName(i, names, p);
          momentumNames.add(name);
          buffers.add(file.contains(name) ? momentum(path, file, name, g, p) : null);
        }
      }
      momenta.add(buffers);
    }
    for (String name : file.names()) {
      if (!own.containsKey(name) && !momentumNames.contains(name)) {
        throw new IOException(
            path
                + ": checkpoint is for another architecture or other optimisers: nothing here"
                + " takes its tensor '"
                + name
                + "'");
      }
    }
    return new Checked(new Restored(next, meta), model, state, optimizers, momenta);
  }

  /** Momentum entry {@code name} of {@code file}, for parameter {@code p} of group {@code g}. */
  private static Tensor momentum(
      Path path, SafetensorsFile file, String name, ParamGroup g, Parameter p) throws IOException {
    if (g.momentum() == 0) {
      throw new IOException(
          path + ": holds momentum '" + name + "' for a parameter whose optimiser has none");
    }
    if (!file.shape(name).equals(p.value().shape())) {
      throw new IOException(
          path
              + ": momentum '"
              + name
              + "' has shape "
              + file.shape(name)
              + ", its parameter has "
              + p.value().shape());
    }
    return file.tensor(name);
  }

  /** A checkpoint read and checked whole by {@link #check}, not yet loaded. */
  public static final class Checked {
    private final Restored restored;
    private final Module model;
    private final Map<String, Tensor> state;
    private final List<Sgd> optimizers;
    private final List<List<Tensor>> momenta;

    private Checked(
        Restored restored,
        Module model,
        Map<String, Tensor> state,
        List<Sgd> optimizers,
        List<List<Tensor>> momenta) {
      this.restored = restored;
      this.model = model;
      this.state = state;
      this.optimizers = optimizers;
      this.momenta = momenta;
    }

    /** The position and all metadata of the checkpoint. */
    public Restored restored() {
      return restored;
    }

    /** Writes the checked tensors into the model and the optimisers; returns {@link #restored}. */
    public Restored load() {
      model.loadStateDict(state);
      for (int i = 0; i < optimizers.size(); i++) {
        optimizers.get(i).loadMomentumBuffers(momenta.get(i));
      }
      return restored;
    }
  }

  /**
   * Metadata entry {@code key} of the checkpoint at {@code path}, parsed by {@code parse} and
   * accepted by {@code valid}; "0" when absent. Anything else is an error naming the file, the
   * entry and {@code expected}.
   */
  static <T> T metadata(
      Path path,
      Map<String, String> meta,
      String key,
      Function<String, T> parse,
      Predicate<T> valid,
      String expected)
      throws IOException {
    String text = meta.getOrDefault(key, "0");
    try {
      T value = parse.apply(text);
      if (valid.test(value)) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below, with the file
    }
    throw new IOException(
        path + ": metadata '" + key + "' must be " + expected + ", got \"" + text + "\"");
  }

  private static Map<Parameter, String> parameterNames(Module model) {
    Map<Parameter, String> names = new IdentityHashMap<>();
    model.namedParameters().forEach((n, p) -> names.put(p, n));
    return names;
  }

  private static List<Parameter> params(Sgd sgd) {
    List<Parameter> all = new ArrayList<>();
    sgd.groups().forEach(g -> all.addAll(g.params()));
    return all;
  }

  private static String momentumName(int optimizer, Map<Parameter, String> names, Parameter p) {
    String n = names.get(p);
    if (n == null) {
      throw new IllegalArgumentException(
          "checkpoint: optimiser "
              + optimizer
              + " holds a parameter "
              + p
              + " that is not part of the model");
    }
    return OPTIM_PREFIX + optimizer + ".momentum." + n;
  }
}
