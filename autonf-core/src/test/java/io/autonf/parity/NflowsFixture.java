package io.autonf.parity;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.autonf.flow.Batch;
import io.autonf.flow.Parameter;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One nflows parity fixture (see {@code tools/fixtures/make_nflows_fixtures.py}): an nflows module or function,
 * its constructor arguments, its state_dict, the inputs and what nflows computed from them, once in float32 and
 * once with the same numbers in float64.
 *
 * <p>For {@code kind = "spline"} the "parameters" are the arguments of the spline function
 * ({@code unnormalized_widths [n, K]}, {@code unnormalized_heights [n, K]}, {@code unnormalized_derivatives
 * [n, K-1]}) and the inputs are 1-D; for {@code kind = "transform"} they are the module's trainable parameters
 * and the inputs are [rows, features] batches. "buffers" (MADE masks and degrees, coupling index lists, the
 * permutation) are recorded for reference and never copied: our transforms derive them from their
 * constructor arguments.
 */
public record NflowsFixture(
        String format,
        String name,
        String kind,
        @JsonProperty("nflows_class") String nflowsClass,
        JsonNode constructor,
        Map<String, String> versions,
        long seed,
        List<String> notes,
        List<NamedTensor> parameters,
        List<NamedTensor> buffers,
        @JsonProperty("forward_inputs") Tensor forwardInputs,
        @JsonProperty("inverse_inputs") Tensor inverseInputs,
        Results results) {

    public static final String FOLDER = "fixtures/nflows";
    public static final String FORMAT = "autonf-nflows-fixture/1";
    public static final String SPLINE = "spline";
    public static final String TRANSFORM = "transform";

    /** What nflows computed in one dtype. */
    public record Results(Reference float32, Reference float64) {
        public Results {
            if (float32 == null || float64 == null) {
                throw new IllegalArgumentException("fixture results need both float32 and float64");
            }
        }
    }

    /** Forward (data to noise) and inverse (noise to data) results in one dtype. */
    public record Reference(Direction forward, Direction inverse) {
        public Reference {
            if (forward == null || inverse == null) {
                throw new IllegalArgumentException("fixture results need both forward and inverse");
            }
        }
    }

    /** The outputs and log|det J| per sample (per element for the spline function). */
    public record Direction(Tensor outputs, Tensor logabsdet) {
        public Direction {
            if (outputs == null || logabsdet == null) {
                throw new IllegalArgumentException("fixture results need both outputs and logabsdet");
            }
        }
    }

    public NflowsFixture {
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("fixture " + name + " has format '" + format + "', expected " + FORMAT);
        }
        if (!SPLINE.equals(kind) && !TRANSFORM.equals(kind)) {
            throw new IllegalArgumentException("fixture " + name + " has unknown kind '" + kind + "'");
        }
        if (constructor == null || !constructor.isObject()) {
            throw new IllegalArgumentException("fixture " + name + " has no constructor object");
        }
        if (parameters == null || buffers == null || forwardInputs == null || inverseInputs == null || results == null) {
            throw new IllegalArgumentException("fixture " + name + " misses parameters, buffers, inputs or results");
        }
        parameters = List.copyOf(parameters);
        buffers = List.copyOf(buffers);
        notes = notes == null ? List.of() : List.copyOf(notes);
        versions = versions == null ? Map.of() : Map.copyOf(versions);
        Set<String> seen = new TreeSet<>();
        for (NamedTensor t : parameters) {
            if (!seen.add(t.name())) {
                throw new IllegalArgumentException("fixture " + name + " lists parameter " + t.name() + " twice");
            }
        }
        checkResults(name, "float32", results.float32(), forwardInputs, inverseInputs);
        checkResults(name, "float64", results.float64(), forwardInputs, inverseInputs);
    }

    private static void checkResults(String name, String dtype, Reference ref, Tensor forwardIn, Tensor inverseIn) {
        checkDirection(name, dtype + ".forward", ref.forward(), forwardIn);
        checkDirection(name, dtype + ".inverse", ref.inverse(), inverseIn);
    }

    private static void checkDirection(String name, String what, Direction d, Tensor inputs) {
        if (!Arrays.equals(d.outputs().shape(), inputs.shape())) {
            throw new IllegalArgumentException("fixture " + name + ": " + what + " outputs have shape "
                    + Arrays.toString(d.outputs().shape()) + " but the inputs " + Arrays.toString(inputs.shape()));
        }
        if (!d.logabsdet().hasShape(inputs.shape()[0])) {
            throw new IllegalArgumentException("fixture " + name + ": " + what + " logabsdet has shape "
                    + Arrays.toString(d.logabsdet().shape()) + ", expected [" + inputs.shape()[0] + "]");
        }
    }

    /** The names of all committed nflows fixtures, sorted. */
    public static List<String> names() {
        return Fixtures.names(FOLDER);
    }

    public static NflowsFixture load(String name) {
        NflowsFixture fixture = Fixtures.read(FOLDER, name, NflowsFixture.class);
        if (!name.equals(fixture.name())) {
            throw new IllegalArgumentException("fixture file " + name + ".json is named '" + fixture.name() + "' inside");
        }
        return fixture;
    }

    public static List<NflowsFixture> loadAll() {
        return names().stream().map(NflowsFixture::load).toList();
    }

    public boolean isSpline() {
        return SPLINE.equals(kind);
    }

    /** The nflows class or function name without its module path, e.g. {@code LULinear}. */
    public String simpleClassName() {
        return nflowsClass.substring(nflowsClass.lastIndexOf('.') + 1);
    }

    public JsonNode arg(String key) {
        JsonNode value = constructor.get(key);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("fixture " + name + " has no constructor argument '" + key + "'");
        }
        return value;
    }

    public int intArg(String key) {
        JsonNode v = arg(key);
        if (!v.isIntegralNumber()) {
            throw new IllegalArgumentException("fixture " + name + ": constructor argument '" + key + "' = " + v + " is not an integer");
        }
        return v.intValue();
    }

    public double doubleArg(String key) {
        JsonNode v = arg(key);
        if (!v.isNumber()) {
            throw new IllegalArgumentException("fixture " + name + ": constructor argument '" + key + "' = " + v + " is not a number");
        }
        return v.doubleValue();
    }

    public boolean booleanArg(String key) {
        JsonNode v = arg(key);
        if (!v.isBoolean()) {
            throw new IllegalArgumentException("fixture " + name + ": constructor argument '" + key + "' = " + v + " is not a boolean");
        }
        return v.booleanValue();
    }

    /** Number of features of a transform fixture (its constructor's {@code features}). */
    public int features() {
        return intArg("features");
    }

    public NamedTensor parameter(String parameterName) {
        for (NamedTensor t : parameters) {
            if (t.name().equals(parameterName)) {
                return t;
            }
        }
        throw new IllegalArgumentException("fixture " + name + " has no parameter '" + parameterName + "'; it has "
                + parameters.stream().map(NamedTensor::name).toList());
    }

    public Batch forwardBatch() {
        return forwardInputs.toBatch();
    }

    public Batch inverseBatch() {
        return inverseInputs.toBatch();
    }

    /**
     * Copies every fixture parameter into the parameter of the same name, after checking that the two name
     * sets are equal and every shape matches, so that no parameter is left at its initial value unnoticed.
     *
     * @throws IllegalArgumentException naming every missing, extra or mis-shaped parameter
     */
    public void copyParametersInto(Map<String, Parameter> target) {
        Map<String, NamedTensor> ours = new LinkedHashMap<>();
        parameters.forEach(t -> ours.put(t.name(), t));
        StringBuilder problems = new StringBuilder();
        for (NamedTensor t : parameters) {
            Parameter p = target.get(t.name());
            if (p == null) {
                problems.append("\n  fixture tensor ").append(t).append(" has no parameter of that name");
            } else if (!Arrays.equals(p.shape(), t.shape())) {
                problems.append("\n  ").append(t.name()).append(": fixture shape ").append(Arrays.toString(t.shape()))
                        .append(", our parameter's ").append(Arrays.toString(p.shape()));
            }
        }
        for (String key : target.keySet()) {
            if (!ours.containsKey(key)) {
                problems.append("\n  our parameter ").append(key).append(Arrays.toString(target.get(key).shape()))
                        .append(" is not in the fixture (it would keep its initial values)");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("parameters do not match nflows fixture " + name + ":" + problems
                    + "\n  fixture has " + parameters + "\n  we have " + target.keySet());
        }
        for (NamedTensor t : parameters) {
            target.get(t.name()).set(t.values());
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
