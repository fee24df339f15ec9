package cs4j.backend.cuda;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parameter types of each kernel entry in a PTX module ({@code .param .u64/.u32/.f32/.f64}),
 * read from the PTX text, so that every launch is checked against the kernel's real signature
 * before it reaches the driver: a wrong argument count or type would otherwise pass garbage to the
 * kernel silently.
 */
final class PtxSignatures {
  private static final Pattern ENTRY =
      Pattern.compile("\\.entry\\s+(\\w+)\\s*\\(([^)]*)\\)", Pattern.DOTALL);
  private static final Pattern PARAM = Pattern.compile("\\.param\\s+\\.(\\w+)");

  private final Map<String, List<String>> entries = new HashMap<>();

  PtxSignatures(String ptx) {
    Matcher e = ENTRY.matcher(ptx);
    while (e.find()) {
      List<String> types = new ArrayList<>();
      Matcher p = PARAM.matcher(e.group(2));
      while (p.find()) {
        types.add(p.group(1));
      }
      entries.put(e.group(1), List.copyOf(types));
    }
  }

  /** Kernel names → their parameter types, e.g. {@code [f32, u64, u32]}. */
  Map<String, List<String>> entries() {
    return entries;
  }

  /** The PTX type a launch argument is passed as: u64 for pointers and longs, else its type. */
  static String ptxType(Object arg) {
    if (arg == null
        || arg instanceof cs4j.tensor.Tensor
        || arg instanceof CudaLauncher.Temp
        || arg instanceof Long) {
      return "u64";
    } else if (arg instanceof Integer) {
      return "u32";
    } else if (arg instanceof Float) {
      return "f32";
    } else if (arg instanceof Double) {
      return "f64";
    }
    return arg.getClass().getSimpleName();
  }

  /** Throws when {@code args} do not match kernel {@code name}'s parameters in count and type. */
  void check(String module, String name, Object[] args) {
    List<String> types = entries.get(name);
    if (types == null) {
      throw new IllegalArgumentException("CUDA: no kernel " + name + " in module " + module);
    }
    if (types.size() != args.length) {
      throw new IllegalArgumentException(
          "CUDA: kernel "
              + name
              + " takes "
              + types.size()
              + " arguments "
              + types
              + ", the launch passes "
              + args.length);
    }
    for (int i = 0; i < args.length; i++) {
      String want = types.get(i).replace("s32", "u32").replace("s64", "u64");
      String got = ptxType(args[i]);
      if (!want.equals(got)) {
        throw new IllegalArgumentException(
            "CUDA: kernel "
                + name
                + " argument "
                + i
                + " is ."
                + want
                + ", the launch passes "
                + got);
      }
    }
  }
}
