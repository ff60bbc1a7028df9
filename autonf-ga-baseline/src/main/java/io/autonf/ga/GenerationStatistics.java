package io.autonf.ga;

import io.autonf.flow.Architecture;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The population after one generation, and the run's compute so far.
 *
 * @param generation           from 1
 * @param bestFitness          the best fitness in the population
 * @param bestArchitecture     its architecture
 * @param bestSoFar            the best fitness of every candidate trained so far
 * @param meanFitness          mean fitness of the population's members that did not fail (NaN if all failed)
 * @param failedMembers        members with a failed training
 * @param distinctGenotypes    different genotypes in the population (diversity: population size at most)
 * @param meanHammingDistance  mean number of layers in which two members differ, over all pairs (diversity)
 * @param trainings            candidates trained so far (each architecture once)
 * @param layerEvaluations     layer evaluations spent by those trainings
 * @param wallTime             time since the run started
 */
public record GenerationStatistics(int generation, double bestFitness, Architecture bestArchitecture,
                                   double bestSoFar, double meanFitness, int failedMembers, int distinctGenotypes,
                                   double meanHammingDistance, int trainings, long layerEvaluations,
                                   Duration wallTime) {

    public GenerationStatistics {
        if (generation < 1 || bestArchitecture == null || wallTime == null) {
            throw new IllegalArgumentException("generation statistics need a generation >= 1, the best architecture "
                    + "and the wall time");
        }
    }

    /** By snake_case name: the per-generation metrics of a run record. */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("generation", generation);
        m.put("best_fitness", bestFitness);
        m.put("best_architecture", bestArchitecture.toString());
        m.put("best_fitness_so_far", bestSoFar);
        m.put("mean_fitness", meanFitness);
        m.put("failed_members", failedMembers);
        m.put("distinct_genotypes", distinctGenotypes);
        m.put("mean_hamming_distance", meanHammingDistance);
        m.put("trainings", trainings);
        m.put("layer_evaluations", layerEvaluations);
        m.put("wall_time_s", wallTime.toNanos() / 1e9);
        return m;
    }
}
