package io.autonf.search;

import io.autonf.flow.Parameter;
import io.autonf.train.Adam;
import io.autonf.train.TrainingConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Adam optimiser of the search: a constant learning rate, the moment decays, L2 weight decay (added to the
 * gradient, as {@code torch.optim.Adam} does) and a global gradient-norm bound.
 *
 * @param learningRate constant step size; the search has no schedule because its θ is thrown away afterwards
 *                     (the chosen architecture is retrained from scratch) and α must keep moving to the end
 * @param clipNorm     global-norm bound of this optimiser's gradients; {@code Double.POSITIVE_INFINITY} for none
 */
public record AdamSettings(double learningRate, double beta1, double beta2, double epsilon, double weightDecay,
                           double clipNorm) {

    /** DARTS' architecture optimiser: Adam, lr 3e-4, betas (0.5, 0.999), weight decay 1e-3, no clipping. */
    public static final AdamSettings DARTS_ALPHA = new AdamSettings(3e-4, 0.5, 0.999, 1e-8, 1e-3,
            Double.POSITIVE_INFINITY);

    /** The flow parameters' optimiser: the training defaults (lr 5e-4, betas (0.9, 0.999), clip 5, no decay). */
    public static final AdamSettings THETA_DEFAULT = new AdamSettings(TrainingConfig.DEFAULT_LEARNING_RATE,
            Adam.DEFAULT_BETA1, Adam.DEFAULT_BETA2, Adam.DEFAULT_EPSILON, TrainingConfig.DEFAULT_WEIGHT_DECAY,
            TrainingConfig.DEFAULT_CLIP_NORM);

    public AdamSettings {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a positive finite number, got " + learningRate);
        }
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
        if (!(clipNorm > 0)) {
            throw new IllegalArgumentException("clip norm must be positive (infinite disables clipping), got " + clipNorm);
        }
    }

    public AdamSettings withLearningRate(double v) {
        return new AdamSettings(v, beta1, beta2, epsilon, weightDecay, clipNorm);
    }

    public AdamSettings withBetas(double b1, double b2) {
        return new AdamSettings(learningRate, b1, b2, epsilon, weightDecay, clipNorm);
    }

    public AdamSettings withWeightDecay(double v) {
        return new AdamSettings(learningRate, beta1, beta2, epsilon, v, clipNorm);
    }

    public AdamSettings withClipNorm(double v) {
        return new AdamSettings(learningRate, beta1, beta2, epsilon, weightDecay, v);
    }

    /** A fresh optimiser over {@code parameters} with these settings. */
    public Adam optimiser(Map<String, Parameter> parameters) {
        return new Adam(parameters, beta1, beta2, epsilon, weightDecay);
    }

    /** The settings by snake_case name, for run records. */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("learning_rate", learningRate);
        m.put("beta1", beta1);
        m.put("beta2", beta2);
        m.put("epsilon", epsilon);
        m.put("weight_decay", weightDecay);
        m.put("clip_norm", clipNorm);
        return m;
    }
}
