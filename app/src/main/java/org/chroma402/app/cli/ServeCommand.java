package org.chroma402.app.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.chroma402.app.Assembly;
import org.chroma402.app.config.SettingRegistry;
import org.chroma402.app.config.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code chroma402 serve}: runs the paid colorization service until stopped (Ctrl-C or SIGTERM). */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the Chroma402 server (defaults: development Lightning node, SQLite, local results, 127.0.0.1:8402).")
public final class ServeCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    @Mixin
    ConfigOptions options;

    @Option(names = "--host", description = "Address to listen on (default: 127.0.0.1).")
    String host;
    @Option(names = {"-p", "--port"}, description = "Port to listen on (default: 8402).")
    Integer port;
    @Option(names = "--backend", description = "Lightning backend: dev, lnd, cln, lnbits, phoenixd or nwc.")
    String backend;
    @Option(names = "--public-url", description = "Base URL clients reach this server at.")
    String publicUrl;

    @Override
    public Integer call() throws Exception {
        if (host != null) {
            options.flags.put("server.host", host);
        }
        if (port != null) {
            options.flags.put("server.port", port.toString());
        }
        if (backend != null) {
            options.flags.put("lightning.backend", backend);
        }
        if (publicUrl != null) {
            options.flags.put("server.public-url", publicUrl);
        }
        Settings settings = options.settings();
        java.io.PrintWriter err = spec.commandLine().getErr();
        Assembly.Service service = Assembly.server(settings, name -> ProgressBar.forPull(err, name));
        AtomicBoolean closed = new AtomicBoolean();
        Runnable closeOnce = () -> {
            if (closed.compareAndSet(false, true)) {
                service.close();
            }
        };
        // Only for the ways out StopSignal does not see (SIGHUP, -Xrs): there the hooks race, see StopSignal.
        Thread fallback = new Thread(closeOnce, "shutdown");
        Runtime.getRuntime().addShutdownHook(fallback);
        StopSignal stop = StopSignal.install();
        int listening = service.start();
        spec.commandLine().getOut().println("Chroma402 is running: http://" + settings.string(SettingRegistry.SERVER_HOST)
                + ":" + listening + "/  (Ctrl-C to stop)");
        spec.commandLine().getOut().flush();
        log.info("{}: stopping", stop.await());
        closeOnce.run();
        return ExitCodes.OK;
    }
}
