package io.autonf.cli;

import io.autonf.flow.LayerKind;
import io.autonf.flow.LayerSettings;
import io.autonf.flow.Precision;
import io.autonf.search.SearchSpace;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.util.List;

/**
 * The architecture space of a search (a picocli mixin shared by {@code search} and {@code ga}, so that both
 * search the same space by default): how many layers, the candidate kinds, and how every layer is built.
 */
final class LayerOptions {

    static final int DEFAULT_LAYERS = 4;
    static final int DEFAULT_HIDDEN = 64;
    static final List<LayerKind> DEFAULT_OPTIONS = List.of(LayerKind.MAF, LayerKind.RQ_AR, LayerKind.AFFINE_C,
            LayerKind.RQ_C);

    @Option(names = "--layers", paramLabel = "N", description = "Layers of the flow (default: ${DEFAULT-VALUE}).")
    int layers = DEFAULT_LAYERS;

    @Option(names = "--options", paramLabel = "KINDS", converter = SearchCommand.OptionsConverter.class,
            description = "Candidate layers, comma-separated (default: ${DEFAULT-VALUE}); also planar, radial, "
                    + "identity (a layer left out; search: with grow or --allow-identity).")
    List<LayerKind> options = DEFAULT_OPTIONS;

    @Option(names = "--hidden", paramLabel = "N", description = "Hidden features of the conditioner networks (default: ${DEFAULT-VALUE}).")
    int hidden = DEFAULT_HIDDEN;

    @Option(names = "--blocks", paramLabel = "N", description = "Residual blocks per conditioner network (default: ${DEFAULT-VALUE}).")
    int networkBlocks = LayerSettings.DEFAULT.blocks();

    @Option(names = "--bins", paramLabel = "K", description = "Spline bins (default: ${DEFAULT-VALUE}).")
    int bins = LayerSettings.DEFAULT.bins();

    @Option(names = "--precision", paramLabel = "fp32|fp64", converter = Converters.PrecisionConverter.class,
            description = "Arithmetic of the conditioner networks (default: fp32).")
    Precision precision = LayerSettings.DEFAULT.precision();

    /** The layer settings; a value the library rejects is bad input of {@code command}. */
    LayerSettings settings(CommandLine command) {
        return ParameterChecks.settings(command, () -> LayerSettings.DEFAULT.withHiddenFeatures(hidden)
                .withBlocks(networkBlocks).withBins(bins).withPrecision(precision));
    }

    /** The space: {@link #layers} layers, each one of {@link #options}, built with {@link #settings}. */
    SearchSpace space(CommandLine command) {
        LayerSettings settings = settings(command);
        return ParameterChecks.settings(command, () -> new SearchSpace(layers, options, settings));
    }
}
