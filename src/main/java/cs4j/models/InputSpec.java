package cs4j.models;

/** The shape of one input image and the number of classes a model is built for. */
public record InputSpec(int channels, int height, int width, int classes) {
  public static final InputSpec CIFAR10 = new InputSpec(3, 32, 32, 10);
  public static final InputSpec MNIST = new InputSpec(1, 28, 28, 10);

  public InputSpec {
    if (channels <= 0 || height <= 0 || width <= 0 || classes <= 1) {
      throw new IllegalArgumentException(
          "InputSpec: channels, height, width must be positive and classes >= 2, got " + this);
    }
  }
}
