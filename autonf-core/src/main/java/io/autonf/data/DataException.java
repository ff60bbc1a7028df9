package io.autonf.data;

/**
 * Bad or missing input data: a file that is absent, empty, corrupt or holds values a flow cannot
 * train on (NaN, infinities, text where a number belongs, rows of the wrong width).
 *
 * <p>The message always names the file and, when one is known, the place in it. Rows are 1-based
 * and count data rows only (a CSV header line is not a data row); columns are 1-based and carry the
 * header name when the file has one. The file line number is given as well for text files, because
 * that is what an editor shows. The CLI maps this exception to exit code 2.
 *
 * <p>Loaders build their result fully before returning it, so a DataException never leaves a
 * half-loaded dataset behind; writers write to a temporary file and move it into place.
 */
public final class DataException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final long row;
    private final int column;
    private final String columnName;

    private DataException(String source, long row, int column, String columnName, String detail, Throwable cause) {
        super(describe(source, row, column, columnName, detail), cause);
        this.source = source;
        this.row = row;
        this.column = column;
        this.columnName = columnName;
    }

    /** A problem with the file as a whole (missing, empty, bad header, wrong shape). */
    public static DataException inFile(Object file, String detail) {
        return new DataException(String.valueOf(file), 0, 0, null, detail, null);
    }

    /** A problem with the file as a whole, caused by an I/O error. */
    public static DataException inFile(Object file, String detail, Throwable cause) {
        return new DataException(String.valueOf(file), 0, 0, null, detail, cause);
    }

    /** A problem with one data row (1-based, header not counted), e.g. a ragged CSV row. */
    public static DataException atRow(Object file, long row, String detail) {
        return new DataException(String.valueOf(file), row, 0, null, detail, null);
    }

    /** A problem with one column of the file (1-based), e.g. a constant column that cannot be standardised. */
    public static DataException atColumn(Object file, int column, String columnName, String detail) {
        return new DataException(String.valueOf(file), 0, column, columnName, detail, null);
    }

    /** A problem with one cell: data row and column are 1-based, the header name may be null. */
    public static DataException atCell(Object file, long row, int column, String columnName, String detail) {
        return new DataException(String.valueOf(file), row, column, columnName, detail, null);
    }

    private static String describe(String source, long row, int column, String columnName, String detail) {
        StringBuilder message = new StringBuilder(source);
        if (row > 0) {
            message.append(", data row ").append(row);
        }
        if (column > 0) {
            message.append(", column ").append(column);
            if (columnName != null && !columnName.isEmpty()) {
                message.append(" '").append(columnName).append('\'');
            }
        }
        if (row > 0 || column > 0) {
            message.append(row > 0 ? " (1-based; data rows, a header line is not counted)" : " (1-based)");
        }
        return message.append(": ").append(detail).toString();
    }

    /** The file or resource the problem is in. */
    public String source() {
        return source;
    }

    /** The 1-based data row, or 0 when the problem is not tied to a row. */
    public long row() {
        return row;
    }

    /** The 1-based column, or 0 when the problem is not tied to a column. */
    public int column() {
        return column;
    }

    /** The column's header name, or null when the file has no header or no column is concerned. */
    public String columnName() {
        return columnName;
    }
}
