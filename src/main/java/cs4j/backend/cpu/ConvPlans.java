package cs4j.backend.cpu;

import cs4j.backend.ConvGeometry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * The convolution plans of the layers seen, built once per (geometry, output channels): their step
 * tables run to about 100 KB a layer, and a training step uses each layer's plans every time (1.5
 * MB of tables per ResNet-20 step, 3.2 MB per VGG-16 step when built per call). Plans are
 * immutable, so the threads share them. New batch sizes add geometries; past {@value #MAX_PLANS}
 * plans of a kind the cache starts over.
 */
final class ConvPlans {
  private static final int MAX_PLANS = 256;

  private record Key(ConvGeometry g, int k) {}

  private final GemmKernel kernel;
  private final ConcurrentMap<Key, ChannelVectorForward> forwards = new ConcurrentHashMap<>();
  private final ConcurrentMap<Key, WeightGradient> gradients = new ConcurrentHashMap<>();

  ConvPlans(GemmKernel kernel) {
    this.kernel = kernel;
  }

  /** The small-map forward plan of a layer with k output channels. */
  ChannelVectorForward forward(ConvGeometry g, int k) {
    return cached(forwards, new Key(g, k), key -> new ChannelVectorForward(g, k, kernel));
  }

  /** The weight-gradient plan of a layer with k output channels ({@link WeightGradient#plan}). */
  WeightGradient gradient(ConvGeometry g, int k) {
    return cached(gradients, new Key(g, k), key -> WeightGradient.plan(g, k, kernel));
  }

  private static <P> P cached(ConcurrentMap<Key, P> plans, Key key, Function<Key, P> build) {
    P plan = plans.get(key);
    if (plan != null) {
      return plan;
    }
    if (plans.size() >= MAX_PLANS) {
      plans.clear();
    }
    return plans.computeIfAbsent(key, build);
  }
}
