package cs4j.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntBinaryOperator;
import javax.imageio.ImageIO;

/** Image files written with ImageIO for tests, and whole image folders made of them. */
public final class ImageFiles {
  private ImageFiles() {}

  /** A colour image w × h whose pixel (x, y) is {@code rgb(x, y)} (0xRRGGBB), as PNG or JPEG. */
  public static Path rgb(Path file, int w, int h, IntBinaryOperator rgb) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, rgb.applyAsInt(x, y));
      }
    }
    return write(img, file);
  }

  /** An 8-bit grey image w × h whose pixel (x, y) is {@code grey(x, y)}, as PNG. */
  public static Path grey(Path file, int w, int h, IntBinaryOperator grey) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.getRaster().setSample(x, y, 0, grey.applyAsInt(x, y));
      }
    }
    return write(img, file);
  }

  /**
   * An image folder in {@code dir}: for each of {@code classes} classes {@code c0, c1, …}, {@code
   * train} PNG images in {@code train/c<k>/} and {@code test} in {@code test/c<k>/}, 12 × 10
   * pixels, each a colour of its own that grows with the class.
   */
  public static Path folder(Path dir, int classes, int train, int test) throws IOException {
    int image = 0;
    for (int k = 0; k < classes; k++) {
      for (String split : new String[] {ImageFolder.TRAIN, ImageFolder.TEST}) {
        int n = split.equals(ImageFolder.TRAIN) ? train : test;
        for (int i = 0; i < n; i++, image++) {
          int shade = (40 * k + 3 * image) & 0xFF;
          Path f = dir.resolve(split).resolve("c" + k).resolve(String.format("%03d.png", i));
          rgb(f, 12, 10, (x, y) -> shade << 16 | ((x * 20) & 0xFF) << 8 | ((y * 25) & 0xFF));
        }
      }
    }
    return dir;
  }

  private static Path write(BufferedImage img, Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    String name = file.getFileName().toString();
    String format = name.endsWith(".png") ? "png" : "jpg";
    if (!ImageIO.write(img, format, file.toFile())) {
      throw new IOException("no ImageIO writer for " + format);
    }
    return file;
  }
}
