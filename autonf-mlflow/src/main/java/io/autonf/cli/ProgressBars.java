package io.autonf.cli;

import io.autonf.event.SearchListener;
import io.autonf.event.SearchListeners;
import io.autonf.ga.CandidateEvaluation;
import io.autonf.ga.GaConfig;
import io.autonf.ga.GaListener;
import io.autonf.ga.GaResult;
import io.autonf.ga.GenerationStatistics;
import io.autonf.metric.FlowEvaluation;
import io.autonf.search.SearchConfig;
import io.autonf.search.SearchResult;
import io.autonf.study.Convergence;
import io.autonf.study.MethodResult;
import io.autonf.study.StudyCell;
import io.autonf.study.StudyConfig;
import io.autonf.study.StudyListener;
import io.autonf.study.StudyMethod;
import io.autonf.study.StudyReport;
import io.autonf.train.TrainingListener;
import io.autonf.train.TrainingResult;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * Progress bars of the long commands, as listeners of the engines (the engines themselves print nothing). One
 * instance per command: it knows whether bars are shown ({@code --quiet} turns them off) and how.
 */
final class ProgressBars {

    private final ProgressBar.Mode mode;
    private final PrintWriter out;

    ProgressBars(ProgressBar.Mode mode, PrintWriter out) {
        this.mode = mode;
        this.out = out;
    }

    /** Bars that print nothing. */
    static ProgressBars off(PrintWriter out) {
        return new ProgressBars(ProgressBar.Mode.OFF, out);
    }

    boolean enabled() {
        return mode != ProgressBar.Mode.OFF;
    }

    ProgressBar bar(String label, long total) {
        return new ProgressBar(label, Math.max(1, total), out, mode);
    }

    /** A bar per training run (opened at its first step, closed when it finishes) over {@code maxSteps}. */
    TrainingListener training(String label, int maxSteps) {
        if (!enabled()) {
            return TrainingListener.NONE;
        }
        return new TrainingListener() {
            private ProgressBar bar;
            private String validation = "";

            @Override
            public void onStep(int step, double learningRate, double trainLoss, double gradientNorm) {
                if (bar == null) {
                    bar = bar(label, maxSteps);
                    validation = "";
                }
                bar.update(step, String.format(Locale.ROOT, "loss %.4f%s", trainLoss, validation));
            }

            @Override
            public void onValidation(int step, double validationNll, boolean isBest) {
                validation = String.format(Locale.ROOT, "  val %.4f", validationNll);
            }

            @Override
            public void onFinish(TrainingResult result) {
                if (bar != null) {
                    bar.close();
                    bar = null;
                }
            }
        };
    }

    /** A bar over the search's steps. */
    SearchListener search(String label) {
        if (!enabled()) {
            return SearchListener.NONE;
        }
        return new SearchListener() {
            private ProgressBar bar;

            @Override
            public void onStart(SearchConfig config) {
                bar = bar(label, config.totalSteps());
            }

            @Override
            public void onStep(int step, int block, double trainLoss, double validationLoss, double[][] weights,
                               double expectedCost, long layerEvaluations) {
                if (bar != null) {
                    bar.update(step, String.format(Locale.ROOT, "block %d  train %.4f  val %.4f", block, trainLoss,
                            validationLoss));
                }
            }

            @Override
            public void onFinish(SearchResult result) {
                if (bar != null) {
                    bar.close();
                    bar = null;
                }
            }
        };
    }

    /** A bar over the GA's generations (at most; the GA may stop early), with the candidates trained so far. */
    GaListener ga(String label) {
        if (!enabled()) {
            return GaListener.NONE;
        }
        return new GaListener() {
            private ProgressBar bar;
            private int generations;
            private int candidates;
            private String best = "";

            @Override
            public void onStart(GaConfig config) {
                bar = bar(label, config.generations());
                generations = 0;
                candidates = 0;
            }

            @Override
            public void onCandidate(CandidateEvaluation candidate) {
                candidates++;
                if (bar != null) {
                    bar.update(generations, candidates + " trained" + best);
                }
            }

            @Override
            public void onGeneration(GenerationStatistics generation) {
                generations = generation.generation();
                best = String.format(Locale.ROOT, "  best fitness %.4f", generation.bestFitness());
                if (bar != null) {
                    bar.update(generations, candidates + " trained" + best);
                }
            }

            @Override
            public void onFinish(GaResult result) {
                if (bar != null) {
                    bar.close();
                    bar = null;
                }
            }
        };
    }

    /** {@code delegate}'s study events, and a bar over its {@code runs} method runs. */
    StudyListener study(String label, int runs, StudyListener delegate) {
        if (!enabled()) {
            return delegate;
        }
        ProgressBar bar = bar(label, runs);
        return new StudyListener() {
            private int finished;

            @Override
            public void onStart(StudyConfig config) {
                delegate.onStart(config);
            }

            @Override
            public void onCellStart(StudyCell cell, StudyMethod method) {
                delegate.onCellStart(cell, method);
            }

            @Override
            public SearchListener search(StudyCell cell) {
                return delegate.search(cell);
            }

            @Override
            public GaListener ga(StudyCell cell) {
                return delegate.ga(cell);
            }

            @Override
            public TrainingListener training(StudyCell cell, StudyMethod method) {
                return delegate.training(cell, method);
            }

            @Override
            public void onCellFinish(StudyCell cell, StudyMethod method, MethodResult result) {
                delegate.onCellFinish(cell, method, result);
                bar.update(++finished, cell.label() + " " + method.label());
            }

            @Override
            public void onConvergence(Convergence convergence) {
                delegate.onConvergence(convergence);
            }

            @Override
            public void onFinish(StudyReport report) {
                delegate.onFinish(report);
                bar.close();
            }
        };
    }

    /** All search listeners, in order. */
    static SearchListener all(SearchListener... listeners) {
        return SearchListeners.all(List.of(listeners));
    }
}
