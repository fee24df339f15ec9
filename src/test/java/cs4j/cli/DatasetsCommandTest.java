package cs4j.cli;

import static cs4j.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.data.DataFolders;
import cs4j.data.IdxDataset;
import cs4j.data.ImageFiles;
import cs4j.data.Normalization;
import cs4j.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --dataset idx} and {@code --dataset image-folder} on small files made here. */
class DatasetsCommandTest {
  @TempDir Path tmp;

  private Path runs() {
    return tmp.resolve("runs");
  }

  private CliRun train(String... data) {
    List<String> args = new ArrayList<>(List.of("train", "--epochs", "1", "--quiet"));
    args.addAll(List.of("--runs-dir", runs().toString()));
    args.addAll(List.of(data));
    return CliRun.of(args.toArray(String[]::new));
  }

  /** The run directory a finished command printed. */
  private static Path runDir(CliRun r) {
    for (String line : r.out().split("\n")) {
      if (line.startsWith("run directory: ")) {
        return Path.of(line.substring("run directory: ".length()).trim());
      }
    }
    throw new AssertionError("no run directory in\n" + r.describe());
  }

  private static Map<?, ?> hparams(Path run) throws IOException {
    return (Map<?, ?>) Json.parse(Files.readString(run.resolve(RunDirectory.HPARAMS)));
  }

  private static Map<?, ?> at(Map<?, ?> m, String... keys) {
    for (String k : keys) {
      m = (Map<?, ?>) m.get(k);
    }
    return m;
  }

  @Test
  void idxTakesItsClassesFromItsLabelsAndItsNormalisationFromItsTrainingImages()
      throws IOException {
    Path data = DataFolders.idx(tmp.resolve("digits"), 150, 30, 12, 3, true);
    CliRun r = train("--dataset", "idx", "--data-dir", data.toString());
    assertEquals(0, r.exitCode(), r.describe());
    Map<?, ?> hp = hparams(runDir(r));
    Map<?, ?> training = at(hp, "hparams", "training");
    assertEquals("idx", training.get("dataset"));
    assertEquals(15L, training.get("validationSize"), "10% of 150 training images");
    String fingerprint = (String) at(hp, "hparams", "data").get("fingerprint");
    assertTrue(fingerprint.matches("[0-9a-f]{64}"), fingerprint);
    assertTrue(Files.isRegularFile(data.resolve(".cs4j-fingerprint")), "cached beside the data");

    Map<?, ?> recorded = at(hp, "runtime", "data");
    assertEquals(3L, recorded.get("classes"));
    assertEquals(List.of(1L, 12L, 12L), recorded.get("image"));
    Normalization expected = Normalization.of(IdxDataset.load(data, "idx").train());
    Map<?, ?> norm = (Map<?, ?>) recorded.get("normalization");
    assertClose(expected.mean(), floats(norm.get("mean")), 0, 1e-7, "recorded mean");
    assertClose(expected.std(), floats(norm.get("std")), 0, 1e-7, "recorded std");
  }

  @Test
  void anImpossibleValidationSizeNamesTheDataItWasFor() throws IOException {
    Path data = DataFolders.idx(tmp.resolve("digits"), 150, 30, 12, 3, false);
    CliRun r = train("--dataset", "idx", "--data-dir", data.toString(), "--validation-size", "150");
    assertEquals(2, r.exitCode(), r.describe());
    assertTrue(
        r.err()
            .contains(
                "--validation-size must be below the 150 training images of idx in "
                    + data.toAbsolutePath()),
        r.describe());
    assertEquals(0, CliRun.entries(runs()), r.describe());
  }

  @Test
  void anImageFolderIsDecodedOnceAtTheStatedSize() throws IOException {
    Path data = ImageFiles.folder(tmp.resolve("photos"), 3, 10, 2);
    CliRun rgb =
        train("--dataset", "image-folder", "--data-dir", data.toString(), "--image-size", "8");
    assertEquals(0, rgb.exitCode(), rgb.describe());
    Path run = runDir(rgb);
    assertEquals(List.of(3L, 8L, 8L), at(hparams(run), "runtime", "data").get("image"));
    assertEquals(3L, at(hparams(run), "runtime", "data").get("classes"));
    Path cache = data.resolve(".cs4j-images-8px-rgb-train.bin");
    assertTrue(Files.isRegularFile(cache), "decoded images cached beside the data");
    long cached = Files.getLastModifiedTime(cache).toMillis();

    // Where the decoded images are kept is not part of the run; the grey version is another run.
    Path elsewhere = tmp.resolve("cache");
    CliRun again =
        train(
            "--dataset",
            "image-folder",
            "--data-dir",
            data.toString(),
            "--image-size",
            "8",
            "--cache-dir",
            elsewhere.toString());
    assertEquals(0, again.exitCode(), again.describe());
    assertEquals(run, runDir(again));
    assertEquals(2, CliRun.entries(elsewhere), "train and test decoded into --cache-dir");
    CliRun grey =
        train(
            "--dataset",
            "image-folder",
            "--data-dir",
            data.toString(),
            "--image-size",
            "8",
            "--grayscale");
    assertEquals(0, grey.exitCode(), grey.describe());
    assertNotEquals(run, runDir(grey));
    assertEquals(List.of(1L, 8L, 8L), at(hparams(runDir(grey)), "runtime", "data").get("image"));
    assertEquals(
        cached, Files.getLastModifiedTime(cache).toMillis(), "the RGB cache was rewritten");
  }

  @Test
  void anUnreadableImageIsRefusedByName() throws IOException {
    Path data = ImageFiles.folder(tmp.resolve("photos"), 2, 3, 1);
    Path broken = Files.writeString(data.resolve("train/c1/zzz.jpg"), "not a JPEG");
    CliRun r = train("--dataset", "image-folder", "--data-dir", data.toString());
    assertEquals(2, r.exitCode(), r.describe());
    assertTrue(r.err().contains(broken.toString()), r.describe());
    assertEquals(0, CliRun.entries(runs()), r.describe());
  }

  private static float[] floats(Object list) {
    List<?> l = (List<?>) list;
    float[] out = new float[l.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) l.get(i)).floatValue();
    }
    return out;
  }
}
