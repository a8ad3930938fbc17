package org.chroma402.server.testing;

import java.lang.management.ManagementFactory;

/**
 * CPU time this JVM has used, all threads together (what {@code /proc/self/stat} counts): attack
 * tests bound the work an attack causes by it, not by wall-clock time on a shared machine.
 */
public final class ProcessCpu {
    private ProcessCpu() {
    }

    public static double seconds() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime() / 1e9;
        }
        throw new IllegalStateException("this JVM does not report process CPU time");
    }
}
