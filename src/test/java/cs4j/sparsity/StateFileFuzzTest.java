package cs4j.sparsity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.io.Safetensors;
import cs4j.io.SafetensorsFile;
import cs4j.optim.ParamGroup;
import cs4j.optim.Sgd;
import cs4j.tensor.Rng;
import cs4j.tensor.Tensor;
import cs4j.testing.Fixtures;
import cs4j.testing.FuzzCampaign;
import cs4j.testing.Mutator;
import cs4j.train.Checkpoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The safetensors readers on thousands of seeded mutations of small valid files: a file written by
 * Python with every dtype (the plain reader), and cs4j's checkpoint, rewind snapshot and mask files
 * (see {@link FuzzCampaign} for the contract and the properties that make it longer). Half the
 * cases mutate the JSON header as text (numbers, strings, names, dtypes, nesting), with or without
 * a corrected length; the others mutate bytes anywhere.
 */
class StateFileFuzzTest {
  private static final int CASES = FuzzCampaign.cases(3000);
  private static final long FIXED_BYTES = 16 << 20;
  private static final int BYTES_PER_INPUT_BYTE = 64; // the header's JSON as strings and maps
  private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?");
  // NOTE: unrolled and possessive: an alternation inside * recurses per character in
  // java.util.regex
  private static final Pattern STRING = Pattern.compile("\"[^\"\\\\]*+(?:\\\\.[^\"\\\\]*+)*+\"");
  private static final List<String> NUMBERS =
      List.of(
          "0",
          "1",
          "-1",
          "4",
          "3.5",
          "2147483648",
          "9223372036854775807",
          "18446744073709551616",
          "1e999",
          "\"five\"",
          "[]",
          "{}",
          "null");
  private static final List<String> STRINGS =
      List.of(
          "\"\"",
          "\"__metadata__\"",
          "\"five\"",
          "\"-1\"",
          "\"F64\"",
          "\"I64\"",
          "\"I32\"",
          "\"U8\"",
          "\"BOOL\"",
          "\"F16\"",
          "1",
          "null");

  @TempDir Path dir;

  @Test
  void plainReaderOnAFileWithEveryDtype() throws IOException {
    byte[] valid = Files.readAllBytes(Fixtures.dir().resolve("safetensors_dtypes.safetensors"));
    campaign(
        "safetensors (Python-written, every dtype)",
        valid,
        file -> {
          SafetensorsFile f = Safetensors.read(file);
          long data = 0;
          for (String name : f.names()) {
            assertTrue(!name.isEmpty(), "a tensor has an empty name");
            Tensor t = f.tensor(name);
            assertEquals(f.shape(name), t.shape());
            data += (long) t.numel() * f.dtype(name).bytes();
          }
          byte[] b = Files.readAllBytes(file);
          long headerLength = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong();
          assertEquals(b.length, 8 + headerLength + data, "header and tensors fill the file");
        });
  }

  @Test
  void checkpointReader() throws IOException {
    TinyNet net = new TinyNet(1);
    Sgd sgd = sgdWithMomentum(net, 2);
    Path valid = dir.resolve("valid.safetensors");
    Checkpoint.save(valid, net, List.of(sgd), new Checkpoint.Position(2, 3), Map.of("k", "v"));
    TinyNet into = new TinyNet(3);
    Sgd intoSgd = sgdWithMomentum(into, 4);
    campaign(
        "checkpoint (Checkpoint.load)",
        Files.readAllBytes(valid),
        file -> {
          Checkpoint.Restored r = Checkpoint.load(file, into, List.of(intoSgd));
          assertTrue(r.position().epoch() >= 0 && r.position().step() >= 0, r.toString());
          assertStateIsTheFiles(file, into.stateDict());
        });
  }

  @Test
  void rewindSnapshotReader() throws IOException {
    TinyNet net = new TinyNet(1);
    Path valid = dir.resolve("valid.safetensors");
    RunFiles.saveSnapshot(valid, net);
    TinyNet into = new TinyNet(3);
    campaign(
        "rewind snapshot (RunFiles.restoreSnapshot)",
        Files.readAllBytes(valid),
        file -> {
          RunFiles.restoreSnapshot(file, into);
          assertStateIsTheFiles(file, into.stateDict());
        });
  }

  @Test
  void maskReader() throws IOException {
    TinyNet net = new TinyNet(1);
    Rng rng = new Rng(5);
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (var e : LayerSelection.CONVS_AND_LINEAR.select(net).entrySet()) {
      Tensor w = e.getValue().weight().value();
      float[] u = Tensor.uniform(rng, 0, 1, w.numel()).toArray();
      for (int k = 0; k < u.length; k++) {
        u[k] = u[k] < 0.5f ? 0 : 1;
      }
      m.put(e.getKey(), Tensor.of(u, w.shape().dims()));
    }
    Path valid = dir.resolve("valid.safetensors");
    Masks.of("tiny", m).save(valid);
    campaign(
        "masks (Masks.load)",
        Files.readAllBytes(valid),
        file -> {
          Masks loaded = Masks.load(file, "tiny", net, LayerSelection.CONVS_AND_LINEAR);
          Map<String, Tensor> withSuffix = new LinkedHashMap<>();
          loaded.tensors().forEach((layer, t) -> withSuffix.put(layer + ".mask", t));
          assertStateIsTheFiles(file, withSuffix);
        });
  }

