package io.autonf.metric;

import io.autonf.flow.Batch;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The measurement behind the choice of kernel: the dot products of all (fake, real) pairs of two n x d sets, once
 * with ND4J's BLAS gemm in row blocks (the product matrix of 10000 x 10000 doubles would be 800 MB) and once with
 * {@link DistanceTiles#dots}, plus ND4J's start-up. Not a test; run by hand with
 * {@code OMP_NUM_THREADS=1} or {@code 2} (ND4J's BLAS threads):
 * <pre>
 * java --add-modules jdk.incubator.vector -cp ... io.autonf.metric.Nd4jGemmComparison 10000 43 1000 3
 * </pre>
 * Arguments: points per set, dimension, rows per gemm block, repeats.
 */
public final class Nd4jGemmComparison {

    private Nd4jGemmComparison() {
    }

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int d = Integer.parseInt(args[1]);
        int block = Integer.parseInt(args[2]);
        int repeats = Integer.parseInt(args[3]);
        SplittableRandom rng = new SplittableRandom(3);
        Batch real = PrdcBenchmark.gaussian(n, d, 0.0, rng);
        Batch fake = PrdcBenchmark.gaussian(n, d, 0.1, rng);

        long start = System.nanoTime();
        INDArray warm = Nd4j.rand(DataType.DOUBLE, 4, 4).mmul(Nd4j.rand(DataType.DOUBLE, 4, 4));
        System.out.printf(Locale.ROOT, "nd4j start-up (first mmul): %.3f s (%s)%n",
                (System.nanoTime() - start) / 1e9, warm.shapeInfoToString().length() > 0 ? "ok" : "");
        INDArray realT = Nd4j.create(real.values(), new long[] {n, d}, DataType.DOUBLE).transpose().dup('f');
        INDArray fakeRows = Nd4j.create(fake.values(), new long[] {n, d}, DataType.DOUBLE);
        // Column-major output: with a row-major one ND4J took a path about 6x slower (200 vs 30 ms per 1000 x 10000 x 43).
        INDArray out = Nd4j.create(DataType.DOUBLE, new long[] {block, n}, 'f');
        INDArray[] blocks = new INDArray[Math.ceilDiv(n, block)];
        for (int i = 0; i < n; i += block) {
            blocks[i / block] = fakeRows.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(i, Math.min(n, i + block)),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()).dup('c');
        }
        double[] copyTarget = new double[block * n];
        double checksum = 0;
        for (int r = 0; r <= repeats; r++) {
            long gemm = 0;
            long copy = 0;
            double sum = 0;
            for (int i = 0; i < n; i += block) {
                int rows = Math.min(block, n - i);
                INDArray a = blocks[i / block];
                INDArray c = rows == block ? out : Nd4j.create(DataType.DOUBLE, new long[] {rows, n}, 'f');
                long t0 = System.nanoTime();
                a.mmuli(realT, c);
                long t1 = System.nanoTime();
                // Any epilogue in Java must see the block: one bulk copy out of native memory.
                c.data().asNioDouble().get(0, copyTarget, 0, rows * n);
                long t2 = System.nanoTime();
                gemm += t1 - t0;
                copy += t2 - t1;
                sum += copyTarget[rows * n - 1];
            }
            checksum = sum;
            System.out.printf(Locale.ROOT, "nd4j gemm %s %dx%dx%d in blocks of %d rows: gemm %.3f s + copy to Java %.3f s%n",
                    r == 0 ? "(warm-up)" : "", n, n, d, block, gemm / 1e9, copy / 1e9);
        }

        PointSet realSet = PointSet.of(real, "real");
        PointSet fakeSet = PointSet.of(fake, "fake");
        double[] tile = new double[DistanceTiles.ROWS * DistanceTiles.COLUMNS];
        for (int r = 0; r <= repeats; r++) {
            long t0 = System.nanoTime();
            double sum = 0;
            for (int chunk = 0; chunk < realSet.padded; chunk += DistanceTiles.CHUNK) {
                int end = Math.min(realSet.padded, chunk + DistanceTiles.CHUNK);
                for (int i = 0; i < fakeSet.padded; i += DistanceTiles.ROWS) {
                    for (int j = chunk; j < end; j += DistanceTiles.COLUMNS) {
                        DistanceTiles.dots(fakeSet, i, realSet, j, tile);
                        sum += tile[0];
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "vector tiles %s %dx%dx%d, one thread: %.3f s (checksums %.3g %.3g)%n",
                    r == 0 ? "(warm-up)" : "", n, n, d, seconds, sum, checksum);
        }
    }
}
