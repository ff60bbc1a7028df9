package io.autonf.data;

import io.autonf.flow.Batch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads and writes numpy {@code .npy} files as row-major double matrices, in pure Java.
 *
 * <p>Reading accepts format versions 1.0, 2.0 and 3.0; dtypes float32 and float64 (and 1 to 8 byte
 * integers, converted to double) in either byte order; C or Fortran order; 2-D arrays, and 1-D
 * arrays as a single column. The header is validated by {@link NpyHeader}; the body must hold exactly
 * the bytes the header promises; every value must be finite. Any violation is a {@link DataException}
 * naming the file (and the 1-based row and column of a bad value).
 *
 * <p>Writing produces a version 1.0, little-endian float64, C-order file, written to a temporary
 * file beside the target and then moved into place, so a failure never leaves a partial file.
 */
public final class Npy {

    /** numpy itself refuses headers above 10 000 bytes unless told otherwise; allow some slack. */
    private static final int MAX_PREFIX = 12 + 65_536;
    private static final int CHUNK = 1 << 20;

    private Npy() {
    }

    /** Reads a .npy file. */
    public static Batch read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(channel, channel.size(), file);
        } catch (NoSuchFileException e) {
            throw DataException.inFile(file, "file not found");
        } catch (AccessDeniedException e) {
            throw DataException.inFile(file, "cannot be read (access denied)", e);
        } catch (IOException e) {
            throw DataException.inFile(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    /** Reads only the header of a .npy file (cheap: no data is read). */
    public static NpyHeader readHeader(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return readPrefix(channel, channel.size(), file).header();
        } catch (NoSuchFileException e) {
            throw DataException.inFile(file, "file not found");
        } catch (IOException e) {
            throw DataException.inFile(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    /** Reads .npy bytes, e.g. a class-path resource; {@code source} names it in error messages. */
    public static Batch read(byte[] bytes, String source) {
        try {
            return read(Channels.newChannel(new java.io.ByteArrayInputStream(bytes)), bytes.length, source);
        } catch (IOException e) {
            throw DataException.inFile(source, "cannot be read: " + e.getMessage(), e);
        }
    }

    /** The parsed header and the data bytes that were read along with it. */
    private record Prefix(NpyHeader header, ByteBuffer firstDataBytes) {
    }

    private static Prefix readPrefix(ReadableByteChannel channel, long size, Object source) throws IOException {
        ByteBuffer prefix = ByteBuffer.allocate((int) Math.min(size, MAX_PREFIX));
        readFully(channel, prefix);
        NpyHeader header = NpyHeader.parse(prefix.array(), prefix.position(), size, source);
        prefix.flip();
        prefix.position((int) header.dataOffset());
        return new Prefix(header, prefix.slice());
    }

    private static Batch read(ReadableByteChannel channel, long size, Object source) throws IOException {
        Prefix prefix = readPrefix(channel, size, source);
        NpyHeader header = prefix.header();
        long rows = header.rows();
        long cols = header.cols();
        int itemSize = header.itemSize();
        long count = rows * cols;
        if (rows > Integer.MAX_VALUE || cols > Integer.MAX_VALUE || count > Integer.MAX_VALUE - 16
                || count < 0) {
            throw DataException.inFile(source, "has shape " + NpyHeader.shapeText(header.shape())
                    + ": too many values for one Java array");
        }
        long expectedBytes = count * itemSize;
        long availableBytes = size - header.dataOffset();
        if (availableBytes < expectedBytes) {
            throw DataException.inFile(source, "truncated .npy body: shape " + NpyHeader.shapeText(header.shape())
                    + " of '" + header.descr() + "' needs " + expectedBytes + " bytes after the header, the file has "
                    + availableBytes);
        }
        if (availableBytes > expectedBytes) {
            throw DataException.inFile(source, "corrupt .npy file: " + (availableBytes - expectedBytes)
                    + " unexpected bytes after the " + expectedBytes + " data bytes of shape "
                    + NpyHeader.shapeText(header.shape()));
        }
        int r = (int) rows;
        int c = (int) cols;
        double[] values = new double[(int) count];
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(header.byteOrder());
        chunk.put(prefix.firstDataBytes());
        long element = 0;
        while (element < count) {
            readFully(channel, chunk);
            chunk.flip();
            if (chunk.remaining() < itemSize) {
                throw DataException.inFile(source, "truncated .npy body: the data ended after " + element
                        + " of " + count + " values");
            }
            while (chunk.remaining() >= itemSize && element < count) {
                double value = decode(chunk, header.kind(), itemSize);
                int row;
                int col;
                if (header.fortranOrder()) {
                    col = (int) (element / r);
                    row = (int) (element % r);
                } else {
                    row = (int) (element / c);
                    col = (int) (element % c);
                }
                if (!Double.isFinite(value)) {
                    throw DataException.atCell(source, row + 1L, col + 1, null, "value " + value + " is not finite");
                }
                values[row * c + col] = value;
                element++;
            }
            chunk.compact();
        }
        return new Batch(values, r, c);
    }

    private static double decode(ByteBuffer buffer, char kind, int itemSize) {
        if (kind == 'f') {
            return itemSize == 8 ? buffer.getDouble() : buffer.getFloat();
        }
        boolean unsigned = kind == 'u';
        return switch (itemSize) {
            case 1 -> unsigned ? buffer.get() & 0xff : buffer.get();
            case 2 -> unsigned ? buffer.getShort() & 0xffff : buffer.getShort();
            case 4 -> unsigned ? Integer.toUnsignedLong(buffer.getInt()) : buffer.getInt();
            default -> {
                long v = buffer.getLong();
                yield unsigned && v < 0 ? (double) (v >>> 1) * 2.0 + (v & 1) : (double) v;
            }
        };
    }

    private static void readFully(ReadableByteChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                return;
            }
        }
    }

    /** Writes {@code rows} (all of one length) as a float64 C-order .npy file. */
    public static void write(Path file, double[][] rows) {
        write(file, Batch.of(rows));
    }

    /** Writes {@code data} as a float64 C-order .npy file (version 1.0). */
    public static void write(Path file, Batch data) {
        String dict = NpyHeader.float64Header(data.rows(), data.cols());
        // Pad with spaces so that magic, version, length and header end on a 64-byte boundary, as numpy does.
        int unpadded = 10 + dict.length() + 1;
        int padded = (unpadded + 63) / 64 * 64;
        String header = dict + " ".repeat(padded - unpadded) + "\n";
        byte[] headerBytes = header.getBytes(StandardCharsets.ISO_8859_1);
        Path target = file.toAbsolutePath();
        Path temp = null;
        try {
            Files.createDirectories(target.getParent());
            temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer prefix = ByteBuffer.allocate(10 + headerBytes.length).order(ByteOrder.LITTLE_ENDIAN);
                prefix.put(NpyHeader.MAGIC).put((byte) 1).put((byte) 0).putShort((short) headerBytes.length).put(headerBytes);
                prefix.flip();
                writeFully(out, prefix);
                ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
                for (double v : data.values()) {
                    if (!chunk.hasRemaining()) {
                        chunk.flip();
                        writeFully(out, chunk);
                        chunk.clear();
                    }
                    chunk.putDouble(v);
                }
                chunk.flip();
                writeFully(out, chunk);
            }
            try {
                Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
        } catch (IOException e) {
            throw DataException.inFile(file, "cannot be written: " + e, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // The write already failed; the stale temporary file is the lesser problem.
                }
            }
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }
}
