package cs4j.sparsity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.io.Safetensors;
import cs4j.io.SafetensorsDtype;
import cs4j.io.SafetensorsFile;
import cs4j.models.InputSpec;
import cs4j.models.Models;
import cs4j.nn.Module;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A round's files are written like any other new file: whole, and with the usual permissions. */
class RunFilesTest {
  @TempDir Path dir;

  @Test
  void aFinishedRoundsFilesHaveTheUsualPermissionsAndNoTemporaries() throws IOException {
    Module net = Models.create("lenet300", InputSpec.MNIST, 1);
    Masks masks = Masks.dense("lenet300", net, LayerSelection.LINEAR);
    Path round = dir.resolve("round0");
    RunFiles.finish(
        round, new RoundResult(0, "dense", masks.report(), 0.5, 1.0, 1, 2.0, "cpu", null), masks);
    RunFiles.saveSnapshot(round.resolve(RunFiles.STATE), net);

    String usual = permissions(Files.writeString(dir.resolve("plain"), "x"));
    try (Stream<Path> s = Files.list(round)) {
      List<Path> files = s.sorted().toList();
      assertEquals(
          List.of(RunFiles.MASKS, RunFiles.RESULT, RunFiles.STATE),
          files.stream().map(p -> p.getFileName().toString()).toList());
      for (Path f : files) {
        assertEquals(usual, permissions(f), f.toString());
      }
    }
  }

  @Test
  void snapshotsStoreBatchCountersAsInt64AndRestoreThem() throws IOException {
    Module net = Models.create("resnet20", InputSpec.CIFAR10, 1);
    Path file = dir.resolve(RunFiles.REWIND);
    RunFiles.saveSnapshot(file, net);
    SafetensorsFile f = Safetensors.read(file);
    assertEquals(SafetensorsDtype.I64, f.dtype("bn0.num_batches_tracked"));
    assertEquals(SafetensorsDtype.F32, f.dtype("bn0.running_var"));
    RunFiles.restoreSnapshot(file, Models.create("resnet20", InputSpec.CIFAR10, 2));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "{\"round\": 0, \"stage\"",
        "[1, 2]",
        "{\"round\": \"zero\"}",
        "{\"round\": 0}",
      })
  void aDamagedResultIsATypedErrorNamingTheFile(String text) throws IOException {
    Path round = Files.createDirectories(dir.resolve("round0"));
    Path result = Files.writeString(round.resolve(RunFiles.RESULT), text);
    IOException e = assertThrows(IOException.class, () -> RunFiles.finished(round));
    assertTrue(e.getMessage().startsWith(result + ": not a round result"), e.getMessage());
  }

  private static String permissions(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
