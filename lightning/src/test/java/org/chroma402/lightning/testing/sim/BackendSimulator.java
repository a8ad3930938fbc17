package org.chroma402.lightning.testing.sim;

/** A loopback stand-in for a node's or wallet's API, as the backend contract drives it. */
public interface BackendSimulator extends AutoCloseable {

    /** The node behind the API, for settling invoices. */
    SimulatedNode node();

    /** What the API does wrong on request. */
    Faults faults();

    /** Drops every open push connection (stream, long poll, websocket), as a network blip would. */
    void dropConnections();

    /** Stops the API: the node goes away. */
    @Override
    void close();
}
