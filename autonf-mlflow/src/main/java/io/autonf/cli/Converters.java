package io.autonf.cli;

import io.autonf.flow.Architecture;
import io.autonf.flow.Precision;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option-value converters that turn the library's {@link IllegalArgumentException}s into picocli's own. */
final class Converters {

    private Converters() {
    }

    /**
     * The default of a conditioner-network option ({@code --hidden}, {@code --blocks}, {@code --bins},
     * {@code --tail-bound}, {@code --precision}) from {@link io.autonf.flow.LayerSettings#DEFAULT}, as picocli
     * default-value providers want it; null for any other option.
     */
    static String layerSettingDefault(String option) {
        io.autonf.flow.LayerSettings l = io.autonf.flow.LayerSettings.DEFAULT;
        Object value = switch (option) {
            case "--hidden" -> l.hiddenFeatures();
            case "--blocks" -> l.blocks();
            case "--bins" -> l.bins();
            case "--tail-bound" -> l.tailBound();
            case "--precision" -> l.precision().name().toLowerCase(java.util.Locale.ROOT);
            default -> null;
        };
        return value == null ? null : String.valueOf(value);
    }

    static final class ArchitectureConverter implements ITypeConverter<Architecture> {
        @Override
        public Architecture convert(String value) {
            try {
                return Architecture.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class PrecisionConverter implements ITypeConverter<Precision> {
        @Override
        public Precision convert(String value) {
            try {
                return Precision.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
