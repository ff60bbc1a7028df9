package io.autonf.search;

import io.autonf.flow.Batch;
import io.autonf.flow.Gradients;
import io.autonf.flow.Parameter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static io.autonf.flow.LayerKind.AFFINE_C;
import static io.autonf.flow.LayerKind.IDENTITY;
import static io.autonf.flow.LayerKind.MAF;
import static io.autonf.flow.LayerKind.PLANAR;
import static io.autonf.flow.LayerKind.RADIAL;
import static io.autonf.flow.LayerKind.RQ_AR;
import static io.autonf.flow.LayerKind.RQ_C;
import static io.autonf.search.LayerRoles.ABSENT;
import static io.autonf.search.LayerRoles.MIXED;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both losses' gradients with respect to every α entry and every entry of every taking-part candidate's θ
 * against central finite differences of the loss itself (fp64, relative error <= 1e-6).
 */
class MixtureGradientTest {

    private static final double STEP = 1e-5;

    record Case(String name, SearchSpace space, int dimension, LayerRoles roles, SearchLoss loss) {
        @Override
        public String toString() {
            return name + ", " + loss;
        }
    }

    static Stream<Case> cases() {
        List<Case> all = new ArrayList<>();
        for (SearchLoss loss : SearchLoss.values()) {
            all.add(new Case("2 layers x {maf, rq-c, affine-c}, all mixed", MixtureFixtures.space(2, MAF, RQ_C, AFFINE_C),
                    3, LayerRoles.allMixed(2), loss));
            all.add(new Case("3 layers x {rq-ar, maf}, mixed / fixed / mixed", MixtureFixtures.space(3, RQ_AR, MAF), 3,
                    new LayerRoles(new int[] {MIXED, 1, MIXED}), loss));
            all.add(new Case("3 layers x {affine-c, rq-c}, all mixed, D=2", MixtureFixtures.space(3, AFFINE_C, RQ_C), 2,
                    LayerRoles.allMixed(3), loss));
            all.add(new Case("3 layers x {planar, radial, identity}, mixed / absent / fixed",
                    MixtureFixtures.space(3, PLANAR, RADIAL, IDENTITY), 3, new LayerRoles(new int[] {MIXED, ABSENT, 0}), loss));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferences(Case c) {
        SplittableRandom rng = new SplittableRandom(c.name().hashCode());
        try (MixtureFlow mixture = MixtureFixtures.mixture(c.space(), c.dimension(), 1, rng)) {
            Batch x = MixtureFixtures.gaussian(6, c.dimension(), 1.2, rng);
            Gradients theta = new Gradients();
            Gradients alpha = new Gradients();
            double loss = mixture.evaluate(x, c.loss(), c.roles(), theta, alpha).loss();
            assertTrue(Double.isFinite(loss));

            int checkedAlpha = 0;
            for (Map.Entry<String, Parameter> e : mixture.alphaParameters().entrySet()) {
                MixtureFixtures.assertGradientsClose(finiteDifferences(mixture, x, c, e.getValue()),
                        MixtureFixtures.gradientOf(alpha, e.getValue()), "dL/d" + e.getKey());
                checkedAlpha++;
            }
            int checkedTheta = 0;
            for (Map.Entry<String, Parameter> e : mixture.thetaParameters(c.roles()).entrySet()) {
                MixtureFixtures.assertGradientsClose(finiteDifferences(mixture, x, c, e.getValue()),
                        MixtureFixtures.gradientOf(theta, e.getValue()), "dL/d" + e.getKey());
                checkedTheta += e.getValue().size();
            }
            assertTrue(checkedAlpha == c.space().layers());
            assertTrue(checkedTheta > 0 || c.space().options().contains(IDENTITY));
        }
    }

    private static double[] finiteDifferences(MixtureFlow mixture, Batch x, Case c, Parameter p) {
        double[] v = p.values();
        double[] numeric = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double saved = v[i];
            v[i] = saved + STEP;
            p.markUpdated();
            double up = mixture.evaluate(x, c.loss(), c.roles(), null, null).loss();
            v[i] = saved - STEP;
            p.markUpdated();
            double down = mixture.evaluate(x, c.loss(), c.roles(), null, null).loss();
            v[i] = saved;
            p.markUpdated();
            numeric[i] = (up - down) / (2 * STEP);
        }
        return numeric;
    }
}
