package io.autonf.flow;

import io.autonf.flow.transforms.AffineCoupling;
import io.autonf.flow.transforms.IdentityTransform;
import io.autonf.flow.transforms.LuLinear;
import io.autonf.flow.transforms.MaskedAffineAutoregressive;
import io.autonf.flow.transforms.PlanarTransform;
import io.autonf.flow.transforms.RadialTransform;
import io.autonf.flow.transforms.ReversePermutation;
import io.autonf.flow.transforms.RqAutoregressive;
import io.autonf.flow.transforms.RqCoupling;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/** Builds layers and whole flows from their names. */
public final class Layers {

    private Layers() {
    }

    /**
     * One layer as the AutoNF paper uses it: {@code reverse} + {@code lu} + the non-linear transform.
     *
     * @param index the layer's position in its flow; coupling layers alternate their mask with it
     */
    public static Transform layer(LayerKind kind, int index, int dimension, LayerSettings settings, RandomGenerator rng) {
        if (kind == LayerKind.IDENTITY) {
            return new IdentityTransform(dimension);
        }
        return new CompositeTransform(List.of(
                new ReversePermutation(dimension),
                new LuLinear(dimension),
                nonLinear(kind, index, dimension, settings, rng)));
    }

    /** The non-linear transform alone (no permutation, no LU). */
    public static Transform nonLinear(LayerKind kind, int index, int dimension, LayerSettings settings, RandomGenerator rng) {
        boolean evenMask = index % 2 == 0;
        return switch (kind) {
            case MAF -> new MaskedAffineAutoregressive(dimension, settings, rng);
            case RQ_AR -> new RqAutoregressive(dimension, settings, rng);
            case AFFINE_C -> new AffineCoupling(dimension, evenMask, settings, rng);
            case RQ_C -> new RqCoupling(dimension, evenMask, settings, rng);
            case PLANAR -> new PlanarTransform(dimension, rng);
            case RADIAL -> new RadialTransform(dimension, rng);
            case IDENTITY -> new IdentityTransform(dimension);
        };
    }

    /** A flow whose layers follow {@code architecture}, parameters drawn from {@code rng} layer by layer. */
    public static Flow flow(Architecture architecture, int dimension, LayerSettings settings, RandomGenerator rng) {
        List<Transform> layers = new ArrayList<>(architecture.size());
        for (int i = 0; i < architecture.size(); i++) {
            layers.add(layer(architecture.layer(i), i, dimension, settings, rng));
        }
        return new Flow(new CompositeTransform(layers));
    }
}
