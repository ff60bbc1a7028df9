package io.autonf.flow.transforms;

import io.autonf.flow.Batch;
import io.autonf.flow.Gradients;
import io.autonf.flow.Parameter;
import io.autonf.nn.Network;
import io.autonf.nn.NetworkPass;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Test-only conditioners: one tanh hidden layer, dense or with MADE masks (sequential degrees as nflows), in
 * fp64. They stand in for {@code io.autonf.nn.Networks} so the transforms can be tested on their own.
 */
final class TinyNetworks {

    private TinyNetworks() {
    }

    static ConditionerFactory made(int hidden, RandomGenerator rng) {
        return (inputs, outputs) -> new Tiny(inputs, outputs, hidden, true, rng);
    }

    static ConditionerFactory dense(int hidden, RandomGenerator rng) {
        return (inputs, outputs) -> new Tiny(inputs, outputs, hidden, false, rng);
    }

    private static final class Tiny implements Network {
        private final int in;
        private final int out;
        private final int hidden;
        private final double[] mask1;
        private final double[] mask2;
        private final Parameter w1;
        private final Parameter b1;
        private final Parameter w2;
        private final Parameter b2;

        Tiny(int in, int out, int hidden, boolean autoregressive, RandomGenerator rng) {
            this.in = in;
            this.out = out;
            this.hidden = hidden;
            w1 = new Parameter(hidden, in);
            b1 = new Parameter(hidden);
            w2 = new Parameter(out, hidden);
            b2 = new Parameter(out);
            for (Parameter p : new Parameter[] {w1, b1, w2, b2}) {
                double[] v = p.values();
                for (int i = 0; i < v.length; i++) {
                    v[i] = 0.5 * rng.nextGaussian();
                }
            }
            mask1 = new double[hidden * in];
            mask2 = new double[out * hidden];
            int max = Math.max(1, in - 1);
            int min = Math.min(1, in - 1);
            int multiplier = out / in;
            for (int h = 0; h < hidden; h++) {
                int hDegree = h % max + min;
                for (int i = 0; i < in; i++) {
                    mask1[h * in + i] = !autoregressive || hDegree >= i + 1 ? 1 : 0;
                }
                for (int o = 0; o < out; o++) {
                    int oDegree = autoregressive ? o / multiplier + 1 : 0;
                    mask2[o * hidden + h] = !autoregressive || oDegree > hDegree ? 1 : 0;
                }
            }
        }

        @Override
        public int inputs() {
            return in;
        }

        @Override
        public int outputs() {
            return out;
        }

        @Override
        public int hiddenFeatures() {
            return hidden;
        }

        @Override
        public Map<String, Parameter> parameters() {
            Map<String, Parameter> m = new LinkedHashMap<>();
            m.put("initial_layer.weight", w1);
            m.put("initial_layer.bias", b1);
            m.put("final_layer.weight", w2);
            m.put("final_layer.bias", b2);
            return m;
        }

        @Override
        public NetworkPass forward(Batch inputs) {
            int rows = inputs.rows();
            double[] x = inputs.values();
            double[] act = new double[rows * hidden];
            double[] y = new double[rows * out];
            for (int r = 0; r < rows; r++) {
                for (int h = 0; h < hidden; h++) {
                    double s = b1.values()[h];
                    for (int i = 0; i < in; i++) {
                        s += w1.values()[h * in + i] * mask1[h * in + i] * x[r * in + i];
                    }
                    act[r * hidden + h] = Math.tanh(s);
                }
                for (int o = 0; o < out; o++) {
                    double s = b2.values()[o];
                    for (int h = 0; h < hidden; h++) {
                        s += w2.values()[o * hidden + h] * mask2[o * hidden + h] * act[r * hidden + h];
                    }
                    y[r * out + o] = s;
                }
            }
            Batch outputs = new Batch(y, rows, out);
            return new NetworkPass() {
                @Override
                public Batch outputs() {
                    return outputs;
                }

                @Override
                public Batch backward(Batch gradOutputs, Gradients gradients) {
                    double[] gy = gradOutputs.values();
                    double[] gw1 = gradients.of(w1);
                    double[] gb1 = gradients.of(b1);
                    double[] gw2 = gradients.of(w2);
                    double[] gb2 = gradients.of(b2);
                    double[] gx = new double[rows * in];
                    for (int r = 0; r < rows; r++) {
                        double[] gh = new double[hidden];
                        for (int o = 0; o < out; o++) {
                            double g = gy[r * out + o];
                            gb2[o] += g;
                            for (int h = 0; h < hidden; h++) {
                                double m = mask2[o * hidden + h];
                                gw2[o * hidden + h] += g * m * act[r * hidden + h];
                                gh[h] += g * m * w2.values()[o * hidden + h];
                            }
                        }
                        for (int h = 0; h < hidden; h++) {
                            double a = act[r * hidden + h];
                            double gs = gh[h] * (1 - a * a);
                            gb1[h] += gs;
                            for (int i = 0; i < in; i++) {
                                double m = mask1[h * in + i];
                                gw1[h * in + i] += gs * m * x[r * in + i];
                                gx[r * in + i] += gs * m * w1.values()[h * in + i];
                            }
                        }
                    }
                    return new Batch(gx, rows, in);
                }
            };
        }
    }
}
