package cs4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.autograd.Autograd;
import cs4j.data.ArrayBatches;
import cs4j.data.Batch;
import cs4j.data.BatchSource;
import cs4j.data.BatchStream;
import cs4j.data.LoaderOptions;
import cs4j.nn.Linear;
import cs4j.nn.Module;
import cs4j.nn.Parameter;
import cs4j.nn.ReLU;
import cs4j.nn.Sequential;
import cs4j.ops.Ops;
import cs4j.optim.ParamGroup;
import cs4j.optim.Sgd;
import cs4j.sparsity.ContinuousSparsification.BetaSchedule;
import cs4j.sparsity.ExperimentContext;
import cs4j.sparsity.LayerSelection;
import cs4j.sparsity.MaskLogits;
import cs4j.sparsity.Masks;
import cs4j.sparsity.Methods;
import cs4j.sparsity.ModelSupplier;
import cs4j.sparsity.PruningMethod;
import cs4j.sparsity.RoundResult;
import cs4j.sparsity.TrainingRecipe;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;
import cs4j.train.StepMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Embedding cs4j" examples with one's own data, network and training loop. Each
 * {@code README:} block below is the README's code, verbatim: {@link #theReadmeShowsTheseBlocks}
 * checks that, and the other tests run them.
 */
class ReadmeEmbeddingExampleTest {
  private static final Path SOURCE = Path.of("src/test/java/cs4j/ReadmeEmbeddingExampleTest.java");

  /** Four noisy clusters of 16 features, training and test arrays, and a small MLP. */
  record Setup(BatchSource train, BatchSource test, ModelSupplier mlp) {}

  static Setup setup() {
    // README: data
    // Your data, as float arrays: N examples of 16 features [N, 16] and their classes [N].
    // Here 1,024 points around four centres (class k is centred at 2 on feature k).
    int n = 1024;
    float[] x = new float[n * 16];
    int[] y = new int[n];
    Rng rng = new Rng(3);
    for (int i = 0; i < n; i++) {
      y[i] = i % 4;
      for (int f = 0; f < 16; f++) {
        x[i * 16 + f] = (f == y[i] ? 2f : 0f) + (float) rng.nextGaussian();
      }
    }
    int[] shape = {16}; // one example's shape: [16]; images would be {C, H, W}
    BatchSource train =
        new ArrayBatches(
            Arrays.copyOf(x, 768 * 16),
            Arrays.copyOf(y, 768),
            shape,
            LoaderOptions.training(32, /* seed */ 1));
    BatchSource test =
        new ArrayBatches(
            Arrays.copyOfRange(x, 768 * 16, n * 16),
            Arrays.copyOfRange(y, 768, n),
            shape,
            LoaderOptions.evaluation(256));

    // Your network: every call returns the same freshly initialised one.
    ModelSupplier mlp =
        () -> {
          Rng init = new Rng(42);
          return new Sequential()
              .add("fc1", new Linear(16, 64, true, init))
              .add("relu", new ReLU())
              .add("fc2", new Linear(64, 4, true, init));
        };
    // README: end
    return new Setup(train, test, mlp);
  }

  /** What the search example produced: its rounds and the steps it trained. */
  record Searched(List<RoundResult> rounds, List<StepMetrics> steps) {}

  static Searched search(Setup s, Path runDir) throws IOException {
    BatchSource train = s.train();
    BatchSource test = s.test();
    ModelSupplier mlp = s.mlp();
    // README: search
    List<StepMetrics> steps = new ArrayList<>();
    ExperimentContext ctx =
        ExperimentContext.builder()
            .model("my-mlp", mlp) // the name its masks are saved under
            .layers(LayerSelection.LINEAR) // mask every Linear
            .data(train, /* evaluated each epoch */ null, test)
            .recipe(new TrainingRecipe(4, 0.05, 0.9, true, 1e-4, List.of(3), 0.1, 0))
            .runDir(runDir) // results, masks, checkpoints: rerunning resumes
            .steps(steps::add) // loss, cross-entropy, hits and lr of every step
            .build();
    PruningMethod cs =
        Methods.create("cs", Map.of("s0", "-0.05", "rounds", "2", "rewindEpoch", "1"));
    List<RoundResult> rounds =
        cs.run(
            ctx,
            r ->
                System.out.printf(
                    "round %d (%s): %.1f%% of weights, test accuracy %.1f%%%n",
                    r.round(), r.stage(), 100 * r.fractionRemaining(), 100 * r.testAccuracy()));
    // README: end
    return new Searched(rounds, steps);
  }

