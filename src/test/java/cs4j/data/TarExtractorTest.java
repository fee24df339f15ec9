package cs4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarExtractorTest {
  @TempDir Path dir;

  @Test
  void extractsFilesOfAnySizeIntoSubdirectories() throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("a/empty.bin", new byte[0]);
    files.put("a/b/block.bin", DataFixtures.patternPixels(1, 512));
    files.put("odd.bin", DataFixtures.patternPixels(1, 1000));

    Path out = extract(DataFixtures.tarGz(files));
    for (Map.Entry<String, byte[]> e : files.entrySet()) {
      assertArrayEquals(e.getValue(), Files.readAllBytes(out.resolve(e.getKey())), e.getKey());
    }
  }

  @Test
  void corruptHeaderChecksumNamesTheHeaderOffset() throws IOException {
    byte[] first = DataFixtures.patternPixels(1, 600); // header at 0, data 512..1112, pad to 1536
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    tar.writeBytes(DataFixtures.ustarHeader("first.bin", first.length));
    tar.writeBytes(first);
    tar.writeBytes(new byte[1536 - 512 - first.length]);
    byte[] second = DataFixtures.ustarHeader("second.bin", 0);
    second[0] ^= 1; // the name changes, the stored checksum does not
    tar.writeBytes(second);
    tar.writeBytes(new byte[1024]);

    CorruptDataException e =
        assertThrows(
            CorruptDataException.class, () -> extract(DataFixtures.gzip(tar.toByteArray())));
    assertEquals(1536, e.offset());
    assertTrue(e.getMessage().contains("archive.tar.gz"), e.getMessage());
  }

  @Test
  void entryEscapingTheTargetIsRefused() {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("../escape.bin", new byte[] {1});

    CorruptDataException e =
        assertThrows(CorruptDataException.class, () -> extract(DataFixtures.tarGz(files)));
    assertTrue(e.getMessage().contains("outside the target directory"), e.getMessage());
  }

  @Test
  void truncatedEntryDataIsReportedAtTheOffsetReached() throws IOException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    tar.writeBytes(DataFixtures.ustarHeader("big.bin", 4000));
    tar.writeBytes(new byte[1000]); // the stream ends 3000 bytes early

    CorruptDataException e =
        assertThrows(
            CorruptDataException.class, () -> extract(DataFixtures.gzip(tar.toByteArray())));
    assertEquals(512 + 1000, e.offset());
    assertTrue(e.getMessage().contains("big.bin"), e.getMessage());
  }

  private Path extract(byte[] tarGz) throws IOException {
    Path archive = dir.resolve("archive.tar.gz");
    Files.write(archive, tarGz);
    Path out = Files.createDirectories(dir.resolve("out"));
    TarExtractor.extractTarGz(archive, "archive.tar.gz", out);
    return out;
  }
}
