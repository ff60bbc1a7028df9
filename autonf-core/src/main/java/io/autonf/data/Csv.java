package io.autonf.data;

import io.autonf.flow.Batch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads numeric text tables: comma-separated files ({@link #read}) and the whitespace-separated
 * text of the raw UCI gas-sensor recordings ({@link #readWhitespace}).
 *
 * <p>Rules: UTF-8; blank lines are skipped; every data row must have as many cells as the header
 * (or, without a header, as the first data row); every cell must be a finite decimal number
 * (no NaN, no infinities, no empty cells, no Java-only forms such as {@code 1.0f} or hex floats).
 * Comma-separated cells may be double-quoted. Breaking a rule is a {@link DataException} that
 * names the file, the 1-based data row (header not counted), the 1-based column with its header
 * name, and the file line.
 */
public final class Csv {

    /** Whether the first non-blank line is a header of column names. */
    public enum Header {
        /** The first line is a header, whatever it holds (e.g. numeric names "0,1,2"). */
        PRESENT,
        /** Every line is data. */
        ABSENT,
        /**
         * The first line is a header when none of its cells is a number. A first line that mixes
         * numbers and text is read as data, so a typo in it is reported rather than silently
         * swallowed; a header of purely numeric names needs {@link #PRESENT}.
         */
        AUTO,
        /**
         * A first line in which no cell is a number is a free-text title (as in the raw UCI gas
         * recordings) and is skipped; the columns stay unnamed. Otherwise the first line is data.
         */
        TEXT_TITLE
    }

    private static final Set<String> NON_FINITE = Set.of(
            "nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity");

    private Csv() {
    }

    /** Reads a comma-separated file. */
    public static Table read(Path file, Header header) {
        return readFile(file, header, false);
    }

    /** Reads a file whose cells are separated by runs of spaces or tabs (no quoting). */
    public static Table readWhitespace(Path file, Header header) {
        return readFile(file, header, true);
    }

    /** Reads comma-separated text, e.g. a class-path resource; {@code source} names it in messages. */
    public static Table read(String text, String source, Header header) {
        try (BufferedReader reader = new BufferedReader(new StringReader(text))) {
            return read(reader, source, header, false);
        } catch (IOException e) {
            throw DataException.inFile(source, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static Table readFile(Path file, Header header, boolean whitespace) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader, file.toString(), header, whitespace);
        } catch (NoSuchFileException e) {
            throw DataException.inFile(file, "file not found");
        } catch (AccessDeniedException e) {
            throw DataException.inFile(file, "cannot be read (access denied)", e);
        } catch (CharacterCodingException e) {
            throw DataException.inFile(file, "is not UTF-8 text (a binary file?)", e);
        } catch (java.io.UncheckedIOException e) {
            throw DataException.inFile(file, "cannot be read: " + e.getCause().getMessage(), e);
        } catch (IOException e) {
            throw DataException.inFile(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static Table read(BufferedReader reader, String source, Header header, boolean whitespace)
            throws IOException {
        List<String> names = List.of();
        int width = -1;
        long lineNumber = 0;
        long dataRows = 0;
        boolean sawAnyLine = false;
        double[] values = new double[1024];
        int used = 0;
        String line;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            if (lineNumber == 1 && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
                line = line.substring(1);
            }
            if (line.isBlank()) {
                continue;
            }
            List<String> cells = whitespace ? splitWhitespace(line) : splitComma(line, source, lineNumber);
            if (!sawAnyLine) {
                sawAnyLine = true;
                boolean isHeader = switch (header) {
                    case PRESENT -> true;
                    case ABSENT -> false;
                    case AUTO, TEXT_TITLE -> cells.stream().noneMatch(Csv::looksNumeric);
                };
                if (isHeader && header == Header.TEXT_TITLE) {
                    continue;
                }
                if (isHeader) {
                    names = cells.stream().map(String::strip).toList();
                    width = names.size();
                    continue;
                }
            }
            if (width < 0) {
                width = cells.size();
            }
            dataRows++;
            if (cells.size() != width) {
                throw DataException.atRow(source, dataRows, "has " + cells.size() + " values, expected " + width
                        + (names.isEmpty() ? " like the first data row" : " like the header") + " (file line "
                        + lineNumber + ")");
            }
            if (used + width > values.length) {
                long grown = Math.max((long) values.length * 2, (long) used + width);
                if (grown > Integer.MAX_VALUE - 16) {
                    throw DataException.atRow(source, dataRows, "too many values for one Java array");
                }
                values = Arrays.copyOf(values, (int) grown);
            }
            for (int c = 0; c < width; c++) {
                values[used++] = parseCell(cells.get(c), source, dataRows, c, names, lineNumber);
            }
        }
        if (!sawAnyLine) {
            throw DataException.inFile(source, "file is empty");
        }
        if (dataRows == 0) {
            throw DataException.inFile(source, "has a header line but no data rows");
        }
        if (width == 0) {
            throw DataException.inFile(source, "has no columns");
        }
        return new Table(new Batch(Arrays.copyOf(values, used), (int) dataRows, width), names, source);
    }

    private static double parseCell(String raw, String source, long row, int column, List<String> names, long line) {
        String cell = raw.strip();
        String name = names.isEmpty() ? null : names.get(column);
        if (cell.isEmpty()) {
            throw DataException.atCell(source, row, column + 1, name, "empty cell (file line " + line + ")");
        }
        if (NON_FINITE.contains(cell.toLowerCase(Locale.ROOT))) {
            throw DataException.atCell(source, row, column + 1, name,
                    "value '" + cell + "' is not finite (file line " + line + ")");
        }
        double value = parseNumber(cell);
        if (Double.isNaN(value)) {
            throw DataException.atCell(source, row, column + 1, name,
                    "'" + abbreviate(cell) + "' is not a number (file line " + line + ")");
        }
        if (Double.isInfinite(value)) {
            throw DataException.atCell(source, row, column + 1, name,
                    "'" + abbreviate(cell) + "' overflows a double (file line " + line + ")");
        }
        return value;
    }

    /** A decimal number, or NaN when {@code cell} is not one (Java's own extras are refused). */
    private static double parseNumber(String cell) {
        char last = cell.charAt(cell.length() - 1);
        if (!(Character.isDigit(last) || last == '.')) {
            return Double.NaN;
        }
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            if (!(Character.isDigit(c) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                return Double.NaN;
            }
        }
        try {
            return Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static boolean looksNumeric(String cell) {
        String stripped = cell.strip();
        return !stripped.isEmpty()
                && (NON_FINITE.contains(stripped.toLowerCase(Locale.ROOT)) || !Double.isNaN(parseNumber(stripped)));
    }

    private static String abbreviate(String cell) {
        return cell.length() > 40 ? cell.substring(0, 40) + "..." : cell;
    }

    private static List<String> splitWhitespace(String line) {
        List<String> cells = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i++;
            }
            int start = i;
            while (i < n && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
                i++;
            }
            if (i > start) {
                cells.add(line.substring(start, i));
            }
        }
        return cells;
    }

    private static List<String> splitComma(String line, String source, long lineNumber) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cell.append(c);
                }
            } else if (c == '"' && cell.toString().isBlank()) {
                quoted = true;
                cell.setLength(0);
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            throw DataException.inFile(source, "unterminated quoted cell on file line " + lineNumber);
        }
        cells.add(cell.toString());
        return cells;
    }
}
