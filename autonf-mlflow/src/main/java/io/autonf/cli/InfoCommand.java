package io.autonf.cli;

import io.autonf.flow.LayerSettings;
import io.autonf.train.FlowFiles;
import io.autonf.train.FlowSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** {@code autonf info model.anf}: what a saved flow is, read from its manifest without building it. */
@Command(name = "info", description = "Describe a saved flow (.anf) without loading its layers.")
final class InfoCommand extends ResultCommand {

    @Parameters(paramLabel = "MODEL", description = "A model file written by 'autonf train --out'.")
    Path model;

    @Override
    protected Map<String, Object> execute(PrintWriter log) {
        FlowFiles.Manifest manifest;
        try {
            manifest = FlowFiles.readManifest(model);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read model file " + model + ": " + e.getMessage(), e);
        }
        FlowSpec spec = manifest.spec();
        LayerSettings s = spec.settings();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model.toAbsolutePath().toString());
        m.put("format_version", manifest.formatVersion());
        m.put("architecture", spec.architecture().toString());
        m.put("dimension", spec.dimension());
        m.put("hidden_features", s.hiddenFeatures());
        m.put("blocks", s.blocks());
        m.put("bins", s.bins());
        m.put("tail_bound", s.tailBound());
        m.put("precision", s.precision().name().toLowerCase(Locale.ROOT));
        m.put("seed", spec.seed());
        m.put("dataset", manifest.dataset());
        m.put("parameter_tensors", manifest.parameters().size());
        m.put("parameters", manifest.valueCount());
        m.put("training", manifest.training());
        return m;
    }
}
