package cs4j.train;

import java.io.Console;
import java.io.PrintStream;
import java.util.function.IntConsumer;

/**
 * Reports training progress: a bar redrawn in place on an interactive terminal, plain log lines
 * (one every {@code linesPerEpoch}-th of an epoch, and at its end) otherwise — logs stay readable.
 */
public final class Progress {
  private final PrintStream out;
  private final boolean terminal;
  private final int linesPerEpoch;
  private final IntConsumer afterEpoch;
  private int epochsEnded;

  public Progress(PrintStream out, boolean terminal, int linesPerEpoch) {
    this(out, terminal, linesPerEpoch, epochs -> {});
  }

  private Progress(PrintStream out, boolean terminal, int linesPerEpoch, IntConsumer afterEpoch) {
    this.out = out;
    this.terminal = terminal;
    this.linesPerEpoch = Math.max(1, linesPerEpoch);
    this.afterEpoch = afterEpoch;
  }

  /**
   * This progress, also calling {@code afterEpoch} with the number of epochs it has reported so far
   * (over all the trainings it reports) when an epoch ends, before its metrics are logged and its
   * checkpoint is written. An exception thrown there ends the training as a crash would.
   */
  public Progress afterEachEpoch(IntConsumer afterEpoch) {
    return new Progress(out, terminal, linesPerEpoch, afterEpoch);
  }

  /** To standard output; a bar on an interactive terminal, otherwise 4 lines per epoch. */
  public static Progress auto() {
    return new Progress(System.out, interactiveTerminal(), 4);
  }

  /**
   * Whether standard input and output are a terminal. Up to JDK 21, {@code System.console()} is
   * null otherwise; from JDK 22 it may exist with output redirected, and {@code
   * Console.isTerminal()} (JDK 22+, called reflectively since we build for 17) tells.
   */
  static boolean interactiveTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (NoSuchMethodException beforeJdk22) {
      return true;
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }

  /** Prints nothing. */
  public static Progress silent() {
    return new Progress(new PrintStream(PrintStream.nullOutputStream()), false, 1);
  }

  void step(int epoch, int epochs, int step, int steps, double loss, double accuracy) {
    if (terminal) {
      int width = 30;
      int filled = (int) ((long) width * step / steps);
      out.printf(
          "\repoch %d/%d [%s%s] %d/%d loss %.4f acc %.2f%%",
          epoch + 1,
          epochs,
          "=".repeat(filled),
          " ".repeat(width - filled),
          step,
          steps,
          loss,
          100 * accuracy);
      out.flush();
    } else if (step % Math.max(1, steps / linesPerEpoch) == 0 && step < steps) {
      out.printf(
          "epoch %d/%d step %d/%d loss %.4f acc %.2f%%%n",
          epoch + 1, epochs, step, steps, loss, 100 * accuracy);
    }
  }

  void epochEnd(EpochMetrics m, int epochs) {
    if (terminal) {
      out.print("\r");
    }
    String eval =
        Double.isNaN(m.evalAccuracy())
            ? ""
            : String.format(" | eval loss %.4f acc %.2f%%", m.evalLoss(), 100 * m.evalAccuracy());
    out.printf(
        "epoch %d/%d train loss %.4f acc %.2f%%%s | lr %.4g | %.1f s%n",
        m.epoch() + 1, epochs, m.trainLoss(), 100 * m.trainAccuracy(), eval, m.lr(), m.seconds());
    afterEpoch.accept(++epochsEnded);
  }
}
