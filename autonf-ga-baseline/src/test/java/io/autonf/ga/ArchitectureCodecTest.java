package io.autonf.ga;

import io.autonf.flow.Architecture;
import io.autonf.flow.LayerKind;
import io.autonf.search.AutoNfSearch;
import io.autonf.search.SearchSpace;
import io.jenetics.Genotype;
import io.jenetics.IntegerGene;
import io.jenetics.util.RandomRegistry;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static io.autonf.flow.LayerKind.AFFINE_C;
import static io.autonf.flow.LayerKind.IDENTITY;
import static io.autonf.flow.LayerKind.MAF;
import static io.autonf.flow.LayerKind.RQ_C;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchitectureCodecTest {

    @Test
    void everyArchitectureOfASpaceWithoutIdentityRoundTrips() {
        SearchSpace space = GaFixtures.space(3, MAF, AFFINE_C, RQ_C);
        ArchitectureCodec codec = new ArchitectureCodec(space);
        Set<Architecture> seen = new HashSet<>();
        for (int[] choice : GaFixtures.allChoices(3, 3)) {
            Genotype<IntegerGene> genotype = codec.genotype(choice);
            Architecture a = codec.decode(genotype);
            assertEquals(List.of(space.option(choice[0]), space.option(choice[1]), space.option(choice[2])),
                    a.layers());
            assertEquals(AutoNfSearch.architecture(choice, ArchitectureCodec.oneHot(choice, 3), space.options()), a);
            assertEquals(genotype, codec.encode(a));
            assertArrayEquals(choice, codec.choice(codec.encode(a)));
            seen.add(a);
        }
        assertEquals(27, seen.size());
    }

    @Test
    void identityLayersDecodeAsTheAutoNfSearchDropsThem() {
        SearchSpace space = GaFixtures.space(3, MAF, IDENTITY, RQ_C);
        ArchitectureCodec codec = new ArchitectureCodec(space);
        Set<Architecture> seen = new HashSet<>();
        for (int[] choice : GaFixtures.allChoices(3, 3)) {
            Architecture a = codec.decode(codec.genotype(choice));
            assertEquals(AutoNfSearch.architecture(choice, ArchitectureCodec.oneHot(choice, 3), space.options()), a);
            assertTrue(a.layers().stream().noneMatch(k -> k == IDENTITY), a.toString());
            assertEquals(a, codec.decode(codec.encode(a)), "canonical genotype of " + a);
            seen.add(a);
        }
        // 1, 2 or 3 layers of maf or rq-c; identity everywhere falls back to a single maf.
        assertEquals(2 + 4 + 8, seen.size());
        assertEquals(Architecture.parse("maf"), codec.decode(new int[]{1, 1, 1}));
        assertArrayEquals(new int[]{2, 1, 1}, codec.choice(codec.encode(Architecture.parse("rq-c"))));
    }

    @Test
    void randomGenotypesCoverEveryOptionAndNoMore() {
        ArchitectureCodec codec = new ArchitectureCodec(GaFixtures.space(4, MAF, AFFINE_C, RQ_C));
        int[] counts = new int[3];
        RandomRegistry.using(new SplittableRandom(3), r -> {
            for (int n = 0; n < 500; n++) {
                for (int c : codec.choice(codec.encoding().newInstance())) {
                    counts[c]++;
                }
            }
        });
        // Jenetics' upper bound is exclusive: options 0..2 all drawn, index 3 (out of range) never; choice()
        // would have thrown on it.
        for (int c : counts) {
            assertTrue(c > 500, "every option is drawn about 2000/3 times: " + java.util.Arrays.toString(counts));
        }
    }

    @Test
    void rejectsWhatTheSpaceCannotHold() {
        ArchitectureCodec codec = new ArchitectureCodec(GaFixtures.space(2, MAF, RQ_C));
        assertEquals("architecture maf,maf,maf has 3 layers; the space has 2",
                assertThrows(IllegalArgumentException.class, () -> codec.encode(Architecture.parse("maf,maf,maf")))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> codec.encode(Architecture.parse("maf")));
        assertThrows(IllegalArgumentException.class, () -> codec.encode(Architecture.parse("maf,affine-c")));
        assertEquals("layer 1 chooses option 2; options are 0..1",
                assertThrows(IllegalArgumentException.class, () -> codec.decode(new int[]{0, 2})).getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new ArchitectureCodec(GaFixtures.space(2, LayerKind.IDENTITY)));
    }
}
