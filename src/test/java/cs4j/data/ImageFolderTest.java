package cs4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
  @TempDir Path tmp;

  @Test
  void classesAreTheSortedFolderNamesOfTrain() throws IOException {
    ImageFiles.grey(tmp.resolve("train/zebra/b.png"), 5, 5, (x, y) -> 200);
    ImageFiles.grey(tmp.resolve("train/zebra/a.png"), 5, 5, (x, y) -> 100);
    ImageFiles.rgb(tmp.resolve("train/ant/x.jpg"), 8, 8, (x, y) -> 0);
    ImageFiles.grey(tmp.resolve("test/zebra/t.png"), 5, 5, (x, y) -> 50);
    Files.writeString(tmp.resolve("train/zebra/.DS_Store"), "skipped");
    Files.createDirectories(tmp.resolve("test/ant")); // a class without test images

    ImageFolder.Listing l = ImageFolder.list(tmp);
    assertEquals(List.of("ant", "zebra"), l.classes());
    assertEquals(
        List.of(
            new ImageFolder.Entry("train/ant/x.jpg", 0),
            new ImageFolder.Entry("train/zebra/a.png", 1),
            new ImageFolder.Entry("train/zebra/b.png", 1)),
        l.train());
    assertEquals(List.of(new ImageFolder.Entry("test/zebra/t.png", 1)), l.test());

    Dataset train = ImageFolder.decode(tmp, l.train(), 2, new ImageDecoder(2, 1), "t");
    assertEquals(3, train.size());
    assertEquals(2, train.numClasses());
    assertArrayEquals(new int[] {0, 1, 1}, train.labels());
    assertArrayEquals(new byte[] {100, 100, 100, 100}, train.image(1));
  }

  @Test
  void anythingButImagesInClassFoldersIsRefusedByName() throws IOException {
    ImageFiles.grey(tmp.resolve("train/a/1.png"), 2, 2, (x, y) -> 0);
    Files.createDirectories(tmp.resolve("test"));
    Path notes = Files.writeString(tmp.resolve("train/a/notes.txt"), "x");
    assertMessage(notes.toString(), () -> ImageFolder.list(tmp));
    Files.delete(notes);

    Path stray = ImageFiles.grey(tmp.resolve("train/loose.png"), 2, 2, (x, y) -> 0);
    assertMessage(stray + ": not in a class folder", () -> ImageFolder.list(tmp));
    Files.delete(stray);

    Path unknown = ImageFiles.grey(tmp.resolve("test/b/1.png"), 2, 2, (x, y) -> 0);
    assertMessage(unknown.getParent() + ": not a class folder", () -> ImageFolder.list(tmp));
  }

  @Test
  void aMissingSplitIsNamed() throws IOException {
    ImageFiles.grey(tmp.resolve("train/a/1.png"), 2, 2, (x, y) -> 0);
    FileNotFoundException e =
        assertThrows(FileNotFoundException.class, () -> ImageFolder.list(tmp));
    assertTrue(e.getMessage().contains("no test/ directory"), e.getMessage());
  }

  @Test
  void anUndecodableImageIsRefusedByName() throws IOException {
    ImageFiles.grey(tmp.resolve("train/a/1.png"), 2, 2, (x, y) -> 0);
    Path broken = Files.writeString(tmp.resolve("train/a/2.png"), "truncated");
    Files.createDirectories(tmp.resolve("test"));
    ImageFolder.Listing l = ImageFolder.list(tmp);
    assertMessage(
        broken.toString(),
        () -> ImageFolder.decode(tmp, l.train(), 1, new ImageDecoder(2, 3), "t"));
  }

  @Test
  void theCacheGivesBackWhatItWasGivenForItsKeyOnly() throws IOException {
    ImageFiles.folder(tmp.resolve("d"), 2, 3, 1);
    ImageFolder.Listing l = ImageFolder.list(tmp.resolve("d"));
    Dataset d = ImageFolder.decode(tmp.resolve("d"), l.train(), 2, new ImageDecoder(4, 3), "t");
    Path file = Files.write(tmp.resolve("cache.bin"), ImageCache.encode(d, "key 4px"));

    Dataset back = ImageCache.read(file, "key 4px", "back");
    assertEquals(d.toString().replace("Dataset t", "Dataset back"), back.toString());
    assertArrayEquals(d.labels(), back.labels());
    for (int i = 0; i < d.size(); i++) {
      assertArrayEquals(d.image(i), back.image(i), "image " + i);
    }
    assertNull(ImageCache.read(file, "key 8px", "x"), "another key");
    assertNull(ImageCache.read(tmp.resolve("none.bin"), "key 4px", "x"), "no file");
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 1));
    assertNull(ImageCache.read(file, "key 4px", "x"), "truncated");
  }

  private interface Action {
    void run() throws IOException;
  }

  private static void assertMessage(String expected, Action action) {
    IOException e = assertThrows(IOException.class, action::run);
    assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in " + e);
  }
}
