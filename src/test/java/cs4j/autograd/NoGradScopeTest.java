package cs4j.autograd;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cs4j.ops.Ops;
import cs4j.tensor.Tensor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Graph.noGrad(): nothing is recorded inside, nesting restores, and it is per thread. */
class NoGradScopeTest {
  private final Tensor x = Tensor.of(new float[] {1f, -2f}, 2).requiresGrad(true);

  @Test
  void opsInsideRecordNothing() {
    Tensor y;
    try (var scope = Graph.noGrad()) {
      assertFalse(Graph.isRecording(), "recording off inside");
      y = Ops.sigmoid(Ops.add(x, x));
    }
    assertFalse(y.requiresGrad(), "output of a no-grad op does not require a gradient");
    assertNull(y.gradFn(), "and has no node");
    assertTrue(Graph.isRecording(), "recording back on after the scope");
    assertTrue(Ops.relu(x).requiresGrad(), "ops record again after the scope");
  }

  @Test
  void nestedScopesRestoreTheOuterState() {
    var outer = Graph.noGrad();
    var inner = Graph.noGrad();
    inner.close();
    assertFalse(Graph.isRecording(), "still off after closing the inner scope");
    assertFalse(Ops.relu(x).requiresGrad(), "ops in the outer scope record nothing");
    inner.close(); // closing twice is harmless
    assertFalse(Graph.isRecording(), "a second close of the inner scope changes nothing");
    outer.close();
    assertTrue(Graph.isRecording(), "on after the outer scope closes");
  }

  @Test
  void scopeIsPerThread() throws InterruptedException {
    AtomicBoolean otherRecords = new AtomicBoolean();
    try (var scope = Graph.noGrad()) {
      Thread t = new Thread(() -> otherRecords.set(Ops.relu(x).requiresGrad()));
      t.start();
      t.join();
    }
    assertTrue(otherRecords.get(), "another thread keeps recording");
  }

  @Test
  void backwardOfAnUnrecordedLossIsAClearError() {
    Tensor loss;
    try (var scope = Graph.noGrad()) {
      loss = Ops.sum(x);
    }
    Tensor l = loss;
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> Autograd.backward(l));
    assertTrue(e.getMessage().contains("noGrad"), e.getMessage());
  }
}
