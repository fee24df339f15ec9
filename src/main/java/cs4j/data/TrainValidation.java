package cs4j.data;

/** A training set split into the part trained on and the part held out for validation. */
public record TrainValidation(Dataset train, Dataset validation) {}
