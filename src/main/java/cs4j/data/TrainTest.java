package cs4j.data;

/** A dataset's official training and test sets. */
public record TrainTest(Dataset train, Dataset test) {}
