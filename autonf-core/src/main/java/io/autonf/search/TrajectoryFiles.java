package io.autonf.search;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Writes an {@link AlphaTrajectory} as CSV files that any plotting tool reads. */
public final class TrajectoryFiles {

    public static final String WEIGHTS_HEADER = "step,layer,option,weight";
    public static final String STEPS_HEADER = "step,phase,train_loss,validation_loss,expected_cost,layer_evaluations";

    private TrajectoryFiles() {
    }

    /**
     * One line per step, layer and option: {@code step,layer,option,weight}, layers from 0, options by name;
     * full double precision (shortest round-trip form).
     */
    public static void writeWeights(AlphaTrajectory t, Path file) {
        try (BufferedWriter w = writer(file)) {
            w.write(WEIGHTS_HEADER);
            w.newLine();
            for (int s = 0; s <= t.steps(); s++) {
                for (int i = 0; i < t.layers(); i++) {
                    for (int j = 0; j < t.options().size(); j++) {
                        w.write(s + "," + i + "," + t.options().get(j).id() + "," + t.weight(s, i, j));
                        w.newLine();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** One line per step: the phase, both losses, the expected cost and the layer evaluations so far. */
    public static void writeSteps(AlphaTrajectory t, Path file) {
        try (BufferedWriter w = writer(file)) {
            w.write(STEPS_HEADER);
            w.newLine();
            for (int s = 0; s <= t.steps(); s++) {
                w.write(String.format(Locale.ROOT, "%d,%d,%s,%s,%s,%d", s, t.phase(s), t.trainLoss(s),
                        t.validationLoss(s), t.expectedCost(s), t.layerEvaluations(s)));
                w.newLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static BufferedWriter writer(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }
}
