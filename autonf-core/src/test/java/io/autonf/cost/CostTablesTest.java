package io.autonf.cost;

import io.autonf.flow.LayerKind;
import io.autonf.flow.LayerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static io.autonf.cost.CostFixtures.INSTANT;
import static io.autonf.cost.CostFixtures.OTHER_MACHINE;
import static io.autonf.cost.CostFixtures.TINY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CostTablesTest {

    @TempDir
    Path dir;

    private static final List<LayerKind> KINDS = List.of(LayerKind.MAF, LayerKind.PLANAR);

    private CostTables.CostTableFile loadOrMeasure(int dimension, LayerSettings settings, List<LayerKind> kinds,
                                                   MeasureOptions options, List<String> log) throws IOException {
        return CostTables.loadOrMeasure(dir, dimension, settings, kinds, options, new SplittableRandom(1), log::add);
    }

    @Test
    void aMatchingTableIsReusedInsteadOfMeasuredAgain() throws IOException {
        List<String> log = new ArrayList<>();
        CostTables.CostTableFile first = loadOrMeasure(3, TINY, KINDS, INSTANT, log);
        assertFalse(first.reused());
        assertEquals(Set.of(LayerKind.MAF, LayerKind.PLANAR), first.measured());
        assertTrue(Files.isRegularFile(first.file()));
        assertEquals(dir.resolve(CostTables.fileName(3, TINY, INSTANT.batch(), Hardware.current())), first.file());
        String saved = Files.readString(first.file());

        log.clear();
        CostTables.CostTableFile second = loadOrMeasure(3, TINY, List.of(LayerKind.PLANAR, LayerKind.IDENTITY), INSTANT, log);
        assertTrue(second.reused());
        assertEquals(first.table(), second.table(), "the stored measurement, not a new one");
        assertEquals(first.file(), second.file());
        assertEquals(saved, Files.readString(first.file()), "the file is not rewritten");
        assertTrue(log.stream().anyMatch(l -> l.contains("reusing") && l.contains(first.file().toString())), log.toString());
        // Different timing options with the same batch reuse the table too: they change precision, not the figure.
        assertTrue(loadOrMeasure(3, TINY, KINDS, INSTANT.quick(), log).reused());
    }

    @Test
    void otherSettingsDimensionOrBatchMeasureAgainIntoTheirOwnFile() throws IOException {
        List<String> log = new ArrayList<>();
        CostTables.CostTableFile base = loadOrMeasure(3, TINY, KINDS, INSTANT, log);
        String saved = Files.readString(base.file());
        CostTables.CostTableFile wider = loadOrMeasure(3, TINY.withHiddenFeatures(12), KINDS, INSTANT, log);
        CostTables.CostTableFile otherDimension = loadOrMeasure(4, TINY, KINDS, INSTANT, log);
        CostTables.CostTableFile otherBatch = loadOrMeasure(3, TINY, KINDS, INSTANT.withBatch(8), log);
        for (CostTables.CostTableFile f : List.of(wider, otherDimension, otherBatch)) {
            assertFalse(f.reused());
            assertNotEquals(base.file(), f.file());
        }
        assertEquals(12, wider.table().settings().hiddenFeatures());
        assertEquals(4, otherDimension.table().dimension());
        assertEquals(8, otherBatch.table().batch());
        assertEquals(saved, Files.readString(base.file()), "the first table is left alone");
        try (var files = Files.list(dir)) {
            assertEquals(4, files.count());
        }
    }

    @Test
    void aTableFromOtherHardwareIsMeasuredOver() throws IOException {
        Path expected = dir.resolve(CostTables.fileName(3, TINY, 512, Hardware.current()));
        // As if copied from another machine under this machine's name.
        CostFixtures.table(OTHER_MACHINE, 3, TINY, LayerKind.MAF, LayerKind.PLANAR).save(expected);
        List<String> log = new ArrayList<>();
        CostTables.CostTableFile f = loadOrMeasure(3, TINY, KINDS, INSTANT.withBatch(512), log);
        assertFalse(f.reused());
        assertEquals(expected, f.file());
        assertEquals(Hardware.current(), f.table().hardware());
        assertEquals(Hardware.current(), CostTable.load(expected).hardware(), "the file now holds this machine's table");
    }

    @Test
    void aTableLackingSomeKindsIsExtendedWithThoseOnly() throws IOException {
        List<String> log = new ArrayList<>();
        CostTables.CostTableFile first = loadOrMeasure(3, TINY, List.of(LayerKind.MAF), INSTANT, log);
        CostTables.CostTableFile second = loadOrMeasure(3, TINY, List.of(LayerKind.MAF, LayerKind.RADIAL), INSTANT, log);
        assertFalse(second.reused());
        assertEquals(Set.of(LayerKind.RADIAL), second.measured());
        assertEquals(first.table().layerCost(LayerKind.MAF), second.table().layerCost(LayerKind.MAF));
        assertEquals(second.table(), CostTable.load(second.file()));
        assertTrue(loadOrMeasure(3, TINY, List.of(LayerKind.RADIAL), INSTANT, log).reused());
    }

    @Test
    void remeasuringReplacesTheTable() throws IOException {
        List<String> log = new ArrayList<>();
        CostTables.CostTableFile first = loadOrMeasure(3, TINY, KINDS, INSTANT, log);
        CostTables.CostTableFile again = CostTables.measureAndSave(dir, 3, TINY, List.of(LayerKind.RADIAL), INSTANT,
                new SplittableRandom(2), log::add);
        assertEquals(first.file(), again.file());
        assertEquals(Set.of(LayerKind.RADIAL), CostTable.load(again.file()).kinds());
    }

    @Test
    void aCorruptTableIsAnErrorNamingTheFile() throws IOException {
        Path expected = dir.resolve(CostTables.fileName(3, TINY, INSTANT.batch(), Hardware.current()));
        Files.writeString(expected, "{\"format\": \"autonf-cost-table\", \"format_ver");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> loadOrMeasure(3, TINY, KINDS, INSTANT, new ArrayList<>()));
        assertTrue(e.getMessage().contains(expected.toString()), e.getMessage());
    }

    @Test
    void fileNamesDependOnTheSettingsBatchAndHardwareOnly() {
        Hardware h = Hardware.current();
        String name = CostTables.fileName(6, LayerSettings.DEFAULT, 512, h);
        assertTrue(name.matches("cost-v1-d6-[0-9a-f]{16}\\.json"), name);
        assertEquals(name, CostTables.fileName(6, LayerSettings.DEFAULT, 512, h));
        assertNotEquals(name, CostTables.fileName(6, LayerSettings.DEFAULT.withPrecision(io.autonf.flow.Precision.FP64),
                512, h));
        assertNotEquals(name, CostTables.fileName(6, LayerSettings.DEFAULT, 256, h));
        assertNotEquals(name, CostTables.fileName(6, LayerSettings.DEFAULT, 512, OTHER_MACHINE));
    }

    @Test
    void aDirectoryThatIsAFileIsRejected() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        assertThrows(IllegalArgumentException.class, () -> CostTables.loadOrMeasure(file, 3, TINY, KINDS, INSTANT,
                new SplittableRandom(1), null));
    }
}