  /** What a case checks after a load: the load was correct. */
  private interface Check {
    void loaded(Path file) throws Exception;
  }

  private void campaign(String format, byte[] valid, Check check) throws IOException {
    Path file = dir.resolve("fuzzed.safetensors");
    List<Mutator.Field> fields =
        List.of(new Mutator.Field("header length", 0, 8, ByteOrder.LITTLE_ENDIAN));
    FuzzCampaign campaign = new FuzzCampaign(format);
    for (int i = 0; i < CASES; i++) {
      long seed = FuzzCampaign.seed(format, i);
      Mutator m = new Mutator(seed);
      byte[] bytes = m.random().nextBoolean() ? mutateHeader(m, valid) : m.mutate(valid, fields);
      Files.write(file, bytes);
      long bound = FIXED_BYTES + BYTES_PER_INPUT_BYTE * (long) bytes.length;
      campaign.run(seed, m, file.toString(), bound, () -> check.loaded(file));
    }
    campaign.report();
  }

  /**
   * One to three edits of the JSON header as text: a number or a string replaced by a boundary
   * value, another name (a duplicate) or a dtype, a number wrapped in deep nesting, a character
   * deleted; then the stored length is corrected, most of the time.
   */
  private static byte[] mutateHeader(Mutator m, byte[] valid) {
    ByteBuffer b = ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN);
    int n = (int) b.getLong();
    String header = new String(valid, 8, n, StandardCharsets.UTF_8);
    int rounds = 1 + m.random().nextInt(3);
    for (int r = 0; r < rounds; r++) {
      header =
          switch (m.random().nextInt(4)) {
            case 0 -> replaceToken(m, header, NUMBER, NUMBERS, "number");
            case 1 -> replaceToken(m, header, STRING, stringChoices(header), "string");
            case 2 -> nest(m, header);
            default -> deleteChar(m, header);
          };
    }
    byte[] json = header.getBytes(StandardCharsets.UTF_8);
    boolean fixLength = m.random().nextInt(4) != 0;
    m.note(fixLength ? "length corrected" : "length kept");
    ByteBuffer out =
        ByteBuffer.allocate(8 + json.length + valid.length - 8 - n).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(fixLength ? json.length : n).put(json).put(valid, 8 + n, valid.length - 8 - n);
    return out.array();
  }

  /** The fixed string replacements, plus every string of the header (names, dtypes, values). */
  private static List<String> stringChoices(String header) {
    List<String> choices = new ArrayList<>(STRINGS);
    Matcher s = STRING.matcher(header);
    while (s.find()) {
      choices.add(s.group());
    }
    return choices;
  }

  private static String replaceToken(
      Mutator m, String header, Pattern token, List<String> choices, String what) {
    List<int[]> spans = spans(token, header);
    if (spans.isEmpty()) {
      return header;
    }
    int[] span = spans.get(m.random().nextInt(spans.size()));
    String by = choices.get(m.random().nextInt(choices.size()));
    m.note(what + " " + header.substring(span[0], span[1]) + " at " + span[0] + " -> " + by);
    return header.substring(0, span[0]) + by + header.substring(span[1]);
  }

  private static String nest(Mutator m, String header) {
    List<int[]> spans = spans(NUMBER, header);
    if (spans.isEmpty()) {
      return header;
    }
    int[] span = spans.get(m.random().nextInt(spans.size()));
    int[] depths = {1, 127, 128, 129, 1000, 5000};
    int depth = depths[m.random().nextInt(depths.length)];
    m.note("number at " + span[0] + " nested " + depth + " deep");
    return header.substring(0, span[0])
        + "[".repeat(depth)
        + header.substring(span[0], span[1])
        + "]".repeat(depth)
        + header.substring(span[1]);
  }

  private static String deleteChar(Mutator m, String header) {
    if (header.isEmpty()) {
      return header;
    }
    int at = m.random().nextInt(header.length());
    m.note("delete '" + header.charAt(at) + "' at " + at);
    return header.substring(0, at) + header.substring(at + 1);
  }

  private static List<int[]> spans(Pattern token, String header) {
    List<int[]> spans = new ArrayList<>();
    Matcher t = token.matcher(header);
    while (t.find()) {
      spans.add(new int[] {t.start(), t.end()});
    }
    return spans;
  }

  /** Each of {@code loaded} holds, bit for bit, the file's tensor of that name. */
  private static void assertStateIsTheFiles(Path file, Map<String, Tensor> loaded)
      throws IOException {
    SafetensorsFile f = Safetensors.read(file);
    for (Map.Entry<String, Tensor> e : loaded.entrySet()) {
      assertArrayEquals(
          bits(f.tensor(e.getKey()).toArray()), bits(e.getValue().toArray()), e.getKey());
    }
  }

  private static int[] bits(float[] v) {
    int[] out = new int[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Float.floatToRawIntBits(v[i]);
    }
    return out;
  }

  private static Sgd sgdWithMomentum(TinyNet net, long seed) {
    Sgd sgd = new Sgd(ParamGroup.nesterov(net.parameters(), 0.1, 0.9, 0));
    Rng rng = new Rng(seed);
    List<Tensor> buffers = new ArrayList<>();
    net.parameters().forEach(p -> buffers.add(Tensor.normal(rng, 0, 1, p.value().shape().dims())));
    sgd.loadMomentumBuffers(buffers);
    return sgd;
  }
}
