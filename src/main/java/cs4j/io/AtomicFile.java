package cs4j.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The one way cs4j writes a whole file, so that readers find the old file or the new one, never a
 * part of one, even after a crash or a power loss:
 *
 * <ol>
 *   <li>the content goes to a temporary {@code .<name>.<random UUID>.tmp} in the target's directory
 *       (same file system, so the rename below is atomic);
 *   <li>the temporary is forced to disk;
 *   <li>it is renamed over the target;
 *   <li>the directory is forced to disk, so that the rename itself survives a crash.
 * </ol>
 *
 * <p>The file gets the permissions of any newly created file (0666 less the umask, usually 0644).
 * NOTE: not {@code Files.createTempFile}, whose owner-only 0600 the rename would keep.
 *
 * <p>The target's directory must exist: creating directories is the caller's decision. If anything
 * fails, the temporary is removed and the target is left as it was.
 */
public final class AtomicFile {
  private static final int BUFFER_BYTES = 1 << 16;

  private AtomicFile() {}

  /** Writes the content of a file to {@code out}; must not close it. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  public static void writeString(Path target, String text) throws IOException {
    writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
  }

  public static void writeBytes(Path target, byte[] bytes) throws IOException {
    write(target, out -> out.write(bytes));
  }

  /** Replaces {@code target} with what {@code content} writes, atomically and durably. */
  public static void write(Path target, Content content) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Path tmp = TemporaryFiles.beside(absolute);
    try {
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), BUFFER_BYTES);
        content.writeTo(out);
        out.flush();
        ch.force(true);
      }
      CrashPoint.reached("atomic-write");
      Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp); // only still there if something failed
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }
}
