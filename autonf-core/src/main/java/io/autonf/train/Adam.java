package io.autonf.train;

import io.autonf.flow.Gradients;
import io.autonf.flow.Parameter;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adam (Kingma &amp; Ba) with bias correction and L2 weight decay added to the gradient, the semantics of
 * {@code torch.optim.Adam} that nflows trains with, so that hyper-parameters carry over. Moments are fp64 and
 * per parameter; a parameter that received no gradient in a step is left alone and its step count does not
 * advance (as in PyTorch, where its {@code .grad} would be {@code None}).
 */
public final class Adam {

    public static final double DEFAULT_BETA1 = 0.9;
    public static final double DEFAULT_BETA2 = 0.999;
    public static final double DEFAULT_EPSILON = 1e-8;

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final List<String> names;
    private final List<Parameter> parameters;
    private final double[][] firstMoments;
    private final double[][] secondMoments;
    private final long[] steps;

    /** Adam with the usual betas (0.9, 0.999) and epsilon 1e-8. */
    public Adam(Map<String, Parameter> parameters, double weightDecay) {
        this(parameters, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON, weightDecay);
    }

    public Adam(Map<String, Parameter> parameters, double beta1, double beta2, double epsilon, double weightDecay) {
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("Adam beta1 must lie in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam beta2 must lie in [0, 1), got " + beta2);
        }
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("Adam epsilon must be a positive finite number, got " + epsilon);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be zero or a positive finite number, got " + weightDecay);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        this.names = new ArrayList<>(parameters.size());
        this.parameters = new ArrayList<>(parameters.size());
        // A parameter reachable under two names would be updated twice per step.
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            if (!seen.add(e.getValue())) {
                throw new IllegalArgumentException("parameter '" + e.getKey() + "' is listed twice under different names");
            }
            names.add(e.getKey());
            this.parameters.add(e.getValue());
        }
        int n = this.parameters.size();
        this.firstMoments = new double[n][];
        this.secondMoments = new double[n][];
        this.steps = new long[n];
        for (int i = 0; i < n; i++) {
            firstMoments[i] = new double[this.parameters.get(i).size()];
            secondMoments[i] = new double[this.parameters.get(i).size()];
        }
    }

    /** Applies one update with {@code learningRate} and marks every changed parameter updated. */
    public void step(Gradients gradients, double learningRate) {
        step(gradients, learningRate, 1.0);
    }

    /**
     * Applies one update from {@code gradientScale} times the gradients (the factor of global-norm clipping,
     * applied here rather than by rescaling every gradient first) and marks every changed parameter updated.
     */
    public void step(Gradients gradients, double learningRate, double gradientScale) {
        double[][] g = begin(gradients, learningRate);
        for (int i = 0; i < g.length; i++) {
            if (g[i] != null) {
                update(i, 0, g[i].length, g[i], learningRate, gradientScale);
            }
        }
        finish(g);
    }

    /** The parameters in update order (the order of the map given to the constructor). */
    List<Parameter> parameters() {
        return Collections.unmodifiableList(parameters);
    }

    /**
     * First part of a step that may be split over threads: validates the rate, advances the step count of every
     * parameter with a gradient and returns the gradients by parameter index (null: none, left alone).
     */
    double[][] begin(Gradients gradients, double learningRate) {
        if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be zero or a positive finite number, got " + learningRate);
        }
        double[][] g = new double[parameters.size()][];
        for (int i = 0; i < g.length; i++) {
            g[i] = gradients.getOrNull(parameters.get(i));
            if (g[i] != null) {
                steps[i]++;
            }
        }
        return g;
    }

    /**
     * Updates values {@code [from, to)} of parameter {@code index} after {@link #begin}; calls on disjoint ranges
     * may run concurrently.
     */
    void update(int index, int from, int to, double[] gradient, double learningRate, double gradientScale) {
        long t = steps[index];
        double[] w = parameters.get(index).values();
        double[] m = firstMoments[index];
        double[] v = secondMoments[index];
        double stepSize = learningRate / (1 - Math.pow(beta1, t));
        double sqrtCorrection2 = Math.sqrt(1 - Math.pow(beta2, t));
        double keep1 = 1 - beta1;
        double keep2 = 1 - beta2;
        // The same operations lane by lane (no fused multiply-adds; sqrt and division are exactly rounded in
        // both forms), so the vector loop and the scalar tail give bit-identical results.
        int j = from;
        for (int end = from + S.loopBound(to - from); j < end; j += S.length()) {
            DoubleVector wj = DoubleVector.fromArray(S, w, j);
            DoubleVector gj = DoubleVector.fromArray(S, gradient, j).mul(gradientScale).add(wj.mul(weightDecay));
            DoubleVector mj = DoubleVector.fromArray(S, m, j).mul(beta1).add(gj.mul(keep1));
            DoubleVector vj = DoubleVector.fromArray(S, v, j).mul(beta2).add(gj.mul(keep2).mul(gj));
            mj.intoArray(m, j);
            vj.intoArray(v, j);
            wj.sub(mj.mul(stepSize).div(vj.sqrt().div(sqrtCorrection2).add(epsilon))).intoArray(w, j);
        }
        for (; j < to; j++) {
            double gj = gradient[j] * gradientScale + weightDecay * w[j];
            m[j] = beta1 * m[j] + keep1 * gj;
            v[j] = beta2 * v[j] + keep2 * gj * gj;
            w[j] -= stepSize * m[j] / (Math.sqrt(v[j]) / sqrtCorrection2 + epsilon);
        }
    }

    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;

    /** Last part of a split step: marks the parameters that had a gradient updated. */
    void finish(double[][] gradients) {
        for (int i = 0; i < gradients.length; i++) {
            if (gradients[i] != null) {
                parameters.get(i).markUpdated();
            }
        }
    }

    /** A copy of the first moment of the named parameter. */
    public double[] firstMoment(String name) {
        return firstMoments[indexOf(name)].clone();
    }

    /** A copy of the second moment of the named parameter. */
    public double[] secondMoment(String name) {
        return secondMoments[indexOf(name)].clone();
    }

    /** How many updates the named parameter has received. */
    public long steps(String name) {
        return steps[indexOf(name)];
    }

    /**
     * Everything the optimiser carries from step to step, for a checkpoint: the parameter names in update order,
     * both moments and every parameter's step count. The arrays are copies.
     */
    public record State(List<String> names, double[][] firstMoments, double[][] secondMoments, long[] steps) {
        public State {
            if (names == null || firstMoments == null || secondMoments == null || steps == null
                    || firstMoments.length != names.size() || secondMoments.length != names.size()
                    || steps.length != names.size()) {
                throw new IllegalArgumentException("an Adam state needs a name, both moments and a step count per parameter");
            }
            names = List.copyOf(names);
        }
    }

    /** A copy of the moments and step counts. */
    public State state() {
        double[][] m = new double[firstMoments.length][];
        double[][] v = new double[secondMoments.length][];
        for (int i = 0; i < m.length; i++) {
            m[i] = firstMoments[i].clone();
            v[i] = secondMoments[i].clone();
        }
        return new State(names, m, v, steps.clone());
    }

    /**
     * Puts back a state taken from an optimiser over the same parameters (same names, same sizes, same order),
     * so that the next step is the one that optimiser would have taken.
     */
    public void restore(State state) {
        if (state == null || !state.names().equals(names)) {
            throw new IllegalArgumentException("the Adam state is for parameters "
                    + (state == null ? null : state.names()) + ", this optimiser has " + names);
        }
        for (int i = 0; i < names.size(); i++) {
            if (state.firstMoments()[i].length != firstMoments[i].length
                    || state.secondMoments()[i].length != secondMoments[i].length) {
                throw new IllegalArgumentException("the Adam state of '" + names.get(i) + "' has "
                        + state.firstMoments()[i].length + " values, the parameter " + firstMoments[i].length);
            }
        }
        for (int i = 0; i < names.size(); i++) {
            System.arraycopy(state.firstMoments()[i], 0, firstMoments[i], 0, firstMoments[i].length);
            System.arraycopy(state.secondMoments()[i], 0, secondMoments[i], 0, secondMoments[i].length);
        }
        System.arraycopy(state.steps(), 0, steps, 0, steps.length);
    }

    private int indexOf(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("Adam has no parameter '" + name + "'; it has " + names);
        }
        return i;
    }
}
