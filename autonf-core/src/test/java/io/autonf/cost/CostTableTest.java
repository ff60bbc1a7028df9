package io.autonf.cost;

import io.autonf.flow.Architecture;
import io.autonf.flow.LayerKind;
import io.autonf.flow.LayerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.autonf.cost.CostFixtures.OTHER_MACHINE;
import static io.autonf.cost.CostFixtures.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CostTableTest {

    @TempDir
    Path dir;

    private static final CostTable TABLE = table(OTHER_MACHINE, 6, LayerSettings.DEFAULT,
            LayerKind.MAF, LayerKind.RQ_AR, LayerKind.RQ_C, LayerKind.PLANAR);

    @Test
    void aSavedTableLoadsBackEqualToTheOriginal() throws IOException {
        Path file = dir.resolve("sub/dir/table.json");
        TABLE.save(file);
        CostTable loaded = CostTable.load(file);
        assertEquals(TABLE, loaded);
        assertEquals(TABLE.created(), loaded.created(), "nanoseconds of the creation time survive");
        assertEquals(CostTable.fromJson(TABLE.toJson(), "text"), TABLE);
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void costsAreLookedUpByEmphasisAndTheIdentityIsFree() {
        assertEquals(1e-6, TABLE.cost(LayerKind.MAF, CostEmphasis.FORWARD));
        assertEquals(2e-5, TABLE.cost(LayerKind.RQ_AR, CostEmphasis.INVERSE));
        assertEquals(9e-6, TABLE.cost(LayerKind.RQ_C, CostEmphasis.TRAINING), 1e-20);
        assertEquals(0, TABLE.cost(LayerKind.IDENTITY, CostEmphasis.INVERSE));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TABLE.cost(LayerKind.RADIAL, CostEmphasis.FORWARD));
        assertTrue(e.getMessage().contains("radial"), e.getMessage());
    }

    @Test
    void anArchitectureCostsTheSumOfItsLayers() {
        Architecture a = Architecture.parse("rq-c,maf,identity,rq-c,planar");
        assertEquals(3e-6 + 1e-6 + 0 + 3e-6 + 4e-6, TABLE.architectureCost(a, CostEmphasis.FORWARD), 1e-18);
        assertEquals(3e-5 + 1e-5 + 3e-5 + 4e-5, TABLE.architectureCost(a, CostEmphasis.INVERSE), 1e-17);
        assertEquals(8 * 2e-5, TABLE.architectureCost(Architecture.uniform(LayerKind.RQ_AR, 8), CostEmphasis.INVERSE),
                1e-17);
    }

    @Test
    void matchesOnlyTheSameDimensionSettingsAndHardware() {
        assertTrue(TABLE.matches(6, LayerSettings.DEFAULT, OTHER_MACHINE));
        assertFalse(TABLE.matches(7, LayerSettings.DEFAULT, OTHER_MACHINE));
        assertFalse(TABLE.matches(6, LayerSettings.DEFAULT.withBins(9), OTHER_MACHINE));
        assertFalse(TABLE.matches(6, LayerSettings.DEFAULT.withTailBound(3.5), OTHER_MACHINE));
        assertFalse(TABLE.matches(6, LayerSettings.DEFAULT, Hardware.current()));
        Hardware moreCores = new Hardware(OTHER_MACHINE.cpuModel(), 65, OTHER_MACHINE.jvmVendor(),
                OTHER_MACHINE.jvmVersion(), OTHER_MACHINE.os(), OTHER_MACHINE.arch(), OTHER_MACHINE.vectorLanes());
        assertFalse(TABLE.matches(6, LayerSettings.DEFAULT, moreCores));
        assertTrue(TABLE.covers(List.of(LayerKind.MAF, LayerKind.IDENTITY)));
        assertFalse(TABLE.covers(List.of(LayerKind.MAF, LayerKind.RADIAL)));
    }

    @Test
    void aCorruptFileIsAnErrorNamingTheFile() throws IOException {
        Path file = dir.resolve("broken-table.json");
        Files.writeString(file, TABLE.toJson().substring(0, 200));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CostTable.load(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("not valid JSON"), e.getMessage());

        Files.writeString(file, TABLE.toJson().replace("\"forward_seconds\"", "\"forward_secs\""));
        e = assertThrows(IllegalArgumentException.class, () -> CostTable.load(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("forward_seconds"), e.getMessage());

        Files.writeString(file, TABLE.toJson().replace("\"planar\"", "\"spiral\""));
        e = assertThrows(IllegalArgumentException.class, () -> CostTable.load(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("spiral"), e.getMessage());

        Files.writeString(file, TABLE.toJson().replaceFirst("\"inverse_seconds\" : [0-9.eE-]+", "\"inverse_seconds\" : -1"));
        e = assertThrows(IllegalArgumentException.class, () -> CostTable.load(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("inverse seconds"), e.getMessage());

        Files.writeString(file, "{\"format\": \"autonf-flow\", \"format_version\": 1}");
        e = assertThrows(IllegalArgumentException.class, () -> CostTable.load(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("autonf-flow"), e.getMessage());

        Path missing = dir.resolve("missing.json");
        e = assertThrows(IllegalArgumentException.class, () -> CostTable.load(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void aNewerFormatVersionIsAnErrorThatSaysSo() throws IOException {
        Path file = dir.resolve("future.json");
        Files.writeString(file, TABLE.toJson().replace("\"format_version\" : 1", "\"format_version\" : 7"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CostTable.load(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("version 7")
                && e.getMessage().contains("newer"), e.getMessage());
    }

    @Test
    void recordsRejectInvalidValues() {
        assertThrows(IllegalArgumentException.class, () -> new LayerCost(LayerKind.MAF, 0, 1, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new LayerCost(LayerKind.MAF, 1, Double.NaN, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new LayerCost(LayerKind.IDENTITY, 1, 1, 1, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new LayerCost(null, 1, 1, 1, 1, 1));
        LayerCost maf = new LayerCost(LayerKind.MAF, 1, 1, 1, 1, 1);
        assertThrows(IllegalArgumentException.class, () -> new CostTable(1, Instant.EPOCH, OTHER_MACHINE, 6,
                LayerSettings.DEFAULT, 512, 1, Map.of(LayerKind.RQ_C, maf)), "a cost filed under the wrong kind");
        assertThrows(IllegalArgumentException.class, () -> new CostTable(1, Instant.EPOCH, OTHER_MACHINE, 6,
                LayerSettings.DEFAULT, 512, 1, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new CostTable(2, Instant.EPOCH, OTHER_MACHINE, 6,
                LayerSettings.DEFAULT, 512, 1, Map.of(LayerKind.MAF, maf)));
        assertThrows(IllegalArgumentException.class, () -> new CostTable(1, Instant.EPOCH, OTHER_MACHINE, 0,
                LayerSettings.DEFAULT, 512, 1, Map.of(LayerKind.MAF, maf)));
        assertThrows(IllegalArgumentException.class, () -> new Hardware(" ", 1, "v", "1", "os", "arch", 1));
        assertThrows(IllegalArgumentException.class, () -> new Hardware("cpu", 0, "v", "1", "os", "arch", 1));
        assertThrows(IllegalArgumentException.class, () -> new MeasureOptions(0, 0, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new MeasureOptions(1, -1, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new MeasureOptions(1, 2, 1, 1, 0), "max below min warm-up");
        assertThrows(IllegalArgumentException.class, () -> new MeasureOptions(1, 0, 0, 0, 0));
    }

    @Test
    void theCurrentHardwareDescribesThisMachine() throws IOException {
        Hardware h = Hardware.current();
        assertEquals(Runtime.getRuntime().availableProcessors(), h.cores());
        assertTrue(h.vectorLanes() >= 1);
        Path cpuInfo = dir.resolve("cpuinfo");
        Files.writeString(cpuInfo, "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD  EPYC 7B13\n\n"
                + "processor\t: 1\nmodel name\t: AMD EPYC 7B13\n");
        assertEquals("AMD EPYC 7B13", Hardware.cpuModel(cpuInfo));
        assertEquals(Hardware.UNKNOWN, Hardware.cpuModel(dir.resolve("no-such-file")));
    }
}
