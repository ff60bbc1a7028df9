package io.autonf.search;

import io.autonf.flow.Batch;
import io.autonf.flow.Gradients;
import io.autonf.flow.LayerKind;
import io.autonf.flow.LayerSettings;
import io.autonf.flow.Parameter;
import io.autonf.flow.Precision;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Small mixtures with every parameter moved off its initial value, and a brute-force reference. */
final class MixtureFixtures {

    /** Tiny conditioners in fp64: hidden 6, one residual block, 4 bins, tail bound 2.5. */
    static final LayerSettings SMALL = new LayerSettings(6, 1, 4, 2.5, Precision.FP64);

    private MixtureFixtures() {
    }

    static SearchSpace space(int layers, LayerKind... options) {
        return new SearchSpace(layers, List.of(options), SMALL);
    }

    /**
     * A mixture whose θ are perturbed (so that the candidates, their LU factors and their final layers are far
     * from the identity start) and whose α are random.
     */
    static MixtureFlow mixture(SearchSpace space, int dimension, int threads, RandomGenerator rng) {
        MixtureFlow mixture = new MixtureFlow(space, dimension, rng, threads);
        perturb(mixture.thetaParameters(), 0.15, rng);
        perturb(mixture.alphaParameters(), 1.0, rng);
        return mixture;
    }

    static void perturb(Map<String, Parameter> parameters, double scale, RandomGenerator rng) {
        for (Parameter p : parameters.values()) {
            double[] v = p.values();
            for (int i = 0; i < v.length; i++) {
                v[i] += scale * rng.nextGaussian();
            }
            p.markUpdated();
        }
    }

    static Batch gaussian(int rows, int cols, double scale, RandomGenerator rng) {
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = scale * rng.nextGaussian();
        }
        return new Batch(v, rows, cols);
    }

    /**
     * Every path of {@code roles} as a full per-layer choice, lexicographic over the mixed layers with the first
     * mixed layer most significant (an odometer, independent of the implementation's path numbering).
     */
    static List<int[]> paths(LayerRoles roles, int options) {
        List<int[]> all = new ArrayList<>();
        int[] choice = roles.roles();
        List<Integer> mixed = new ArrayList<>();
        for (int i = 0; i < choice.length; i++) {
            if (choice[i] == LayerRoles.MIXED) {
                mixed.add(i);
                choice[i] = 0;
            }
        }
        while (true) {
            all.add(choice.clone());
            int q = mixed.size() - 1;
            while (q >= 0 && choice[mixed.get(q)] == options - 1) {
                choice[mixed.get(q)] = 0;
                q--;
            }
            if (q < 0) {
                return all;
            }
            choice[mixed.get(q)]++;
        }
    }

    /** log W_k of a path: the product of its mixed layers' weights, fixed layers weighing one. */
    static double logPathWeight(MixtureFlow mixture, LayerRoles roles, int[] choice) {
        double sum = 0;
        for (int i = 0; i < choice.length; i++) {
            if (roles.isMixed(i)) {
                sum += Math.log(mixture.weights(i)[choice[i]]);
            }
        }
        return sum;
    }

    /** log Σ_k W_k p_k(x) per row, each p_k from the path's own flow built by extract. */
    static double[] bruteForceLogMixture(MixtureFlow mixture, LayerRoles roles, Batch x) {
        List<int[]> paths = paths(roles, mixture.space().optionCount());
        double[][] terms = new double[x.rows()][paths.size()];
        for (int k = 0; k < paths.size(); k++) {
            int[] choice = paths.get(k);
            double[] logProb = allAbsent(choice) ? standardNormal(x) : mixture.extract(choice).logProb(x);
            double logW = logPathWeight(mixture, roles, choice);
            for (int r = 0; r < x.rows(); r++) {
                terms[r][k] = logW + logProb[r];
            }
        }
        double[] out = new double[x.rows()];
        for (int r = 0; r < out.length; r++) {
            out[r] = LogSpace.logSumExp(terms[r]);
        }
        return out;
    }

    static boolean allAbsent(int[] choice) {
        for (int c : choice) {
            if (c != LayerRoles.ABSENT) {
                return false;
            }
        }
        return true;
    }

    static double[] standardNormal(Batch x) {
        return new io.autonf.flow.StandardNormal(x.cols()).logProb(x);
    }

    /** Per entry |a-b| <= 1e-6 (|a|+|b|) + 1e-9, and norm-wise ||a-b|| <= 1e-6 ||numeric||. */
    static void assertGradientsClose(double[] numeric, double[] analytic, String what) {
        assertEquals(numeric.length, analytic.length, what + ": length");
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < numeric.length; i++) {
            double err = Math.abs(numeric[i] - analytic[i]);
            if (!(err <= 1e-6 * (Math.abs(numeric[i]) + Math.abs(analytic[i])) + 1e-9)) {
                fail(what + "[" + i + "]: finite differences " + numeric[i] + ", analytic " + analytic[i]);
            }
            diff += err * err;
            scale += numeric[i] * numeric[i];
        }
        assertTrue(Math.sqrt(diff) <= 1e-6 * Math.max(Math.sqrt(scale), 1e-3),
                what + ": relative error " + Math.sqrt(diff / Math.max(scale, 1e-300)));
    }

    /** The analytic gradient of {@code p}, zeros when nothing was accumulated for it. */
    static double[] gradientOf(Gradients gradients, Parameter p) {
        double[] g = gradients.getOrNull(p);
        return g == null ? new double[p.size()] : g;
    }
}
