package io.autonf.search;

import java.util.ArrayList;
import java.util.List;

/**
 * The order in which a search visits its blocks, and what the other layers do meanwhile.
 *
 * <p>Layers are cut into blocks of {@code blockSize} consecutive layers (the last one may be shorter). Both
 * methods start with the same greedy sweep: block k is searched with the blocks before it fixed at their argmax
 * and the blocks after it absent. A block that has never been searched has no meaningful choice yet (its α is
 * still uniform, and an argmax of uniform weights is just option 0), so rather than letting an arbitrary option
 * shape the early decisions, the first sweep builds the flow up from the data side. That first sweep is all of
 * {@link SearchMethod#GROW}. {@link SearchMethod#BLOCK} then sweeps again, {@code rounds - 1} more times, every
 * block now searched with <em>all</em> other layers present and fixed at their current argmax, so each choice is
 * revised in the context of the whole flow. With one round the two methods coincide.
 */
public final class SearchSchedule {

    private SearchSchedule() {
    }

    /** The schedule of {@code config}. */
    public static List<SearchPhase> of(SearchConfig config) {
        return of(config.method(), config.space().layers(), config.blockSize(), config.rounds());
    }

    public static List<SearchPhase> of(SearchMethod method, int layers, int blockSize, int rounds) {
        if (layers < 1 || blockSize < 1 || blockSize > layers) {
            throw new IllegalArgumentException("block size " + blockSize + " does not fit " + layers + " layers");
        }
        if (rounds < 1 || (method == SearchMethod.GROW && rounds != 1)) {
            throw new IllegalArgumentException(method + " cannot run " + rounds + " rounds");
        }
        int blocks = (layers + blockSize - 1) / blockSize;
        List<SearchPhase> phases = new ArrayList<>(blocks * rounds);
        for (int round = 1; round <= rounds; round++) {
            for (int block = 0; block < blocks; block++) {
                int first = block * blockSize;
                int end = Math.min(layers, first + blockSize);
                List<LayerState> states = new ArrayList<>(layers);
                for (int i = 0; i < layers; i++) {
                    if (i >= first && i < end) {
                        states.add(LayerState.MIXED);
                    } else if (i < first || round > 1) {
                        states.add(LayerState.FIXED);
                    } else {
                        states.add(LayerState.ABSENT);
                    }
                }
                phases.add(new SearchPhase(phases.size(), round, block, first, end, states));
            }
        }
        return List.copyOf(phases);
    }
}
