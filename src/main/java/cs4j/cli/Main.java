package cs4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The cs4j command line: one command, a subcommand per experiment main. Exit codes: 0 success, 1 a
 * run failed, 2 bad input (unknown name, impossible hyperparameter, unusable file): nothing was
 * written.
 *
 * <pre>
 *   mvn -B -q compile exec:java -Dexec.args="demo"
 *   mvn -B -q compile exec:java -Dexec.args="ticket-search --model lenet300 --s0 -0.1"
 * </pre>
 */
@Command(
    name = "cs4j",
    mixinStandardHelpOptions = true,
    versionProvider = VersionInfo.class,
    description = "Continuous Sparsification and its baselines on a pure-Java engine.",
    subcommands = {
      DemoCommand.class,
      TrainCommand.class,
      TicketSearchCommand.class,
      ImpCommand.class,
      PruneCommand.class,
      RetrainCommand.class,
      SweepCommand.class,
      ReportCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    int code = execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    System.exit(code);
  }

  /** Runs the command line on {@code args}; returns the exit code. */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = commandLine();
    cli.setOut(out);
    cli.setErr(err);
    return cli.execute(args);
  }

  /** The command tree, with the method-hyperparameter flags installed on the method commands. */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.getSubcommands()
        .values()
        .forEach(
            sub -> {
              if (sub.getCommand() instanceof MethodFlagsOwner owner) {
                owner.installFlags(sub.getCommandSpec());
              }
            });
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          if (e instanceof BadInputException) {
            err.println("error: " + e.getMessage());
            err.flush();
            return CommandLine.ExitCode.USAGE;
          }
          err.println("error: " + causes(e));
          e.printStackTrace(err);
          err.flush();
          return CommandLine.ExitCode.SOFTWARE;
        });
    return cli;
  }

  /**
   * The messages of {@code e} and its causes in one line, outermost first, each only if the line
   * does not hold it yet: the wrapping says where ("cannot read checkpoint F"), the innermost cause
   * what is wrong ("F: tensors cover 4262480 bytes of data, the file holds 998232 ...
   * (truncated?)"). Exceptions whose type carries meaning keep it ({@code NoSuchFileException: F}).
   */
  static String causes(Throwable e) {
    StringBuilder line = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      String text = describe(t);
      if (line.indexOf(text) < 0) {
        line.append(line.length() == 0 ? "" : ": ").append(text);
      }
    }
    return line.toString();
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    if (message == null) {
      return t.getClass().getSimpleName();
    }
    boolean plain =
        t.getClass() == IOException.class
            || t.getClass() == UncheckedIOException.class
            || t.getClass() == IllegalArgumentException.class
            || t.getClass() == IllegalStateException.class
            || t.getClass() == RuntimeException.class
            || t.getClass().getPackageName().startsWith("cs4j");
    return plain ? message : t.getClass().getSimpleName() + ": " + message;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** A subcommand that takes the hyperparameters of some pruning methods as flags. */
  interface MethodFlagsOwner {
    void installFlags(CommandLine.Model.CommandSpec spec);
  }
}
