package io.autonf.flow;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class BatchTest {

    @Test
    void rejectsAShapeThatDoesNotMatchTheValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Batch(new double[5], 2, 3));
        assertTrue(e.getMessage().contains("2x3"), e.getMessage());
    }

    @Test
    void sliceCopiesRows() {
        Batch b = Batch.of(new double[][] {{1, 2}, {3, 4}, {5, 6}});
        Batch s = b.slice(1, 3);
        assertEquals(2, s.rows());
        assertEquals(3.0, s.get(0, 0));
        s.values()[0] = 99;
        assertEquals(3.0, b.get(1, 0), "a slice must not alias its source");
    }
}
