package cs4j.train;

import cs4j.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends one JSON object per epoch to a JSONL file (created with its directory if missing): line k
 * is epoch k.
 */
public final class MetricsLog {
  private final Path file;

  public MetricsLog(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /**
   * Keeps the lines of the first {@code epochs} epochs and cuts the rest, so that a resumed run,
   * which trains again from epoch {@code epochs}, writes each epoch's line once. What it cuts is
   * what a kill left: the line of an epoch whose checkpoint was not written yet, or the torn end of
   * a line being appended. (Cut in place: the kept lines are a prefix of the file.)
   */
  public void keepEpochs(int epochs) {
    if (!Files.exists(file)) {
      return;
    }
    try {
      byte[] bytes = Files.readAllBytes(file);
      int end = 0;
      for (int lines = 0; lines < epochs; lines++) {
        int newline = indexOf(bytes, (byte) '\n', end);
        if (newline < 0) {
          break; // fewer lines, or a torn last one
        }
        end = newline + 1;
      }
      if (end < bytes.length) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
          ch.truncate(end);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot cut " + file + " to " + epochs + " epochs", e);
    }
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  public void append(EpochMetrics m) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(
          file,
          Json.write(m.toMap()) + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append metrics to " + file, e);
    }
  }
}
