package io.autonf.data;

/**
 * Fractions of one file's rows for the train, validation and test splits.
 *
 * <p>Split sizes: {@code validation = floor(v * n)}, {@code test = floor(t * n)}, and train takes
 * the rest, so no row is lost to rounding.
 */
public record SplitFractions(double train, double validation, double test) {

    /** 80% train, 10% validation, 10% test. */
    public static final SplitFractions DEFAULT = new SplitFractions(0.8, 0.1, 0.1);

    public SplitFractions {
        for (double f : new double[] {train, validation, test}) {
            if (!(f > 0 && f < 1)) {
                throw new IllegalArgumentException("split fractions must each be in (0, 1), got "
                        + train + "," + validation + "," + test);
            }
        }
        if (Math.abs(train + validation + test - 1) > 1e-9) {
            throw new IllegalArgumentException("split fractions must add up to 1, got "
                    + train + "+" + validation + "+" + test + " = " + (train + validation + test));
        }
    }

    /** Parses {@code "0.8,0.1,0.1"} (train, validation, test). */
    public static SplitFractions parse(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("split fractions must be three numbers train,validation,test;"
                    + " got '" + text + "'");
        }
        try {
            return new SplitFractions(Double.parseDouble(parts[0].strip()), Double.parseDouble(parts[1].strip()),
                    Double.parseDouble(parts[2].strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("split fractions must be numbers, got '" + text + "'", e);
        }
    }

    /** {train, validation, test} row counts for {@code rows} rows; fails when a split would be empty. */
    public int[] sizes(int rows, Object source) {
        int validationRows = (int) Math.floor(validation * rows);
        int testRows = (int) Math.floor(test * rows);
        int trainRows = rows - validationRows - testRows;
        if (validationRows < 1 || testRows < 1 || trainRows < 1) {
            throw DataException.inFile(source, "has " + rows + " rows, too few for a " + this.text()
                    + " train/validation/test split with at least one row in each");
        }
        return new int[] {trainRows, validationRows, testRows};
    }

    /** {@code "0.8,0.1,0.1"}. */
    public String text() {
        return train + "," + validation + "," + test;
    }
}
