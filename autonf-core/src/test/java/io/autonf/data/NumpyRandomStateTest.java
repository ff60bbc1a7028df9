package io.autonf.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** NumpyRandomState against values numpy wrote (tools/fixtures/data/make_numpy_random_fixture.py). */
class NumpyRandomStateTest {

    private static final JsonNode FIXTURE = DataFixtures.json("fixtures/numpy/random_state.json");

    @Test
    void coversSeveralSeedsIncludingMafs() {
        assertTrue(FIXTURE.get("cases").size() >= 4);
        assertEquals(42, FIXTURE.get("cases").get(0).get("seed").asLong());
    }

    @Test
    void rawWordsEqualNumpys() {
        for (JsonNode c : FIXTURE.get("cases")) {
            NumpyRandomState rng = new NumpyRandomState(c.get("seed").asLong());
            for (JsonNode word : c.get("uint32")) {
                assertEquals(word.asLong(), Integer.toUnsignedLong(rng.nextWord()), "seed " + c.get("seed"));
            }
        }
    }

    @Test
    void permutationsEqualNumpys() {
        for (JsonNode c : FIXTURE.get("cases")) {
            for (Map.Entry<String, JsonNode> entry : c.get("permutations").properties()) {
                int n = Integer.parseInt(entry.getKey());
                int[] actual = new NumpyRandomState(c.get("seed").asLong()).permutation(n);
                assertArrayEquals(ints(entry.getValue()), actual, "seed " + c.get("seed") + " n " + n);
            }
        }
    }

    @Test
    void randEqualsNumpysBitForBit() {
        for (JsonNode c : FIXTURE.get("cases")) {
            double[] actual = new NumpyRandomState(c.get("seed").asLong()).rand(3, 4);
            assertArrayEquals(doubles(c.get("rand")), actual, 0.0, "seed " + c.get("seed"));
        }
    }

    @Test
    void oneStreamAcrossShuffleThenRandThenPermutationEqualsNumpys() {
        for (JsonNode c : FIXTURE.get("cases")) {
            JsonNode expected = c.get("sequence");
            NumpyRandomState rng = new NumpyRandomState(c.get("seed").asLong());
            // Shuffling rows of a 2-D array uses the same draws as permuting their indices.
            int[] order = rng.permutation(20);
            double[] firstColumn = new double[20];
            for (int i = 0; i < 20; i++) {
                firstColumn[i] = 2.0 * order[i];
            }
            assertArrayEquals(doubles(expected.get("shuffled_rows_first_column")), firstColumn, 0.0);
            assertArrayEquals(doubles(expected.get("then_rand_5x1")), rng.rand(5, 1), 0.0);
            assertArrayEquals(doubles(expected.get("then_rand_2x3")), rng.rand(2, 3), 0.0);
            assertArrayEquals(ints(expected.get("then_permutation_7")), rng.permutation(7));
        }
    }

    @Test
    void genericShuffleWithNumpyStreamIsNumpysShuffle() {
        int[] viaShuffles = Shuffles.permutation(1000, new NumpyRandomState(42));
        int[] values = new int[1000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        Shuffles.shuffle(values, new NumpyRandomState(42));
        assertArrayEquals(viaShuffles, values);
        assertArrayEquals(ints(FIXTURE.get("cases").get(0).get("permutations").get("1000")), values);
    }

    @Test
    void seedOutsideNumpysRangeIsRefused() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> new NumpyRandomState(-1));
        assertTrue(negative.getMessage().contains("-1"));
        assertThrows(IllegalArgumentException.class, () -> new NumpyRandomState(1L << 32));
        assertThrows(IllegalArgumentException.class, () -> new NumpyRandomState(1).nextInt(0));
    }

    @Test
    void nextIntStaysInBoundAndNextDoubleInUnitInterval() {
        NumpyRandomState rng = new NumpyRandomState(7);
        for (int i = 0; i < 10_000; i++) {
            int bound = 1 + (i % 97);
            int v = rng.nextInt(bound);
            assertTrue(v >= 0 && v < bound);
            double d = rng.nextDouble();
            assertTrue(d >= 0 && d < 1);
        }
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }
}
