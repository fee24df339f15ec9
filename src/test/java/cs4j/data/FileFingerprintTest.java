package cs4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileFingerprintTest {
  @TempDir Path tmp;

  private Path folder(String name) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    Files.writeString(dir.resolve("a"), "hello\n");
    Files.writeString(dir.resolve("b"), "world");
    return dir;
  }

  @Test
  void isTheHashOfSha256sumsManifestWhereverTheFolderIs() throws IOException {
    // `printf 'hello\n' > a; printf world > b; sha256sum a b | sha256sum`
    String expected = "b6467e6bf087128adc09ab21a3751e3de9371237cb22050d286af7b9c3a426f3";
    assertEquals(expected, FileFingerprint.of(folder("x"), List.of("b", "a"), null).fingerprint());
    assertEquals(expected, FileFingerprint.of(folder("y"), List.of("a", "b"), null).fingerprint());
  }

  @Test
  void aFileIsReadAgainOnlyWhenItsSizeOrTimeChanged() throws IOException {
    Path dir = folder("x");
    List<String> files = List.of("a", "b");
    FileFingerprint.Result first = FileFingerprint.of(dir, files, null);
    assertTrue(first.cacheChanged(), "no cache before");
    FileFingerprint.Result again = FileFingerprint.of(dir, files, first.updatedCache());
    assertFalse(again.cacheChanged(), again.updatedCache());
    assertEquals(first.fingerprint(), again.fingerprint());

    // Same size, same time: the cached hash stands (this is what makes the cache a cache) ...
    Path a = dir.resolve("a");
    FileTime time = Files.getLastModifiedTime(a);
    Files.writeString(a, "HELLO\n");
    Files.setLastModifiedTime(a, time);
    assertEquals(
        first.fingerprint(), FileFingerprint.of(dir, files, first.updatedCache()).fingerprint());
    // ... another time: read again.
    Files.setLastModifiedTime(a, FileTime.fromMillis(time.toMillis() + 2000));
    FileFingerprint.Result changed = FileFingerprint.of(dir, files, first.updatedCache());
    assertNotEquals(first.fingerprint(), changed.fingerprint());
    assertTrue(changed.cacheChanged());
    assertEquals(changed.fingerprint(), FileFingerprint.of(dir, files, null).fingerprint());
  }

  @Test
  void aCacheItCannotParseIsIgnored() throws IOException {
    Path dir = folder("x");
    String fresh = FileFingerprint.of(dir, List.of("a", "b"), null).fingerprint();
    for (String junk : List.of("", "cs4j-fingerprint 1\nnot a line\n", "{\"json\": 1}")) {
      assertEquals(fresh, FileFingerprint.of(dir, List.of("a", "b"), junk).fingerprint(), junk);
    }
  }

  @Test
  void theEmbeddedSubsetHasTheFingerprintOfItsFolder() throws IOException {
    Path dir = null;
    for (Path p = Path.of("").toAbsolutePath(); p != null && dir == null; p = p.getParent()) {
      Path candidate = p.resolve("test-data/fashion-mnist-subset");
      dir = Files.isDirectory(candidate) ? candidate : null;
    }
    assertTrue(dir != null, "test-data/fashion-mnist-subset not found");
    List<String> files = MnistFormat.FILES.stream().map(f -> f + ".gz").toList();
    assertEquals(
        FileFingerprint.of(dir, files, null).fingerprint(),
        EmbeddedDatasets.fashionMnistSubsetFingerprint());
  }
}
