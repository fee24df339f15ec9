package cs4j.io;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only crash points: places where the crash test kills the JVM, to prove that a run resumes
 * exactly from whatever a crash there leaves. Inert unless the system property {@value #PROPERTY}
 * is {@code <point>:<n>}: then the n-th time this process reaches {@code point} it halts at once
 * with exit code {@value #EXIT_CODE} ({@link Runtime#halt}: no finally blocks, no shutdown hooks,
 * locks released by the operating system, as after {@code kill -9}).
 *
 * <p>The points: {@code checkpoint}, a training checkpoint was just written; {@code metrics}, an
 * epoch's metrics line was just appended, its checkpoint not yet written; {@code atomic-write}, the
 * atomic writer's temporary is complete and forced to disk, not yet renamed. Each is reached at
 * most once per checkpoint or file written, never per training step otherwise.
 */
public final class CrashPoint {
  public static final String PROPERTY = "cs4j.test.crashAt";
  public static final int EXIT_CODE = 86;

  private static final String POINT;
  private static final int AT;
  private static final AtomicInteger REACHED = new AtomicInteger();

  static {
    String spec = System.getProperty(PROPERTY);
    int colon = spec == null ? -1 : spec.lastIndexOf(':');
    if (spec != null && (colon <= 0 || !spec.substring(colon + 1).matches("[1-9][0-9]{0,8}"))) {
      throw new IllegalStateException(PROPERTY + " must be <point>:<n>, n >= 1; got " + spec);
    }
    POINT = spec == null ? null : spec.substring(0, colon);
    AT = spec == null ? 0 : Integer.parseInt(spec.substring(colon + 1));
  }

  private CrashPoint() {}

  /** Halts the JVM if this is the scripted crash (see the class comment); else does nothing. */
  public static void reached(String point) {
    if (point.equals(POINT) && REACHED.incrementAndGet() == AT) {
      Runtime.getRuntime().halt(EXIT_CODE);
    }
  }
}
