package io.autonf.parity;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * One precision/recall/density/coverage fixture computed with the reference {@code prdc} package
 * ({@code tools/fixtures/make_prdc_fixtures.py}): real and fake samples (row-major [n, d]), k, the four metric
 * values, and each point's k-th nearest-neighbour radius within its own set (the point itself excluded,
 * duplicates counted at distance 0). Balls are open: a point at exactly the radius is outside.
 */
public record PrdcFixture(
        String format,
        String name,
        String description,
        String function,
        Map<String, String> versions,
        long seed,
        @JsonProperty("nearest_k") int nearestK,
        Tensor real,
        Tensor fake,
        @JsonProperty("real_radii") double[] realRadii,
        @JsonProperty("fake_radii") double[] fakeRadii,
        double precision,
        double recall,
        double density,
        double coverage) {

    public static final String FOLDER = "fixtures/prdc";
    public static final String FORMAT = "autonf-prdc-fixture/1";

    public PrdcFixture {
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("fixture " + name + " has format '" + format + "', expected " + FORMAT);
        }
        if (real == null || fake == null || realRadii == null || fakeRadii == null) {
            throw new IllegalArgumentException("fixture " + name + " misses real, fake or the radii");
        }
        if (real.shape().length != 2 || fake.shape().length != 2 || real.shape()[1] != fake.shape()[1]) {
            throw new IllegalArgumentException("fixture " + name + ": real " + real + " and fake " + fake
                    + " must be matrices of the same width");
        }
        if (nearestK < 1 || nearestK >= Math.min(realRows(real), realRows(fake))) {
            throw new IllegalArgumentException("fixture " + name + ": k = " + nearestK + " does not fit the sample sizes");
        }
        if (realRadii.length != realRows(real) || fakeRadii.length != realRows(fake)) {
            throw new IllegalArgumentException("fixture " + name + ": one radius per point expected");
        }
        for (double v : List.of(precision, recall, coverage)) {
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("fixture " + name + ": a fraction is " + v);
            }
        }
        if (!(density >= 0) || Double.isInfinite(density)) {
            throw new IllegalArgumentException("fixture " + name + ": density is " + density);
        }
        versions = versions == null ? Map.of() : Map.copyOf(versions);
    }

    private static int realRows(Tensor t) {
        return t.shape()[0];
    }

    public int dimension() {
        return real.shape()[1];
    }

    /** The real samples as rows. */
    public double[][] realRows() {
        return rows(real);
    }

    /** The generated samples as rows. */
    public double[][] fakeRows() {
        return rows(fake);
    }

    private static double[][] rows(Tensor t) {
        int n = t.shape()[0];
        int d = t.shape()[1];
        double[][] out = new double[n][d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(t.values(), i * d, out[i], 0, d);
        }
        return out;
    }

    /** The names of all committed prdc fixtures, sorted. */
    public static List<String> names() {
        return Fixtures.names(FOLDER);
    }

    public static PrdcFixture load(String name) {
        PrdcFixture fixture = Fixtures.read(FOLDER, name, PrdcFixture.class);
        if (!name.equals(fixture.name())) {
            throw new IllegalArgumentException("fixture file " + name + ".json is named '" + fixture.name() + "' inside");
        }
        return fixture;
    }

    public static List<PrdcFixture> loadAll() {
        return names().stream().map(PrdcFixture::load).toList();
    }

    @Override
    public String toString() {
        return name;
    }
}
