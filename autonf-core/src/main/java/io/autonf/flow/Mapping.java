package io.autonf.flow;

/** The result of applying a transform: the outputs and log|det J| of the map, one value per sample. */
public record Mapping(Batch outputs, double[] logAbsDet) {

    public Mapping {
        if (outputs.rows() != logAbsDet.length) {
            throw new IllegalArgumentException(
                    "mapping has " + outputs.rows() + " outputs but " + logAbsDet.length + " log-determinants");
        }
    }
}