  static Masks ownLoop(Setup s) {
    BatchSource train = s.train();
    ModelSupplier mlp = s.mlp();
    // README: loop
    Module net = mlp.create();
    List<Parameter> weights = net.parameters(); // taken before the logits are attached
    MaskLogits cs =
        new MaskLogits(net, LayerSelection.LINEAR, /* s0 */ -0.05, /* c = 1/σ(s0) */ true, 1e-8);
    int epochs = 4;
    cs.schedule(BetaSchedule.PER_EPOCH, /* β_final */ 200, epochs);
    cs.install(); // the masked layers now compute with w ⊙ c·σ(β·s)
    Sgd sgdWeights = new Sgd(ParamGroup.nesterov(weights, 0.05, 0.9, 1e-4));
    Sgd sgdLogits = new Sgd(ParamGroup.nesterov(cs.parameters(), 0.05, 0.9, 0)); // no decay
    for (int epoch = 0; epoch < epochs; epoch++) {
      cs.onEpochStart(epoch, 0); // sets β for the epoch
      try (BatchStream batches = train.epoch(epoch)) {
        for (int step = 0; batches.hasNext(); step++) {
          Batch b = batches.next();
          cs.onStepStart(epoch, step, train.batchesPerEpoch());
          sgdWeights.zeroGrad();
          sgdLogits.zeroGrad();
          Tensor ce = Ops.crossEntropy(net.forward(b.images()), b.labels());
          Autograd.backward(Ops.add(ce, cs.extraLoss())); // CE + λ·Σ c·σ(β·s)
          sgdWeights.step();
          sgdLogits.step();
        }
      }
    }
    Masks ticket = cs.ticket("my-mlp"); // m = 1[s > 0], per layer
    System.out.printf("ticket keeps %.1f%% of the weights%n", 100 * ticket.fractionRemaining());
    Module fresh = mlp.create(); // or a state saved early in training
    ticket.apply(fresh, /* scale */ 1f); // w ⊙ m, pruned weights get no gradient: train it
    // README: end
    sgdWeights.close();
    sgdLogits.close();
    return ticket;
  }

  @Test
  void ownDataAndNetworkRunTheTicketSearch(@TempDir Path dir) throws IOException {
    Setup setup = setup();
    Searched first = search(setup, dir.resolve("run"));
    List<RoundResult> rounds = first.rounds();
    int perEpoch = setup.train().batchesPerEpoch();
    assertEquals(3 * 4 * perEpoch, first.steps().size(), "2 search rounds + 1 retraining");
    for (StepMetrics m : first.steps()) {
      assertTrue(m.crossEntropy() > 0 && m.loss() >= m.crossEntropy(), "loss includes CE: " + m);
      assertTrue(m.hits() >= 0 && m.hits() <= m.batchSize() && m.lr() > 0, m.toString());
    }
    assertEquals(List.of("search", "ticket"), rounds.stream().map(RoundResult::stage).toList());
    RoundResult ticket = rounds.get(1);
    assertTrue(ticket.fractionRemaining() < 0.9, "sparser than dense: " + ticket);
    assertTrue(ticket.testAccuracy() > 0.6, "well above chance (25%): " + ticket);
    assertTrue(Files.isRegularFile(dir.resolve("run/round1/masks.safetensors")));
    Searched again = search(setup(), dir.resolve("run"));
    assertEquals(rounds, again.rounds(), "a rerun reads the finished rounds back");
    assertEquals(List.of(), again.steps(), "and trains nothing");
  }

  @Test
  void ownTrainingLoopWithTheMaskLogitsFindsATicket() {
    Masks ticket = ownLoop(setup());
    assertEquals(List.of("fc1", "fc2"), List.copyOf(ticket.layers()));
    assertTrue(
        ticket.fractionRemaining() > 0 && ticket.fractionRemaining() < 0.9,
        "a sparse ticket: " + ticket.fractionRemaining());
  }

  @Test
  void theReadmeShowsTheseBlocks() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    List<String> lines = Files.readAllLines(SOURCE);
    int blocks = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).trim().startsWith("// README: ") && !lines.get(i).contains("end")) {
        int start = i + 1;
        int end = start;
        while (!lines.get(end).trim().equals("// README: end")) {
          end++;
        }
        String block = dedent(lines.subList(start, end));
        assertTrue(readme.contains(block), "README lacks the block:\n" + block);
        blocks++;
        i = end;
      }
    }
    assertEquals(3, blocks);
  }

  private static String dedent(List<String> lines) {
    int indent =
        lines.stream()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    return lines.stream()
        .map(l -> l.isBlank() ? "" : l.substring(indent))
        .collect(Collectors.joining("\n"));
  }
}
