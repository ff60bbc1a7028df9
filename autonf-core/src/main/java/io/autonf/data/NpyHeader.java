package io.autonf.data;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The validated header of a {@code .npy} file (format versions 1.0, 2.0 and 3.0).
 *
 * <p>The header is a Python dict literal with exactly the keys {@code descr}, {@code fortran_order}
 * and {@code shape}. It is parsed here by a small literal parser rather than trusted, so that a
 * corrupt file is reported as such instead of being read as garbage numbers.
 *
 * @param descr        numpy dtype string, e.g. {@code <f8}
 * @param fortranOrder true when the data are stored column by column
 * @param shape        the array shape; this library accepts 1-D (one column) and 2-D arrays
 * @param dataOffset   byte offset of the first data byte (magic + version + length field + header)
 */
public record NpyHeader(String descr, boolean fortranOrder, long[] shape, long dataOffset) {

    /** The six magic bytes every .npy file starts with. */
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    public NpyHeader {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Rows of the matrix this array is read as: the first dimension. */
    public long rows() {
        return shape[0];
    }

    /** Columns of the matrix this array is read as: the second dimension, or 1 for a 1-D array. */
    public long cols() {
        return shape.length == 2 ? shape[1] : 1;
    }

    /** 'f' for floats, 'i' for signed and 'u' for unsigned integers. */
    public char kind() {
        return descr.charAt(1);
    }

    /** Bytes per element. */
    public int itemSize() {
        return Integer.parseInt(descr.substring(2));
    }

    public ByteOrder byteOrder() {
        return switch (descr.charAt(0)) {
            case '>' -> ByteOrder.BIG_ENDIAN;
            case '<' -> ByteOrder.LITTLE_ENDIAN;
            default -> ByteOrder.nativeOrder();
        };
    }

    /**
     * Parses the header at the start of {@code prefix}.
     *
     * @param prefix   at least the whole header (more is fine)
     * @param fileSize the file's total size, to check the header fits in it
     * @param source   named in error messages
     */
    static NpyHeader parse(byte[] prefix, int prefixLength, long fileSize, Object source) {
        if (fileSize == 0) {
            throw DataException.inFile(source, "file is empty");
        }
        if (prefixLength < 10) {
            throw DataException.inFile(source, "is not a .npy file: only " + fileSize + " bytes, too short for a .npy header");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (prefix[i] != MAGIC[i]) {
                throw DataException.inFile(source, "is not a .npy file: it does not start with the magic string \\x93NUMPY");
            }
        }
        int major = prefix[6] & 0xff;
        int minor = prefix[7] & 0xff;
        if (!((major == 1 || major == 2 || major == 3) && minor == 0)) {
            throw DataException.inFile(source, "corrupt .npy header: format version " + major + "." + minor
                    + " is not one of 1.0, 2.0, 3.0");
        }
        int lengthBytes = major == 1 ? 2 : 4;
        if (prefixLength < 8 + lengthBytes) {
            throw DataException.inFile(source, "corrupt .npy header: file ends inside the header length field");
        }
        long headerLength = 0;
        for (int i = 0; i < lengthBytes; i++) {
            headerLength |= (long) (prefix[8 + i] & 0xff) << (8 * i);
        }
        long dataOffset = 8 + lengthBytes + headerLength;
        if (dataOffset > fileSize) {
            throw DataException.inFile(source, "corrupt .npy header: header length " + headerLength
                    + " runs past the end of the " + fileSize + "-byte file");
        }
        if (dataOffset > prefixLength) {
            throw DataException.inFile(source, "corrupt .npy header: header length " + headerLength + " is implausibly large");
        }
        String text = new String(prefix, 8 + lengthBytes, (int) headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Map<String, Object> dict = new DictParser(text, source).parse();
        return validate(dict, dataOffset, source);
    }

    private static NpyHeader validate(Map<String, Object> dict, long dataOffset, Object source) {
        for (String key : dict.keySet()) {
            if (!key.equals("descr") && !key.equals("fortran_order") && !key.equals("shape")) {
                throw DataException.inFile(source, "corrupt .npy header: unexpected key '" + key + "'");
            }
        }
        if (!(dict.get("descr") instanceof String descr)) {
            throw DataException.inFile(source, "corrupt .npy header: 'descr' is missing or not a dtype string"
                    + (dict.get("descr") instanceof List<?> ? " (structured dtypes are not supported)" : ""));
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw DataException.inFile(source, "corrupt .npy header: 'fortran_order' is missing or not True/False");
        }
        if (!(dict.get("shape") instanceof long[] shape)) {
            throw DataException.inFile(source, "corrupt .npy header: 'shape' is missing or not a tuple of integers");
        }
        if (!descr.matches("[<>|=][fiu][1248]") || descr.matches(".f[12]")) {
            throw DataException.inFile(source, "unsupported dtype '" + descr
                    + "': expected float32/float64 ('<f4', '>f8', ...) or an integer type ('<i4', '|u1', ...)");
        }
        if (descr.charAt(0) == '|' && descr.charAt(2) != '1') {
            throw DataException.inFile(source, "corrupt .npy header: dtype '" + descr + "' has no byte order");
        }
        String shapeText = shapeText(shape);
        if (shape.length == 0 || shape.length > 2) {
            throw DataException.inFile(source, "has shape " + shapeText + ": expected a 2-D array (rows, columns) or a 1-D array (one column)");
        }
        if (shape[0] == 0) {
            throw DataException.inFile(source, "has shape " + shapeText + ": it holds no rows");
        }
        if (shape.length == 2 && shape[1] == 0) {
            throw DataException.inFile(source, "has shape " + shapeText + ": it holds no columns");
        }
        return new NpyHeader(descr, fortran, shape, dataOffset);
    }

    static String shapeText(long[] shape) {
        StringBuilder text = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            text.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return text.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /** The header text that {@link Npy#write} puts in a version 1.0 file for a C-order float64 matrix. */
    static String float64Header(int rows, int cols) {
        return "{'descr': '<f8', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
    }

    /** Parses the subset of Python literals a .npy header uses: dict, str, bool, int tuple (and lists, to reject them). */
    private static final class DictParser {
        private final String text;
        private final Object source;
        private int at;

        DictParser(String text, Object source) {
            this.text = text;
            this.source = source;
        }

        Map<String, Object> parse() {
            skipSpace();
            expect('{');
            Map<String, Object> dict = new HashMap<>();
            while (true) {
                skipSpace();
                if (peek() == '}') {
                    at++;
                    break;
                }
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                if (dict.put(key, value()) != null) {
                    throw corrupt("key '" + key + "' appears twice");
                }
                skipSpace();
                char next = peek();
                if (next == ',') {
                    at++;
                } else if (next != '}') {
                    throw corrupt("expected ',' or '}' at character " + (at + 1));
                }
            }
            for (; at < text.length(); at++) {
                char c = text.charAt(at);
                if (c != ' ' && c != '\n' && c != '\t' && c != '\r' && c != '\0') {
                    throw corrupt("unexpected text after the dict at character " + (at + 1));
                }
            }
            return dict;
        }

        private Object value() {
            char c = peek();
            if (c == '\'' || c == '"') {
                return string();
            }
            if (c == '(') {
                return tuple();
            }
            if (c == '[') {
                // Structured dtypes are written as a list; skip it so validate() can say what it is.
                int depth = 0;
                do {
                    char d = peek();
                    if (d == '[') {
                        depth++;
                    } else if (d == ']') {
                        depth--;
                    }
                    at++;
                } while (depth > 0);
                return new ArrayList<>();
            }
            if (text.startsWith("True", at)) {
                at += 4;
                return Boolean.TRUE;
            }
            if (text.startsWith("False", at)) {
                at += 5;
                return Boolean.FALSE;
            }
            throw corrupt("unreadable value at character " + (at + 1));
        }

        private long[] tuple() {
            expect('(');
            List<Long> items = new ArrayList<>();
            while (true) {
                skipSpace();
                if (peek() == ')') {
                    at++;
                    break;
                }
                int start = at;
                while (at < text.length() && Character.isDigit(text.charAt(at))) {
                    at++;
                }
                if (at < text.length() && text.charAt(at) == 'L') {
                    at++; // Python 2 long suffix
                }
                String digits = text.substring(start, at).replace("L", "");
                if (digits.isEmpty() || digits.length() > 18) {
                    throw corrupt("shape entry at character " + (start + 1) + " is not a non-negative integer");
                }
                items.add(Long.parseLong(digits));
                skipSpace();
                if (peek() == ',') {
                    at++;
                } else if (peek() != ')') {
                    throw corrupt("expected ',' or ')' in the shape at character " + (at + 1));
                }
            }
            long[] shape = new long[items.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = items.get(i);
            }
            return shape;
        }

        private String string() {
            char quote = peek();
            if (quote != '\'' && quote != '"') {
                throw corrupt("expected a quoted key or string at character " + (at + 1));
            }
            int end = text.indexOf(quote, at + 1);
            if (end < 0) {
                throw corrupt("unterminated string at character " + (at + 1));
            }
            String value = text.substring(at + 1, end);
            at = end + 1;
            return value;
        }

        private void skipSpace() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        private char peek() {
            if (at >= text.length()) {
                throw corrupt("header dict ends early");
            }
            return text.charAt(at);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw corrupt("expected '" + c + "' at character " + (at + 1) + ", found '" + text.charAt(at) + "'");
            }
            at++;
        }

        private DataException corrupt(String detail) {
            return DataException.inFile(source, "corrupt .npy header: " + detail + " in " + abbreviate(text));
        }

        private static String abbreviate(String header) {
            String oneLine = header.strip().replace("\n", "\\n");
            return oneLine.length() > 120 ? oneLine.substring(0, 120) + "..." : oneLine;
        }
    }
}
