package io.autonf.study;

import io.autonf.cost.CostEmphasis;
import io.autonf.flow.LayerKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StudyYamlTest {

    @Test
    void aProfileWithOverrides() {
        StudyConfig c = StudyYaml.parse("""
                profile: quick
                seeds: [1, 2]
                emphases: [inverse]
                options: maf,rq-c
                ga: {population: 5, candidate_steps: 20}
                final_training: {steps: 300}
                evaluation: {samples: 500}
                """, "study.yaml");
        StudyConfig quick = StudyConfig.quick();
        assertEquals(List.of(1L, 2L), c.seeds());
        assertEquals(List.of(CostEmphasis.INVERSE), c.emphases());
        assertEquals(List.of(LayerKind.MAF, LayerKind.RQ_C), c.search().space().options());
        assertEquals(5, c.ga().populationSize());
        assertEquals(20, c.ga().training().maxSteps());
        assertEquals(300, c.search().retraining().maxSteps());
        assertEquals(300, c.ga().retraining().maxSteps(), "one final budget for every method");
        assertEquals(500, c.options().evaluationSamples());
        assertEquals(quick.datasets(), c.datasets(), "the rest comes from the profile");
        assertEquals(quick.search().stepsPerBlock(), c.search().stepsPerBlock());
        assertEquals(quick.search().space().settings(), c.search().space().settings());
        assertEquals(quick.ga().generations(), c.ga().generations());
    }

    @Test
    void unknownKeysAreRefusedNamingTheKeyAndTheFile() {
        var top = assertThrows(IllegalArgumentException.class,
                () -> StudyYaml.parse("profile: quick\nseed: [1]\n", "my/study.yaml"));
        assertTrue(top.getMessage().contains("my/study.yaml") && top.getMessage().contains("unknown key 'seed'")
                && top.getMessage().contains("seeds"), top.getMessage());
        var nested = assertThrows(IllegalArgumentException.class,
                () -> StudyYaml.parse("ga: {populaton: 4}\n", "s.yaml"));
        assertTrue(nested.getMessage().contains("unknown key 'ga.populaton'"), nested.getMessage());
    }

    @Test
    void badValuesNameTheirKey() {
        var type = assertThrows(IllegalArgumentException.class,
                () -> StudyYaml.parse("profile: quick\nlayers: four\n", "s.yaml"));
        assertTrue(type.getMessage().contains("s.yaml: 'layers'"), type.getMessage());
        var profile = assertThrows(IllegalArgumentException.class,
                () -> StudyYaml.parse("profile: fast\n", "s.yaml"));
        assertTrue(profile.getMessage().contains("unknown study profile 'fast'"), profile.getMessage());
        var range = assertThrows(IllegalArgumentException.class,
                () -> StudyYaml.parse("profile: quick\nemphases: [training]\n", "s.yaml"));
        assertTrue(range.getMessage().startsWith("s.yaml: ") && range.getMessage().contains("training"),
                range.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StudyYaml.parse("- a\n- b\n", "s.yaml"));
        assertThrows(IllegalArgumentException.class, () -> StudyYaml.parse("", "s.yaml"));
    }

    @Test
    void theExampleFileLoads(@TempDir Path dir) throws IOException {
        Path example = Path.of("..", "docs", "study.yaml");
        StudyConfig c = StudyYaml.load(example);
        assertEquals("quick-two-seeds", c.name());
        assertEquals(List.of(1L, 2L), c.seeds());
        assertEquals(StudyConfig.quick().search().retraining(), c.search().retraining(),
                "the example spells out the quick profile's budgets");
        assertEquals(StudyConfig.quick().ga(), c.ga());
        Path file = dir.resolve("study.yaml");
        Files.writeString(file, "profile: paper\nseeds: [3]\n");
        assertEquals(5, StudyYaml.load(file).datasets().size());
    }
}
