package cs4j.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.ops.Ops;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;

/**
 * The CPU face of {@link MemoryScope}: host storage allocated in a scope is lent from the thread's
 * {@link HostPool}, comes back when the scope closes, is handed out again (zeroed) by the next
 * scope, and refuses every use once released.
 */
class HostPoolTest {
  /**
   * A length no other test of this class allocates, so pools left by earlier tests do not count.
   */
  private static int fresh = 10_007;

  private static synchronized int freshLength() {
    return fresh += 13;
  }

  private static float[] array(Tensor t) {
    return ((HostStorage) t.storage()).data();
  }

  @Test
  void withNoScopeOpenCpuStorageIsPlainAndReleaseLeavesItAlone() {
    Tensor t = Tensor.zeros(freshLength());
    assertSame(HostStorage.class, t.storage().getClass());
    t.release();
    array(t)[0] = 1f; // still the caller's, as before pooling
  }

  @Test
  void aTensorUsedAfterItsScopeClosedFailsLoudly() {
    Tensor t;
    try (MemoryScope step = Device.CPU.openScope()) {
      t = Tensor.zeros(freshLength());
      assertTrue(t.storage() instanceof ReleasableStorage);
    }
    assertTrue(((ReleasableStorage) t.storage()).isReleased());
    IllegalStateException e = assertThrows(IllegalStateException.class, t::toArray);
    assertTrue(e.getMessage().contains("used after its memory was released"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> Ops.add(t, t)); // a kernel's read, too
    Tensor view = t.withShape(-1);
    assertThrows(IllegalStateException.class, view::toArray); // views share the storage
  }

  @Test
  void theNextScopeTakesTheSameArraysZeroed() {
    int n = freshLength();
    float[] first;
    float[] second;
    try (MemoryScope step = Device.CPU.openScope()) {
      Tensor a = Tensor.zeros(n);
      Tensor b = Ops.add(a, a); // an op's output is lent as well
      first = array(a);
      second = array(b);
      Arrays.fill(first, 3f);
      Arrays.fill(second, 4f);
    }
    try (MemoryScope step = Device.CPU.openScope()) {
      Tensor c = Tensor.zeros(n);
      Tensor d = Tensor.zeros(n);
      assertTrue(first == array(c) && second == array(d), "tensor for tensor, in allocation order");
      assertArrayEquals(new float[n], array(c)); // Device.allocate returns zeros
      assertArrayEquals(new float[n], array(d));
    }
  }

  @Test
  void anUninitializedAllocationTakesAFreeArrayAsItIs() {
    int n = freshLength();
    float[] first;
    try (MemoryScope step = Device.CPU.openScope()) {
      first = array(Tensor.zeros(n));
      Arrays.fill(first, 3f);
    }
    HostPool.local().fillFree(Float.NaN); // what tests poison the pool with
    try (MemoryScope step = Device.CPU.openScope()) {
      Tensor t = Tensor.uninitialized(Shape.of(n), Device.CPU);
      assertSame(first, array(t));
      assertTrue(Float.isNaN(array(t)[n - 1]), "not zero-filled: its kernel overwrites it");
    }
    Tensor unscoped = Tensor.uninitialized(Shape.of(n), Device.CPU);
    assertArrayEquals(new float[n], array(unscoped)); // a new array, as with no pool
  }

  @Test
  void releaseInsideAScopeHandsTheArrayToTheNextAllocation() {
    int n = freshLength();
    try (MemoryScope step = Device.CPU.openScope()) {
      Tensor a = Tensor.zeros(n);
      float[] lent = array(a);
      a.release();
      assertThrows(IllegalStateException.class, a::toArray);
      assertTrue(lent == array(Tensor.zeros(n)), "the released array is lent again");
    }
  }

  @Test
  void aKeptTensorSurvivesItsScopeAndItsArrayIsNotLentAgain() {
    int n = freshLength();
    Tensor permanent;
    try (MemoryScope step = Device.CPU.openScope()) {
      permanent = step.keep(Tensor.zeros(n));
      Arrays.fill(array(permanent), 5f);
    }
    try (MemoryScope step = Device.CPU.openScope()) {
      assertNotSame(array(permanent), array(Tensor.zeros(n)));
    }
    float[] fives = new float[n];
    Arrays.fill(fives, 5f);
    assertArrayEquals(fives, permanent.toArray());

    Tensor kept;
    try (MemoryScope outer = Device.CPU.openScope()) {
      try (MemoryScope inner = Device.CPU.openScope()) {
        kept = inner.keep(Tensor.zeros(n)); // to the outer scope
      }
      assertFalse(((ReleasableStorage) kept.storage()).isReleased());
      try (MemoryScope inner = Device.CPU.openScope()) {
        assertNotSame(array(kept), array(Tensor.zeros(n)));
      }
      kept.toArray();
    }
    assertThrows(IllegalStateException.class, kept::toArray); // the outer scope released it
  }

  @Test
  void aScopeThatDidNotUseAFreeArrayDropsIt() {
    int n = freshLength();
    float[] old;
    try (MemoryScope step = Device.CPU.openScope()) {
      old = array(Tensor.zeros(n));
    }
    try (MemoryScope other = Device.CPU.openScope()) {
      Tensor.zeros(freshLength()); // other shapes only: the free array of n lies unused
    }
    try (MemoryScope step = Device.CPU.openScope()) {
      assertNotSame(old, array(Tensor.zeros(n)));
    }
  }

  @Test
  void parallelThreadsNeverShareAnArray() throws Exception {
    int n = freshLength();
    int threads = 3;
    CyclicBarrier barrier = new CyclicBarrier(threads);
    List<Set<float[]>> seen = new ArrayList<>();
    List<Thread> workers = new ArrayList<>();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < threads; i++) {
      Set<float[]> mine = Collections.newSetFromMap(new IdentityHashMap<>());
      seen.add(mine);
      Thread w =
          new Thread(
              () -> {
                try {
                  for (int step = 0; step < 20; step++) {
                    barrier.await(); // every thread's previous step has closed
                    try (MemoryScope s = Device.CPU.openScope()) {
                      mine.add(array(Tensor.zeros(n)));
                      mine.add(array(Tensor.zeros(n)));
                    }
                  }
                } catch (Throwable t) {
                  failures.add(t);
                }
              });
      workers.add(w);
      w.start();
    }
    for (Thread w : workers) {
      w.join();
    }
    assertTrue(failures.isEmpty(), failures.toString());
    for (int i = 0; i < threads; i++) {
      assertTrue(seen.get(i).size() == 2, "thread " + i + " reuses its two arrays: " + seen.get(i));
      for (int j = i + 1; j < threads; j++) {
        for (float[] a : seen.get(i)) {
          assertFalse(seen.get(j).contains(a), "threads " + i + " and " + j + " share an array");
        }
      }
    }
  }

  @Test
  void anArrayReleasedOnAnotherThreadIsNotRecycled() throws Exception {
    int n = freshLength();
    Tensor t;
    float[] lent;
    try (MemoryScope step = Device.CPU.openScope()) {
      t = step.keep(Tensor.zeros(n));
      lent = array(t);
    }
    Thread other = new Thread(t::release);
    other.start();
    other.join();
    assertThrows(IllegalStateException.class, t::toArray);
    try (MemoryScope step = Device.CPU.openScope()) {
      assertNotSame(lent, array(Tensor.zeros(n))); // the owner's pool never saw it back
    }
  }
}
