package cs4j.cli;

import cs4j.sparsity.LayerSelection;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Retrains a saved ticket (a mask file, optionally with the weights to start from). */
@Command(
    name = "retrain",
    mixinStandardHelpOptions = true,
    description =
        "Retrain a saved ticket: --masks FILE (a round's masks.safetensors) on --model, from"
            + " --weights FILE (e.g. a run's rewind.safetensors) or from the seeded init.")
final class RetrainCommand implements Callable<Integer> {
  @Mixin DataOptions data;
  @Mixin TrainingOptions training;
  @Mixin RunOptions run;

  @Option(names = "--masks", required = true, paramLabel = "FILE", description = "mask file")
  Path masks;

  @Option(
      names = "--weights",
      paramLabel = "FILE",
      description = "state dict to start from (default: the model's seeded initialisation)")
  Path weights;

  @Option(
      names = "--mask-scale",
      paramLabel = "C",
      defaultValue = "1",
      description =
          "effective weight w·C·m; a CS ticket of the reference code uses C = 1/σ(s0), 2 for s0 = 0"
              + " (default: ${DEFAULT-VALUE})")
  double maskScale;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    run.check();
    PathChecks.requireReadableFile(masks, "--masks");
    if (weights != null) {
      PathChecks.requireReadableFile(weights, "--weights");
    }
    Execution execution = run.execution();
    DataSource source = data.source(training.model());
    TrainingHparams hp = training.resolve(source);
    LayerSelection layers = run.layersFor(training.model);
    ExperimentData loaded = Experiment.loadData(source, hp);
    TicketRetraining method =
        TicketRetraining.load(
            masks, weights, maskScale, hp.model(), Experiment.newModel(hp, loaded), layers);
    Experiment ex = Experiment.of(method, hp, layers, source, run.runsDir);
    MethodCommand.runAndPrint(ex, loaded, execution, run, spec.commandLine().getOut());
    return 0;
  }
}
