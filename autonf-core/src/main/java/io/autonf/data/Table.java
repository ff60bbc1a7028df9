package io.autonf.data;

import io.autonf.flow.Batch;
import java.util.List;

/**
 * Numbers read from a text file, with the column names from its header if it had one.
 *
 * @param values      the data rows, row-major
 * @param columnNames one name per column, or an empty list when the file had no header
 * @param source      the file the values came from, for error messages
 */
public record Table(Batch values, List<String> columnNames, String source) {

    public Table {
        if (values == null || columnNames == null || source == null) {
            throw new IllegalArgumentException("table values, column names and source must not be null");
        }
        columnNames = List.copyOf(columnNames);
        if (!columnNames.isEmpty() && columnNames.size() != values.cols()) {
            throw new IllegalArgumentException(
                    columnNames.size() + " column names for " + values.cols() + " columns");
        }
    }

    public boolean hasHeader() {
        return !columnNames.isEmpty();
    }

    /** The header name of 0-based column {@code column}, or null without a header. */
    public String columnName(int column) {
        return columnNames.isEmpty() ? null : columnNames.get(column);
    }
}
