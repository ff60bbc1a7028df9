package io.autonf.flow;

/**
 * Arithmetic of the conditioner networks, which hold almost all of a flow's work.
 *
 * <p>Parameters, optimiser state and the elementwise flow maths (splines, affine maps, log-determinants)
 * stay in fp64 in both modes; {@code FP32} runs the networks' matrix products and activations on fp32
 * copies of the weights, which is where the speed is.
 */
public enum Precision {
    FP32,
    FP64;

    public static Precision parse(String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "fp32", "float32", "float" -> FP32;
            case "fp64", "float64", "double" -> FP64;
            default -> throw new IllegalArgumentException("unknown precision '" + text + "' (use fp32 or fp64)");
        };
    }
}
