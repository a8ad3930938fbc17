package org.chroma402.server.storage;

import java.sql.SQLException;

/** The database failed; the server answers 503 and the client may retry. */
public final class PersistenceException extends RuntimeException {
    public PersistenceException(SQLException cause) {
        super("database error: " + cause.getMessage(), cause);
    }
}
