package org.chroma402.server.metrics;

/** Which build this is: the version and the commit written into the jar's manifest at build time. */
public record BuildInfo(String version, String commit) {
    /** For code run outside a built jar (tests, an IDE). */
    public static final BuildInfo DEVELOPMENT = new BuildInfo("development", "unknown");

    /** From the manifest of the jar {@code anchor} was loaded from; {@link #DEVELOPMENT} outside a built jar. */
    public static BuildInfo of(Class<?> anchor) {
        String version = anchor.getPackage().getImplementationVersion();
        if (version == null) {
            return DEVELOPMENT;
        }
        String commit = null;
        try (var in = anchor.getResourceAsStream("/META-INF/MANIFEST.MF")) {
            if (in != null) {
                commit = new java.util.jar.Manifest(in).getMainAttributes().getValue("Build-Commit");
            }
        } catch (java.io.IOException e) {
            // Unreadable manifest: the commit stays unknown.
        }
        return new BuildInfo(version, commit == null || commit.isBlank() || commit.startsWith("${") ? "unknown" : commit);
    }
}
