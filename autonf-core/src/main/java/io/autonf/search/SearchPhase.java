package io.autonf.search;

import java.util.List;

/**
 * One visit of one block: layers {@code [firstLayer, endLayer)} are searched, the others are fixed or absent.
 *
 * @param index  position of this phase in the schedule, from 0
 * @param round  sweep over the blocks, from 1
 * @param block  which block, from 0
 * @param states what every layer of the flow does during this phase
 */
public record SearchPhase(int index, int round, int block, int firstLayer, int endLayer, List<LayerState> states) {

    public SearchPhase {
        if (index < 0 || round < 1 || block < 0) {
            throw new IllegalArgumentException("phase " + index + ", round " + round + ", block " + block + " is not valid");
        }
        states = List.copyOf(states);
        if (firstLayer < 0 || endLayer <= firstLayer || endLayer > states.size()) {
            throw new IllegalArgumentException("block layers [" + firstLayer + ", " + endLayer + ") do not fit "
                    + states.size() + " layers");
        }
        for (int i = 0; i < states.size(); i++) {
            boolean inBlock = i >= firstLayer && i < endLayer;
            if (inBlock != (states.get(i) == LayerState.MIXED)) {
                throw new IllegalArgumentException("layer " + i + " is " + states.get(i) + " but the block is ["
                        + firstLayer + ", " + endLayer + ")");
            }
        }
    }

    public int layers() {
        return states.size();
    }

    public LayerState state(int layer) {
        return states.get(layer);
    }

    /** The block's layers, in order. */
    public int[] mixedLayers() {
        int[] layers = new int[endLayer - firstLayer];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = firstLayer + i;
        }
        return layers;
    }

    /**
     * The roles for the mixture: fixed layers take their entry of {@code choice} (the current argmax per layer),
     * block layers are mixed, the rest absent.
     */
    public LayerRoles roles(int[] choice) {
        if (choice.length != states.size()) {
            throw new IllegalArgumentException("choice has " + choice.length + " layers, the phase " + states.size());
        }
        int[] roles = new int[states.size()];
        for (int i = 0; i < roles.length; i++) {
            roles[i] = switch (states.get(i)) {
                case MIXED -> LayerRoles.MIXED;
                case ABSENT -> LayerRoles.ABSENT;
                case FIXED -> {
                    if (choice[i] < 0) {
                        throw new IllegalArgumentException("layer " + i + " is fixed but has no choice (" + choice[i] + ")");
                    }
                    yield choice[i];
                }
            };
        }
        return new LayerRoles(roles);
    }
}
