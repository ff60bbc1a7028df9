package io.autonf.train;

/** The learning rate of each optimisation step. */
public interface LearningRateSchedule {

    /**
     * The learning rate of step {@code step}, counted from 0 (the first update).
     *
     * @throws IllegalArgumentException if {@code step} is negative
     */
    double rate(long step);

    /** The same rate at every step. */
    static LearningRateSchedule constant(double rate) {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("learning rate must be a positive finite number, got " + rate);
        }
        return step -> {
            if (step < 0) {
                throw new IllegalArgumentException("step must be zero or more, got " + step);
            }
            return rate;
        };
    }
}
