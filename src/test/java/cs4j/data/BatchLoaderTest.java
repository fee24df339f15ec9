package cs4j.data;

import static cs4j.testing.TensorAssert.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.tensor.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BatchLoaderTest {
  /** Maps pixel p to p exactly, so images of {@link Datasets#indexed} reveal their index. */
  private static final Normalization IDENTITY =
      new Normalization(new float[] {0f}, new float[] {1f / 255f});

  private static final Dataset TEN = Datasets.indexed(10, 3, i -> i % 3);

  @Test
  void batchCountAndSizesFollowDropLast() {
    BatchLoader keep = loader(TEN, new LoaderOptions(4, true, false, 1));
    BatchLoader drop = loader(TEN, new LoaderOptions(4, true, true, 1));
    assertEquals(3, keep.batchesPerEpoch());
    assertEquals(2, drop.batchesPerEpoch());
    assertEquals(Shape.of(2, 1, 1, 2), keep.batch(0, 2).images().shape());
    assertEquals(Shape.of(2), keep.batch(0, 2).labels().shape());
    assertThrows(IndexOutOfBoundsException.class, () -> drop.batch(0, 2));
  }

  @Test
  void anEpochVisitsEveryImageOnceWithItsLabel() {
    BatchLoader l = loader(Datasets.indexed(300, 3, i -> i % 3), LoaderOptions.training(32, 9));
    boolean[] seen = new boolean[300];
    try (BatchStream s = l.epoch(0)) {
      while (s.hasNext()) {
        Batch b = s.next();
        int[] idx = indices(b);
        float[] labels = b.labels().toArray();
        for (int j = 0; j < idx.length; j++) {
          assertFalse(seen[idx[j]], "image " + idx[j] + " twice");
          seen[idx[j]] = true;
          assertEquals(idx[j] % 3, labels[j], 0f, "label of image " + idx[j]);
        }
      }
    }
    for (int i = 0; i < seen.length; i++) {
      assertTrue(seen[i], "image " + i + " never seen");
    }
  }

  @Test
  void sameSeedSameBatchesOtherEpochOtherOrder() {
    Dataset d = Datasets.indexed(200, 2, i -> i % 2);
    BatchLoader a = loader(d, LoaderOptions.training(50, 1234));
    BatchLoader b = loader(d, LoaderOptions.training(50, 1234));

    assertArrayEquals(a.order(3), b.order(3));
    assertArrayEquals(
        a.batch(3, 1).images().toArray(), b.batch(3, 1).images().toArray(), 0f, "same batch");
    assertFalse(Arrays.equals(a.order(3), a.order(4)), "epochs 3 and 4 have the same order");
    assertFalse(
        Arrays.equals(a.order(3), loader(d, LoaderOptions.training(50, 1235)).order(3)),
        "seeds 1234 and 1235 give the same order");
  }

  @Test
  void withoutShuffleTheOrderIsTheDatasetOrder() {
    BatchLoader l = loader(TEN, LoaderOptions.evaluation(4));
    assertArrayEquals(new int[] {8, 9}, indices(l.batch(5, 2)));
  }

  @Test
  void batchesAreNormalisedPerChannel() {
    byte[] pixels = DataFixtures.patternPixels(3, Cifar10.IMAGE_BYTES);
    Dataset d = new Dataset("cifar-shaped", pixels, new int[] {4, 5, 6}, 3, 32, 32, 10);
    BatchLoader l =
        new BatchLoader(d, Normalization.CIFAR10, Augmentation.NONE, LoaderOptions.evaluation(3));

    float[] expected = new float[pixels.length];
    float[] mean = Normalization.CIFAR10.mean();
    float[] std = Normalization.CIFAR10.std();
    for (int k = 0; k < pixels.length; k++) {
      int c = (k / 1024) % 3;
      expected[k] = ((pixels[k] & 0xFF) / 255f - mean[c]) / std[c];
    }
    Batch b = l.batch(0, 0);
    assertEquals(Shape.of(3, 3, 32, 32), b.images().shape());
    assertClose(expected, b.images(), 0, 1e-6, "normalised pixels");
    assertArrayEquals(new float[] {4, 5, 6}, b.labels().toArray(), 0f);
  }

  @Test
  void streamEqualsDirectBatchesAndResumesExactly() {
    byte[] pixels = DataFixtures.patternPixels(37, 3 * 8 * 8);
    int[] labels = new int[37];
    Arrays.setAll(labels, i -> i % 10);
    Dataset d = new Dataset("small", pixels, labels, 3, 8, 8, 10);
    LoaderOptions options = LoaderOptions.training(5, 77);
    BatchLoader l = new BatchLoader(d, Normalization.CIFAR10, RandomCropFlip.cifar(), options);

    List<float[]> full = new ArrayList<>();
    try (BatchStream s = l.epoch(2)) {
      s.forEachRemaining(b -> full.add(b.images().toArray()));
    }
    assertEquals(8, full.size());

    // A new loader, as after a restart, resumed at batch 5 of epoch 2.
    BatchLoader restarted =
        new BatchLoader(d, Normalization.CIFAR10, RandomCropFlip.cifar(), options);
    try (BatchStream s = restarted.epoch(2, 5)) {
      for (int b = 5; b < 8; b++) {
        assertEquals(b, s.position());
        assertArrayEquals(full.get(b), s.next().images().toArray(), 0f, "batch " + b);
      }
      assertFalse(s.hasNext());
    }
    assertArrayEquals(full.get(3), l.batch(2, 3).images().toArray(), 0f, "direct batch 3");
    assertFalse(
        Arrays.equals(full.get(3), l.batch(3, 3).images().toArray()),
        "epoch 3 repeats the batches (order and augmentation) of epoch 2");
  }

  @Test
  void failureOnThePrefetchThreadReachesTheConsumer() {
    AtomicInteger calls = new AtomicInteger();
    IllegalStateException boom = new IllegalStateException("boom");
    Augmentation failing =
        (src, srcOff, dst, dstOff, c, h, w, rng) -> {
          if (calls.incrementAndGet() == 6) {
            throw boom;
          }
          Augmentation.NONE.apply(src, srcOff, dst, dstOff, c, h, w, rng);
        };
    BatchLoader l = new BatchLoader(TEN, IDENTITY, failing, LoaderOptions.evaluation(4));

    try (BatchStream s = l.epoch(0)) {
      s.next(); // images 0..3
      DataLoadingException e = assertThrows(DataLoadingException.class, s::next);
      assertSame(boom, e.getCause());
      assertTrue(e.getMessage().contains("batch 1 of epoch 0"), e.getMessage());
      assertFalse(s.hasNext(), "a failed stream is closed");
    }
  }

  @Test
  void closeStopsThePrefetchThread() {
    BatchLoader l = loader(TEN, LoaderOptions.training(2, 1));
    int epoch = 4242;
    String name = "cs4j-batch-prefetch-epoch-" + epoch;
    BatchStream s = l.epoch(epoch);
    s.next();
    s.close();
    s.close(); // idempotent
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      assertFalse(t.getName().equals(name) && t.isAlive(), name + " still alive after close()");
    }
    assertThrows(IllegalStateException.class, s::next);
  }

  @Test
  void normalisationMustMatchTheChannels() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new BatchLoader(
                TEN, Normalization.CIFAR10, Augmentation.NONE, LoaderOptions.evaluation(2)));
  }

  private static BatchLoader loader(Dataset d, LoaderOptions options) {
    return new BatchLoader(d, IDENTITY, Augmentation.NONE, options);
  }

  /** The dataset indices in a batch of an {@link Datasets#indexed} dataset. */
  private static int[] indices(Batch b) {
    float[] x = b.images().toArray(); // B, 1, 1, 2
    int[] idx = new int[b.size()];
    for (int j = 0; j < idx.length; j++) {
      idx[j] = Math.round(x[2 * j]) * 256 + Math.round(x[2 * j + 1]);
    }
    return idx;
  }
}
