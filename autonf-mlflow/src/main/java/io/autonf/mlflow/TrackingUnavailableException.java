package io.autonf.mlflow;

/**
 * The store could not be reached, or answered that it cannot serve now (connection refused or reset, timeout,
 * HTTP 429 or 5xx): the same call may succeed later. A {@link TrackingException} that is not of this type was
 * refused for a reason that retrying will not change (bad request, unknown run, ...).
 */
public class TrackingUnavailableException extends TrackingException {

    public TrackingUnavailableException(String message) {
        super(message);
    }

    public TrackingUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
