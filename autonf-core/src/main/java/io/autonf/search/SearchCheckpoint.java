package io.autonf.search;

import io.autonf.flow.LayerKind;
import io.autonf.train.Adam;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to continue an AutoNF run as if it had never stopped.
 *
 * <p>During the search ({@link Stage#SEARCHING}) that is {@link SearchProgress}: θ of every candidate and α,
 * both Adam states, the schedule position, the batch samplers' positions, the trajectory so far, the compute
 * and time spent and the rollbacks taken. Once the search is over ({@link Stage#SEARCHED}) it is the
 * {@link SearchResult}: retraining the found architecture, training the reference and evaluating both are
 * seeded, so on resume they are run again from their start and give the same numbers.
 *
 * <p>{@code configKey} is the configuration's {@link #configKey} and the data's shape: a checkpoint is refused
 * for any other search. The file format is a private binary one (a magic number and a version first, doubles as
 * their exact bits); {@link #write} replaces the file atomically, so a kill never leaves half a checkpoint.
 */
public record SearchCheckpoint(String configKey, Stage stage, SearchProgress progress, SearchResult result) {

    /** The file name the command line uses, next to the run's other files. */
    public static final String FILE_NAME = "checkpoint.bin";

    private static final int MAGIC = 0x414e4643; // "ANFC"
    private static final int VERSION = 1;

    /** Where in the pipeline the run is. */
    public enum Stage {
        /** The search is under way; {@link SearchCheckpoint#progress()} says where. */
        SEARCHING,
        /** The search is done; retraining and evaluation (re)start from {@link SearchCheckpoint#result()}. */
        SEARCHED
    }

    public SearchCheckpoint {
        if (configKey == null || stage == null) {
            throw new IllegalArgumentException("a checkpoint needs its configuration key and stage");
        }
        if ((stage == Stage.SEARCHING) != (progress != null) || (stage == Stage.SEARCHED) != (result != null)) {
            throw new IllegalArgumentException("a " + stage + " checkpoint holds "
                    + (stage == Stage.SEARCHING ? "the search progress" : "the search result") + " and nothing else");
        }
    }

    /**
     * What a checkpoint must match to be resumed: every setting that changes the numbers (not the threads, which
     * do not, nor the memory budget) and the data's dimension and row counts.
     */
    public static String configKey(SearchConfig config, int dimension, int trainRows, int validationRows) {
        Map<String, Object> m = new LinkedHashMap<>(config.summary());
        m.remove("threads");
        m.remove("memory_budget_bytes");
        return m + " dimension=" + dimension + " train_rows=" + trainRows + " validation_rows=" + validationRows;
    }

    /** Fails, naming both, unless this checkpoint was taken by a search with {@code expected} as its key. */
    public void requireConfig(String expected) {
        if (!configKey.equals(expected)) {
            throw new IllegalArgumentException("the checkpoint belongs to another search or data set: it was taken "
                    + "with " + configKey + ", this run has " + expected);
        }
    }

    /** Writes to a temporary file next to {@code file}, then renames it over {@code file}. */
    public void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp))) {
                writeTo(out);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            writeTo(bytes);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return bytes.toByteArray();
    }

    public static SearchCheckpoint read(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return readFrom(in, file.toString());
        }
    }

    public static SearchCheckpoint fromBytes(byte[] bytes, String source) throws IOException {
        return readFrom(new ByteArrayInputStream(bytes), source);
    }

    private void writeTo(OutputStream target) throws IOException {
        DataOutputStream out = new DataOutputStream(target);
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(configKey);
        out.writeUTF(stage.name());
        if (stage == Stage.SEARCHING) {
            writeProgress(out, progress);
        } else {
            writeResult(out, result);
        }
        out.flush();
    }

    private static SearchCheckpoint readFrom(InputStream source, String name) throws IOException {
        DataInputStream in = new DataInputStream(source);
        try {
            if (in.readInt() != MAGIC) {
                throw new IOException(name + " is not an AutoNF checkpoint");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(name + " is a checkpoint of format " + version + "; this version reads " + VERSION);
            }
            String key = in.readUTF();
            Stage stage = Stage.valueOf(in.readUTF());
            return stage == Stage.SEARCHING ? new SearchCheckpoint(key, stage, readProgress(in), null)
                    : new SearchCheckpoint(key, stage, null, readResult(in));
        } catch (java.io.EOFException e) {
            throw new IOException(name + " is a truncated checkpoint", e);
        } catch (IllegalArgumentException e) {
            throw new IOException(name + " is not a valid checkpoint: " + e.getMessage(), e);
        }
    }

    private static void writeProgress(DataOutputStream out, SearchProgress p) throws IOException {
        out.writeInt(p.step());
        out.writeInt(p.phaseIndex());
        out.writeInt(p.stepInPhase());
        writeInts(out, p.roles());
        out.writeLong(p.layerEvaluations());
        out.writeLong(p.elapsed().toNanos());
        out.writeDouble(p.learningRateScale());
        out.writeInt(p.rollbacks());
        writeValues(out, p.theta());
        writeValues(out, p.alpha());
        writeAdam(out, p.thetaAdam());
        writeAdam(out, p.alphaAdam());
        out.writeLong(p.thetaSampler().shuffles());
        out.writeInt(p.thetaSampler().next());
        out.writeLong(p.alphaSampler().shuffles());
        out.writeInt(p.alphaSampler().next());
        writeTrajectory(out, p.trajectory());
    }

    private static SearchProgress readProgress(DataInputStream in) throws IOException {
        int step = in.readInt();
        int phaseIndex = in.readInt();
        int stepInPhase = in.readInt();
        int[] roles = readInts(in);
        long evaluations = in.readLong();
        Duration elapsed = Duration.ofNanos(in.readLong());
        double scale = in.readDouble();
        int rollbacks = in.readInt();
        Map<String, double[]> theta = readValues(in);
        Map<String, double[]> alpha = readValues(in);
        Adam.State thetaAdam = readAdam(in);
        Adam.State alphaAdam = readAdam(in);
        BatchSampler.Position thetaSampler = new BatchSampler.Position(in.readLong(), in.readInt());
        BatchSampler.Position alphaSampler = new BatchSampler.Position(in.readLong(), in.readInt());
        AlphaTrajectory trajectory = readTrajectory(in);
        return new SearchProgress(step, phaseIndex, stepInPhase, roles, evaluations, elapsed, scale, rollbacks, theta,
                alpha, thetaAdam, alphaAdam, thetaSampler, alphaSampler, trajectory);
    }

    private static void writeResult(DataOutputStream out, SearchResult r) throws IOException {
        writeInts(out, r.choice());
        writeMatrix(out, r.weights());
        out.writeLong(r.layerEvaluations());
        out.writeLong(r.wallTime().toNanos());
        writeTrajectory(out, r.trajectory());
    }

    private static SearchResult readResult(DataInputStream in) throws IOException {
        int[] choice = readInts(in);
        double[][] weights = readMatrix(in);
        long evaluations = in.readLong();
        Duration wallTime = Duration.ofNanos(in.readLong());
        AlphaTrajectory trajectory = readTrajectory(in);
        return new SearchResult(AutoNfSearch.architecture(choice, weights, trajectory.options()), choice, weights,
                trajectory, evaluations, wallTime);
    }

    private static void writeTrajectory(DataOutputStream out, AlphaTrajectory t) throws IOException {
        out.writeInt(t.options().size());
        for (LayerKind option : t.options()) {
            out.writeUTF(option.id());
        }
        out.writeInt(t.layers());
        out.writeInt(t.steps() + 1);
        for (int s = 0; s <= t.steps(); s++) {
            out.writeInt(t.phase(s));
            writeMatrix(out, t.weights(s));
            out.writeDouble(t.expectedCost(s));
            out.writeDouble(t.trainLoss(s));
            out.writeDouble(t.validationLoss(s));
            out.writeLong(t.layerEvaluations(s));
        }
    }

    private static AlphaTrajectory readTrajectory(DataInputStream in) throws IOException {
        int optionCount = in.readInt();
        List<LayerKind> options = new ArrayList<>(optionCount);
        for (int i = 0; i < optionCount; i++) {
            options.add(LayerKind.parse(in.readUTF()));
        }
        int layers = in.readInt();
        int rows = in.readInt();
        AlphaTrajectory.Recorder recorder = new AlphaTrajectory.Recorder(options, layers);
        for (int s = 0; s < rows; s++) {
            int phase = in.readInt();
            double[][] w = readMatrix(in);
            recorder.record(phase, w, in.readDouble(), in.readDouble(), in.readDouble(), in.readLong());
        }
        return recorder.build();
    }

    private static void writeAdam(DataOutputStream out, Adam.State s) throws IOException {
        out.writeInt(s.names().size());
        for (int i = 0; i < s.names().size(); i++) {
            out.writeUTF(s.names().get(i));
            writeDoubles(out, s.firstMoments()[i]);
            writeDoubles(out, s.secondMoments()[i]);
            out.writeLong(s.steps()[i]);
        }
    }

    private static Adam.State readAdam(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<String> names = new ArrayList<>(n);
        double[][] m = new double[n][];
        double[][] v = new double[n][];
        long[] steps = new long[n];
        for (int i = 0; i < n; i++) {
            names.add(in.readUTF());
            m[i] = readDoubles(in);
            v[i] = readDoubles(in);
            steps[i] = in.readLong();
        }
        return new Adam.State(names, m, v, steps);
    }

    private static void writeValues(DataOutputStream out, Map<String, double[]> values) throws IOException {
        out.writeInt(values.size());
        for (Map.Entry<String, double[]> e : values.entrySet()) {
            out.writeUTF(e.getKey());
            writeDoubles(out, e.getValue());
        }
    }

    private static Map<String, double[]> readValues(DataInputStream in) throws IOException {
        int n = in.readInt();
        Map<String, double[]> values = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            values.put(in.readUTF(), readDoubles(in));
        }
        return values;
    }

    private static void writeMatrix(DataOutputStream out, double[][] m) throws IOException {
        out.writeInt(m.length);
        for (double[] row : m) {
            writeDoubles(out, row);
        }
    }

    private static double[][] readMatrix(DataInputStream in) throws IOException {
        double[][] m = new double[checkedLength(in.readInt())][];
        for (int i = 0; i < m.length; i++) {
            m[i] = readDoubles(in);
        }
        return m;
    }

    private static void writeInts(DataOutputStream out, int[] values) throws IOException {
        out.writeInt(values.length);
        for (int v : values) {
            out.writeInt(v);
        }
    }

    private static int[] readInts(DataInputStream in) throws IOException {
        int[] values = new int[checkedLength(in.readInt())];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readInt();
        }
        return values;
    }

    private static void writeDoubles(DataOutputStream out, double[] values) throws IOException {
        out.writeInt(values.length);
        for (double v : values) {
            out.writeLong(Double.doubleToRawLongBits(v));
        }
    }

    private static double[] readDoubles(DataInputStream in) throws IOException {
        double[] values = new double[checkedLength(in.readInt())];
        for (int i = 0; i < values.length; i++) {
            values[i] = Double.longBitsToDouble(in.readLong());
        }
        return values;
    }

    private static int checkedLength(int n) throws IOException {
        if (n < 0) {
            throw new IOException("negative array length " + n + " in a checkpoint");
        }
        return n;
    }
}
