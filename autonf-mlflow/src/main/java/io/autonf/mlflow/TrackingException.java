package io.autonf.mlflow;

/** A tracking store could not do what was asked (server unreachable, rejected request, ...). */
public class TrackingException extends RuntimeException {

    public TrackingException(String message) {
        super(message);
    }

    public TrackingException(String message, Throwable cause) {
        super(message, cause);
    }
}
