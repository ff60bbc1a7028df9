package io.autonf.ga;

import io.autonf.flow.Architecture;
import io.autonf.flow.LayerKind;
import io.autonf.search.AutoNfSearch;
import io.autonf.search.SearchSpace;
import io.jenetics.Genotype;
import io.jenetics.IntegerChromosome;
import io.jenetics.IntegerGene;
import io.jenetics.engine.Codec;
import io.jenetics.util.Factory;
import io.jenetics.util.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Genotype of an architecture of a {@link SearchSpace}: one {@link IntegerChromosome} with one gene per layer,
 * the gene's value the index of the layer's option. Jenetics' integer ranges exclude their upper end, so every
 * gene lies in {@code [0, options)}.
 *
 * <p>Decoding gives the architecture {@link AutoNfSearch#architecture} gives for the same choice at one-hot
 * weights, so the GA and AutoNF return the same architecture for the same choice: {@link LayerKind#IDENTITY}
 * layers are dropped, and a choice of identity in every layer becomes the first non-identity option alone (a flow
 * needs one layer). With identity among the options several genotypes therefore decode to one architecture;
 * {@link #encode} returns the canonical one (the layers in order, identity after them).
 */
public final class ArchitectureCodec implements Codec<Architecture, IntegerGene> {

    private final SearchSpace space;
    private final Genotype<IntegerGene> prototype;

    public ArchitectureCodec(SearchSpace space) {
        if (space == null) {
            throw new IllegalArgumentException("a search space is required");
        }
        if (space.options().stream().allMatch(k -> k == LayerKind.IDENTITY)) {
            throw new IllegalArgumentException("'identity' cannot be the only option: the flow would have no layer");
        }
        this.space = space;
        this.prototype = Genotype.of(IntegerChromosome.of(new IntRange(0, space.optionCount()), space.layers()));
    }

    public SearchSpace space() {
        return space;
    }

    @Override
    public Factory<Genotype<IntegerGene>> encoding() {
        return prototype;
    }

    @Override
    public Function<Genotype<IntegerGene>, Architecture> decoder() {
        return this::decode;
    }

    @Override
    public Architecture decode(Genotype<IntegerGene> genotype) {
        return decode(choice(genotype));
    }

    /** The architecture of an option index per layer (see the class documentation). */
    public Architecture decode(int[] choice) {
        requireChoice(choice);
        return AutoNfSearch.architecture(choice, oneHot(choice, space.optionCount()), space.options());
    }

    /** The option index of every layer. */
    public int[] choice(Genotype<IntegerGene> genotype) {
        if (genotype == null || genotype.length() != 1) {
            throw new IllegalArgumentException("an architecture genotype has exactly one chromosome, got "
                    + (genotype == null ? "none" : genotype.length()));
        }
        int[] choice = new int[genotype.chromosome().length()];
        for (int i = 0; i < choice.length; i++) {
            choice[i] = genotype.chromosome().get(i).intValue();
        }
        requireChoice(choice);
        return choice;
    }

    /**
     * The canonical genotype of {@code architecture}: its layers' options in order, then identity for the layers
     * it does not use.
     *
     * @throws IllegalArgumentException when the architecture is not one this space decodes to (too many layers, a
     *                                  layer that is not an option, an identity layer, or fewer layers than the
     *                                  space without identity among the options)
     */
    public Genotype<IntegerGene> encode(Architecture architecture) {
        if (architecture == null) {
            throw new IllegalArgumentException("an architecture is required");
        }
        if (architecture.size() > space.layers()) {
            throw new IllegalArgumentException("architecture " + architecture + " has " + architecture.size()
                    + " layers; the space has " + space.layers());
        }
        int identity = space.options().indexOf(LayerKind.IDENTITY);
        if (architecture.size() < space.layers() && identity < 0) {
            throw new IllegalArgumentException("architecture " + architecture + " has " + architecture.size()
                    + " layers; without 'identity' among the options every architecture has " + space.layers());
        }
        List<IntegerGene> genes = new ArrayList<>(space.layers());
        IntRange range = new IntRange(0, space.optionCount());
        for (LayerKind kind : architecture.layers()) {
            int j = space.options().indexOf(kind);
            if (j < 0 || kind == LayerKind.IDENTITY) {
                throw new IllegalArgumentException("layer '" + kind + "' of " + architecture + " is not a layer this "
                        + "space decodes to (options " + space.options() + ")");
            }
            genes.add(IntegerGene.of(j, range));
        }
        while (genes.size() < space.layers()) {
            genes.add(IntegerGene.of(identity, range));
        }
        return Genotype.of(IntegerChromosome.of(genes));
    }

    /** The genotype of an option index per layer. */
    public Genotype<IntegerGene> genotype(int[] choice) {
        requireChoice(choice);
        IntRange range = new IntRange(0, space.optionCount());
        List<IntegerGene> genes = new ArrayList<>(choice.length);
        for (int c : choice) {
            genes.add(IntegerGene.of(c, range));
        }
        return Genotype.of(IntegerChromosome.of(genes));
    }

    /** weights[i][j] = 1 where layer i chooses option j, else 0: the α of a fixed architecture. */
    public static double[][] oneHot(int[] choice, int options) {
        double[][] w = new double[choice.length][options];
        for (int i = 0; i < choice.length; i++) {
            w[i][choice[i]] = 1;
        }
        return w;
    }

    private void requireChoice(int[] choice) {
        if (choice == null || choice.length != space.layers()) {
            throw new IllegalArgumentException("a choice needs one option per layer (" + space.layers() + "), got "
                    + (choice == null ? "none" : choice.length));
        }
        for (int i = 0; i < choice.length; i++) {
            if (choice[i] < 0 || choice[i] >= space.optionCount()) {
                throw new IllegalArgumentException("layer " + i + " chooses option " + choice[i] + "; options are 0.."
                        + (space.optionCount() - 1));
            }
        }
    }
}
