package cs4j.cli;

import cs4j.backend.Devices;
import cs4j.tensor.Device;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code cs4j --version}: the build's version (from {@code cs4j/version.properties}, which Maven
 * fills in), the Java runtime, and the CPU engine that runs the kernels (so a bug report says
 * whether the Vector API path was on).
 */
final class VersionInfo implements IVersionProvider {
  private static final String RESOURCE = "/cs4j/version.properties";

  @Override
  public String[] getVersion() {
    return new String[] {
      "cs4j " + version(),
      "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
      Devices.describe(Device.CPU)
    };
  }

  /** The version Maven built, such as {@code 0.1.0-SNAPSHOT}. */
  static String version() {
    try (InputStream in = VersionInfo.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }
}
